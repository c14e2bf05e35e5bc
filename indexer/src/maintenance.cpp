// Looking after a database from the shell: its figures (sosik-index --stats)
// and articles taken down by id (--delete, --undelete), over one database or
// a sharded folder.
#include <sosik/indexer.h>

#include "file_reading.h"
#include "index_pipeline.h"
#include "readable.h"
#include "shards.h"
#include "takedowns.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/xapian_database.h>

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>

namespace fs = std::filesystem;

namespace sosik {

namespace {

using indexing::FileState;
using indexing::ShardScheme;
using indexing::ShardSet;
using indexing::now_iso8601_utc;
using indexing::thousands;

bool is_plain_database(const fs::path& dir) {
    std::error_code ec;
    return fs::exists(dir / "iamglass", ec) || fs::exists(dir / "iamchert", ec);
}

void require_database(const fs::path& dir) {
    if (!is_plain_database(dir) && !ShardSet::is_sharded(dir))
        throw IndexError(dir.string() + ": no Sosik database there (run sosik-index --db " + dir.string() +
                         " ARCHIVE first)");
}

// "D20240902" → "2024-09-02"; empty for a term of another shape.
std::string day_of(const std::string& term) {
    if (term.size() != 9 || !std::all_of(term.begin() + 1, term.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {};
    return term.substr(1, 4) + "-" + term.substr(5, 2) + "-" + term.substr(7, 2);
}

// The one writer's view of a database for --delete/--undelete: one database,
// or the shard set with its state database first (metadata goes there).
class Writer {
public:
    explicit Writer(const fs::path& dir) {
        require_database(dir);
        if (ShardSet::is_sharded(dir)) {
            shards_.emplace(dir, ShardScheme{});
            db_ = shards_->combined();
        } else {
            db_ = open_for_writing(dir);
        }
    }

    Xapian::WritableDatabase& db() { return db_; }

    // Within the transaction: the last change's time, where readers look for
    // it (every shard).
    void stamp() {
        const std::string now = now_iso8601_utc();
        db_.set_metadata(std::string(schema::kLastUpdateKey), now);
        if (shards_) shards_->set_metadata_everywhere(std::string(schema::kLastUpdateKey), now);
    }

private:
    std::optional<ShardSet> shards_;
    Xapian::WritableDatabase db_;
};

// The recorded state of the file a source key names (index_archive's keys).
std::string state_key_of(const std::string& source_key) {
    const std::string root_term = source_key.substr(0, source_key.find(':'));
    return std::string(schema::kFileStateKeyPrefix) + root_term + ":" + hex64(hash_bytes(source_key));
}

}  // namespace

namespace indexing {

std::string now_iso8601_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

// Appends rather than inserts: GCC 12 warns (-Wrestrict, falsely) on string::insert here.
std::string thousands(std::uint64_t n) {
    const std::string digits = std::to_string(n);
    std::string grouped;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
        grouped += digits[i];
    }
    return grouped;
}

std::string deleted_key(std::string_view id) {
    return std::string(schema::kDeletedKeyPrefix) + hex64(hash_bytes(id));
}

std::unordered_set<std::string> deleted_ids(const Xapian::Database& db) {
    std::unordered_set<std::string> ids;
    const std::string prefix(schema::kDeletedKeyPrefix);
    for (auto it = db.metadata_keys_begin(prefix); it != db.metadata_keys_end(prefix); ++it) {
        const std::string value = db.get_metadata(*it);
        ids.insert(value.substr(0, value.find(schema::kListSeparator)));
    }
    return ids;
}

}  // namespace indexing

using indexing::deleted_ids;
using indexing::deleted_key;

IndexStats database_stats(const fs::path& dir) {
    require_database(dir);
    IndexStats stats;
    try {
        const bool sharded = ShardSet::is_sharded(dir);
        Xapian::Database db;
        if (sharded) {
            const Xapian::Database state((dir / "state").string());
            stats.shard_by = state.get_metadata("sosik.shard_by");
            stats.deleted = deleted_ids(state).size();
            for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
                if (entry.path().filename() != "state" && is_plain_database(entry.path())) {
                    db.add_database(Xapian::Database(entry.path().string()));
                    ++stats.shards;
                }
            }
        } else {
            db = Xapian::Database(dir.string());
            stats.deleted = deleted_ids(db).size();
        }
        stats.articles = db.get_doccount();
        for (auto it = db.synonym_keys_begin(); it != db.synonym_keys_end(); ++it) ++stats.synonym_keys;
        stats.schema_version = db.get_metadata(std::string(schema::kSchemaVersionKey));
        stats.analyzer_version = db.get_metadata(std::string(schema::kAnalyzerVersionKey));
        stats.current_versions = (stats.schema_version.empty() && stats.articles == 0) ||
                                 (stats.schema_version == schema::kSchemaVersion &&
                                  stats.analyzer_version == kAnalyzerVersion);
        stats.last_commit = db.get_metadata(std::string(schema::kLastUpdateKey));

        // Boolean terms answer from the term dictionary alone: every dated
        // article has one D<day> and one Y<year> term.
        const std::string day_prefix(schema::kDayPrefix), year_prefix(schema::kYearPrefix);
        for (auto it = db.allterms_begin(day_prefix); it != db.allterms_end(day_prefix); ++it) {
            const std::string day = day_of(*it);
            if (day.empty()) continue;
            if (stats.first_date.empty()) stats.first_date = day;
            stats.last_date = day;
        }
        std::size_t dated = 0;
        for (auto it = db.allterms_begin(year_prefix); it != db.allterms_end(year_prefix); ++it) dated += it.get_termfreq();
        stats.undated = stats.articles > dated ? stats.articles - dated : 0;
        const std::string category_prefix(schema::kCategoryPrefix);
        for (auto it = db.allterms_begin(category_prefix); it != db.allterms_end(category_prefix); ++it)
            stats.categories.emplace_back((*it).substr(category_prefix.size()), it.get_termfreq());
        std::stable_sort(stats.categories.begin(), stats.categories.end(),
                         [](const auto& a, const auto& b) { return a.second > b.second; });
    } catch (const Xapian::Error& error) {
        throw IndexError(dir.string() + ": " + error.get_description());
    }
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file(ec)) stats.bytes_on_disk += it->file_size(ec);
    }
    return stats;
}

std::string format_stats(const IndexStats& s) {
    constexpr std::size_t kCategoriesShown = 10;
    std::string out = "articles: " + thousands(s.articles);
    if (s.undated) out += " (" + thousands(s.undated) + " undated)";
    out += "\ndates: " + (s.first_date.empty() ? std::string("none") : s.first_date + " to " + s.last_date);
    out += "\ncategories: " + thousands(s.categories.size());
    for (std::size_t i = 0; i < s.categories.size() && i < kCategoriesShown; ++i)
        out += (i == 0 ? " (" : ", ") + s.categories[i].first + " " + thousands(s.categories[i].second);
    if (!s.categories.empty()) out += s.categories.size() > kCategoriesShown ? ", …)" : ")";
    char size[64];
    std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(s.bytes_on_disk) / 1e6);
    out += "\nsize on disk: " + std::string(size) + " (" + thousands(s.bytes_on_disk) + " bytes)";
    out += "\nschema version: " + (s.schema_version.empty() ? std::string("none") : s.schema_version) +
           ", analyzer " + (s.analyzer_version.empty() ? std::string("none") : s.analyzer_version);
    if (!s.current_versions)
        out += " (this sosik-index writes schema " + std::string(schema::kSchemaVersion) + ", analyzer " +
               std::string(kAnalyzerVersion) + ": rebuild it)";
    out += "\nlast commit: " + (s.last_commit.empty() ? std::string("none") : s.last_commit);
    out += "\nshards: " + (s.shard_by.empty() ? std::string("none (one database)")
                                              : thousands(s.shards) + " (by " + s.shard_by + ")");
    out += "\nsynonyms: " + thousands(s.synonym_keys) + (s.synonym_keys == 1 ? " word" : " words") +
           " in groups (--synonyms)";
    out += "\ndeleted: " + thousands(s.deleted) + (s.deleted ? " ids kept out (--undelete ID brings one back)" : "");
    return out + "\n";
}

namespace {

// Applies `change` to each id in one transaction, as the one writer, and
// stamps the commit when anything changed (readers reopen at it).
template <typename Change>
TakedownSummary change_each(const fs::path& dir, const std::vector<std::string>& ids, Change change) {
    TakedownSummary summary;
    try {
        Writer writer(dir);
        Xapian::WritableDatabase& db = writer.db();
        db.begin_transaction();
        for (const std::string& id : ids) change(db, id, summary);
        if (!summary.changed.empty()) writer.stamp();
        db.commit_transaction();
    } catch (const Xapian::Error& error) {
        throw IndexError(dir.string() + ": " + error.get_description());
    }
    return summary;
}

}  // namespace

TakedownSummary delete_articles(const fs::path& dir, const std::vector<std::string>& ids) {
    return change_each(dir, ids, [](Xapian::WritableDatabase& db, const std::string& id, TakedownSummary& summary) {
        const std::string key = deleted_key(id);
        const std::string id_term = std::string(schema::kIdPrefix) + id;
        auto posting = db.postlist_begin(id_term);
        if (posting == db.postlist_end(id_term)) {
            (db.get_metadata(key).empty() ? summary.unknown : summary.unchanged).push_back(id);
            return;
        }
        const Xapian::docid doc = *posting;
        const std::string source_key = db.get_document(doc).get_value(schema::kSourceSlot);
        db.delete_document(doc);
        db.set_metadata(key, id + schema::kListSeparator + source_key);
        // The file stays "unchanged" for the next run, one article fewer.
        const std::string state_key = state_key_of(source_key);
        if (std::optional<FileState> state = FileState::decode(db.get_metadata(state_key));
            state && state->articles > 0) {
            --state->articles;
            db.set_metadata(state_key, state->encode());
        }
        summary.changed.push_back(id);
    });
}

TakedownSummary undelete_articles(const fs::path& dir, const std::vector<std::string>& ids) {
    return change_each(dir, ids, [](Xapian::WritableDatabase& db, const std::string& id, TakedownSummary& summary) {
        const std::string key = deleted_key(id);
        const std::string value = db.get_metadata(key);
        const std::size_t separator = value.find(schema::kListSeparator);
        if (value.empty() || value.substr(0, separator) != id) {
            summary.unchanged.push_back(id);
            return;
        }
        db.set_metadata(key, "");
        // Read the file again next run, whatever its size and mtime say.
        if (separator != std::string::npos) db.set_metadata(state_key_of(value.substr(separator + 1)), "");
        summary.changed.push_back(id);
    });
}

}  // namespace sosik
