// Stage 5 of a search: ranking. The hits in the order to show them: ties put
// in an order that does not depend on docids, then the top re-ranked on
// their stored text by how close the query words stand and whether the
// title or first sentence names them (proximity_rerank.h).
#pragma once

#include "query_plan.h"

#include <sosik/ranking.h>
#include <sosik/stored_article.h>

#include <xapian.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sosik {

// Values of hits by docid: the article id that lean hits (ids and scores:
// batch runs) list, kOrderSlot for ordering ties. Reading a value is a B-tree
// seek and a chunk decode per hit (reading 100 ids was 13% of a batch query),
// and hits repeat across queries. For one state of the database: the owner
// empties it whenever that changes.
// Keyed by the hit's docid in the set (the MSet's), never by
// Document::get_docid(): over shards Xapian 1.4 gives that in the hit's own
// shard, where the first article of every shard is 1.
class HitValueCache {
public:
    const std::string& id(const Xapian::MSetIterator& hit);
    const std::string& order(const Xapian::MSetIterator& hit);
    void clear();
    // Between searches only: references handed out stay valid until then.
    void bound();

private:
    using Values = std::unordered_map<Xapian::docid, std::string>;
    static const std::string& value(Values& values, const Xapian::MSetIterator& hit, Xapian::valueno slot);
    Values ids_, orders_;
};

// A hit's score as ranking compares it: Xapian's weight to nine decimals.
// Shards add a hit's term weights in another order than one database (each
// builds its tree of ORs by its own term frequencies), which moves the last
// bits of a sum: ties broken by those bits put hits in another order.
double comparable_score(double weight);

struct RankedHit {
    Xapian::MSetIterator it;
    Xapian::Document doc;
    double score = 0;
    std::optional<schema::StoredArticleReader> stored;  // read once (Xapian does not keep it)

    const schema::StoredArticleReader& data() {
        if (!stored) stored.emplace(doc.get_data());
        return *stored;
    }
};

struct RankOptions {
    std::size_t count = 0;    // hits to keep
    bool order_ties = false;  // Xapian ranked by score alone: put its ties in order here
    bool rerank = false;      // re-rank the top ranking.proximity_depth
};

// Ties keep the order of a sort by score, then kOrderSlot (newest first).
// The re-rank bonus is never negative, so hits below the depth stay below.
std::vector<RankedHit> rank_hits(const Xapian::MSet& mset, const std::vector<MatchTarget>& targets,
                                 const RankingParams& ranking, RankOptions options, HitValueCache& values);

}  // namespace sosik
