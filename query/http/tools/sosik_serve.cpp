// sosik-serve: the JSON search API, a search page and a drop-in widget over HTTP.
#include <sosik/command_line.h>
#include <sosik/error.h>
#include <sosik/http_server.h>
#include <sosik/search.h>

#include <boost/program_options.hpp>

#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <thread>

namespace po = boost::program_options;

namespace {

using sosik::command_line::default_database;
using sosik::command_line::kExitError;
using sosik::command_line::kExitOk;
using sosik::command_line::kExitUsage;

// "127.0.0.1:8080", "[::1]:8080", "localhost:0" or just "8080" (loopback).
void parse_listen(const std::string& listen, sosik::HttpServerOptions& options) {
    std::string host = "127.0.0.1", port = listen;
    const std::size_t colon = listen.rfind(':');
    if (colon != std::string::npos) {
        host = listen.substr(0, colon);
        port = listen.substr(colon + 1);
        if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    }
    char* end = nullptr;
    const long number = std::strtol(port.c_str(), &end, 10);
    if (host.empty() || port.empty() || *end != '\0' || number < 0 || number > 65535)
        throw sosik::InvalidInput("--listen: '" + listen + "' is not HOST:PORT (e.g. 127.0.0.1:8080)");
    options.host = host;
    options.port = static_cast<int>(number);
}

// glibc gives each thread that allocates its own malloc arena, up to 8 per
// core. Every one of the --connections threads runs searches, so the
// long-lived allocations (reply cache, searchers' caches) end up spread over
// 16 arenas on 2 cores, each keeping its freed memory: RSS went 14 → 135 MB
// in 8 minutes of mixed load with --cache-mb 16, with ~60 MB in use. One
// arena per search thread keeps it near what is in use
// (benchmarks/http/README.md). MALLOC_ARENA_MAX or GLIBC_TUNABLES, when
// set, still decide.
void limit_malloc_arenas(std::size_t search_threads) {
#ifdef M_ARENA_MAX
    if (std::getenv("MALLOC_ARENA_MAX") || std::getenv("GLIBC_TUNABLES")) return;
    if (search_threads == 0) search_threads = std::max(1u, std::thread::hardware_concurrency());
    mallopt(M_ARENA_MAX, static_cast<int>(std::max<std::size_t>(search_threads, 2)));
#else
    (void)search_threads;
#endif
}

// Freed memory stays in glibc's arenas, in holes between live blocks that
// trimming the top of a heap never reaches: a 30-minute soak grew RSS 79 →
// 98 MB after its warm-up with nothing leaked (one malloc_trim(0) gave back
// 11 MB of it). Giving the free pages back every few seconds keeps RSS near
// what is in use (benchmarks/http/README.md); one trim walks the free lists.
class FreedMemoryReturner {
public:
    explicit FreedMemoryReturner(std::chrono::seconds every)
        : thread_([every](std::stop_token stop) {
              std::mutex mutex;
              std::condition_variable_any wake;
              std::unique_lock lock(mutex);
              while (!stop.stop_requested()) {
                  wake.wait_for(lock, stop, every, [] { return false; });  // wakes early only to stop
                  if (!stop.stop_requested()) malloc_trim(0);
              }
          }) {}

private:
    std::jthread thread_;  // stopped and joined on destruction
};

// A site-relative URL (/2024/09/…) among the newest articles, or "" when
// they have none (or cannot be read now: the server says so itself). Such
// links on the search page lead to this server, not to the site.
std::string relative_article_url(const sosik::HttpServerOptions& options) {
    constexpr std::size_t kArticlesLooked = 20;
    try {
        sosik::SearcherOptions searcher_options;
        searcher_options.databases = options.databases;
        searcher_options.allow_partial = options.allow_partial;
        searcher_options.remote_timeout_ms = options.remote_timeout_ms;
        sosik::Searcher searcher(std::move(searcher_options));
        sosik::SearchRequest every_article;  // an empty query matches all
        every_article.limit = kArticlesLooked;
        every_article.sort = sosik::SortOrder::newest_first;
        every_article.snippets = false;
        for (const sosik::Hit& hit : searcher.search(every_article).hits)
            if (hit.url.starts_with('/') && !hit.url.starts_with("//")) return hit.url;
    } catch (const sosik::Error&) {
    }
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    sosik::HttpServerOptions options;
    std::string listen = "127.0.0.1:8080";
    double remote_timeout = 10;
    unsigned long cache_mb = 64;
    std::string ranking_file;
    po::options_description visible(
        "Usage: sosik-serve [options]\n\n"
        "Serves GET /api/search (the JSON of sosik-search --json), /api/stats, /healthz,\n"
        "a search page at /, and /widget.js with a demo at /widget-demo.html.\n\n"
        "Give --site-url when the articles' URLs are site-relative (a Jekyll blog's\n"
        "/2024/09/02/post.html): the search page links them to the site there, not to\n"
        "this server, where they would give 404.\n\n"
        "Options");
    visible.add_options()
        ("help,h", "show this help")
        ("version", "show the version")
        ("db,d", po::value(&options.databases)->composing(),
         "database folder, stub file or tcp://HOST:PORT (xapian-tcpsrv); repeatable ($SOSIK_DB, else ./sosik-db)")
        ("site-url", po::value(&options.site_url),
         "where the site is, as https://news.example.com; site-relative article URLs on the search "
         "page link there (without it, to this server, which gives 404)")
        ("allow-partial", po::bool_switch(&options.allow_partial),
         "answer from the live shards when a remote shard is down (JSON \"partial\": true)")
        ("remote-timeout", po::value(&remote_timeout)->default_value(10),
         "seconds a remote shard may take to answer before it counts as down")
        ("listen", po::value(&listen), "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free one)")
        ("threads", po::value(&options.search_threads), "searches run at once (default: one per core)")
        ("connections", po::value(&options.connection_threads), "connections served at once (default 128)")
        ("max-queue", po::value(&options.max_waiting),
         "searches that may wait while every search thread is busy; past that, 503 with Retry-After at once (default 64)")
        ("cache-mb", po::value(&cache_mb)->default_value(64),
         "memory for replies kept for repeated searches, forgotten when the index changes (0: no cache)")
        ("cors-origin", po::value(&options.cors_origins)->composing(), "an origin whose pages may call /api/ (e.g. https://news.example.com, or *); repeatable")
        ("base-path", po::value(&options.base_path), "serve everything under this path (e.g. /search) behind a reverse proxy")
        ("ranking", po::value(&ranking_file), "tuning aid: ranking parameters as key = value lines (README, \"Tuning\")");

    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, visible), vm);
        po::notify(vm);
    } catch (const po::error& error) {
        std::cerr << "sosik-serve: " << error.what() << " (see --help)\n";
        return kExitUsage;
    }
    if (vm.count("help")) {
        std::cout << visible;
        return kExitOk;
    }
    if (vm.count("version")) {
        std::cout << "sosik-serve " << SOSIK_VERSION << "\n";
        return kExitOk;
    }
    if (options.databases.empty()) options.databases.push_back(default_database());
    if (!(remote_timeout > 0 && remote_timeout <= 3600)) {
        std::cerr << "sosik-serve: --remote-timeout: give seconds between 0 and 3600 (see --help)\n";
        return kExitUsage;
    }
    options.remote_timeout_ms = static_cast<unsigned>(remote_timeout * 1000);
    if (cache_mb > 64 * 1024) {
        std::cerr << "sosik-serve: --cache-mb: give at most 65536 (see --help)\n";
        return kExitUsage;
    }
    options.cache_bytes = static_cast<std::size_t>(cache_mb) << 20;
    if (!ranking_file.empty()) {
        try {
            options.ranking = sosik::load_ranking_params(ranking_file);
        } catch (const sosik::Error& error) {
            std::cerr << "sosik-serve: " << error.what() << "\n";
            return kExitUsage;
        }
    }

    // SIGTERM and SIGINT are taken by sigwait() in one thread, which then
    // stops the server from outside any signal handler. Blocked before any
    // thread starts, so every thread inherits the mask.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
    limit_malloc_arenas(options.search_threads);  // before any thread allocates
    signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server

    try {
        parse_listen(listen, options);
        while (options.base_path.ends_with('/')) options.base_path.pop_back();
        sosik::HttpServer server(options);
        server.bind();
        if (options.site_url.empty()) {
            if (const std::string url = relative_article_url(options); !url.empty())
                std::cerr << "sosik-serve: warning: articles have site-relative URLs (" << url
                          << ") and no --site-url was given: the search page links them to this server, where "
                             "they give 404; give --site-url https://your.site\n";
        }
        std::cerr << "sosik-serve: listening on http://" << (options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host)
                  << ":" << server.port() << options.base_path << "/" << std::endl;

        // Whoever sets `stopping` first decides: the watcher on a signal, or
        // main when run() returned by itself (then the server is left alone).
        std::atomic<bool> stopping = false;
        const FreedMemoryReturner returner(std::chrono::seconds(5));
        std::thread watcher([&] {
            int signal_number = 0;
            sigwait(&stop_signals, &signal_number);
            if (stopping.exchange(true)) return;
            std::cerr << "sosik-serve: " << strsignal(signal_number) << ": finishing requests in flight\n";
            server.stop();
        });
        server.run();  // returns once in-flight requests are answered
        if (!stopping.exchange(true)) {
            kill(getpid(), SIGTERM);  // wakes the watcher from sigwait so it can be joined
            watcher.join();
            std::cerr << "sosik-serve: the server stopped unexpectedly\n";
            return kExitError;
        }
        watcher.join();
        std::cerr << "sosik-serve: stopped\n";
        return kExitOk;
    } catch (const sosik::Error& error) {
        std::cerr << "sosik-serve: " << error.what() << "\n";
        return kExitError;
    }
}
