#include "shards.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/xapian_database.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <limits>

namespace fs = std::filesystem;

namespace sosik::indexing {

namespace {

constexpr const char* kStubFile = "XAPIANDB";  // the name Xapian looks for in a folder
constexpr const char* kStateFolder = "state";
constexpr const char* kUndated = "undated";
constexpr std::string_view kShardByKey = "sosik.shard_by";
constexpr unsigned kMaxBuckets = 1024;

// FNV-1a: tiny and fixed forever. An article's bucket must never change
// between releases, or re-runs would move every article.
std::uint64_t stable_hash(std::string_view bytes) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

bool is_xapian_database(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "iamglass", ec) || fs::exists(dir / "iamchert", ec);
}

}  // namespace

ShardScheme ShardScheme::parse(std::string_view text) {
    ShardScheme scheme;
    if (text == "month") {
        scheme.kind = Kind::month;
    } else if (text == "year") {
        scheme.kind = Kind::year;
    } else if (text.starts_with("hash:")) {
        const std::string_view digits = text.substr(5);
        unsigned n = 0;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || end != digits.data() + digits.size() || n < 2 || n > kMaxBuckets)
            throw InvalidInput("--shard-by: '" + std::string(text) + "': hash:N needs 2 ≤ N ≤ " +
                               std::to_string(kMaxBuckets));
        scheme.kind = Kind::hash;
        scheme.buckets = n;
    } else {
        throw InvalidInput("--shard-by: '" + std::string(text) + "' is not month, year or hash:N");
    }
    return scheme;
}

std::string ShardScheme::to_string() const {
    switch (kind) {
    case Kind::none: return "none";
    case Kind::month: return "month";
    case Kind::year: return "year";
    case Kind::hash: return "hash:" + std::to_string(buckets);
    }
    return "none";
}

bool ShardSet::is_sharded(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / kStubFile, ec) && is_xapian_database(dir / kStateFolder);
}

ShardSet::ShardSet(const fs::path& dir, ShardScheme requested) : dir_(dir), scheme_(requested) {
    if (is_xapian_database(dir))
        throw IndexError(dir.string() + " holds an unsharded database: give --shard-by another --db folder, or "
                                        "delete this one to rebuild it sharded");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw IndexError(dir.string() + ": cannot create the folder: " + ec.message());
    state_ = open_for_writing(dir / kStateFolder);

    const std::string recorded = state_.get_metadata(std::string(kShardByKey));
    if (recorded.empty()) {
        if (requested.kind == ShardScheme::Kind::none) throw IndexError(dir.string() + ": no shard scheme recorded");
        state_.set_metadata(std::string(kShardByKey), requested.to_string());
        state_.commit();
    } else {
        const ShardScheme existing = ShardScheme::parse(recorded);
        if (requested.kind != ShardScheme::Kind::none && !(requested == existing))
            throw IndexError(dir.string() + " is sharded by " + existing.to_string() + ", not " +
                             requested.to_string() + ": delete it to rebuild with another --shard-by");
        scheme_ = existing;
    }

    // Every shard folder, listed in the stub or not (a crash may come between
    // creating a shard and rewriting the stub).
    std::vector<std::string> found;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name != kStateFolder && is_xapian_database(entry.path())) found.push_back(name);
    }
    std::sort(found.begin(), found.end());
    for (const std::string& name : found) {
        positions_.emplace(name, names_.size());
        names_.push_back(name);
        shards_.push_back(open_for_writing(dir / name));
    }
    rebuild_combined();
    write_stub();
}

std::string ShardSet::shard_for(std::string_view id, const Xapian::Document& doc) const {
    switch (scheme_.kind) {
    case ShardScheme::Kind::month:
    case ShardScheme::Kind::year: {
        std::string month = doc.get_value(schema::kMonthSlot);  // "2024-09"
        if (month.size() != 7) return kUndated;
        if (scheme_.kind == ShardScheme::Kind::year) month.resize(4);
        return month;
    }
    case ShardScheme::Kind::hash: {
        const int width = static_cast<int>(std::to_string(scheme_.buckets - 1).size());
        char name[48];
        std::snprintf(name, sizeof name, "hash-%0*u-of-%u", width,
                      static_cast<unsigned>(stable_hash(id) % scheme_.buckets), scheme_.buckets);
        return name;
    }
    case ShardScheme::Kind::none:
        break;
    }
    return kUndated;
}

std::function<Xapian::docid(Xapian::docid)> ShardSet::add_shard(const std::string& name) {
    const std::uint64_t old_count = shards_.size() + 1;
    shards_.push_back(open_for_writing(dir_ / name));
    positions_.emplace(name, names_.size());
    names_.push_back(name);
    rebuild_combined();
    write_stub();  // before any document lands there: readers see the shard from its first commit
    const std::uint64_t new_count = shards_.size() + 1;
    // Shards are only ever appended, so a docid keeps its shard and local docid.
    return [old_count, new_count](Xapian::docid doc) {
        const std::uint64_t shard = (doc - 1) % old_count, local = (doc - 1) / old_count + 1;
        const std::uint64_t moved = (local - 1) * new_count + shard + 1;
        if (moved > std::numeric_limits<Xapian::docid>::max())
            throw IndexError("too many documents for " + std::to_string(new_count - 1) + " shards");
        return static_cast<Xapian::docid>(moved);
    };
}

Xapian::docid ShardSet::next_docid(const std::string& name) const {
    const std::size_t index = positions_.at(name);
    const std::uint64_t count = shards_.size() + 1;
    const std::uint64_t local = std::uint64_t{shards_[index].get_lastdocid()} + 1;
    const std::uint64_t doc = (local - 1) * count + (index + 1) + 1;
    if (doc > std::numeric_limits<Xapian::docid>::max())
        throw IndexError(name + ": too many documents for " + std::to_string(count - 1) + " shards");
    return static_cast<Xapian::docid>(doc);
}

bool ShardSet::holds(const std::string& name, Xapian::docid doc) const {
    const auto found = positions_.find(name);
    return found != positions_.end() && (doc - 1) % (shards_.size() + 1) == found->second + 1;
}

void ShardSet::set_metadata_everywhere(const std::string& key, const std::string& value) {
    for (Xapian::WritableDatabase& shard : shards_) shard.set_metadata(key, value);
}

void ShardSet::rebuild_combined() {
    Xapian::WritableDatabase combined;
    combined.add_database(state_);  // first: Xapian reads and writes metadata there only
    for (const Xapian::WritableDatabase& shard : shards_) combined.add_database(shard);
    combined_ = combined;
}

void ShardSet::write_stub() const {
    std::vector<std::string> sorted = names_;
    std::sort(sorted.begin(), sorted.end());
    const fs::path stub = dir_ / kStubFile;
    const fs::path temporary = dir_ / (std::string(kStubFile) + ".new");
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << "# Sosik shards (" << scheme_.to_string() << "), written by sosik-index. A line per shard:\n"
            << "# auto FOLDER (relative to this file) or remote HOST:PORT (xapian-tcpsrv).\n";
        for (const std::string& name : sorted) out << "auto " << name << "\n";
        if (!out.flush()) throw IndexError(temporary.string() + ": cannot write");
    }
    std::error_code ec;
    fs::rename(temporary, stub, ec);  // atomic: a reader sees the old list or the new one
    if (ec) throw IndexError(stub.string() + ": cannot write: " + ec.message());
}

}  // namespace sosik::indexing
