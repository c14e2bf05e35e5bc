#include "initials_query.h"

#include <sosik/schema.h>

namespace sosik {

namespace {

// A title key weighs this much more than a body key: BM25 alone would let a
// body that repeats the word outrank a title that has it.
constexpr double kTitleWeight = 4.0;
// Words that only start with the typed initials (ㅅㅇㅅ → 서울시청): what a
// user who stopped typing early may mean, but below the exact ones.
constexpr double kPrefixWeight = 0.3;
// The longest keys share few prefixes; a short key like ㄱㄱ has thousands of
// extensions in a large archive: the most frequent ones are enough.
constexpr Xapian::termcount kMaxPrefixExpansion = 50;

Xapian::Query key_terms(std::string_view prefix, const std::string& key) {
    const std::string exact = std::string(prefix) + key;
    const Xapian::Query longer(Xapian::Query::OP_WILDCARD, exact, kMaxPrefixExpansion,
                               Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(exact),
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, longer, kPrefixWeight));
}

}  // namespace

Xapian::Query initials_query(const std::string& key, bool title_only) {
    const Xapian::Query title = key_terms(schema::kTitleInitialsPrefix, key);
    if (title_only) return title;
    return Xapian::Query(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, kTitleWeight),
                         key_terms(schema::kInitialsPrefix, key));
}

}  // namespace sosik
