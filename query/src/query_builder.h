// Parsed query → Xapian::Query, through the same analyzer that indexed the
// articles, plus what the highlighter needs to mark the matches.
#pragma once

#include "phrase_check.h"
#include "query_parser.h"

#include <sosik/analyzer.h>

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

struct BuiltQuery {
    Xapian::Query query;
    std::vector<MatchTarget> targets;
    std::size_t positive_words = 0;  // words and phrases that must match (for the OR fallback)
    bool dropped_fillers = false;    // question words were left out (retry with them if nothing matches)
    // Phrases the match decider must check (the index has no positions): the
    // required and excluded phrases of the top level. Phrases inside an OR
    // group match as the AND of their words.
    std::vector<PhraseRequirement> phrases;
};

enum class ImplicitOperator {
    all_words,  // every word must match
    any_word,   // any word may match; BM25 ranks articles with more of them higher
};

struct QueryOptions {
    ImplicitOperator implicit = ImplicitOperator::all_words;
    bool keep_fillers = false;
    // Spacing tolerance: a compound also matches spaced (무선마우스 ↔ 무선 마우스),
    // two adjacent words also match written as one (건강 도시 → 건강도시).
    bool spacing = false;
};

// `database` is read for the words an initials query (ㄱㄱㄷㅅ) stands for.
BuiltQuery build_query(const QueryNode& root, const Analyzer& analyzer, const Xapian::Database& database,
                       QueryOptions options);

// The first and last instant (as schema::Date::sort_key) an ISO date names:
// "2024" is the whole year, "2024-05" the month, "2024-05-01" the day.
// Throws InvalidInput naming `what` when the text is not a date.
double period_start(const std::string& iso, const std::string& what);
double period_end(const std::string& iso, const std::string& what);

}  // namespace sosik
