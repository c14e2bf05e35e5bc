// A sharded Sosik database: one Xapian database per shard under the --db
// folder, a Xapian stub file listing them (so any Xapian reader, and
// sosik-search --db DIR, opens the set as one), and a small state database
// holding what the incremental indexer remembers (file states, the scheme).
//
//   DIR/XAPIANDB     stub: "auto 2024-09" … (Xapian opens a folder holding one)
//   DIR/state/       no documents; metadata only
//   DIR/2024-09/ …   the shards
//
// The writer sees all of it as one Xapian::WritableDatabase (the state
// database first, so metadata reads and writes go there, then the shards).
// Xapian interleaves docids over its shards: docid d lives in shard
// (d - 1) % n as local docid (d - 1) / n + 1, which is how a new document is
// placed in the shard its date or id routes it to. Private to the indexer.
#pragma once

#include <xapian.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sosik::indexing {

struct ShardScheme {
    enum class Kind { none, month, year, hash } kind = Kind::none;
    unsigned buckets = 0;  // hash:N

    // "month", "year" or "hash:N" (2 ≤ N ≤ 1024); throws InvalidInput.
    static ShardScheme parse(std::string_view text);
    std::string to_string() const;
    bool operator==(const ShardScheme&) const = default;
};

class ShardSet {
public:
    // True when `dir` holds a sharded Sosik database.
    static bool is_sharded(const std::filesystem::path& dir);

    // Opens (creating when new) the sharded database in `dir` for the one
    // writer. `requested` may be none to use the recorded scheme. Throws
    // IndexError (locked, other versions, other scheme, an unsharded
    // database there) or InvalidInput.
    ShardSet(const std::filesystem::path& dir, ShardScheme requested);

    // The state database and every shard as one; replaced by add_shard().
    const Xapian::WritableDatabase& combined() const { return combined_; }

    // Where an article belongs: "2024-09", "2024", "undated" or "hash-03-of-16".
    std::string shard_for(std::string_view id, const Xapian::Document& doc) const;
    bool has_shard(const std::string& name) const { return positions_.contains(name); }

    // Creates the shard and rebuilds combined(). Call between transactions.
    // Returns how docids of the old combined() map to the new one.
    std::function<Xapian::docid(Xapian::docid)> add_shard(const std::string& name);

    // The combined docid at which a new document lands in shard `name`.
    Xapian::docid next_docid(const std::string& name) const;
    // Whether combined docid `doc` lives in shard `name`.
    bool holds(const std::string& name, Xapian::docid doc) const;

    // Records `value` under `key` in every shard (last update, read by stats()).
    void set_metadata_everywhere(const std::string& key, const std::string& value);

    // Every shard (not the state database), for what each must hold itself (synonyms).
    std::vector<Xapian::WritableDatabase>& shard_databases() { return shards_; }

private:
    void rebuild_combined();
    void write_stub() const;

    std::filesystem::path dir_;
    ShardScheme scheme_;
    Xapian::WritableDatabase state_;
    std::vector<std::string> names_;                  // in combined() order after the state database
    std::vector<Xapian::WritableDatabase> shards_;    // same order
    std::map<std::string, std::size_t> positions_;    // name → index in names_
    Xapian::WritableDatabase combined_;
};

}  // namespace sosik::indexing
