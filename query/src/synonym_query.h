// Terms scored as one (OP_SYNONYM), built so that shards score as one database.
#pragma once

#include <xapian.h>

#include <vector>

namespace sosik {

// OP_SYNONYM over `alternatives`, nested in pairs: ((a b) (c d)) e.
//
// Why not one flat OP_SYNONYM: Xapian 1.4 weighs a synonym by an estimate
// of its term frequency, made in each database of a set from the global
// frequencies of its members, combined through a tree of ORs that rounds
// to a whole number at every node. Each database shapes that tree by its
// own frequencies (the rarest pair first), so a shard holding few of the
// members rounds differently from one database: other scores, another
// order (issue 19). A nested synonym is never flattened into its parent,
// so pairs fix the tree, and the estimate is the same wherever it is made
// (benchmarks/shards/README.md has the measurements).
inline Xapian::Query shard_stable_synonym(std::vector<Xapian::Query> level) {
    if (level.size() <= 2) return Xapian::Query(Xapian::Query::OP_SYNONYM, level.begin(), level.end());
    while (level.size() > 1) {
        std::vector<Xapian::Query> up;
        for (std::size_t i = 0; i < level.size(); i += 2)
            up.push_back(i + 1 < level.size()
                             ? Xapian::Query(Xapian::Query::OP_SYNONYM, level[i], level[i + 1])
                             : level[i]);
        level = std::move(up);
    }
    return level.front();
}

}  // namespace sosik
