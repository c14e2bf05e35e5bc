// Indexing an archive into a Xapian database: walk the inputs, read each file
// with the right source reader, analyze, and add/replace/remove documents so
// that the database mirrors the inputs. Re-running touches only what changed.
//
// Pipeline: the calling thread plans (walks the inputs, compares each file's
// size and mtime with what the database recorded) and is the one Xapian
// writer (in a first build it hands documents to several writer threads); a
// reader thread streams the files that need reading (JSONL in chunks of
// lines); `jobs` worker threads parse (front matter, md4c, Gumbo, JSON),
// analyze and build Xapian documents. Results are applied in input
// order, so a run is deterministic whatever the number of threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <sosik/sources.h>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sosik {

// Largest IndexOptions::jobs and ::writers accepted (InvalidInput above):
// more threads than that only cost memory and, for writers, file handles
// (each part is a Xapian database held open until the merge).
inline constexpr unsigned kMaxJobs = 256;
inline constexpr unsigned kMaxWriters = 32;

// Synonym groups, each member as analysed (schema::synonym_key): COVID-19 is
// "covid 19". Queries expand a word through the groups it belongs to.
using SynonymGroups = std::vector<std::vector<std::string>>;

// Reads a synonyms file: one group a line, members separated by commas
// (`코로나, 코로나19, COVID-19`), `#` starting a comment. Throws InvalidInput
// naming the file and line ("synonyms.txt:3: a group needs two words or more").
SynonymGroups read_synonyms(const std::filesystem::path& file);

struct IndexOptions {
    std::filesystem::path database = "sosik-db";
    // "month", "year" or "hash:N": one database per shard under `database`,
    // listed by a Xapian stub file there (see docs/scaling.md). Empty: as the
    // folder already is (sharded or not); a new folder holds one database.
    std::string shard_by;
    // Folders (walked recursively) and files: Jekyll posts (.md .markdown .html
    // with front matter), plain .html pages, .jsonl / .jsonl.gz exports.
    std::vector<std::filesystem::path> inputs;
    // Parse/analyze threads; 0 = one per core; at most kMaxJobs.
    unsigned jobs = 0;
    // Xapian writers when this run creates the database (a first build): each
    // writes a part in its own thread, and the parts are merged (compacted)
    // into the database at the end, so the build commits once. 0 = one per
    // job, at most 4; 1 = one writer committing every `commit_every`; at most kMaxWriters.
    // Runs on an existing database always have one writer.
    unsigned writers = 0;
    // Articles per commit (at least 1). A commit is atomic: a crash (kill -9, power loss)
    // loses at most the articles since the last one, and the next run redoes them
    // (a first build with several writers commits once, at its end).
    // Memory does not grow with it: Xapian flushes its buffers every
    // XAPIAN_FLUSH_THRESHOLD documents inside the batch (set to 300 unless
    // the environment says otherwise).
    std::size_t commit_every = 10000;
    // When it becomes true (a SIGINT/SIGTERM handler sets it), reading stops,
    // the articles already read are indexed and committed, and index_archive
    // returns with `interrupted` set. Files not finished are redone next run.
    const std::atomic<bool>* stop = nullptr;
    // A name for the site this run indexes, so that several sites share one
    // database (sosik-index --site): ids made from paths start with "NAME:"
    // (front-matter and JSON ids stay as they are), and every article carries
    // it for `site:NAME` filters. kSiteFromConfig: each Jekyll site's own
    // name (site_name_from_config). Empty: none (ids as before).
    std::string site;
    // Set: the database's synonym table becomes these groups (every shard's),
    // in the run's last commit; empty groups clear it. Unset: kept as it is.
    std::optional<SynonymGroups> synonyms;
};

// IndexOptions::site naming each Jekyll site by its _config.yml.
inline constexpr std::string_view kSiteFromConfig = "auto";

// Why `name` cannot name a site (empty, too long, spaces or control
// characters, a colon), or "" when it can.
std::string site_name_problem(std::string_view name);

// A Jekyll site's name from its _config.yml: the host of `url` and the path
// of `baseurl` (https://example.com + /blog → example.com/blog), else the
// name of the site's folder.
std::string site_name_from_config(const JekyllSite& site);

// Where a run stands; passed to IndexCallbacks::on_progress.
struct IndexProgress {
    std::size_t files_total = 0;   // files of this run, unchanged ones included
    std::size_t files_done = 0;
    std::size_t articles_done = 0;        // indexed + updated + unchanged + failed so far
    std::uint64_t bytes_total = 0;        // size on disk of the files that need reading
    std::uint64_t bytes_done = 0;         // of those, read and applied (compressed bytes for .gz)
    std::uint64_t source_bytes_done = 0;  // uncompressed source bytes parsed (for MB/s)
    double seconds = 0;
};

struct IndexSummary {
    std::size_t indexed = 0;    // new articles
    std::size_t updated = 0;    // articles whose content changed
    std::size_t removed = 0;    // articles whose file or line vanished from an indexed input
    std::size_t unchanged = 0;  // skipped: same content as indexed
    std::size_t failed = 0;     // files or lines that could not be read (reported one by one)
    double seconds = 0;
    bool interrupted = false;  // IndexOptions::stop ended the run early

    // What the run did and where its time went (sosik-index --verbose).
    struct Details {
        unsigned jobs = 0;
        std::size_t files = 0;                 // files of this run
        std::size_t files_read = 0;            // read (and parsed unless their content hash matched)
        std::size_t files_unchanged = 0;       // skipped on size + mtime, never opened
        std::size_t files_same_content = 0;    // mtime changed, content hash did not: not parsed
        std::size_t files_vanished = 0;        // indexed before, gone now
        std::size_t articles_parsed = 0;       // articles (JSONL lines, posts) parsed and analyzed
        std::size_t lines_same_content = 0;    // JSONL lines of changed files skipped by fingerprint
        std::size_t articles_kept_out = 0;     // parsed, but their id was taken down with --delete
        std::uint64_t source_bytes = 0;        // uncompressed source bytes parsed
        // Wall seconds of the walk and plan; then CPU seconds summed over
        // threads: the reader thread (file hashes, gunzip, lines), parsing
        // (front matter, md4c, Gumbo, JSON), analysis (ICU + Korean layers),
        // building Xapian documents, and the writer's Xapian calls (add,
        // replace, delete, metadata) and commits.
        double plan_seconds = 0, read_seconds = 0, parse_seconds = 0, analyze_seconds = 0, build_seconds = 0,
               write_seconds = 0, commit_seconds = 0;
        std::size_t commits = 0;
        unsigned writers = 1;        // Xapian writer threads (several only in a first build)
        double merge_seconds = 0;    // CPU of merging the writers' parts (part of write_seconds)
        // Postings of the articles parsed (each a distinct term of one
        // article): the Xapian writer's work grows with them, not with bytes.
        std::uint64_t postings = 0;
    } details;
};

struct IndexCallbacks {
    // One line per bad file or line: where, and why. Indexing goes on.
    std::function<void(const std::string& where, const std::string& reason)> on_failure;
    // One line per file or line read in a way its author should know about,
    // though it was indexed: converted from EUC-KR, or too long and cut.
    std::function<void(const std::string& where, const std::string& message)> on_note;
    // A file or folder left out on purpose, and why: not a type Sosik reads,
    // Markdown without front matter, `published: false`, a Jekyll or tooling
    // folder. `given` is true when it was itself one of IndexOptions::inputs
    // (the user asked for it by name, so a silent run would look like success).
    // Unchanged files skipped before are reported again, from the recorded reason.
    std::function<void(const std::string& where, const std::string& reason, bool given)> on_skip;
    // Optional progress, from the calling thread, at most every 50 ms.
    std::function<void(const IndexProgress& progress)> on_progress;
};

// Throws IndexError when the database cannot be opened for writing (locked,
// other schema) and InvalidInput when an input does not exist or an option is
// out of range.
IndexSummary index_archive(const IndexOptions& options, const IndexCallbacks& callbacks = {});

// "indexed 31, updated 0, removed 0, unchanged 0, failed 0 in 0.42 s"
// (+ ", interrupted" when the run was stopped early).
std::string format_summary(const IndexSummary& summary);

// Several lines for --verbose: files read/skipped, articles parsed, time per stage.
std::string format_details(const IndexSummary& summary);

// ---- Looking after a database (sosik-index --stats, --delete, --undelete) ----------

// What a database holds, read without writing (a running sosik-index does not
// stop it). Works on one database and on a sharded folder alike.
struct IndexStats {
    std::size_t articles = 0;
    std::size_t undated = 0;
    std::string first_date, last_date;  // YYYY-MM-DD; empty when no article is dated
    // Categories as matched by filters (schema::filter_value), most articles first.
    std::vector<std::pair<std::string, std::size_t>> categories;
    std::uint64_t bytes_on_disk = 0;  // every file under the database folder
    std::string schema_version, analyzer_version;  // as recorded
    bool current_versions = true;  // this Sosik reads it (else it must be rebuilt)
    std::string last_commit;       // ISO 8601 UTC of the last run that changed it
    std::string shard_by;          // "month", "year", "hash:N"; empty: one database
    std::size_t shards = 0;
    std::size_t deleted = 0;  // ids kept out by --delete
    std::size_t synonym_keys = 0;  // words (members of --synonyms groups) that expand
};

// Throws IndexError when `database` holds no Sosik database.
IndexStats database_stats(const std::filesystem::path& database);

// "articles: 1,234 (5 undated)" and the rest, one figure per line.
std::string format_stats(const IndexStats& stats);

// What --delete / --undelete did with each id given.
struct TakedownSummary {
    std::vector<std::string> changed;    // deleted (undeleted) now
    std::vector<std::string> unchanged;  // already deleted (never deleted) before
    std::vector<std::string> unknown;    // --delete: no article has this id
};

// Removes the articles with these ids and records each id, so that indexing
// leaves it out even while the archive still holds it (a CMS takedown).
// Commits once; readers (sosik-serve) see the articles gone at that commit.
// Throws IndexError (no database there, locked by a running sosik-index).
TakedownSummary delete_articles(const std::filesystem::path& database, const std::vector<std::string>& ids);

// Forgets the record of --delete for these ids and marks the files they came
// from for reading, so the next index_archive over the archive brings them back.
TakedownSummary undelete_articles(const std::filesystem::path& database, const std::vector<std::string>& ids);

}  // namespace sosik
