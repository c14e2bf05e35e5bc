#include "index_pipeline.h"

#include <sosik/error.h>
#include <sosik/schema.h>

#include <algorithm>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

namespace sosik::indexing {

namespace {

// A JSONL work unit: enough lines to make handing it to a thread worth it,
// few enough that a stop request is honoured quickly and memory stays small.
constexpr std::size_t kUnitLines = 64;
constexpr std::size_t kUnitBytes = 512 << 10;
// Units read ahead of the writer, per worker thread (bounds memory).
constexpr std::size_t kUnitsInFlightPerJob = 4;
// A Markdown/HTML article is read up to this size (news pages are well under
// 1 MB); Gumbo's tree of a 50 MB page alone takes half a gigabyte.
constexpr std::uint64_t kMaxArticleFileBytes = 16 << 20;
// Text indexed per article: ~350,000 Hangul syllables, a long book chapter.
constexpr std::size_t kMaxIndexedTextBytes = 1 << 20;

// The units between the reader, the workers and the writer: work in a FIFO,
// results reordered by sequence number, at most `max_in_flight` units between
// being read and being applied (that bounds memory).
class Pipeline {
public:
    explicit Pipeline(std::size_t max_in_flight) : max_in_flight_(max_in_flight) {}

    // Reader side. Blocks while too many units are in flight; false when the pipeline was aborted.
    bool push(WorkUnit unit) {
        std::unique_lock lock(mutex_);
        room_.wait(lock, [&] { return in_flight_ < max_in_flight_ || aborted_; });
        if (aborted_) return false;
        ++in_flight_;
        work_.push_back(std::move(unit));
        work_ready_.notify_one();
        return true;
    }
    void close_input() {
        std::lock_guard lock(mutex_);
        input_closed_ = true;
        work_ready_.notify_all();
        result_ready_.notify_all();
    }

    // Worker side: the next unit, or nothing when the input is closed and drained.
    std::optional<WorkUnit> pop_work() {
        std::vector<ResultUnit> applied;
        std::optional<WorkUnit> unit;
        {
            std::unique_lock lock(mutex_);
            work_ready_.wait(lock, [&] { return !work_.empty() || input_closed_ || aborted_; });
            applied.swap(applied_);
            if (!work_.empty() && !aborted_) {
                unit = std::move(work_.front());
                work_.pop_front();
            }
        }
        return unit;  // `applied` is freed here, outside the lock and off the writer's thread
    }

    // Writer side: a result it is done with. Its documents are freed by a worker.
    void recycle(ResultUnit result) {
        std::lock_guard lock(mutex_);
        applied_.push_back(std::move(result));
    }
    void push_result(ResultUnit result) {
        std::lock_guard lock(mutex_);
        const std::size_t seq = result.unit.seq;
        results_.emplace(seq, std::move(result));
        result_ready_.notify_all();
    }

    // Writer side: results in sequence order; nothing once every unit was handed out.
    std::optional<ResultUnit> next_result() {
        std::unique_lock lock(mutex_);
        for (;;) {
            if (auto found = results_.find(next_result_); found != results_.end()) {
                ResultUnit result = std::move(found->second);
                results_.erase(found);
                ++next_result_;
                --in_flight_;
                room_.notify_one();
                return result;
            }
            if (aborted_ || (input_closed_ && next_result_ == next_seq_to_hand_out_)) return std::nullopt;
            result_ready_.wait(lock);
        }
    }

    std::size_t take_seq() {
        std::lock_guard lock(mutex_);
        return next_seq_to_hand_out_++;
    }

    // Stops everything (an exception in some thread): blocked threads return.
    void abort(std::string reason) {
        std::lock_guard lock(mutex_);
        if (!aborted_) abort_reason_ = std::move(reason);
        aborted_ = true;
        room_.notify_all();
        work_ready_.notify_all();
        result_ready_.notify_all();
    }

    // Why a thread stopped the run, if one did.
    std::optional<std::string> failure() const {
        std::lock_guard lock(mutex_);
        if (!aborted_) return std::nullopt;
        return abort_reason_;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable room_, work_ready_, result_ready_;
    std::deque<WorkUnit> work_;
    std::map<std::size_t, ResultUnit> results_;
    // Applied results waiting to be freed: a document of 600 terms takes a
    // thousand frees, work the writer, the bottleneck, should not do.
    std::vector<ResultUnit> applied_;
    std::size_t max_in_flight_;
    std::size_t in_flight_ = 0;
    std::size_t next_seq_to_hand_out_ = 0;
    std::size_t next_result_ = 0;
    bool input_closed_ = false;
    bool aborted_ = false;
    std::string abort_reason_;
};


// ---- workers: bytes → articles → documents ---------------------------------------

class Worker {
public:
    Worker(const std::vector<SourceFile>& files, Pipeline& pipeline) : files_(files), pipeline_(pipeline) {}

    void run() {
        try {
            while (std::optional<WorkUnit> unit = pipeline_.pop_work()) pipeline_.push_result(process(std::move(*unit)));
        } catch (const std::exception& error) {
            // Out of memory or a bug: stop the run rather than hang it.
            pipeline_.abort(std::string("worker thread: ") + error.what());
        } catch (...) {
            pipeline_.abort("worker thread: unknown exception");
        }
    }

private:
    ResultUnit process(WorkUnit unit) {
        ResultUnit result;
        result.unit = std::move(unit);
        const SourceFile& file = files_[result.unit.file];
        if (!result.unit.file_failure.empty()) {
            result.items.push_back(failure(file.path.string(), result.unit.file_failure, true));
        } else if (file.kind == SourceKind::jsonl) {
            process_lines(file, result);
        } else {
            process_file(file, result);
        }
        return result;
    }

    static ResultItem failure(std::string where, std::string reason, bool read_failure) {
        ResultItem item;
        item.kind = ResultItem::Kind::failure;
        item.where = std::move(where);
        item.reason = std::move(reason);
        item.read_failure = read_failure;
        return item;
    }

    void process_lines(const SourceFile& file, ResultUnit& result) {
        std::vector<ResultItem>& items = result.items;
        const std::string name = file.path.string();
        for (auto& [line_number, reason] : result.unit.bad_lines) {
            ResultItem item = failure(name + ":" + std::to_string(line_number), std::move(reason), true);
            item.line = line_number;
            items.push_back(std::move(item));
        }
        for (const auto& [line_number, line] : result.unit.lines) {
            const std::uint64_t fingerprint = hash_bytes(line, file.fingerprint_seed);
            if (auto known = file.known_lines.find(fingerprint); known != file.known_lines.end()) {
                ResultItem item;
                item.kind = ResultItem::Kind::same_content;
                item.line = line_number;
                item.known_doc = known->second;
                items.push_back(std::move(item));
                continue;
            }
            result.source_bytes += line.size();
            const double started = thread_cpu_seconds();
            try {
                Article article = parse_jsonl_line(line);
                article.source = name;
                result.parse_seconds += thread_cpu_seconds() - started;
                if (std::string cut = cut_text(article); !cut.empty()) {
                    ResultItem item = note(name + ":" + std::to_string(line_number), {cut});
                    item.line = line_number;
                    items.push_back(std::move(item));
                }
                ResultItem item = article_item(std::move(article), file, hex64(fingerprint), result);
                item.line = line_number;
                items.push_back(std::move(item));
            } catch (const Error& error) {
                result.parse_seconds += thread_cpu_seconds() - started;
                ResultItem item = failure(name + ":" + std::to_string(line_number), error.what(), true);
                item.line = line_number;
                items.push_back(std::move(item));
            }
        }
        // Reader-reported bad lines interleave with the parsed ones.
        std::stable_sort(items.begin(), items.end(),
                         [](const ResultItem& a, const ResultItem& b) { return a.line < b.line; });
    }

    void process_file(const SourceFile& file, ResultUnit& result) {
        const double started = thread_cpu_seconds();
        try {
            FilePrefix prefix = read_file_prefix(file.path, kMaxArticleFileBytes);
            std::string raw = std::move(prefix.bytes);
            result.content_hash = hash_bytes(raw);
            if (file.check_hash && file.recorded && file.recorded->content_hash == result.content_hash) {
                result.same_content = true;  // touched, not changed
                result.parse_seconds += thread_cpu_seconds() - started;
                return;
            }
            if (prefix.file_size == 0) throw InvalidInput("empty file");
            result.source_bytes += raw.size();
            const std::uint64_t fingerprint = hash_bytes(raw, file.fingerprint_seed);
            const DecodedText decoded = decode_text(std::move(raw));
            SkipReason skipped = SkipReason::none;
            std::optional<Article> article = read_article(file, decoded.text, skipped);
            result.parse_seconds += thread_cpu_seconds() - started;
            if (!article) {
                ResultItem item;
                item.kind = ResultItem::Kind::not_article;
                item.where = file.path.string();
                item.skipped = skipped;
                result.items.push_back(std::move(item));
                return;
            }
            // What the user should know about how the file was read: one line.
            std::vector<std::string> notes;
            if (decoded.converted_from)
                notes.push_back(std::string("read as ") + decoded.converted_from + " and converted to UTF-8");
            if (prefix.cut)
                notes.push_back("only its first " + std::to_string(kMaxArticleFileBytes >> 20) + " MB read (the file has " +
                                std::to_string(prefix.file_size >> 20) + " MB)");
            if (std::string cut = cut_text(*article); !cut.empty()) notes.push_back(std::move(cut));
            if (!notes.empty()) result.items.push_back(note(file.path.string(), notes));
            result.items.push_back(article_item(std::move(*article), file, hex64(fingerprint), result));
        } catch (const std::exception& error) {
            result.parse_seconds += thread_cpu_seconds() - started;
            result.items.push_back(failure(file.path.string(), error.what(), true));
        }
    }

    static ResultItem note(std::string where, const std::vector<std::string>& notes) {
        ResultItem item;
        item.kind = ResultItem::Kind::note;
        item.where = std::move(where);
        for (const std::string& text : notes) item.reason += (item.reason.empty() ? "" : "; ") + text;
        return item;
    }

    // Cuts an article's text to kMaxIndexedTextBytes (at a character boundary):
    // the analyzer's tokens and the positions of a 50 MB page would need
    // gigabytes. Returns what was done, or "" when the text was short enough.
    static std::string cut_text(Article& article) {
        std::string& text = article.text;
        if (text.size() <= kMaxIndexedTextBytes) return {};
        const std::size_t size = text.size();
        std::size_t end = kMaxIndexedTextBytes;
        while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not inside a character
        text.resize(end);
        return "only the first " + std::to_string(kMaxIndexedTextBytes >> 20) + " MB of its " +
               std::to_string((size + (1 << 19)) >> 20) + " MB of text indexed";
    }

    // Id of an article without one of its own: its path relative to the Jekyll
    // site (stable however the archive is given on the command line), else to
    // the input root; after "NAME:" with a site name (two blogs' welcome posts differ).
    static std::string default_id(const SourceFile& file, bool in_site) {
        const std::string id = path_id(file, in_site);
        return file.site_name.empty() ? id : file.site_name + ":" + id;
    }

    static std::string path_id(const SourceFile& file, bool in_site) {
        if (in_site && !file.site->canonical_root.empty()) {
            std::error_code ec;
            const fs::path relative = fs::weakly_canonical(file.path, ec).lexically_relative(file.site->canonical_root);
            if (!ec && !relative.empty()) return relative.generic_string();
        }
        if (file.root->is_directory) return file.path.lexically_relative(file.root->given).generic_string();
        return file.path.filename().generic_string();
    }

    static std::optional<Article> read_article(const SourceFile& file, const std::string& content,
                                               SkipReason& skipped) {
        Article article;
        bool in_site = false;
        if (has_front_matter(content)) {
            in_site = true;
            article = read_jekyll_post(file.path, content, file.site->site);
            if (!article.published) {  // Jekyll leaves it out of the site
                skipped = SkipReason::unpublished;
                return std::nullopt;
            }
        } else if (file.kind == SourceKind::html) {
            HtmlPage page = parse_html_page(content);
            article.title = std::move(page.title);
            article.date = std::move(page.date);
            article.excerpt = std::move(page.description);
            article.url = std::move(page.url);
            article.text = std::move(page.text);
        } else {
            skipped = SkipReason::no_front_matter;  // not a post (Jekyll agrees)
            return std::nullopt;
        }
        if (article.id.empty()) article.id = default_id(file, in_site);
        article.source = file.path.string();
        return article;
    }

    ResultItem article_item(Article article, const SourceFile& file, std::string fingerprint, ResultUnit& result) {
        const std::string where = article.source;
        if (article.id.empty()) return failure(where, "article without an id", true);
        if (schema::kIdPrefix.size() + article.id.size() > schema::kMaxTermBytes)
            return failure(where, "id longer than " + std::to_string(schema::kMaxTermBytes) + " bytes", true);
        if (article.title.empty() && article.text.empty()) return failure(where, "no title and no text", true);
        ArticleOrigin origin{file.root->root_term, file.source_key, file.source_term, std::move(fingerprint),
                             file.site_name};
        ResultItem item;
        item.kind = ResultItem::Kind::article;
        item.doc = builder_.build(article, origin, &result.build_times);
        item.fingerprint = std::move(origin.fingerprint);
        item.id = std::move(article.id);
        item.where = where;
        ++result.parsed;
        return item;
    }

    const std::vector<SourceFile>& files_;
    Pipeline& pipeline_;
    Analyzer analyzer_;  // one per thread: ICU break iterators are not shared
    DocumentBuilder builder_{analyzer_};
};

// ---- the reader thread: files → work units -------------------------------------

class Reader {
public:
    Reader(const std::vector<SourceFile>& files, Pipeline& pipeline, const std::atomic<bool>* stop)
        : files_(files), pipeline_(pipeline), stop_(stop) {}

    void run() {
        const double started = thread_cpu_seconds();
        try {
            for (std::size_t i = 0; i < files_.size() && !stopping(); ++i) {
                if (files_[i].plan != SourceFile::Plan::read) continue;
                if (!(files_[i].kind == SourceKind::jsonl ? read_jsonl(i) : hand_out_file(i))) break;
            }
        } catch (const std::exception& error) {
            pipeline_.abort(std::string("reader thread: ") + error.what());
        } catch (...) {
            pipeline_.abort("reader thread: unknown exception");
        }
        interrupted_ = stopping();
        seconds_ = thread_cpu_seconds() - started;
        pipeline_.close_input();
    }

    bool interrupted() const { return interrupted_; }
    double seconds() const { return seconds_; }

private:
    bool stopping() const { return stop_ && stop_->load(std::memory_order_relaxed); }

    WorkUnit unit_for(std::size_t file) {
        WorkUnit unit;
        unit.seq = pipeline_.take_seq();
        unit.file = file;
        return unit;
    }

    // A Markdown/HTML file is one unit: the worker reads it.
    bool hand_out_file(std::size_t i) {
        WorkUnit unit = unit_for(i);
        unit.last_of_file = true;
        unit.bytes_done = files_[i].stamp.size;
        return pipeline_.push(std::move(unit));
    }

    bool read_jsonl(std::size_t i) {
        const SourceFile& file = files_[i];
        std::uint64_t content_hash = 0;
        std::optional<JsonlReader> reader;
        try {
            content_hash = hash_file(file.path);
            if (file.check_hash && file.recorded && file.recorded->content_hash == content_hash) {
                WorkUnit unit = unit_for(i);
                unit.last_of_file = true;
                unit.same_content = true;
                unit.content_hash = content_hash;
                unit.bytes_done = file.stamp.size;
                return pipeline_.push(std::move(unit));
            }
            reader.emplace(file.path);
        } catch (const std::exception& error) {
            WorkUnit unit = unit_for(i);
            unit.last_of_file = true;
            unit.file_failure = error.what();
            unit.bytes_done = file.stamp.size;
            return pipeline_.push(std::move(unit));
        }

        WorkUnit unit;
        std::size_t unit_bytes = 0;
        bool open = false;
        std::string line;
        std::size_t line_number = 0;
        const auto on_bad_line = [&](std::size_t number, const std::string& reason) {
            if (!open) {
                unit = unit_for(i);
                open = true;
            }
            unit.bad_lines.emplace_back(number, reason);
        };
        while (!stopping() && reader->next_line(line, line_number, on_bad_line)) {
            if (!open) {
                unit = unit_for(i);
                open = true;
                unit_bytes = 0;
            }
            unit_bytes += line.size();
            unit.lines.emplace_back(line_number, std::move(line));
            line = std::string();
            if (unit.lines.size() >= kUnitLines || unit_bytes >= kUnitBytes) {
                unit.bytes_done = reader->bytes_read();
                open = false;
                if (!pipeline_.push(std::move(unit))) return false;
                unit = WorkUnit{};
            }
        }
        if (stopping()) {
            // The file stays unfinished: what was read is indexed, the rest next run.
            if (open) {
                unit.bytes_done = reader->bytes_read();
                return pipeline_.push(std::move(unit));
            }
            return true;
        }
        if (!open) unit = unit_for(i);
        unit.last_of_file = true;
        unit.content_hash = content_hash;
        unit.bytes_done = file.stamp.size;
        return pipeline_.push(std::move(unit));
    }

    const std::vector<SourceFile>& files_;
    Pipeline& pipeline_;
    const std::atomic<bool>* stop_;
    bool interrupted_ = false;
    double seconds_ = 0;
};

}  // namespace

struct ParsePipeline::Impl {
    Impl(const std::vector<SourceFile>& files, unsigned jobs, const std::atomic<bool>* stop)
        : queue(std::max<std::size_t>(4, jobs * kUnitsInFlightPerJob)), reader(files, queue, stop) {
        for (unsigned i = 0; i < jobs; ++i) workers.push_back(std::make_unique<Worker>(files, queue));
        try {
            threads.emplace_back([this] { reader.run(); });
            for (auto& worker : workers) threads.emplace_back([&w = *worker] { w.run(); });
        } catch (const std::system_error& error) {
            // The system refused a thread (ulimit -u, memory): the ones started
            // must stop and be joined, or their destructors end the process.
            queue.abort("cannot start threads");
            join();
            throw Error("cannot start " + std::to_string(jobs + 1) + " threads (" + error.what() +
                        "): give fewer --jobs");
        }
    }
    void join() {
        for (auto& thread : threads)
            if (thread.joinable()) thread.join();
    }

    Pipeline queue;
    Reader reader;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
};

ParsePipeline::ParsePipeline(const std::vector<SourceFile>& files, unsigned jobs, const std::atomic<bool>* stop)
    : impl_(std::make_unique<Impl>(files, jobs, stop)) {}

ParsePipeline::~ParsePipeline() {
    impl_->queue.abort("stopped");
    impl_->join();
}

std::optional<ResultUnit> ParsePipeline::next_result() { return impl_->queue.next_result(); }

void ParsePipeline::recycle(ResultUnit result) { impl_->queue.recycle(std::move(result)); }

void ParsePipeline::finish() {
    impl_->join();
    // A reader or worker thread failed: the run must not look complete.
    if (auto failure = impl_->queue.failure()) throw Error("indexing stopped: " + *failure);
}

void ParsePipeline::abort() { impl_->queue.abort("writer failed"); }

bool ParsePipeline::interrupted() const { return impl_->reader.interrupted(); }

double ParsePipeline::reader_seconds() const { return impl_->reader.seconds(); }

}  // namespace sosik::indexing
