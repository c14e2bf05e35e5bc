// The parallel half of index_archive(): a reader thread streams the files
// that need reading (JSONL in chunks of lines), worker threads parse, analyze
// and build Xapian documents, and the writer (the caller) takes the results
// in input order. Private to the indexer library.
#pragma once

#include "document_builder.h"
#include "file_reading.h"

#include <sosik/sources.h>

#include <xapian.h>

#include <atomic>
#include <charconv>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sosik::indexing {

namespace fs = std::filesystem;

// Why a file that was read holds no article (recorded, so that a re-run
// which does not open it can still say why).
enum class SkipReason : int { none = 0, no_front_matter = 1, unpublished = 2 };

inline const char* describe(SkipReason reason) {
    switch (reason) {
    case SkipReason::none: return "";
    case SkipReason::no_front_matter: return "skipped: no front matter, so not a Jekyll post";
    case SkipReason::unpublished: return "skipped: published: false (Jekyll leaves it out of the site)";
    }
    return "";
}

// What the database remembers of a source file it indexed completely and
// cleanly (schema::kFileStateKeyPrefix).
struct FileState {
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
    std::uint64_t content_hash = 0;  // hash_bytes of the whole file
    std::uint64_t site = 0;          // fingerprint of the Jekyll site config it was read with (0: none)
    std::size_t articles = 0;
    SkipReason skipped = SkipReason::none;  // articles == 0: why

    // The skip reason is a trailing field, written only when there is one:
    // states written before it existed read as none.
    std::string encode() const {
        return "1 " + std::to_string(size) + " " + std::to_string(mtime_ns) + " " + hex64(content_hash) + " " +
               hex64(site) + " " + std::to_string(articles) +
               (skipped == SkipReason::none ? "" : " " + std::to_string(static_cast<int>(skipped)));
    }
    static std::optional<FileState> decode(std::string_view text) {
        FileState state;
        const char* p = text.data();
        const char* end = p + text.size();
        auto field = [&](auto& value, int base) {
            while (p < end && *p == ' ') ++p;
            auto [next, ec] = std::from_chars(p, end, value, base);
            if (ec != std::errc()) return false;
            p = next;
            return true;
        };
        int version = 0;
        if (!field(version, 10) || version != 1 || !field(state.size, 10) || !field(state.mtime_ns, 10) ||
            !field(state.content_hash, 16) || !field(state.site, 16) || !field(state.articles, 10))
            return std::nullopt;
        if (int skipped = 0; field(skipped, 10) && skipped >= 1 && skipped <= 2)
            state.skipped = static_cast<SkipReason>(skipped);
        return state;
    }
};

// One path given on the command line. Articles indexed from it carry its root
// term, so a re-run can tell which of them vanished.
struct InputRoot {
    fs::path given;
    fs::path canonical;
    bool is_directory = false;
    std::string root_term;
};

// What a Jekyll post needs from its site, looked up once per folder.
struct SiteInfo {
    JekyllSite site;
    fs::path canonical_root;   // for article ids relative to the site
    std::uint64_t fingerprint = 0;  // config path + content: a change re-reads every post of the site
    std::string name_from_config;   // site_name_from_config, when the site has a root
};

// One file of this run, in input order.
struct SourceFile {
    fs::path path;
    const InputRoot* root = nullptr;
    SourceKind kind = SourceKind::unsupported;
    std::string source_key;   // root term + ":" + relative path
    std::string key_hash;     // hex64 of the source key
    std::string state_key;    // schema::kFileStateKeyPrefix + root term + ":" + key hash
    std::string source_term;  // XF + key hash
    FileStamp stamp;
    const SiteInfo* site = nullptr;  // Markdown/HTML files: the Jekyll site around them (may have no root)
    std::string site_name;           // IndexOptions::site as it applies to this file ("" for none)
    // What the file was read with besides its bytes (the site's config, the
    // site name); another stamp re-reads it. FileState::site records it.
    std::uint64_t site_stamp = 0;
    std::optional<FileState> recorded;
    enum class Plan { unchanged, read } plan = Plan::read;
    // Read, but only when its content hash differs from the recorded one (same size, other mtime).
    bool check_hash = false;
    // Seed of the article fingerprints: source key, site config, versions.
    std::uint64_t fingerprint_seed = 0;
    // JSONL files indexed before: fingerprint of each line still indexed → its document.
    std::unordered_map<std::uint64_t, Xapian::docid> known_lines;
};

// ---- the units that travel between the threads ---------------------------------

struct WorkUnit {
    std::size_t seq = 0;
    std::size_t file = 0;
    bool last_of_file = false;
    std::vector<std::pair<std::size_t, std::string>> lines;      // JSONL: (line number, raw line)
    std::vector<std::pair<std::size_t, std::string>> bad_lines;  // JSONL: (line number, reason) from the reader
    std::string file_failure;           // the file could not be opened or read at all
    std::uint64_t bytes_done = 0;       // the file's bytes consumed once this unit is applied
    std::uint64_t content_hash = 0;     // JSONL, on the last unit: hash of the whole file
    bool same_content = false;          // JSONL, last unit: the content hash matched the recorded one
};

struct ResultItem {
    // note: how a file or line was read that its author should know (converted, cut); not a failure.
    enum class Kind { article, same_content, failure, not_article, note } kind = Kind::failure;
    std::size_t line = 0;  // JSONL line number, 0 for a whole file
    std::string id;
    Xapian::Document doc;
    std::string fingerprint;
    Xapian::docid known_doc = 0;  // same_content: the document already holding it
    std::string where, reason;    // failure, note
    SkipReason skipped = SkipReason::none;  // not_article: why
    bool read_failure = false;    // failure of reading (not a duplicate): keeps the file's old articles
};

struct ResultUnit {
    WorkUnit unit;
    std::vector<ResultItem> items;
    std::uint64_t content_hash = 0;  // Markdown/HTML: hash of the file
    bool same_content = false;       // Markdown/HTML: hash matched the recorded one, not parsed
    std::uint64_t source_bytes = 0;
    std::size_t parsed = 0;
    double parse_seconds = 0;
    DocumentBuilder::Times build_times;
};

// Runs the reader thread and `jobs` worker threads over the files planned
// for reading; the writer takes the results in input order. Memory is bounded:
// at most a few units per worker are in flight.
class ParsePipeline {
public:
    // `files` must outlive the pipeline and not change while it runs.
    ParsePipeline(const std::vector<SourceFile>& files, unsigned jobs, const std::atomic<bool>* stop);
    ~ParsePipeline();  // stops and joins the threads
    ParsePipeline(const ParsePipeline&) = delete;
    ParsePipeline& operator=(const ParsePipeline&) = delete;

    // The next result in input order; nothing when all are taken, the run was
    // stopped, or a thread failed (then finish() throws).
    std::optional<ResultUnit> next_result();
    // Hands back a result once applied: worker threads free it.
    void recycle(ResultUnit result);

    // Joins the threads. Throws Error when a reader or worker thread failed.
    void finish();
    // Stops the threads (the writer failed).
    void abort();

    bool interrupted() const;      // `stop` ended the reading early
    double reader_seconds() const;  // CPU seconds of the reader thread

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sosik::indexing
