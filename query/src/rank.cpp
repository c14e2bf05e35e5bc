#include "rank.h"

#include "proximity_rerank.h"

#include <sosik/schema.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sosik {

namespace {

// Bounds HitValueCache (~100 bytes an entry).
constexpr std::size_t kMaxCachedValues = 250'000;

void order_ties(std::vector<RankedHit>& ranked, HitValueCache& values) {
    // Sorting positions, not hits: moving a hit moves Xapian handles.
    std::vector<std::size_t> order(ranked.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (ranked[a].score != ranked[b].score) return ranked[a].score > ranked[b].score;
        return values.order(ranked[a].it) > values.order(ranked[b].it);
    });
    std::vector<RankedHit> sorted;
    sorted.reserve(order.size());
    for (const std::size_t k : order) sorted.push_back(std::move(ranked[k]));
    ranked = std::move(sorted);
}

}  // namespace

double comparable_score(double weight) {
    constexpr double kGrid = 1e9;  // far below the four decimals shown, far above rounding noise
    return std::round(weight * kGrid) / kGrid;
}

const std::string& HitValueCache::id(const Xapian::MSetIterator& hit) { return value(ids_, hit, schema::kIdSlot); }

const std::string& HitValueCache::order(const Xapian::MSetIterator& hit) {
    return value(orders_, hit, schema::kOrderSlot);
}

void HitValueCache::clear() {
    ids_.clear();
    orders_.clear();
}

void HitValueCache::bound() {
    if (ids_.size() + orders_.size() > kMaxCachedValues) clear();
}

const std::string& HitValueCache::value(Values& values, const Xapian::MSetIterator& hit, Xapian::valueno slot) {
    auto [at, added] = values.try_emplace(*hit);
    if (added) at->second = hit.get_document().get_value(slot);
    return at->second;
}

std::vector<RankedHit> rank_hits(const Xapian::MSet& mset, const std::vector<MatchTarget>& targets,
                                 const RankingParams& ranking, RankOptions options, HitValueCache& values) {
    std::vector<RankedHit> ranked;
    ranked.reserve(mset.size());
    for (auto it = mset.begin(); it != mset.end(); ++it)
        ranked.push_back({it, it.get_document(), comparable_score(it.get_weight()), std::nullopt});
    if (options.order_ties) order_ties(ranked, values);
    if (ranked.size() > options.count)
        ranked.erase(ranked.begin() + static_cast<std::ptrdiff_t>(options.count), ranked.end());
    const ProximityScorer proximity(targets);
    const std::size_t depth = options.rerank ? std::min(ranking.proximity_depth, ranked.size()) : 0;
    if (depth == 0 || ranked.size() < 2 || proximity.empty()) return ranked;
    const double bonus = ranking.proximity_weight * ranked.front().score;
    const double lead_bonus = ranking.lead_weight * ranked.front().score;
    for (std::size_t k = 0; k < depth; ++k) {
        const schema::StoredArticleReader& stored = ranked[k].data();
        const std::string title = stored.title();
        ranked[k].score += bonus * proximity.score(title, stored.text());
        ranked[k].score += lead_bonus * proximity.lead_share(title, stored.text());
    }
    std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(depth),
                     [](const RankedHit& a, const RankedHit& b) { return a.score > b.score; });
    return ranked;
}

}  // namespace sosik
