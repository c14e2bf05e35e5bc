// sosik-index: index an article archive into a Sosik database.
#include <sosik/command_line.h>
#include <sosik/error.h>
#include <sosik/indexer.h>

#include <boost/program_options.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

namespace po = boost::program_options;

namespace {

// Exit codes (documented in README.md).
constexpr int kExitOk = 0;
constexpr int kExitFatal = 1;
constexpr int kExitUsage = 2;
constexpr int kExitSomeFailed = 3;
constexpr int kExitInterrupted = 128;  // + the signal number: 130 for SIGINT, 143 for SIGTERM

// A day: longer means no progress line at all, which --quiet says better.
constexpr double kMaxProgressInterval = 86400;

// "--jobs must be between 0 and 256 (0: one per core)", or nothing when `value` is in range.
std::optional<std::string> range_problem(const std::string& name, long long value, long long min, long long max,
                                         const std::string& hint) {
    if (value >= min && value <= max) return std::nullopt;
    if (max == std::numeric_limits<long long>::max()) return name + " must be at least " + std::to_string(min) + hint;
    return name + " must be between " + std::to_string(min) + " and " + std::to_string(max) + hint;
}

using sosik::command_line::default_database;

// ---- signals: the first SIGINT/SIGTERM stops cleanly, a second one kills ----------

std::atomic<bool> g_stop{false};
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_stop_signal(int signal) {
    if (g_signal != 0) {
        // Asked twice: stop now. The database stays at its last commit.
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    g_signal = signal;
    g_stop.store(true);
}

void install_signal_handlers() {
    static_assert(std::atomic<bool>::is_always_lock_free, "the handler stores to it");
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

// ---- progress on stderr --------------------------------------------------------------

std::string thousands(std::size_t n) {
    std::string digits = std::to_string(n);
    for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

std::string duration(double seconds) {
    const long total = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (total >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", total / 3600, total / 60 % 60, total % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
    return buffer;
}

// "3/10 files, 12,345 articles, 45%, 1,234 articles/s, 3.4 MB/s, ETA 0:31"
std::string describe(const sosik::IndexProgress& p) {
    std::string line = thousands(p.files_done) + "/" + thousands(p.files_total) + " files, " +
                       thousands(p.articles_done) + " articles";
    char buffer[96];
    if (p.bytes_total > 0) {
        std::snprintf(buffer, sizeof buffer, ", %.0f%%",
                      100.0 * static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total));
        line += buffer;
    }
    if (p.seconds > 0) {
        line += ", " + thousands(static_cast<std::size_t>(static_cast<double>(p.articles_done) / p.seconds)) +
                " articles/s";
        std::snprintf(buffer, sizeof buffer, ", %.1f MB/s", static_cast<double>(p.source_bytes_done) / 1e6 / p.seconds);
        line += buffer;
        if (p.bytes_total > 0 && p.bytes_done > 0 && p.bytes_done < p.bytes_total) {
            const double remaining = static_cast<double>(p.bytes_total - p.bytes_done) * p.seconds /
                                     static_cast<double>(p.bytes_done);
            line += ", ETA " + duration(remaining);
        }
    }
    return line;
}

// A live line redrawn in place on a terminal (a few times a second), or plain
// lines every `interval` seconds when stderr is a file or a pipe.
class ProgressPrinter {
public:
    ProgressPrinter(bool live, double interval) : live_(live), interval_(interval) {}

    void update(const sosik::IndexProgress& progress) {
        const auto now = std::chrono::steady_clock::now();
        const double wait = live_ ? 0.25 : interval_;
        if (printed_any_ && std::chrono::duration<double>(now - last_).count() < wait) return;
        if (!printed_any_ && progress.seconds < (live_ ? 0.25 : interval_)) return;
        last_ = now;
        printed_any_ = true;
        if (live_) {
            std::string line = "indexing: " + describe(progress);
            std::cerr << "\r\033[K" << line << std::flush;
            on_screen_ = true;
        } else {
            std::cerr << "sosik-index: " << describe(progress) << "\n" << std::flush;
        }
    }

    // Before any other output: the live line goes away.
    void clear() {
        if (on_screen_) std::cerr << "\r\033[K" << std::flush;
        on_screen_ = false;
    }

private:
    bool live_;
    double interval_;
    bool printed_any_ = false;
    bool on_screen_ = false;
    std::chrono::steady_clock::time_point last_{};
};

// Per-item warnings, at most kShownPerKind of each kind: two overlapping
// exports give thousands of duplicate ids, and a terminal full of them hides
// everything else. The rest are counted and summed up in one line per kind at
// the end; --verbose prints them all.
class WarningPrinter {
public:
    static constexpr std::size_t kShownPerKind = 10;

    WarningPrinter(ProgressPrinter& progress, bool all) : progress_(progress), all_(all) {}

    void failure(const std::string& where, const std::string& reason) { print(kind_of(where, reason), where, reason); }
    void note(const std::string& where, const std::string& message) { print(kNotes, where, message); }

    // "sosik-index: … and 1,990 more duplicate ids (--verbose lists them all)"
    void print_remainders() {
        for (std::size_t kind = 0; kind < kKinds; ++kind) {
            const std::size_t more = seen_[kind] > kShownPerKind && !all_ ? seen_[kind] - kShownPerKind : 0;
            if (more == 0) continue;
            progress_.clear();
            std::cerr << "sosik-index: ... and " << thousands(more) << " more " << kNames[kind]
                      << " (--verbose lists them all)\n";
        }
    }

private:
    enum Kind : std::size_t { kDuplicates, kBadLines, kBadFiles, kNotes, kKinds };
    static constexpr const char* kNames[kKinds] = {"duplicate ids", "bad lines", "failed files",
                                                   "notes on files read"};

    // Duplicates are named by the indexer's reason; a JSONL line's place ends in ":N".
    static Kind kind_of(const std::string& where, const std::string& reason) {
        if (reason.starts_with("duplicate id")) return kDuplicates;
        const std::size_t colon = where.rfind(':');
        if (colon != std::string::npos && colon + 1 < where.size() &&
            where.find_first_not_of("0123456789", colon + 1) == std::string::npos)
            return kBadLines;
        return kBadFiles;
    }

    void print(Kind kind, const std::string& where, const std::string& reason) {
        if (++seen_[kind] > kShownPerKind && !all_) return;
        progress_.clear();
        std::cerr << "sosik-index: " << where << ": " << reason << "\n";
    }

    ProgressPrinter& progress_;
    bool all_;
    std::size_t seen_[kKinds] = {};
};

// ---- --stats, --delete, --undelete -----------------------------------------------

int print_stats(const std::string& database) {
    try {
        std::cout << sosik::format_stats(sosik::database_stats(database));
        return kExitOk;
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-index: " << error.what() << "\n";
        return kExitFatal;
    }
}

// "deleted 2, already deleted 0, not found 1"; each id not found named on
// stderr, and exit 3 for them (the others were done).
int take_down(const std::string& database, const std::vector<std::string>& ids, bool remove) {
    try {
        const sosik::TakedownSummary summary =
            remove ? sosik::delete_articles(database, ids) : sosik::undelete_articles(database, ids);
        for (const std::string& id : summary.unknown) std::cerr << "sosik-index: " << id << ": no article has this id\n";
        if (remove) {
            std::cout << "deleted " << summary.changed.size() << ", already deleted " << summary.unchanged.size()
                      << ", not found " << summary.unknown.size() << std::endl;
        } else {
            for (const std::string& id : summary.unchanged)
                std::cerr << "sosik-index: " << id << ": was not deleted\n";
            std::cout << "undeleted " << summary.changed.size() << ", not deleted " << summary.unchanged.size()
                      << (summary.changed.empty() ? "" : " (the next run over the archive indexes them again)")
                      << std::endl;
        }
        return summary.unknown.empty() && (remove || summary.unchanged.empty()) ? kExitOk : kExitSomeFailed;
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-index: " << error.what() << "\n";
        return kExitFatal;
    }
}

}  // namespace

int main(int argc, char** argv) {
    // "  or:" lines: help2man reads them as more synopses for the man page.
    po::options_description visible("Usage: sosik-index [--db DIR] PATH...\n"
                                    "  or:  sosik-index [--db DIR] --stats\n"
                                    "  or:  sosik-index [--db DIR] --delete ID... | --undelete ID...\n\n"
                                    "Indexes Jekyll posts (.md .markdown .html with front matter), .html pages and\n"
                                    "JSON Lines exports (.jsonl, .jsonl.gz) found in PATH (folders are walked).\n"
                                    "Re-running indexes new and changed articles and removes vanished ones.\n\n"
                                    "Options");
    std::string database, shard_by, synonyms_file, site;
    // Read signed and range-checked below: Boost reads "-1" into an unsigned
    // as 4294967295, which used to start billions of threads.
    long long commit_every = 0;
    long long jobs = 0;
    long long writers = 0;
    double progress_interval = 10;
    bool quiet = false;
    bool verbose = false;
    bool stats = false, delete_ids = false, undelete_ids = false;
    visible.add_options()
        ("help,h", "show this help")
        ("version", "show the version")
        ("db,d", po::value(&database)->default_value(default_database()), "database folder ($SOSIK_DB)")
        ("shard-by", po::value(&shard_by),
         "month, year or hash:N: one database per shard under --db, listed in --db/XAPIANDB "
         "(a re-run keeps the recorded scheme)")
        ("site", po::value(&site),
         "a name for the site indexed, to keep several in one database: ids made from paths become "
         "NAME:_posts/…, and site:NAME finds its articles ('auto': each Jekyll site's _config.yml url and baseurl)")
        ("synonyms", po::value(&synonyms_file),
         "a file of synonym groups, one a line: 코로나, 코로나19, COVID-19 (replaces the database's; "
         "without it the database keeps the ones it has)")
        ("jobs,j", po::value(&jobs)->default_value(0),
         ("parse/analyze threads, 0 to " + std::to_string(sosik::kMaxJobs) + " (0: one per core)").c_str())
        ("writers", po::value(&writers)->default_value(0),
         ("Xapian writer threads for a first build, merged at its end, 0 to " +
          std::to_string(sosik::kMaxWriters) +
          " (0: one per job, at most 4; 1: commit every --commit-every articles from the start)")
             .c_str())
        ("commit-every", po::value(&commit_every)->default_value(10000),
         "articles per commit, at least 1 (a crash loses at most these)")
        ("progress-interval", po::value(&progress_interval)->default_value(10),
         "seconds between progress lines when stderr is not a terminal (above 0, at most 86400)")
        ("quiet,q", po::bool_switch(&quiet), "no progress: print only errors and the summary")
        ("verbose,v", po::bool_switch(&verbose), "also print what was read or skipped and where the time went")
        ("stats", po::bool_switch(&stats),
         "print what the database holds (articles, dates, categories, size, versions, last commit) and exit")
        ("delete", po::bool_switch(&delete_ids),
         "remove the articles with the ids given instead of PATHs, and keep them out of later runs")
        ("undelete", po::bool_switch(&undelete_ids),
         "let the ids given be indexed again (by the next run over the archive)");
    po::options_description hidden;
    std::vector<std::string> inputs;
    hidden.add_options()("input", po::value(&inputs));
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("input", -1);

    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        std::cerr << "sosik-index: " << error.what() << " (see --help)\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << visible
                  << "\nExit status: 0 all indexed, 1 fatal error, 2 usage error,\n"
                     "3 some files or lines failed (each reported) and the rest indexed,\n"
                     "130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM after committing what was done.\n";
        return kExitOk;
    }
    if (vm.count("version")) {
        std::cout << "sosik-index " << SOSIK_VERSION << "\n";
        return kExitOk;
    }
    if (stats + delete_ids + undelete_ids > 1) {
        std::cerr << "sosik-index: --stats, --delete and --undelete exclude each other (see --help)\n";
        return kExitUsage;
    }
    if (stats || delete_ids || undelete_ids) {
        if (!shard_by.empty() || vm.count("synonyms") || vm.count("site")) {
            std::cerr << "sosik-index: --" << (!shard_by.empty() ? "shard-by" : vm.count("site") ? "site" : "synonyms")
                      << " is for indexing, not with --stats, --delete or --undelete\n";
            return kExitUsage;
        }
        if (stats && !inputs.empty()) {
            std::cerr << "sosik-index: --stats takes no PATH (see --help)\n";
            return kExitUsage;
        }
        if (!stats && inputs.empty()) {
            std::cerr << "sosik-index: give the ids of the articles to " << (delete_ids ? "delete" : "undelete")
                      << " (see --help)\n";
            return kExitUsage;
        }
        return stats ? print_stats(database) : take_down(database, inputs, delete_ids);
    }
    if (inputs.empty()) {
        std::cerr << "sosik-index: give at least one folder or file to index (see --help)\n";
        return kExitUsage;
    }
    if (quiet && verbose) {
        std::cerr << "sosik-index: --quiet and --verbose exclude each other (see --help)\n";
        return kExitUsage;
    }
    if (auto problem = range_problem("--jobs", jobs, 0, sosik::kMaxJobs, " (0: one per core)")) {
        std::cerr << "sosik-index: " << *problem << " (see --help)\n";
        return kExitUsage;
    }
    if (auto problem = range_problem("--writers", writers, 0, sosik::kMaxWriters, " (0: one per job, at most 4)")) {
        std::cerr << "sosik-index: " << *problem << " (see --help)\n";
        return kExitUsage;
    }
    if (auto problem = range_problem("--commit-every", commit_every, 1, std::numeric_limits<long long>::max(), "")) {
        std::cerr << "sosik-index: " << *problem << " (see --help)\n";
        return kExitUsage;
    }
    // !(x > 0) also catches NaN; an infinite interval would never print.
    if (!(progress_interval > 0) || !(progress_interval <= kMaxProgressInterval)) {
        std::cerr << "sosik-index: --progress-interval must be above 0 and at most " << kMaxProgressInterval
                  << " seconds (see --help)\n";
        return kExitUsage;
    }

    if (vm.count("site")) {
        if (const std::string problem = sosik::site_name_problem(site); !problem.empty()) {
            std::cerr << "sosik-index: --site: " << problem << " (see --help)\n";
            return kExitUsage;
        }
    }

    sosik::IndexOptions options;
    options.site = site;
    if (vm.count("synonyms")) {
        // A bad file is a usage error: nothing is indexed with half of it.
        try {
            options.synonyms = sosik::read_synonyms(synonyms_file);
        } catch (const sosik::Error& error) {
            std::cerr << "sosik-index: --synonyms: " << error.what() << "\n";
            return kExitUsage;
        }
    }
    options.database = database;
    options.shard_by = shard_by;
    options.inputs.assign(inputs.begin(), inputs.end());
    options.commit_every = static_cast<std::size_t>(commit_every);
    options.jobs = static_cast<unsigned>(jobs);
    options.writers = static_cast<unsigned>(writers);
    options.stop = &g_stop;

    const char* term = std::getenv("TERM");
    const bool live = isatty(STDERR_FILENO) && !(term && std::string(term) == "dumb");
    ProgressPrinter progress(live, progress_interval);
    sosik::IndexCallbacks callbacks;
    WarningPrinter warnings(progress, verbose);
    callbacks.on_failure = [&warnings](const std::string& where, const std::string& reason) {
        warnings.failure(where, reason);
    };
    // Same one-line shape; not counted as failed.
    callbacks.on_note = [&warnings](const std::string& where, const std::string& message) {
        warnings.note(where, message);
    };
    // Skipping is normal (README.md, images, _site): named with --verbose. A
    // PATH given by name that yields nothing says why even without it: else
    // `sosik-index /etc/hostname` would only print "indexed 0".
    callbacks.on_skip = [&progress, verbose](const std::string& where, const std::string& reason, bool given) {
        if (!verbose && !given) return;
        progress.clear();
        std::cerr << "sosik-index: " << where << ": " << reason << "\n";
    };
    if (!quiet) callbacks.on_progress = [&progress](const sosik::IndexProgress& p) { progress.update(p); };
    install_signal_handlers();

    try {
        const sosik::IndexSummary summary = sosik::index_archive(options, callbacks);
        progress.clear();
        warnings.print_remainders();
        std::cout << sosik::format_summary(summary) << std::endl;
        if (verbose) std::cerr << sosik::format_details(summary);
        if (summary.interrupted) return kExitInterrupted + (g_signal != 0 ? g_signal : SIGINT);
        return summary.failed ? kExitSomeFailed : kExitOk;
    } catch (const sosik::Error& error) {
        progress.clear();
        warnings.print_remainders();
        std::cerr << "sosik-index: " << error.what() << "\n";
        return kExitFatal;
    } catch (const std::exception& error) {
        // Out of memory or a bug: one line and exit 1, never a hang or an abort.
        progress.clear();
        warnings.print_remainders();
        std::cerr << "sosik-index: internal error: " << error.what() << "\n";
        return kExitFatal;
    }
}
