#include <sosik/indexer.h>

#include <sosik/xapian_database.h>
#include "document_builder.h"
#include "file_reading.h"

#include <sosik/error.h>
#include <sosik/schema.h>
#include <sosik/sources.h>

#include <xapian.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <unordered_map>
#include <unordered_set>

namespace fs = std::filesystem;

namespace sosik {

namespace {

// Folders of a Jekyll site (or a checkout) that hold templates, generated
// output or tooling, never articles.
bool is_skipped_directory(const fs::path& dir) {
    const std::string name = dir.filename().string();
    if (name.empty()) return false;
    if (name[0] == '.') return true;
    static const std::unordered_set<std::string> skipped = {
        "_site", "_layouts", "_includes", "_sass", "_data", "_drafts", "_plugins", "node_modules", "vendor",
    };
    return skipped.contains(name);
}

std::string fnv1a_hex(std::string_view s) {
    std::uint64_t hash = 14695981039346656037ull;
    for (unsigned char c : s) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(hash));
    return hex;
}

// One path given on the command line. Articles indexed from it carry its root
// term, so a re-run can tell which of them vanished.
struct InputRoot {
    fs::path given;
    fs::path canonical;
    bool is_directory = false;
    std::string root_term;
};

std::vector<fs::path> archive_files(const InputRoot& root) {
    std::vector<fs::path> files;
    if (!root.is_directory) {
        files.push_back(root.given);
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
            if (is_skipped_directory(entry.path())) it.disable_recursion_pending();
            continue;
        }
        if (source_kind(entry.path()) != SourceKind::unsupported) files.push_back(entry.path());
    }
    // Deterministic order: the same archive indexes the same way every time.
    std::sort(files.begin(), files.end());
    return files;
}

std::string now_iso8601_utc() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return buffer;
}

class ArchiveIndexer {
public:
    ArchiveIndexer(const IndexOptions& options, const IndexCallbacks& callbacks)
        : options_(options), callbacks_(callbacks), database_(open_for_writing(options.database)),
          builder_(analyzer_) {}

    IndexSummary run() {
        const auto started = std::chrono::steady_clock::now();
        std::vector<InputRoot> roots = resolve_inputs();
        for (const InputRoot& root : roots) {
            for (const fs::path& file : archive_files(root)) index_file(root, file);
        }
        for (const InputRoot& root : roots) remove_vanished(root);
        database_.set_metadata(std::string(schema::kLastUpdateKey), now_iso8601_utc());
        database_.commit();
        summary_.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return summary_;
    }

private:
    std::vector<InputRoot> resolve_inputs() const {
        if (options_.inputs.empty()) throw InvalidInput("nothing to index: give at least one folder or file");
        std::vector<InputRoot> roots;
        for (const fs::path& input : options_.inputs) {
            std::error_code ec;
            const fs::file_status status = fs::status(input, ec);
            if (ec || !fs::exists(status))
                throw InvalidInput(input.string() + ": no such file or folder");
            InputRoot root;
            root.given = input;
            root.canonical = fs::weakly_canonical(input, ec);
            if (ec) root.canonical = fs::absolute(input);
            root.is_directory = fs::is_directory(status);
            root.root_term = std::string(schema::kRootPrefix) + fnv1a_hex(root.canonical.string());
            roots.push_back(std::move(root));
        }
        return roots;
    }

    void fail(const std::string& where, const std::string& reason) {
        ++summary_.failed;
        if (callbacks_.on_failure) callbacks_.on_failure(where, reason);
    }

    std::string source_key(const InputRoot& root, const fs::path& file) const {
        const fs::path relative = root.is_directory ? file.lexically_relative(root.given) : file.filename();
        return root.root_term + ":" + relative.generic_string();
    }

    void index_file(const InputRoot& root, const fs::path& file) {
        const std::string key = source_key(root, file);
        try {
            const SourceKind kind = source_kind(file);
            if (kind == SourceKind::jsonl) {
                index_jsonl(root, file, key);
                return;
            }
            const std::string content = read_text_file(file);
            std::optional<Article> article = read_article(kind, file, content, root);
            if (!article) return;  // not an article (e.g. Markdown without front matter)
            add_article(std::move(*article), root, key);
        } catch (const Error& error) {
            failed_sources_.insert(key);
            fail(file.string(), error.what());
        } catch (const std::exception& error) {
            failed_sources_.insert(key);
            fail(file.string(), error.what());
        }
    }

    // Id of an article without one of its own: its path relative to the Jekyll
    // site (stable however the archive is given on the command line), else to the input root.
    static std::string default_id(const fs::path& file, const InputRoot& root, const JekyllSite& site) {
        std::error_code ec;
        if (!site.root.empty()) {
            const fs::path relative =
                fs::weakly_canonical(file, ec).lexically_relative(fs::weakly_canonical(site.root, ec));
            if (!ec && !relative.empty()) return relative.generic_string();
        }
        if (root.is_directory) return file.lexically_relative(root.given).generic_string();
        return file.filename().generic_string();
    }

    std::optional<Article> read_article(SourceKind kind, const fs::path& file, const std::string& content,
                                        const InputRoot& root) {
        Article article;
        JekyllSite site;
        if (has_front_matter(content)) {
            site = find_jekyll_site(file);
            article = read_jekyll_post(file, content, site);
        } else if (kind == SourceKind::html) {
            HtmlPage page = parse_html_page(content);
            article.title = std::move(page.title);
            article.date = std::move(page.date);
            article.excerpt = std::move(page.description);
            article.url = std::move(page.url);
            article.text = std::move(page.text);
        } else {
            return std::nullopt;  // Markdown without front matter is not a post (Jekyll agrees)
        }
        if (article.id.empty()) article.id = default_id(file, root, site);
        article.source = file.string();
        return article;
    }

    void index_jsonl(const InputRoot& root, const fs::path& file, const std::string& key) {
        JsonlReader reader(file);
        Article article;
        bool any_bad_line = false;
        const auto on_bad_line = [&](std::size_t line, const std::string& reason) {
            any_bad_line = true;
            fail(file.string() + ":" + std::to_string(line), reason);
        };
        while (reader.next(article, on_bad_line)) {
            article.source = file.string();
            add_article(std::move(article), root, key);
            article = Article{};
        }
        // A line that could not be read keeps whatever was indexed from it before.
        if (any_bad_line) failed_sources_.insert(key);
    }

    void add_article(Article article, const InputRoot& root, const std::string& key) {
        if (article.id.empty()) throw InvalidInput("article without an id");
        const std::string id_term = std::string(schema::kIdPrefix) + article.id;
        if (id_term.size() > schema::kMaxTermBytes)
            throw InvalidInput("id longer than " + std::to_string(schema::kMaxTermBytes) + " bytes");
        if (article.title.empty() && article.text.empty()) throw InvalidInput("no title and no text");
        auto [first_seen, inserted] = seen_ids_.emplace(article.id, article.source);
        if (!inserted) {
            fail(article.source, "duplicate id '" + article.id + "' (first in " + first_seen->second + "): skipped");
            return;
        }

        const std::string hash = content_hash(article, key);
        Xapian::PostingIterator existing = database_.postlist_begin(id_term);
        const bool exists = existing != database_.postlist_end(id_term);
        if (exists && database_.get_document(*existing).get_value(schema::kContentHashSlot) == hash) {
            ++summary_.unchanged;
            report_progress();
            return;
        }
        database_.replace_document(id_term, builder_.build(article, root.root_term, key, hash));
        ++(exists ? summary_.updated : summary_.indexed);
        if (++pending_changes_ >= options_.commit_every) {
            database_.commit();
            pending_changes_ = 0;
        }
        report_progress();
    }

    void report_progress() {
        if (callbacks_.on_progress) {
            callbacks_.on_progress(summary_.indexed + summary_.updated + summary_.unchanged);
        }
    }

    // Articles of this root that no file of this run produced: their file or line is gone.
    void remove_vanished(const InputRoot& root) {
        std::vector<Xapian::docid> vanished;
        for (auto it = database_.postlist_begin(root.root_term); it != database_.postlist_end(root.root_term);
             ++it) {
            const Xapian::Document doc = database_.get_document(*it);
            if (failed_sources_.contains(doc.get_value(schema::kSourceSlot))) continue;
            Xapian::TermIterator term = doc.termlist_begin();
            term.skip_to(std::string(schema::kIdPrefix));
            if (term == doc.termlist_end() || !(*term).starts_with(schema::kIdPrefix)) continue;
            if (!seen_ids_.contains((*term).substr(schema::kIdPrefix.size()))) vanished.push_back(*it);
        }
        for (Xapian::docid id : vanished) database_.delete_document(id);
        summary_.removed += vanished.size();
    }

    const IndexOptions& options_;
    const IndexCallbacks& callbacks_;
    Xapian::WritableDatabase database_;
    Analyzer analyzer_;
    DocumentBuilder builder_;
    IndexSummary summary_;
    std::unordered_map<std::string, std::string> seen_ids_;  // id → source it came from
    std::unordered_set<std::string> failed_sources_;
    std::size_t pending_changes_ = 0;
};

}  // namespace

IndexSummary index_archive(const IndexOptions& options, const IndexCallbacks& callbacks) {
    try {
        ArchiveIndexer indexer(options, callbacks);
        return indexer.run();
    } catch (const Xapian::Error& error) {
        throw IndexError(options.database.string() + ": " + error.get_description());
    }
}

std::string format_summary(const IndexSummary& s) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", s.seconds);
    return "indexed " + std::to_string(s.indexed) + ", updated " + std::to_string(s.updated) + ", removed " +
           std::to_string(s.removed) + ", unchanged " + std::to_string(s.unchanged) + ", failed " +
           std::to_string(s.failed) + " in " + seconds + " s";
}

}  // namespace sosik
