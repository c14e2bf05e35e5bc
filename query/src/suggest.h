// As-you-type suggestions (Searcher::suggest) and "did you mean" (SearchResult::did_you_mean).
#pragma once

#include "analysed_query.h"

#include <sosik/analyzer.h>
#include <sosik/search.h>

#include <xapian.h>

namespace sosik {

SuggestResult suggest(const Xapian::Database& database, const Analyzer& analyzer, const SuggestRequest& request);

// The typed query with each word that no article holds replaced by the
// closest indexed word, or empty when no word needs it or none is close enough.
std::string did_you_mean(const Vocabulary& vocabulary, const AnalysedQuery& query, const std::string& typed);

}  // namespace sosik
