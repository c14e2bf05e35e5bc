// Indexing an archive into a Xapian database: walk the inputs, read each file
// with the right source reader, analyze, and add/replace/remove documents so
// that the database mirrors the inputs. Re-running touches only what changed.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sosik {

struct IndexOptions {
    std::filesystem::path database = "sosik-db";
    // Folders (walked recursively) and files: Jekyll posts (.md .markdown .html
    // with front matter), plain .html pages, .jsonl / .jsonl.gz exports.
    std::vector<std::filesystem::path> inputs;
    std::size_t commit_every = 2000;  // articles per Xapian commit (bounds memory)
};

struct IndexSummary {
    std::size_t indexed = 0;    // new articles
    std::size_t updated = 0;    // articles whose content changed
    std::size_t removed = 0;    // articles whose file or line vanished from an indexed input
    std::size_t unchanged = 0;  // skipped: same content as indexed
    std::size_t failed = 0;     // files or lines that could not be read (reported one by one)
    double seconds = 0;
};

struct IndexCallbacks {
    // One line per bad file or line: where, and why. Indexing goes on.
    std::function<void(const std::string& where, const std::string& reason)> on_failure;
    // Optional progress: articles seen so far.
    std::function<void(std::size_t articles_seen)> on_progress;
};

// Throws IndexError when the database cannot be opened for writing (locked,
// other schema) and InvalidInput when an input does not exist.
IndexSummary index_archive(const IndexOptions& options, const IndexCallbacks& callbacks = {});

// "indexed 31, updated 0, removed 0, unchanged 0, failed 0 in 0.42 s"
std::string format_summary(const IndexSummary& summary);

}  // namespace sosik
