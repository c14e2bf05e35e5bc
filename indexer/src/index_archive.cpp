#include <sosik/indexer.h>

#include <sosik/xapian_database.h>
#include "index_pipeline.h"
#include "part_writers.h"
#include "readable.h"
#include "shards.h"
#include "synonyms.h"
#include "takedowns.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/sources.h>

#include <xapian.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace sosik {

namespace {

using namespace indexing;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Documents Xapian buffers before it flushes them into its tables (inside our
// larger commit batches). Measured on 15,000 Chosun articles: 300 costs ~5%
// less writer CPU than 1000 and ~25% less than Xapian's default of 10000, and
// holds peak RSS near 170 MB (1000: 260 MB).
constexpr const char* kFlushThreshold = "300";
constexpr std::chrono::milliseconds kProgressInterval{50};
// Writers of a first build when IndexOptions::writers is 0: one per job, up to
// this many (each part adds to the final merge).
constexpr unsigned kMaxAutoWriters = 4;

// Folders of a Jekyll site (or a checkout) that hold templates, generated
// output or tooling, never articles: why one is skipped, or nullptr.
const char* skipped_directory_reason(const fs::path& dir) {
    const std::string name = dir.filename().string();
    if (name.empty()) return nullptr;
    if (name[0] == '.') return "skipped: hidden folder";
    if (name == "_site") return "skipped: Jekyll's generated site";
    if (name == "_drafts") return "skipped: Jekyll drafts (not published)";
    static const std::unordered_set<std::string> jekyll = {"_layouts", "_includes", "_sass", "_data", "_plugins"};
    if (jekyll.contains(name)) return "skipped: Jekyll templates and data, not posts";
    if (name == "node_modules" || name == "vendor") return "skipped: tooling folder";
    return nullptr;
}

constexpr const char* kUnsupportedType =
    "skipped: not a file type sosik-index reads (.md .markdown .html .htm .jsonl .jsonl.gz .ndjson)";

std::uint64_t versions_seed() {
    std::string versions(kAnalyzerVersion);
    versions += '\x1f';
    versions += schema::kSchemaVersion;
    return hash_bytes(versions);
}

// Whether `dir` holds files Xapian or a Sosik shard set wrote: a database's
// version file, a shard set's stub, or its state database (a crash can come
// between creating state/ and writing the stub).
bool holds_sosik_database(const fs::path& dir) {
    std::error_code ec;
    for (const char* marker : {"iamglass", "iamchert", "iamhoney", "XAPIANDB", "state/iamglass"})
        if (fs::exists(dir / marker, ec)) return true;
    return false;
}

// --db must be new, empty or a Sosik database: Xapian would otherwise write
// its tables among a user's files (and a parallel first build's merge
// replaces the whole folder).
void refuse_foreign_folder(const fs::path& database) {
    std::error_code ec;
    if (!fs::is_directory(database, ec)) return;  // missing (created), or a file Xapian will refuse itself
    fs::directory_iterator it(database, ec);
    if (ec) throw IndexError(database.string() + ": cannot read the folder: " + ec.message());
    if (it == fs::directory_iterator() || holds_sosik_database(database)) return;
    throw IndexError(database.string() + " is not empty and holds no Sosik database (it has " +
                     it->path().filename().string() +
                     "): refusing to write into it; give --db a new or empty folder");
}

// ---- the writer (the calling thread) -----------------------------------------------

class ArchiveIndexer {
public:
    ArchiveIndexer(const IndexOptions& options, const IndexCallbacks& callbacks)
        : options_(options), callbacks_(callbacks) {
        // Read by Xapian when the database is opened; the user's setting wins.
        setenv("XAPIAN_FLUSH_THRESHOLD", kFlushThreshold, 0);
        refuse_foreign_folder(options.database);
        if (!options.shard_by.empty() || ShardSet::is_sharded(options.database)) {
            const ShardScheme requested =
                options.shard_by.empty() ? ShardScheme{} : ShardScheme::parse(options.shard_by);
            shards_.emplace(options.database, requested);
            database_ = shards_->combined();
            initial_layout_ = shards_->combined().size();
        } else {
            // Created here: the merge of a parallel first build replaces the
            // folder, so it must hold nothing but what Xapian writes in it.
            std::error_code ec;
            created_ = !fs::exists(options.database, ec) || fs::is_empty(options.database, ec);
            database_ = open_for_writing(options.database);
            // Parts of a first build that a crash left behind (we hold the lock now).
            fs::remove_all(PartWriters::work_folder(options.database), ec);
        }
        fresh_ = database_.get_doccount() == 0;
        deleted_ = deleted_ids(database_);
    }

    IndexSummary run() {
        started_ = Clock::now();
        roots_ = resolve_inputs();
        plan();
        summary_.details.plan_seconds = seconds_since(started_);

        unsigned jobs = options_.jobs ? options_.jobs : std::max(1u, std::thread::hardware_concurrency());
        summary_.details.jobs = jobs;
        const bool reading = std::any_of(files_.begin(), files_.end(),
                                         [](const SourceFile& f) { return f.plan == SourceFile::Plan::read; });
        // Several writers only for a database this run created: no reader can
        // have it open, and no earlier commit is there to keep going from.
        const unsigned writers = options_.writers ? options_.writers : std::clamp(jobs, 1u, kMaxAutoWriters);
        if (created_ && fresh_ && reading && writers > 1) {
            parts_.emplace(options_.database, writers);
            // File states go with the documents: into a metadata part merged with
            // them. The target stays empty until the merge, so a crash at any
            // moment (the merge included) leaves nothing recorded without its
            // articles; its handle only holds the lock.
            target_lock_ = database_;
            database_ = open_for_writing(parts_->metadata_part());
        }
        summary_.details.writers = parts_ ? writers : 1;
        begin_batch();
        if (reading) {
            ParsePipeline pipeline(files_, jobs, options_.stop);
            try {
                while (std::optional<ResultUnit> result = pipeline.next_result()) {
                    apply(*result);
                    pipeline.recycle(std::move(*result));
                }
            } catch (...) {
                pipeline.abort();
                throw;  // uncommitted work is lost; the database stays at its last commit
            }
            pipeline.finish();  // throws if a reader or worker thread failed: nothing more is committed
            summary_.details.read_seconds = pipeline.reader_seconds();
            summary_.interrupted = pipeline.interrupted();
        }
        summary_.interrupted = summary_.interrupted || stop_requested();

        const double finishing = thread_cpu_seconds();
        if (!summary_.interrupted) {
            for (const InputRoot& root : roots_) remove_vanished(root);
        }
        if (options_.synonyms) store_synonyms(*options_.synonyms);
        if (changed_) {
            const std::string now = now_iso8601_utc();
            database_.set_metadata(std::string(schema::kLastUpdateKey), now);
            if (shards_) shards_->set_metadata_everywhere(std::string(schema::kLastUpdateKey), now);
        }
        end_batch();
        summary_.details.write_seconds += thread_cpu_seconds() - finishing;
        if (parts_) {
            database_.close();
            target_lock_.close();  // never committed; the merge replaces the folder
            summary_.details.write_seconds += parts_->merge_into(options_.database, summary_.details.merge_seconds);
        }
        summary_.seconds = seconds_since(started_);
        report_progress(true);
        return summary_;
    }

private:
    bool stop_requested() const { return options_.stop && options_.stop->load(std::memory_order_relaxed); }

    std::vector<InputRoot> resolve_inputs() const {
        if (options_.inputs.empty()) throw InvalidInput("nothing to index: give at least one folder or file");
        std::vector<InputRoot> roots;
        for (const fs::path& input : options_.inputs) {
            std::error_code ec;
            const fs::file_status status = fs::status(input, ec);
            if (ec || !fs::exists(status)) throw InvalidInput(input.string() + ": no such file or folder");
            InputRoot root;
            root.given = input;
            root.canonical = fs::weakly_canonical(input, ec);
            if (ec) root.canonical = fs::absolute(input);
            root.is_directory = fs::is_directory(status);
            root.root_term = std::string(schema::kRootPrefix) + hex64(hash_bytes(root.canonical.string()));
            roots.push_back(std::move(root));
        }
        return roots;
    }

    std::vector<fs::path> archive_files(const InputRoot& root) const {
        std::vector<fs::path> files;
        if (!root.is_directory) {
            if (source_kind(root.given) == SourceKind::unsupported) skip(root.given.string(), kUnsupportedType, true);
            else files.push_back(root.given);
            return files;
        }
        std::error_code ec;
        // Symlinked folders are not followed: that is how a symlink loop cannot hang us.
        fs::recursive_directory_iterator it(root.given, fs::directory_options::skip_permission_denied, ec);
        if (ec) throw InvalidInput(root.given.string() + ": cannot read folder: " + ec.message());
        for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
            if (ec) break;
            const fs::directory_entry& entry = *it;
            if (entry.is_directory(ec)) {
                if (const char* reason = skipped_directory_reason(entry.path())) {
                    it.disable_recursion_pending();
                    skip(entry.path().string(), reason, false);
                }
                continue;
            }
            if (source_kind(entry.path()) != SourceKind::unsupported) files.push_back(entry.path());
            else skip(entry.path().string(), kUnsupportedType, false);
        }
        if (files.empty()) skip(root.given.string(), "nothing to index: no file sosik-index reads in it", true);
        // Deterministic order: the same archive indexes the same way every time.
        std::sort(files.begin(), files.end());
        return files;
    }

    // The Jekyll site around a folder, looked up once per folder (find_jekyll_site
    // reads _config.yml; a 50,000-post archive must not read it 50,000 times).
    const SiteInfo* site_for(const fs::path& file) {
        const fs::path folder = file.parent_path();
        auto found = sites_.find(folder.string());
        if (found != sites_.end()) return found->second.get();
        auto info = std::make_unique<SiteInfo>();
        info->site = find_jekyll_site(file);
        if (!info->site.root.empty()) {
            std::error_code ec;
            info->canonical_root = fs::weakly_canonical(info->site.root, ec);
            std::string config = info->site.root.string();
            try {
                config += '\0';
                config += read_file_bytes(info->site.root / "_config.yml");
            } catch (const Error&) {
            }
            info->fingerprint = hash_bytes(config) | 1;  // never 0, which means "no site"
            info->name_from_config = site_name_from_config(info->site);
        }
        const SiteInfo* site = info.get();
        sites_.emplace(folder.string(), std::move(info));
        return site;
    }

    // IndexOptions::site for one file: the run's name, or its Jekyll site's own.
    std::string site_name_for(const SourceFile& file) const {
        if (options_.site != kSiteFromConfig) return options_.site;
        return file.site && !file.site->site.root.empty() ? file.site->name_from_config : std::string();
    }

    // Which files need reading: size + mtime (+ site config) as recorded → unchanged.
    void plan() {
        const std::uint64_t versions = versions_seed();
        for (const InputRoot& root : roots_) {
            for (const fs::path& path : archive_files(root)) {
                SourceFile file;
                file.path = path;
                file.root = &root;
                file.kind = source_kind(path);
                const fs::path relative = root.is_directory ? path.lexically_relative(root.given) : path.filename();
                file.source_key = root.root_term + ":" + relative.generic_string();
                file.key_hash = hex64(hash_bytes(file.source_key));
                file.state_key = std::string(schema::kFileStateKeyPrefix) + root.root_term + ":" + file.key_hash;
                file.source_term = std::string(schema::kSourcePrefix) + file.key_hash;
                file.stamp = stamp_of(path);
                if (file.kind != SourceKind::jsonl) file.site = site_for(path);
                file.site_name = site_name_for(file);
                std::uint64_t site = file.site ? file.site->fingerprint : 0;
                // The name is in ids and terms: another one re-reads the file. None: as before.
                if (!file.site_name.empty()) site = hash_bytes(file.site_name, site) | 1;
                file.site_stamp = site;
                std::string seed = file.source_key;
                seed += '\x1f';
                seed += hex64(site);
                file.fingerprint_seed = hash_bytes(seed, versions);
                if (!fresh_) {
                    if (std::string value = database_.get_metadata(file.state_key); !value.empty())
                        file.recorded = FileState::decode(value);
                }
                const FileState* recorded = file.recorded ? &*file.recorded : nullptr;
                if (recorded && file.stamp.ok && recorded->site == site && recorded->size == file.stamp.size) {
                    if (recorded->mtime_ns == file.stamp.mtime_ns) {
                        file.plan = SourceFile::Plan::unchanged;
                    } else {
                        file.check_hash = true;  // same size, touched: compare the content before parsing
                    }
                }
                if (file.plan == SourceFile::Plan::unchanged) {
                    if (recorded->skipped != SkipReason::none)
                        skip(path.string(), std::string(describe(recorded->skipped)) + " (unchanged since then)",
                             !root.is_directory);
                    summary_.unchanged += recorded->articles;
                    ++summary_.details.files_unchanged;
                    ++files_done_;
                } else {
                    bytes_total_ += file.stamp.size;
                }
                source_terms_.insert(file.source_term);
                files_.push_back(std::move(file));
            }
        }
        summary_.details.files = files_.size();
        for (std::size_t i = 0; i < files_.size(); ++i) file_index_.emplace(files_[i].source_key, i);
        if (!fresh_) {
            for (SourceFile& file : files_) {
                if (file.plan == SourceFile::Plan::read && file.kind == SourceKind::jsonl) load_known_lines(file);
            }
        }
    }

    // A changed JSONL export usually differs in a few lines: the others are
    // recognized by fingerprint and never parsed.
    void load_known_lines(SourceFile& file) {
        for (auto it = database_.postlist_begin(file.source_term); it != database_.postlist_end(file.source_term);
             ++it) {
            const std::string value = database_.get_document(*it).get_value(schema::kContentHashSlot);
            std::uint64_t fingerprint = 0;
            if (std::from_chars(value.data(), value.data() + value.size(), fingerprint, 16).ec == std::errc())
                file.known_lines.emplace(fingerprint, *it);
        }
    }

    void begin_batch() {
        database_.begin_transaction();
        in_batch_ = true;
        pending_ = 0;
    }

    void end_batch() {
        if (!in_batch_) return;
        const double started = thread_cpu_seconds();
        database_.commit_transaction();
        in_batch_ = false;
        summary_.details.commit_seconds += thread_cpu_seconds() - started;
        ++summary_.details.commits;
    }

    void counted_change() {
        changed_ = true;
        if (parts_) return;  // the build commits once, when the parts are merged
        if (++pending_ >= options_.commit_every) {
            end_batch();
            begin_batch();
        }
    }

    void skip(const std::string& where, const std::string& reason, bool given) const {
        if (callbacks_.on_skip) callbacks_.on_skip(where, reason, given);
    }

    void fail(const std::string& where, const std::string& reason) {
        ++summary_.failed;
        if (callbacks_.on_failure) callbacks_.on_failure(where, reason);
    }

    // Per file of this run, while it is being applied.
    struct FileProgress {
        std::size_t articles = 0;
        bool read_failure = false;  // some part could not be read: keep its old articles
        bool clean = true;          // no failure at all: its state may be recorded
        SkipReason skipped = SkipReason::none;  // read, and why it holds no article
    };

    void apply(ResultUnit& result) {
        const double started = thread_cpu_seconds();
        const WorkUnit& unit = result.unit;
        SourceFile& file = files_[unit.file];
        FileProgress& progress = file_progress_[unit.file];
        auto& details = summary_.details;
        details.parse_seconds += result.parse_seconds;
        details.analyze_seconds += result.build_times.analyze;
        details.build_seconds += result.build_times.build;
        details.postings += result.build_times.postings;
        details.source_bytes += result.source_bytes;
        source_bytes_done_ += result.source_bytes;
        details.articles_parsed += result.parsed;

        for (ResultItem& item : result.items) {
            switch (item.kind) {
            case ResultItem::Kind::failure:
                fail(item.where, item.reason);
                progress.clean = false;
                progress.read_failure |= item.read_failure;
                break;
            case ResultItem::Kind::not_article:
                progress.skipped = item.skipped;
                skip(item.where, describe(item.skipped), !file.root->is_directory);
                break;
            case ResultItem::Kind::note:
                if (callbacks_.on_note) callbacks_.on_note(item.where, item.reason);
                break;
            case ResultItem::Kind::same_content:
                ++details.lines_same_content;
                if (!seen_docs_.insert(current_docid(item.known_doc)).second) {
                    fail(file.path.string() + ":" + std::to_string(item.line),
                         "duplicate id (same article as an earlier line): skipped");
                    progress.clean = false;
                } else {
                    ++summary_.unchanged;
                    ++progress.articles;
                }
                break;
            case ResultItem::Kind::article:
                // Taken down with --delete: the archive may hold it, the index does not.
                if (!deleted_.empty() && deleted_.contains(item.id)) ++details.articles_kept_out;
                else if (add_article(item, unit.file)) ++progress.articles;
                else progress.clean = false;
                break;
            }
        }
        if (unit.last_of_file) finish_file(unit, result, file, progress);
        bytes_done_ += unit.bytes_done - file_bytes_done_[unit.file];
        file_bytes_done_[unit.file] = unit.bytes_done;
        details.write_seconds += thread_cpu_seconds() - started;
        report_progress(false);
    }

    // Applies one article in input order; false when it was a duplicate.
    bool add_article(ResultItem& item, std::size_t file_index) {
        const SourceFile& file = files_[file_index];
        const std::string id_term = std::string(schema::kIdPrefix) + item.id;
        if (fresh_) {
            // The database was empty: no lookups, only this run's ids can collide.
            auto [first, inserted] = fresh_ids_.emplace(hash_bytes(item.id), file_index);
            if (!inserted) {
                duplicate(item, first->second);
                return false;
            }
            add_new(item);
            ++summary_.indexed;
            counted_change();
            return true;
        }
        Xapian::docid existing = 0;
        if (auto posting = database_.postlist_begin(id_term); posting != database_.postlist_end(id_term))
            existing = *posting;
        if (existing == 0) {
            seen_docs_.insert(add_new(item));
            ++summary_.indexed;
            counted_change();
            return true;
        }
        const Xapian::Document old = database_.get_document(existing);
        const std::string old_source = old.get_value(schema::kSourceSlot);
        if (seen_docs_.contains(existing)) {
            // Written or kept earlier in this run: the first one in input order wins.
            auto owner = file_index_.find(old_source);
            duplicate(item, owner == file_index_.end() ? file_index : owner->second);
            return false;
        }
        if (old_source != file.source_key) {
            if (auto owner = file_index_.find(old_source); owner != file_index_.end()) {
                const SourceFile& other = files_[owner->second];
                const bool other_not_parsed =
                    other.plan == SourceFile::Plan::unchanged || same_content_files_.contains(owner->second);
                if (owner->second < file_index && other_not_parsed) {
                    // The other file comes first, still holds this id and was not parsed this run.
                    duplicate(item, owner->second);
                    return false;
                }
                if (owner->second > file_index) {
                    // This file comes first and wins. The other one must be parsed
                    // again next run, to report its copy as a duplicate.
                    displaced_files_.insert(owner->second);
                    if (other.plan == SourceFile::Plan::unchanged) database_.set_metadata(other.state_key, "");
                }
            }
        } else if (old.get_value(schema::kContentHashSlot) == item.fingerprint) {
            seen_docs_.insert(existing);
            ++summary_.unchanged;
            return true;
        }
        seen_docs_.insert(replace_existing(existing, item));
        ++summary_.updated;
        counted_change();
        return true;
    }

    // ---- where documents go: one database, or the shard each article routes to ----

    Xapian::docid add_new(ResultItem& item) {
        if (parts_) {
            // Moved, not copied: a Xapian::Document's reference count is not
            // atomic, and the item is freed on a worker thread while the part
            // writer's thread holds the document.
            parts_->add(std::move(item.doc));
            return 0;  // a fresh build looks no docid up
        }
        if (!shards_) return database_.add_document(item.doc);
        const std::string shard = shards_->shard_for(item.id, item.doc);
        if (!shards_->has_shard(shard)) open_shard(shard);
        const Xapian::docid doc = shards_->next_docid(shard);
        database_.replace_document(doc, item.doc);
        return doc;
    }

    // An article whose date (or id hash) now routes it elsewhere moves there:
    // its Q<id> is unique over all shards, so deleting it here leaves one copy.
    Xapian::docid replace_existing(Xapian::docid existing, ResultItem& item) {
        if (shards_ && !shards_->holds(shards_->shard_for(item.id, item.doc), existing)) {
            database_.delete_document(existing);
            seen_docs_.erase(existing);
            return add_new(item);
        }
        database_.replace_document(existing, item.doc);
        return existing;
    }

    // A new shard changes how Xapian interleaves docids over the shards:
    // commit, reopen the set, and carry the docids this run holds over.
    void open_shard(const std::string& name) {
        end_batch();
        const auto moved = shards_->add_shard(name);
        database_ = shards_->combined();
        std::unordered_set<Xapian::docid> seen;
        seen.reserve(seen_docs_.size());
        for (Xapian::docid doc : seen_docs_) seen.insert(moved(doc));
        seen_docs_ = std::move(seen);
        begin_batch();
    }

    // Docids the parse workers read from SourceFile::known_lines were taken
    // in the layout the run started with.
    Xapian::docid current_docid(Xapian::docid doc) const {
        if (!shards_) return doc;
        const std::uint64_t count = database_.size();
        const std::uint64_t shard = (doc - 1) % initial_layout_, local = (doc - 1) / initial_layout_ + 1;
        return static_cast<Xapian::docid>((local - 1) * count + shard + 1);
    }

    void duplicate(const ResultItem& item, std::size_t first_file) {
        fail(item.where, "duplicate id '" + item.id + "' (first in " + files_[first_file].path.string() + "): skipped");
    }

    void finish_file(const WorkUnit& unit, const ResultUnit& result, SourceFile& file, const FileProgress& progress) {
        ++files_done_;
        auto& details = summary_.details;
        const bool same_content = unit.same_content || result.same_content;
        if (same_content) {
            // Touched, not changed: remember the new mtime so the next run skips it on stat alone.
            ++details.files_same_content;
            same_content_files_.insert(unit.file);
            if (file.recorded->skipped != SkipReason::none)
                skip(file.path.string(), std::string(describe(file.recorded->skipped)) + " (same content as then)",
                     !file.root->is_directory);
            summary_.unchanged += file.recorded->articles;
            FileState state = *file.recorded;
            state.mtime_ns = file.stamp.mtime_ns;
            database_.set_metadata(file.state_key, displaced_files_.contains(unit.file) ? "" : state.encode());
            changed_ = true;
            return;
        }
        ++details.files_read;
        if (!progress.read_failure && !fresh_) {
            // Articles this file held before and no longer has.
            std::vector<Xapian::docid> gone;
            for (auto it = database_.postlist_begin(file.source_term); it != database_.postlist_end(file.source_term);
                 ++it) {
                if (!seen_docs_.contains(*it)) gone.push_back(*it);
            }
            for (Xapian::docid doc : gone) {
                database_.delete_document(doc);
                ++summary_.removed;
                counted_change();
            }
        }
        if (progress.clean) {
            FileState state;
            state.size = file.stamp.size;
            state.mtime_ns = file.stamp.mtime_ns;
            state.content_hash = file.kind == SourceKind::jsonl ? unit.content_hash : result.content_hash;
            state.site = file.site_stamp;
            state.articles = progress.articles;
            if (progress.articles == 0) state.skipped = progress.skipped;
            database_.set_metadata(file.state_key, state.encode());
        } else if (file.recorded) {
            database_.set_metadata(file.state_key, "");  // read it again next run
        }
        changed_ = true;
    }

    // In each shard, so that any of them searched alone or with others expands
    // queries (Xapian 1.4's remote protocol carries no synonyms: a set of
    // remote shards only expands through a local one);
    // in a first build with several writers, into the part merged with them.
    void store_synonyms(const SynonymGroups& groups) {
        const auto table = synonym_table(groups);
        if (!shards_) {
            changed_ |= replace_synonyms(database_, table);
            return;
        }
        for (Xapian::WritableDatabase& shard : shards_->shard_databases()) changed_ |= replace_synonyms(shard, table);
    }

    // Articles of this root whose file is no longer among the inputs.
    void remove_vanished(const InputRoot& root) {
        const std::string state_prefix = std::string(schema::kFileStateKeyPrefix) + root.root_term + ":";
        std::vector<std::string> stale_states;
        for (auto it = database_.metadata_keys_begin(state_prefix); it != database_.metadata_keys_end(state_prefix);
             ++it) {
            const std::string key = *it;
            if (!source_terms_.contains(std::string(schema::kSourcePrefix) + key.substr(state_prefix.size())))
                stale_states.push_back(key);
        }
        for (const std::string& key : stale_states) database_.set_metadata(key, "");
        summary_.details.files_vanished += stale_states.size();
        if (!stale_states.empty()) changed_ = true;

        // Every source term of the database, not only those with a state: a file
        // whose indexing was interrupted has documents but no state yet.
        const std::string source_prefix(schema::kSourcePrefix);
        std::vector<std::string> vanished_terms;
        for (auto it = database_.allterms_begin(source_prefix); it != database_.allterms_end(source_prefix); ++it) {
            if (source_terms_.contains(*it)) continue;
            auto posting = database_.postlist_begin(*it);
            if (posting == database_.postlist_end(*it)) continue;
            const std::string source = database_.get_document(*posting).get_value(schema::kSourceSlot);
            if (source.starts_with(root.root_term + ":")) vanished_terms.push_back(*it);
        }
        for (const std::string& term : vanished_terms) {
            std::vector<Xapian::docid> gone;
            for (auto it = database_.postlist_begin(term); it != database_.postlist_end(term); ++it) {
                if (!seen_docs_.contains(*it)) gone.push_back(*it);
            }
            for (Xapian::docid doc : gone) {
                database_.delete_document(doc);
                ++summary_.removed;
                counted_change();
            }
        }
    }

    void report_progress(bool final) {
        if (!callbacks_.on_progress) return;
        const Clock::time_point now = Clock::now();
        if (!final && now - last_progress_ < kProgressInterval) return;
        last_progress_ = now;
        IndexProgress progress;
        progress.files_total = files_.size();
        progress.files_done = files_done_;
        progress.articles_done =
            summary_.indexed + summary_.updated + summary_.unchanged + summary_.failed;
        progress.bytes_total = bytes_total_;
        progress.bytes_done = bytes_done_;
        progress.source_bytes_done = source_bytes_done_;
        progress.seconds = seconds_since(started_);
        callbacks_.on_progress(progress);
    }

    const IndexOptions& options_;
    const IndexCallbacks& callbacks_;
    Xapian::WritableDatabase database_;   // one database, or ShardSet::combined()
    std::optional<ShardSet> shards_;      // --shard-by
    std::uint64_t initial_layout_ = 1;    // databases in the combined set when the run started
    bool fresh_ = false;  // the database had no documents when the run started
    bool created_ = false;  // this run created the (unsharded) database
    std::optional<PartWriters> parts_;  // several writers for a created database
    Xapian::WritableDatabase target_lock_;  // with parts_: the target, held open for its lock
    Clock::time_point started_;
    std::vector<InputRoot> roots_;
    std::vector<SourceFile> files_;
    std::unordered_map<std::string, std::unique_ptr<SiteInfo>> sites_;
    std::unordered_map<std::string, std::size_t> file_index_;  // source key → index in files_
    std::unordered_set<std::string> source_terms_;             // XF terms of this run's files
    std::unordered_map<std::size_t, FileProgress> file_progress_;
    std::unordered_map<std::size_t, std::uint64_t> file_bytes_done_;
    std::unordered_set<Xapian::docid> seen_docs_;  // documents written or kept by this run (not in a fresh build)
    std::unordered_set<std::size_t> same_content_files_;  // touched files whose content hash matched
    std::unordered_set<std::size_t> displaced_files_;     // files that lost an id to a file before them
    std::unordered_map<std::uint64_t, std::size_t> fresh_ids_;  // fresh build: hash of id → file
    std::unordered_set<std::string> deleted_;  // ids taken down with --delete
    IndexSummary summary_;
    bool in_batch_ = false;
    bool changed_ = false;
    std::size_t pending_ = 0;
    std::size_t files_done_ = 0;
    std::uint64_t bytes_total_ = 0, bytes_done_ = 0, source_bytes_done_ = 0;
    Clock::time_point last_progress_{};
};

}  // namespace

namespace {

// Xapian says "Error writing block 3321 (No space left on device)"; our own
// file operations say it through std::error_code messages.
bool says_disk_full(const std::string& message) {
    return message.find(std::strerror(ENOSPC)) != std::string::npos ||
           message.find(std::strerror(EDQUOT)) != std::string::npos;
}

// Called once the writer is gone (its lock released). A database this run
// created and never committed an article to is removed: a first build that
// ran out of space leaves nothing to mistake for an index. Otherwise Xapian
// left the database at its last commit, which the message says in words.
[[noreturn]] void throw_disk_full(const fs::path& database, bool existed_before, bool was_empty) {
    std::error_code ec;
    std::optional<Xapian::doccount> committed;
    try {
        committed = Xapian::Database(database.string()).get_doccount();
    } catch (const Xapian::Error&) {
        // nothing committed there (or not openable): counted as none below
    }
    const std::string name = database.string();
    if (was_empty && committed.value_or(0) == 0) {
        if (!existed_before) {
            fs::remove_all(database, ec);
        } else {
            for (const fs::directory_entry& entry : fs::directory_iterator(database, ec)) fs::remove_all(entry, ec);
        }
        throw IndexError("disk full: nothing of the first build of " + name +
                         " was kept (it would be incomplete); free space and run again");
    }
    if (!committed)
        throw IndexError("disk full while writing " + name + "; free space and run again");
    throw IndexError("disk full: " + name + " is at its last commit (" + thousands(*committed) +
                     " articles); free space and run again");
}

}  // namespace

IndexSummary index_archive(const IndexOptions& options, const IndexCallbacks& callbacks) {
    // Checked before anything touches the database folder.
    if (options.jobs > kMaxJobs)
        throw InvalidInput("jobs: " + std::to_string(options.jobs) + " is more than " + std::to_string(kMaxJobs));
    if (options.writers > kMaxWriters)
        throw InvalidInput("writers: " + std::to_string(options.writers) + " is more than " +
                           std::to_string(kMaxWriters));
    if (options.commit_every == 0) throw InvalidInput("commit_every: must be at least 1");
    if (!options.site.empty())
        if (const std::string problem = site_name_problem(options.site); !problem.empty())
            throw InvalidInput("site: " + problem);
    std::error_code ec;
    const bool existed_before = fs::exists(options.database, ec);
    const bool was_empty = !existed_before || fs::is_empty(options.database, ec);
    try {
        ArchiveIndexer indexer(options, callbacks);
        return indexer.run();
    } catch (const Xapian::Error& error) {
        if (says_disk_full(error.get_description())) throw_disk_full(options.database, existed_before, was_empty);
        throw IndexError(options.database.string() + ": " + error.get_description());
    } catch (const IndexError& error) {
        if (says_disk_full(error.what())) throw_disk_full(options.database, existed_before, was_empty);
        throw;
    }
}

std::string site_name_problem(std::string_view name) {
    constexpr std::size_t kMaxSiteNameBytes = 100;
    if (name.empty()) return "a site needs a name";
    if (name.size() > kMaxSiteNameBytes)
        return "'" + std::string(name) + "' is longer than " + std::to_string(kMaxSiteNameBytes) + " bytes";
    for (const char c : name) {
        // The colon ends the name in an id (NAME:_posts/…); spaces would end it in a query (site:NAME).
        if (c == ':' || c == ' ' || (static_cast<unsigned char>(c) < 0x20) || c == 0x7f)
            return "'" + std::string(name) + "' has a space, a colon or a control character";
    }
    return {};
}

std::string site_name_from_config(const JekyllSite& site) {
    // "https://example.com:4000/x" → "example.com/x": no scheme, no port (a colon ends a name).
    const auto host_and_path = [](std::string url) {
        if (const std::size_t scheme = url.find("://"); scheme != std::string::npos) url.erase(0, scheme + 3);
        const std::size_t slash = std::min(url.find('/'), url.size());
        if (const std::size_t port = url.find(':'); port < slash) url.erase(port, slash - port);
        while (!url.empty() && url.back() == '/') url.pop_back();
        return url;
    };
    std::string name = host_and_path(site.url);
    const std::string base = site.baseurl.find("://") != std::string::npos ? host_and_path(site.baseurl) : site.baseurl;
    if (site.baseurl.find("://") != std::string::npos) name = base;
    else name += base;
    while (!name.empty() && name.front() == '/') name.erase(0, 1);
    if (name.empty()) name = site.root.filename().string();
    if (name.empty()) name = "site";
    for (char& c : name)
        if (c == ':' || c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '-';
    if (name.size() > 100) {
        std::size_t end = 100;
        while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;  // not inside a character
        name.resize(end);
    }
    return name;
}

std::string format_summary(const IndexSummary& s) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
    return "indexed " + std::to_string(s.indexed) + ", updated " + std::to_string(s.updated) + ", removed " +
           std::to_string(s.removed) + ", unchanged " + std::to_string(s.unchanged) + ", failed " +
           std::to_string(s.failed) + " in " + seconds + " s" + (s.interrupted ? ", interrupted" : "");
}

std::string format_details(const IndexSummary& s) {
    const auto& d = s.details;
    char buffer[1024];
    std::snprintf(buffer, sizeof buffer,
                  "files: %zu (read %zu, unchanged %zu by size+mtime, %zu by content hash, vanished %zu)\n"
                  "articles parsed: %zu (%.1f MB of source); JSONL lines skipped by fingerprint: %zu; "
                  "kept out (--delete): %zu\n"
                  "threads: %u workers + reader + %u writer%s; commits: %zu\n"
                  "time: plan %.2f s; CPU s: reader %.2f, parse %.2f, analyze %.2f, build %.2f, "
                  "write %.2f (of which commit %.2f, merge %.2f)\n"
                  "postings: %llu, %.0f per article; write CPU %.2f µs per posting\n",
                  d.files, d.files_read, d.files_unchanged, d.files_same_content, d.files_vanished, d.articles_parsed,
                  static_cast<double>(d.source_bytes) / 1e6, d.lines_same_content, d.articles_kept_out, d.jobs, d.writers,
                  d.writers == 1 ? "" : "s", d.commits, d.plan_seconds, d.read_seconds, d.parse_seconds,
                  d.analyze_seconds, d.build_seconds, d.write_seconds, d.commit_seconds, d.merge_seconds,
                  static_cast<unsigned long long>(d.postings),
                  d.articles_parsed ? static_cast<double>(d.postings) / static_cast<double>(d.articles_parsed) : 0.0,
                  d.postings ? d.write_seconds * 1e6 / static_cast<double>(d.postings) : 0.0);
    return buffer;
}

}  // namespace sosik
