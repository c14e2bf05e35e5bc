// Stage 3 of a search: the plan. From the analysed query, the Xapian query of
// each matching pass, and the rule that moves from one pass to the next:
//   1. every word must match;
//   2. any word may match, when fewer than enough_all_words articles have
//      them all (typical of questions; BM25 still ranks articles with more
//      of them first);
//   3. the question words kept after all, when only they would match.
// Building a pass reads nothing: analysis and vocabulary were stage 2.
#pragma once

#include "analysed_query.h"
#include "phrase_check.h"

#include <sosik/ranking.h>

#include <xapian.h>

#include <string>
#include <vector>

namespace sosik {

// What one positive query word or phrase matches, for highlighting: any
// token whose text is in `forms`, or a run of bigrams equal to `bigrams`.
struct MatchTarget {
    std::vector<std::string> forms;
    std::vector<std::string> bigrams;
    std::string initials;  // 초성 query: words whose initials start with these
};

enum class ImplicitOperator {
    all_words,  // every word must match
    any_word,   // any word may match; BM25 ranks articles with more of them higher
};

struct PassOptions {
    ImplicitOperator implicit = ImplicitOperator::all_words;
    bool keep_fillers = false;
};

// One matching pass.
struct BuiltQuery {
    Xapian::Query query;
    std::vector<MatchTarget> targets;
    std::size_t positive_words = 0;  // words and phrases that must match (for the any-word pass)
    bool dropped_fillers = false;    // question words were left out
    // Phrases the match decider must check (the index has no positions): the
    // required and excluded phrases of the top level. Phrases inside an OR
    // group match as the AND of their words.
    std::vector<PhraseRequirement> phrases;
};

BuiltQuery build_pass(const AnalysedQuery& query, PassOptions options, const RankingParams& ranking);

// What a pass matched, as the rule between passes needs it.
struct PassOutcome {
    Xapian::doccount lower_bound = 0;
    Xapian::doccount upper_bound = 0;
};

class QueryPlan {
public:
    QueryPlan(const AnalysedQuery& query, const RankingParams& ranking);

    const BuiltQuery& current() const { return built_; }
    bool first_pass() const { return pass_ == 0; }
    // Moves to the next pass given what the current one matched; false when
    // the current one is the answer.
    bool advance(const PassOutcome& outcome);

private:
    const AnalysedQuery& query_;
    const RankingParams& ranking_;
    int pass_ = 0;
    BuiltQuery built_;
};

// The first and last instant (as schema::Date::sort_key) an ISO date names:
// "2024" is the whole year, "2024-05" the month, "2024-05-01" the day.
// Throws InvalidInput naming `what` when the text is not a date.
double period_start(const std::string& iso, const std::string& what);
double period_end(const std::string& iso, const std::string& what);

}  // namespace sosik
