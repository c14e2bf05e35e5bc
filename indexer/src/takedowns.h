// Articles taken down with sosik-index --delete, as the indexer sees them
// (schema::kDeletedKeyPrefix). Private to the indexer library.
#pragma once

#include <xapian.h>

#include <string>
#include <string_view>
#include <unordered_set>

namespace sosik::indexing {

// The metadata key recording that `id` was deleted.
std::string deleted_key(std::string_view id);

// Every id recorded as deleted in `db` (its first sub-database: a shard set's state).
std::unordered_set<std::string> deleted_ids(const Xapian::Database& db);

}  // namespace sosik::indexing
