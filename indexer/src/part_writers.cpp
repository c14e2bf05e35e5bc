#include "part_writers.h"

#include "document_builder.h"  // thread_cpu_seconds

#include <sosik/error.h>

#include <chrono>
#include <system_error>

namespace fs = std::filesystem;

namespace sosik::indexing {

namespace {

// Documents waiting per writer: enough to ride out a slow flush, small enough
// that memory does not follow the archive.
constexpr std::size_t kQueueCapacity = 256;

}  // namespace

fs::path PartWriters::work_folder(const fs::path& target) {
    fs::path folder = target;
    if (!folder.has_filename()) folder = folder.parent_path();  // "db/" → "db"
    return folder.concat(".building");
}

fs::path PartWriters::part_path(std::size_t index) const {
    return folder_ / ("part-" + std::to_string(index + 1));
}

PartWriters::PartWriters(const fs::path& target, unsigned writers) : folder_(work_folder(target)) {
    std::error_code ec;
    fs::remove_all(folder_, ec);
    fs::create_directories(folder_, ec);
    if (ec) throw IndexError(folder_.string() + ": cannot create the folder: " + ec.message());
    for (unsigned i = 0; i < writers; ++i) {
        auto writer = std::make_unique<Writer>();
        writer->database = Xapian::WritableDatabase(part_path(i).string(), Xapian::DB_CREATE_OR_OVERWRITE);
        writers_.push_back(std::move(writer));
    }
    try {
        for (auto& writer : writers_) writer->thread = std::thread([this, w = writer.get()] { write_loop(*w); });
    } catch (const std::system_error& error) {
        // No destructor runs for a half-built object: stop what started, leave no folder.
        stop_all();
        writers_.clear();
        fs::remove_all(folder_, ec);
        throw Error("cannot start " + std::to_string(writers) + " writer threads (" + error.what() +
                    "): give fewer --writers");
    }
}

PartWriters::~PartWriters() {
    stop_all();
    std::error_code ec;
    fs::remove_all(folder_, ec);
}

void PartWriters::stop_all() {
    for (auto& writer : writers_) {
        {
            std::lock_guard lock(writer->mutex);
            writer->closing = true;
        }
        writer->changed.notify_all();
    }
    for (auto& writer : writers_) {
        if (writer->thread.joinable()) writer->thread.join();
    }
}

void PartWriters::write_loop(Writer& writer) {
    const double started = thread_cpu_seconds();
    try {
        for (;;) {
            Xapian::Document doc;
            {
                std::unique_lock lock(writer.mutex);
                writer.changed.wait(lock, [&] { return writer.closing || !writer.queue.empty(); });
                if (writer.queue.empty()) break;  // closing, and everything queued is written
                doc = std::move(writer.queue.front());
                writer.queue.pop_front();
            }
            writer.changed.notify_all();  // room in the queue
            writer.database.add_document(doc);
        }
        writer.database.commit();
    } catch (...) {
        std::lock_guard lock(writer.mutex);
        writer.error = std::current_exception();
        writer.queue.clear();
        writer.changed.notify_all();
    }
    writer.cpu_seconds = thread_cpu_seconds() - started;
}

void PartWriters::add(Xapian::Document&& doc) {
    Writer& writer = *writers_[next_];
    next_ = (next_ + 1) % writers_.size();
    std::unique_lock lock(writer.mutex);
    writer.changed.wait(lock, [&] { return writer.error || writer.queue.size() < kQueueCapacity; });
    if (writer.error) std::rethrow_exception(writer.error);
    writer.queue.push_back(std::move(doc));
    lock.unlock();
    writer.changed.notify_all();
}

double PartWriters::merge_into(const fs::path& target, double& merge_seconds) {
    stop_all();
    double cpu = 0;
    for (auto& writer : writers_) {
        if (writer->error) std::rethrow_exception(writer->error);
        cpu += writer->cpu_seconds;
        writer->database.close();
    }
    const double started = thread_cpu_seconds();
    Xapian::Database sources(metadata_part().string());
    for (std::size_t i = 0; i < writers_.size(); ++i)
        sources.add_database(Xapian::Database(part_path(i).string()));
    // The metadata part first: its metadata (schema, file states) is the only
    // metadata, and its docids (none) come first; the parts' follow in turn.
    const fs::path merged = folder_ / "merged";
    sources.compact(merged.string());
    sources.close();
    // The one moment without a database at `target`: a crash here leaves the
    // merged copy in the work folder, and the next run starts over.
    std::error_code ec;
    fs::remove_all(target, ec);
    if (!ec) fs::rename(merged, target, ec);
    if (ec) throw IndexError(target.string() + ": cannot replace it with the merged build in " + merged.string() +
                             ": " + ec.message());
    merge_seconds = thread_cpu_seconds() - started;
    return cpu;
}

}  // namespace sosik::indexing
