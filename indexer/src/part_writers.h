// A first build written by several Xapian writers at once. One Xapian writer
// is most of an indexing run's CPU (inverting terms into posting lists), and a
// WritableDatabase takes one thread at a time; so a build into an empty
// database hands its documents in turn to N part databases beside the target,
// each written by its own thread, and merge_into() copies the parts and a
// metadata part into the target with Xapian's compactor (which copies
// posting lists; it does not re-invert), leaving the target compacted.
//
// Atomicity is the whole build's: nothing reaches the target before
// merge_into() renames the merged copy there. A crash leaves the target as
// it was (empty) plus a
// "<target>.building" folder that the next run removes; that run, seeing a
// database, writes with one writer and its per-batch commits. Private to the
// indexer.
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

namespace sosik::indexing {

class PartWriters {
public:
    // Creates `writers` empty part databases in "<target>.building".
    PartWriters(const std::filesystem::path& target, unsigned writers);
    // Without merge_into(): stops the writers and removes the parts.
    ~PartWriters();
    PartWriters(const PartWriters&) = delete;
    PartWriters& operator=(const PartWriters&) = delete;

    // Where the caller keeps the build's metadata (file states): a database
    // merged first, so its metadata and docids (none) lead.
    std::filesystem::path metadata_part() const { return folder_ / "metadata"; }

    // Queues a document for the next writer in turn; blocks while that
    // writer's queue is full (memory stays bounded). Rethrows a writer's error.
    // Takes the only handle: Xapian counts a document's handles without
    // atomics, so a copy kept on another thread races with the writer's.
    void add(Xapian::Document&& doc);

    // Waits for the writers to write and commit everything queued, then
    // compacts the metadata part (committed and closed by the caller) and the
    // parts into a new database that replaces the target. Returns
    // the writer threads' CPU seconds; `merge_seconds` gets the merge's.
    double merge_into(const std::filesystem::path& target, double& merge_seconds);

    // The folder a build of `target` works in; removed when left by a crash.
    static std::filesystem::path work_folder(const std::filesystem::path& target);

private:
    struct Writer {
        Xapian::WritableDatabase database;
        std::deque<Xapian::Document> queue;
        std::mutex mutex;
        std::condition_variable changed;
        bool closing = false;
        double cpu_seconds = 0;
        std::exception_ptr error;
        std::thread thread;
    };
    std::filesystem::path part_path(std::size_t index) const;  // part-1 … part-N
    void write_loop(Writer& writer);
    void stop_all();

    std::filesystem::path folder_;
    std::vector<std::unique_ptr<Writer>> writers_;
    std::size_t next_ = 0;
};

}  // namespace sosik::indexing
