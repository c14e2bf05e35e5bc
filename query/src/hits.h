// Stage 6 of a search: the hits of a page, read through the stored-article
// codec, with highlights, snippets and (on request) how each term scored.
#pragma once

#include "highlighter.h"
#include "rank.h"

#include <sosik/search.h>

#include <xapian.h>

#include <vector>

namespace sosik {

struct HitContext {
    const Xapian::Database& database;
    const Xapian::Enquire& enquire;  // the final pass's, for --explain
    const Highlighter& highlighter;
    const RankingParams& ranking;
};

// Hits ranked[first …], at most request.limit of them.
std::vector<Hit> page_hits(std::vector<RankedHit>& ranked, std::size_t first, const SearchRequest& request,
                           const HitContext& context, HitValueCache& values);

}  // namespace sosik
