#include "initials_query.h"

#include "synonym_query.h"

#include <sosik/schema.h>

namespace sosik {

namespace {

// One synonym per kind of match: all the words of a key score as one term,
// as the key did when it was indexed, so a rare word does not outweigh the
// typed key's common meaning.
Xapian::Query synonym(const std::vector<std::string>& terms) {
    return shard_stable_synonym(std::vector<Xapian::Query>(terms.begin(), terms.end()));
}

}  // namespace

Xapian::Query initials_query(const InitialsWords& words, bool title_only, const RankingParams& ranking) {
    const auto exact_or_longer = [&](const Xapian::Query& exact, const Xapian::Query& longer) {
        return Xapian::Query(Xapian::Query::OP_OR, exact,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, longer, ranking.initials_prefix_weight));
    };
    const Xapian::Query title = exact_or_longer(Xapian::Query(std::string(schema::kTitleInitialsPrefix) + words.key),
                                                synonym(words.title_longer));
    if (title_only) return title;
    return Xapian::Query(Xapian::Query::OP_OR,
                         Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, title, ranking.initials_title_weight),
                         exact_or_longer(synonym(words.body.exact), synonym(words.body.longer)));
}

}  // namespace sosik
