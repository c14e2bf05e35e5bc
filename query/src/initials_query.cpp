#include "initials_query.h"

#include <sosik/schema.h>

namespace sosik {

namespace {

// A title key weighs this much more than a body word: BM25 alone would let a
// body that repeats the word outrank a title that has it.
constexpr double kTitleWeight = 4.0;
// Words that only start with the typed initials (ㅅㅇㅅ → 서울시청): what a
// user who stopped typing early may mean, but below the exact ones.
constexpr double kPrefixWeight = 0.3;
// The longest keys share few prefixes; a short key like ㄱㄱ has thousands of
// extensions in a large archive: the most frequent ones are enough.
constexpr std::size_t kMaxPrefixExpansion = 50;
// Title keys read for a prefix: a bound on the time for a key of two letters
// in a large archive, never reached by longer ones.
constexpr std::size_t kMaxTermsRead = 20000;

// One synonym per kind of match: all the words of a key score as one term,
// as the key did when it was indexed, so a rare word does not outweigh the
// typed key's common meaning.
Xapian::Query exact_or_longer(const Xapian::Query& exact, const Xapian::Query& longer) {
    return Xapian::Query(Xapian::Query::OP_OR, exact, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, longer, kPrefixWeight));
}

Xapian::Query synonym(const std::vector<std::string>& terms) {
    return Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
}

}  // namespace

Xapian::Query initials_query(const std::string& key, bool title_only, const Vocabulary& vocabulary) {
    const std::string title_key = std::string(schema::kTitleInitialsPrefix) + key;
    const Xapian::Query title = exact_or_longer(
        Xapian::Query(title_key), synonym(vocabulary.most_frequent_terms(title_key, kMaxPrefixExpansion, kMaxTermsRead)));
    if (title_only) return title;
    Vocabulary::InitialsLimits limits;
    limits.max_words = kMaxPrefixExpansion;
    const Vocabulary::InitialsWords words = vocabulary.words_with_initials(key, limits);
    return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, kTitleWeight),
                         exact_or_longer(synonym(words.exact), synonym(words.longer)));
}

}  // namespace sosik
