// The HTTP front of Sosik (`sosik-serve`): the JSON search API, a
// server-rendered search page and a drop-in widget, over the query library.
// cpp-httplib and the request handlers stay private to the library.
#pragma once

#include <sosik/ranking.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sosik {

struct HttpServerOptions {
    // Folders (or Xapian stub files) searched as one, as for sosik-search.
    std::vector<std::string> databases;
    // Remote shards (see SearcherOptions): answer from the live ones, with
    // "partial": true, when some do not answer; a timeout per remote request.
    bool allow_partial = false;
    unsigned remote_timeout_ms = 10000;
    // Query-time ranking (ranking.h), as for sosik-search --ranking.
    RankingParams ranking{};

    // Where to listen. Loopback by default: put a reverse proxy in front to
    // publish it. Port 0 picks a free port (see HttpServer::port()).
    std::string host = "127.0.0.1";
    int port = 8080;

    // Searches run at once, each on its own Searcher (0: one per core).
    std::size_t search_threads = 0;
    // Connections served at once; each holds a thread while it is open
    // (cpp-httplib is thread-per-connection), so this is larger than
    // search_threads: idle keep-alive connections must not starve searches.
    std::size_t connection_threads = 128;
    // Requests that may wait for a Searcher while all search_threads are
    // busy; past that a search is answered 503 with Retry-After at once
    // rather than after a wait that only grows with the load.
    std::size_t max_waiting = 64;

    // Replies of /api/search, /api/suggest and the search page kept for
    // repeated requests, up to this many bytes; forgotten as soon as
    // sosik-index commits. 0: no cache.
    std::size_t cache_bytes = std::size_t{64} << 20;

    // Origins allowed to call /api/ from a browser (CORS), e.g.
    // "https://news.example.com"; "*" allows every origin. Empty: none.
    std::vector<std::string> cors_origins;

    // Prefix of every route and link, for a reverse proxy ("/search"); "" for none.
    std::string base_path;

    // Prefix for site-relative article URLs ("/2024/09/…") on the search page,
    // e.g. "https://news.example.com"; empty: links stay relative. The JSON
    // API always returns URLs as indexed.
    std::string site_url;

    // Receives one access-log line per request (without the newline);
    // null writes them to stderr.
    std::function<void(std::string_view line)> access_log;
};

class HttpServer {
public:
    // Checks the options and that the database opens: throws InvalidInput
    // (bad option, names it) or IndexError (database unusable).
    explicit HttpServer(HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds the listening socket, never sharing the port with another process
    // (no SO_REUSEPORT); throws Error ("HOST:PORT is already in use") when
    // the address is taken or invalid.
    void bind();
    // The bound port (after bind()), useful with port 0.
    int port() const;

    // Serves until stop(); returns after every in-flight request has been
    // answered. Binds first if bind() was not called.
    void run();

    // Stops accepting connections and makes run() return once in-flight
    // requests are done. Safe from any thread, but not from a signal handler:
    // call it from a thread that waits for the signal (see sosik-serve).
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sosik
