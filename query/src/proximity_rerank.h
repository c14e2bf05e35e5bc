// How close together the query words stand in an article, for re-ranking the
// top hits: an article about "플리머스 식민지 총독" says the words side by side,
// one that merely mentions each somewhere does not.
//
// The index has no positions (schema.h), so this reads the stored title and
// text. It does not analyze them again: Korean particles and endings are
// suffixes, so a word's stem (or surface) is found by a byte search at the
// start of a word (식민지 in 식민지에서). Latin letters are compared
// case-folded, as the analyzer indexes them.
#pragma once

#include "query_plan.h"

#include <string>
#include <string_view>
#include <vector>

namespace sosik {

class ProximityScorer {
public:
    // One query word per target (highlighting targets: the positive words and
    // phrases, their surfaces and stems); 초성 targets have no text to find.
    explicit ProximityScorer(const std::vector<MatchTarget>& targets);

    // No word to find: every article scores 0 on both.
    bool empty() const { return words_.empty(); }
    // Fewer than two words to find: every article's score() is 0.
    bool useful() const { return words_.size() >= 2; }

    // 0 … 1: per pair of consecutive query words found in the title or in the
    // text, 1 / d² for d words between their nearest occurrences (1: adjacent
    // or in one compound), averaged over the pairs of the query; the better
    // of title and text.
    double score(std::string_view title, std::string_view text) const;

    // 0 … 1: the share of query words in the title or the first sentence of
    // the text, where an article says what it is about.
    double lead_share(std::string_view title, std::string_view text) const;

private:
    double score_in(std::string_view text) const;

    std::vector<std::vector<std::string>> words_;  // per query word, the forms to find
};

}  // namespace sosik
