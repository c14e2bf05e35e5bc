// Stage 4 of a search: matching. Runs the plan's passes through Xapian until
// the plan's rule settles on one, with the sort, the page window, facets
// and the phrase check.
#pragma once

#include "query_plan.h"

#include <sosik/search.h>

#include <xapian.h>

#include <map>
#include <string>
#include <vector>

namespace sosik {

struct Matched {
    Xapian::Enquire enquire;  // the final pass's, for --explain
    Xapian::MSet mset;
    std::map<std::string, std::vector<FacetCount>> facets;
    // Relevance order is re-ranked (rank.h): then mset starts at the first
    // hit, and holds at least `fetched` of them (plus ties at the cut).
    bool reranking = false;
    std::size_t fetched = 0;
};

struct MatchContext {
    const Xapian::Database& database;
    bool has_remote = false;  // remote shards run no custom match decider and count facets differently
    const Analyzer& analyzer;  // for the phrase check
    const RankingParams& ranking;
};

// Throws InvalidInput unless `name` is a facet (category, tag, year, month).
void check_facet_name(const std::string& name);

// Throws InvalidInput for a request that cannot be answered (a bad facet,
// a phrase over remote shards), and Xapian errors as they come.
Matched match(const MatchContext& context, QueryPlan& plan, const SearchRequest& request);

}  // namespace sosik
