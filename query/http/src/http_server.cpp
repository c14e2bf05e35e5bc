#include <sosik/http_server.h>

#include "assets.h"
#include "database_watch.h"
#include "error_reply.h"
#include "request_params.h"
#include "response_cache.h"
#include "search_page.h"
#include "searcher_pool.h"

#include <sosik/error.h>
#include <sosik/search.h>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <functional>
#include <thread>

namespace sosik {

namespace {

using httplib::Request;
using httplib::Response;
using Clock = std::chrono::steady_clock;

// What a route serves decides how its errors look, whether browsers on other
// origins may read it, and how long it may be cached.
enum class RouteKind {
    api,    // JSON; CORS for the configured origins
    page,   // server-rendered HTML; errors as an HTML page
    asset,  // a file compiled into the binary
};

struct Route {
    std::string path;  // below --base-path
    RouteKind kind;
    std::function<void(const Request&, Response&)> handle;
};

constexpr std::string_view kJson = "application/json; charset=utf-8";
constexpr std::string_view kHtml = "text/html; charset=utf-8";

// The search page runs no script at all; the demo page runs widget.js from
// this server and nothing else.
constexpr std::string_view kPagePolicy =
    "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'";
constexpr std::string_view kDemoPolicy =
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
constexpr std::string_view kApiPolicy = "default-src 'none'; frame-ancestors 'none'";

constexpr std::size_t kLoggedTargetBytes = 300;

// How often the database is checked for commits: a commit shows in replies
// within this, and a check (a Xapian reopen, a read of one small file per
// shard) costs ~10 µs, so this is ≤ 0.1% of a core however busy the server.
constexpr std::chrono::milliseconds kWatchEvery{20};
// While the database cannot be opened: as SearcherPool retries a missing
// remote shard, without making requests wait for a connection timeout each.
constexpr std::chrono::milliseconds kWatchRetry{5000};

// httplib gives the logger no timing. The thread that runs the pre-routing
// handler writes the response and then logs it, so a per-thread start time
// is exact without any shared state.
thread_local Clock::time_point t_request_started{};

// httplib 0.11 listens with a backlog of 5, a constant compiled into Debian's
// library: bursts of new connections (a page of widget users, a load test)
// would see SYNs dropped and retried a second later. listen() again on the
// bound socket raises it.
class Listener : public httplib::Server {
public:
    void widen_backlog() { ::listen(svr_sock_, SOMAXCONN); }

    // stop() does nothing until listen_after_bind() is running; shutting the
    // listening socket down as well makes a later accept() fail at once, so a
    // stop that comes early (SIGTERM at startup) is not lost.
    // httplib's default socket options set SO_REUSEPORT, with which a second
    // server binds a busy port and the kernel splits the connections between
    // the two. SO_REUSEADDR alone still allows a restart while old
    // connections linger in TIME_WAIT, and refuses a port someone listens on.
    static void exclusive_port(socket_t sock) {
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    }

    void halt() {
        stop();
        const auto listening = svr_sock_.load();
        if (listening != INVALID_SOCKET) ::shutdown(listening, SHUT_RDWR);
    }
};

std::string normalized_base_path(std::string path) {
    while (path.ends_with('/')) path.pop_back();
    if (path.empty()) return path;
    const bool plain = std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '-' ||
               c == '_' || c == '.' || c == '~';
    });
    if (!path.starts_with('/') || !plain || path.find("//") != std::string::npos || path.find("/.") != std::string::npos)
        throw InvalidInput("--base-path: '" + path + "' is not a path like /search");
    return path;
}

// "https://news.example.com" or "http://localhost:4000": a scheme, a host, maybe a port, nothing more.
void check_origin(const std::string& origin) {
    if (origin == "*") return;
    const std::size_t authority = origin.starts_with("https://") ? 8 : origin.starts_with("http://") ? 7 : 0;
    const bool plain = authority > 0 && origin.size() > authority &&
                       std::all_of(origin.begin() + static_cast<std::ptrdiff_t>(authority), origin.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                                  c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
                       });
    if (!plain) throw InvalidInput("--cors-origin: '" + origin + "' is not an origin like https://news.example.com");
}

// httplib does not say why a bind failed: try it again to see whether the
// port is taken (EADDRINUSE) rather than the host wrong.
bool address_in_use(const std::string& host, int port) {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return false;
    bool in_use = false;
    for (const addrinfo* at = found; at && !in_use; at = at->ai_next) {
        const int sock = ::socket(at->ai_family, at->ai_socktype, at->ai_protocol);
        if (sock < 0) continue;
        int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // as the listener: TIME_WAIT is no conflict
        in_use = ::bind(sock, at->ai_addr, at->ai_addrlen) != 0 && errno == EADDRINUSE;
        ::close(sock);
    }
    ::freeaddrinfo(found);
    return in_use;
}

std::string utc_timestamp() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char buffer[40];
    const std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &utc);
    std::snprintf(buffer + n, sizeof buffer - n, ".%03dZ", static_cast<int>(millis));
    return buffer;
}

// The request target as sent, cut to a readable length, with control bytes
// and spaces replaced so one request stays one log line.
std::string loggable_target(const std::string& target) {
    std::string out = target.substr(0, kLoggedTargetBytes);
    for (char& c : out)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) c = '?';
    if (target.size() > kLoggedTargetBytes) out += "...";
    return out.empty() ? "-" : out;
}

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    http::PageContext page_context;
    http::DatabaseWatch watch;  // before its users: they keep a reference
    http::SearcherPool searchers;
    http::ResponseCache cache;
    std::vector<Route> routes;
    Listener server;
    int port = -1;

    explicit Impl(HttpServerOptions opts);

    // ---- handlers: parameters → SearchRequest → search → reply ----
    void api_search(const Request& req, Response& res) {
        const SearchRequest request = http::search_request_from(req.params);
        reply_cached(req, res, kJson, [&] {
            const SearchResult result = searchers.acquire()->search(request);
            return Fresh{to_json(result), !result.partial};
        });
    }

    void api_suggest(const Request& req, Response& res) {
        const SuggestRequest request = http::suggest_request_from(req.params);
        reply_cached(req, res, kJson, [&] { return Fresh{to_json(searchers.acquire()->suggest(request))}; });
    }

    // What the index holds for a text, or what a query's words are looked up
    // by (Elasticsearch's _analyze). Not cached: it is cheap, and text-only.
    void api_analyze(const Request& req, Response& res) {
        const http::AnalyzeRequest request = http::analyze_request_from(req.params);
        const std::string body = request.as_query ? to_json(searchers.acquire()->analyse(request.query))
                                                  : index_terms_json(request.text, request.as_title);
        reply(res, 200, body, kJson);
    }

    void api_stats(const Request&, Response& res) {
        const Searcher::Stats stats = searchers.acquire()->stats();
        const http::ResponseCache::Counts cached = cache.counts();
        const http::SearcherPool::Counts pool = searchers.counts();
        const nlohmann::json body = {{"documents", stats.documents},
                                     {"last_update", stats.last_update},
                                     {"analyzer_version", stats.analyzer_version},
                                     {"schema_version", stats.schema_version},
                                     {"server_version", SOSIK_VERSION},
                                     {"cache", {{"entries", cached.entries},
                                                {"bytes", cached.bytes},
                                                {"hits", cached.hits},
                                                {"misses", cached.misses},
                                                {"invalidations", cached.invalidations}}},
                                     {"searchers", {{"threads", searchers.size()},
                                                    {"generation", watch.current()},
                                                    {"reopens", pool.reopens},
                                                    {"waiting", pool.waiting},
                                                    {"rejected", pool.rejected}}}};
        reply(res, 200, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), kJson);
    }

    void healthz(const Request&, Response& res) { reply(res, 200, R"({"status":"ok"})", kJson); }

    void search_page(const Request& req, Response& res) {
        SearchRequest request = http::search_request_from(req.params);
        request.facets = {"category"};
        const bool asked = !request.query.empty() || !request.categories.empty() || !request.tags.empty();
        reply_cached(req, res, kHtml, [&] {
            if (!asked) return Fresh{http::render_search_page(page_context, request, nullptr)};
            const SearchResult result = searchers.acquire()->search(request);
            return Fresh{http::render_search_page(page_context, request, &result), !result.partial};
        });
        res.set_header("Content-Security-Policy", std::string(kPagePolicy));
    }

    // A search route's reply, from the cache when the same request has been
    // answered since the database last changed (X-Sosik-Cache says which).
    struct Fresh {
        std::string body;
        bool cacheable = true;  // partial results (a shard away) are not kept
    };
    void reply_cached(const Request& req, Response& res, std::string_view type, const std::function<Fresh()>& compute) {
        const std::string key = cache_key(req);
        const http::ResponseCache::Lookup lookup = cache.find(key);
        if (lookup.body) {
            reply(res, 200, *lookup.body, type);
            res.set_header("X-Sosik-Cache", "hit");
            return;
        }
        Fresh fresh = compute();
        reply(res, 200, fresh.body, type);
        res.set_header("X-Sosik-Cache", lookup.usable ? "miss" : "off");
        if (fresh.cacheable) cache.store(key, std::move(fresh.body), lookup);
    }

    // Path and parameters, each part length-prefixed so that no two
    // different requests share a key (a crafted one must not poison another's).
    static std::string cache_key(const Request& req) {
        std::string key;
        const auto add = [&key](const std::string& part) { key += std::to_string(part.size()) + ':' + part; };
        add(req.path);
        for (const auto& [name, value] : req.params) {
            add(name);
            add(value);
        }
        return key;
    }

    static std::function<void(const Request&, Response&)> asset(std::string_view content, std::string_view type,
                                                                std::string_view policy = kApiPolicy) {
        return [content, type, policy](const Request&, Response& res) {
            res.set_content(content.data(), content.size(), std::string(type));
            res.set_header("Cache-Control", "public, max-age=300");
            res.set_header("Content-Security-Policy", std::string(policy));
        };
    }

    static void reply(Response& res, int status, const std::string& body, std::string_view type) {
        res.status = status;
        res.set_content(body, std::string(type));
    }

    // ---- the plumbing around every route ----
    const Route* find_route(const std::string& path) const {
        if (!path.starts_with(options.base_path)) return nullptr;
        std::string_view below = std::string_view(path).substr(options.base_path.size());
        if (below.empty()) below = "/";  // "/search" is the page, like "/search/"
        for (const Route& route : routes)
            if (route.path == below) return &route;
        return nullptr;
    }

    void dispatch(const Request& req, Response& res) {
        const Route* route = find_route(req.path);
        if (!route) {
            reply_error(req, res, kind_of_unknown(req.path), http::status_reply(404));
            return;
        }
        if (route->kind == RouteKind::api) {
            allow_origin(req, res);
            res.set_header("Cache-Control", "no-cache");
            res.set_header("Content-Security-Policy", std::string(kApiPolicy));
        }
        try {
            route->handle(req, res);
        } catch (...) {
            const http::ErrorReply error = http::error_reply(std::current_exception());
            if (!error.detail.empty()) log_line("error: " + req.method + " " + loggable_target(req.target) + ": " + error.detail);
            reply_error(req, res, route->kind, error);
        }
    }

    RouteKind kind_of_unknown(const std::string& path) const {
        return path.starts_with(options.base_path + "/api/") ? RouteKind::api : RouteKind::page;
    }

    void reply_error(const Request& req, Response& res, RouteKind kind, const http::ErrorReply& error) {
        if (kind == RouteKind::page) {
            // The form keeps what was typed: the user corrects it rather than typing it again.
            const SearchRequest typed = http::typed_request_from(req.params);
            reply(res, error.status, http::render_error_page(page_context, error, typed), kHtml);
            res.set_header("Content-Security-Policy", std::string(kPagePolicy));
        } else {
            reply(res, error.status, http::error_json(error), kJson);
        }
        if (error.retry_after > 0) res.set_header("Retry-After", std::to_string(error.retry_after));
    }

    // CORS preflight: which methods and headers a listed origin may use.
    void preflight(const Request& req, Response& res) {
        const Route* route = find_route(req.path);
        if (!route) {
            reply_error(req, res, RouteKind::api, http::status_reply(404));
            return;
        }
        res.status = 204;
        res.set_header("Allow", "GET, HEAD, OPTIONS");
        if (route->kind == RouteKind::api && allow_origin(req, res)) {
            res.set_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS");
            res.set_header("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Language, Content-Type");
            res.set_header("Access-Control-Max-Age", "600");
        }
    }

    // Reflects the request's Origin when it is listed; true when it was.
    bool allow_origin(const Request& req, Response& res) const {
        res.set_header("Vary", "Origin");
        if (!req.has_header("Origin")) return false;
        const std::string origin = req.get_header_value("Origin");
        const auto& allowed = options.cors_origins;
        if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) {
            res.set_header("Access-Control-Allow-Origin", "*");
            return true;
        }
        if (std::find(allowed.begin(), allowed.end(), origin) == allowed.end()) return false;
        res.set_header("Access-Control-Allow-Origin", origin);
        return true;
    }

    // Statuses httplib sets itself (400 for a bad request line, 413, 414, our
    // 405) arrive here without a body: give them the API's error shape.
    httplib::Server::HandlerResponse fill_error(const Request&, Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        reply(res, res.status, http::error_json(http::status_reply(res.status)), kJson);
        return httplib::Server::HandlerResponse::Handled;
    }

    // Only reading methods exist; others are refused before their body is read.
    httplib::Server::HandlerResponse before_routing(const Request& req, Response& res) {
        t_request_started = Clock::now();
        if (req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS")
            return httplib::Server::HandlerResponse::Unhandled;
        reply(res, 405, http::error_json(http::status_reply(405)), kJson);
        res.set_header("Allow", "GET, HEAD, OPTIONS");
        res.set_header("Connection", "close");  // the unread body must not be taken for the next request
        return httplib::Server::HandlerResponse::Handled;
    }

    // time remote method target status bytes duration
    void access_log(const Request& req, const Response& res) {
        std::string duration = "-";
        if (t_request_started != Clock::time_point{}) {
            char buffer[32];
            std::snprintf(buffer, sizeof buffer, "%.2fms",
                          std::chrono::duration<double, std::milli>(Clock::now() - t_request_started).count());
            duration = buffer;
        }
        t_request_started = {};
        const std::size_t bytes = req.method == "HEAD" ? 0 : res.body.size();
        log_line(utc_timestamp() + " " + (req.remote_addr.empty() ? "-" : req.remote_addr) + " " +
                 (req.method.empty() ? "-" : loggable_target(req.method)) + " " + loggable_target(req.target) + " " +
                 std::to_string(res.status) + " " + std::to_string(bytes) + " " + duration);
    }

    void log_line(const std::string& line) const {
        if (options.access_log) {
            options.access_log(line);
        } else {
            const std::string with_newline = line + "\n";
            std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);  // one call: lines never interleave
        }
    }

    void configure_server();
};

namespace {

SearcherOptions searcher_options(const HttpServerOptions& options) {
    SearcherOptions out;
    out.databases = options.databases;
    out.allow_partial = options.allow_partial;
    out.remote_timeout_ms = options.remote_timeout_ms;
    out.connect_timeout_ms = std::min(options.remote_timeout_ms, out.connect_timeout_ms);
    out.ranking = options.ranking;
    return out;
}

}  // namespace

HttpServer::Impl::Impl(HttpServerOptions opts)
    : options(std::move(opts)),
      watch(searcher_options(options), kWatchEvery, kWatchRetry),
      searchers(searcher_options(options),
                options.search_threads ? options.search_threads : std::max(1u, std::thread::hardware_concurrency()),
                options.max_waiting, watch),
      cache(watch, options.cache_bytes) {
    options.base_path = normalized_base_path(options.base_path);
    for (const auto& origin : options.cors_origins) check_origin(origin);
    if (!options.site_url.empty() && !options.site_url.starts_with("http://") && !options.site_url.starts_with("https://"))
        throw InvalidInput("--site-url: '" + options.site_url + "' is not an http(s) URL");
    if (options.connection_threads == 0) throw InvalidInput("--connections: must be at least 1");
    page_context = {options.base_path, options.site_url};

    watch.generation();   // opens the watcher first, so that the searchers start at its generation
    searchers.acquire();  // fail now, with a clear message, if the database cannot be opened

    using namespace http::assets;
    const auto method = [this](void (Impl::*handler)(const Request&, Response&)) {
        return [this, handler](const Request& req, Response& res) { (this->*handler)(req, res); };
    };
    // Every URL the server answers, below --base-path. Nothing else is served:
    // there is no file system behind these paths.
    routes = {
        {"/", RouteKind::page, method(&Impl::search_page)},
        {"/api/search", RouteKind::api, method(&Impl::api_search)},
        {"/api/suggest", RouteKind::api, method(&Impl::api_suggest)},
        {"/api/stats", RouteKind::api, method(&Impl::api_stats)},
        {"/api/analyze", RouteKind::api, method(&Impl::api_analyze)},
        {"/healthz", RouteKind::api, method(&Impl::healthz)},
        {"/sosik.css", RouteKind::asset, asset(kPageCss, "text/css; charset=utf-8")},
        {"/widget.js", RouteKind::asset, asset(kWidgetJs, "text/javascript; charset=utf-8")},
        {"/widget.css", RouteKind::asset, asset(kWidgetCss, "text/css; charset=utf-8")},
        {"/widget-demo.html", RouteKind::asset, asset(kWidgetDemoHtml, kHtml, kDemoPolicy)},
    };
    configure_server();
}

void HttpServer::Impl::configure_server() {
    const std::size_t connections = options.connection_threads;
    server.new_task_queue = [connections] { return new httplib::ThreadPool(connections); };
    // Every response: no MIME sniffing, and article sites see our origin, never the query.
    server.set_default_headers({{"X-Content-Type-Options", "nosniff"},
                                {"Referrer-Policy", "strict-origin-when-cross-origin"}});
    server.set_socket_options(&Listener::exclusive_port);
    server.set_tcp_nodelay(true);  // a reply is headers + body in two writes: no Nagle delay between them
    server.set_read_timeout(5);
    server.set_write_timeout(5);
    server.set_keep_alive_timeout(3);  // also bounds how long a stop waits for idle connections
    server.set_keep_alive_max_count(1000);
    server.set_payload_max_length(8 * 1024);  // GET requests carry no body
    server.set_pre_routing_handler([this](const Request& req, Response& res) { return before_routing(req, res); });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const Request& req, Response& res) { return fill_error(req, res); }));
    server.set_logger([this](const Request& req, const Response& res) { access_log(req, res); });
    server.Get(".*", [this](const Request& req, Response& res) { dispatch(req, res); });
    server.Options(".*", [this](const Request& req, Response& res) { preflight(req, res); });
}

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpServer::~HttpServer() = default;

void HttpServer::bind() {
    if (impl_->port >= 0) return;
    const auto& host = impl_->options.host;
    const int wanted = impl_->options.port;
    int bound = -1;
    if (wanted == 0) bound = impl_->server.bind_to_any_port(host);
    else if (impl_->server.bind_to_port(host, wanted)) bound = wanted;
    if (bound <= 0) {
        if (address_in_use(host, wanted)) throw Error(host + ":" + std::to_string(wanted) + " is already in use");
        throw Error("cannot listen on " + host + ":" + std::to_string(wanted) + " (not an address of this machine?)");
    }
    impl_->server.widen_backlog();
    impl_->port = bound;
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::run() {
    bind();
    impl_->server.listen_after_bind();
}

void HttpServer::stop() { impl_->server.halt(); }

}  // namespace sosik
