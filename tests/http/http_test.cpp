// Black-box tests of sosik-serve: the real executable on an ephemeral
// loopback port, real HTTP requests, indexes built by sosik-index.
#define BOOST_TEST_MODULE http
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "../support/http_support.h"
#include "../support/test_support.h"

#include <nlohmann/json.hpp>

#include <map>

#include <cstdio>
#include <fstream>
#include <sstream>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::RawConnection;
using sosik::test::run;
using sosik::test::ServeProcess;
using sosik::test::status_of;
using sosik::test::TempDir;
using sosik::test::url_encoded;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;
const std::string kServe = SOSIK_SERVE_EXE;
const std::string kSeedId = "_posts/2024-09-02-health-city-alliance.html";
const std::string kSeedTitle = "건강도시연맹 총회 서울시와 기업들 협력!";

std::string repeated(const std::string& text, std::size_t times) {
    std::string out;
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
}

sosik::test::IndexedSample& sample() { return sosik::test::indexed_sample(); }

ServeProcess& sample_server() {
    static ServeProcess server({"--db", sample().db.string(), "--cors-origin", "https://news.example.com"});
    return server;
}

httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
    auto client = sample_server().client();
    auto result = client.Get(path.c_str(), headers);
    BOOST_TEST_REQUIRE(static_cast<bool>(result), "no response for " << path);
    return result;
}

json get_json(const std::string& path) {
    const auto result = get(path);
    BOOST_TEST_REQUIRE(result->status == 200, path << ": " << result->status << " " << result->body);
    BOOST_TEST(result->get_header_value("Content-Type") == "application/json; charset=utf-8");
    return json::parse(result->body);
}

json search(const std::string& query, const std::string& more = "") {
    return get_json("/api/search?q=" + url_encoded(query) + more);
}

std::vector<std::string> hit_ids(const json& result) {
    std::vector<std::string> ids;
    for (const auto& hit : result["hits"]) ids.push_back(hit["id"].get<std::string>());
    return ids;
}

// What query/http/README.md says the page shows for `reason`: the last cell
// of the reasons table's row; empty when the reason is not listed.
std::string documented_korean(const std::string& reason) {
    std::istringstream readme(sosik::test::read_file(sosik::test::source_dir() / "query/http/README.md"));
    for (std::string line; std::getline(readme, line);) {
        if (!line.starts_with("| `" + reason + "` |")) continue;
        line.erase(line.find_last_not_of(" |") + 1);
        return line.substr(line.rfind('|') + 2);
    }
    return {};
}

std::string page_alert(const std::string& html) {
    const std::string open = "<p class=\"notice\" role=\"alert\">";
    const std::size_t at = html.find(open);
    if (at == std::string::npos) return {};
    const std::size_t begin = at + open.size();
    return html.substr(begin, html.find(" <small", begin) - begin);
}

}  // namespace

// ---- The search API ----------------------------------------------------------

BOOST_DATA_TEST_CASE(api_returns_what_sosik_search_json_prints, bdata::make({"건강도시", "서울시", "아이들", "쀍뒓뷁"}),
                     query) {
    json api = search(query);
    const auto cli = run({kSearch, "--db", sample().db.string(), "--json", query});
    BOOST_TEST_REQUIRE(cli.exit_code == 0, cli.err);
    json printed = json::parse(cli.out);
    // The same library makes both; only the time taken differs.
    api.erase("took_ms");
    printed.erase("took_ms");
    BOOST_TEST(api == printed, "API: " << api.dump() << "\nCLI: " << printed.dump());
}

// As-you-type completion: a half-typed last syllable completes to indexed
// words, most frequent first, then titles holding them.
BOOST_DATA_TEST_CASE(suggest_completes_half_typed_words,
                     bdata::make({"건강도ㅅ", "건강돗", "건강도"}), typed) {
    const json result = get_json("/api/suggest?q=" + url_encoded(typed));
    BOOST_TEST(result["query"] == typed);
    BOOST_TEST_REQUIRE(!result["suggestions"].empty());
    const auto& first = result["suggestions"][0];
    BOOST_TEST(first["kind"] == "word");
    BOOST_TEST(first["text"].get<std::string>().starts_with("건강도시"));
    BOOST_TEST(first["count"].get<int>() >= 1);
    bool title = false;
    for (const auto& s : result["suggestions"])
        title = title || (s["kind"] == "title" && s["text"].get<std::string>().find("건강도시") != std::string::npos);
    BOOST_TEST(title);
}

BOOST_AUTO_TEST_CASE(suggest_is_what_sosik_search_suggest_prints) {
    const auto cli = run({kSearch, "--db", sample().db.string(), "--json", "--limit", "5", "--suggest", "서울ㅅ"});
    BOOST_TEST_REQUIRE(cli.exit_code == 0, cli.err);
    json expected = json::parse(cli.out);
    json api = get_json("/api/suggest?limit=5&q=" + url_encoded("서울ㅅ"));
    BOOST_TEST(api["suggestions"] == expected["suggestions"]);
    BOOST_TEST(api["suggestions"][0]["text"].get<std::string>().starts_with("서울"));
}

BOOST_DATA_TEST_CASE(suggest_refuses_bad_parameters, bdata::make({"q=a&limit=0", "q=a&limit=21", "q=a&limit=x", "q=%FF"}), query) {
    const auto result = get(std::string("/api/suggest?") + query);
    BOOST_TEST(result->status == 400);
    BOOST_TEST(json::parse(result->body)["error"]["code"] == 400);
}

// A word in no article: the closest indexed word is shown, never searched instead.
BOOST_AUTO_TEST_CASE(did_you_mean_in_the_api_and_the_page) {
    const json result = search("건깅도시");
    BOOST_TEST(result["query"] == "건깅도시");
    BOOST_TEST(result["did_you_mean"] == "건강도시");
    const std::string page = get("/?q=" + url_encoded("건깅도시"))->body;
    BOOST_TEST(page.find("이것을 찾으셨나요?") != std::string::npos);
    BOOST_TEST(page.find(">건강도시</a>") != std::string::npos);
    BOOST_TEST(!search("건강도시").contains("did_you_mean"));
}

BOOST_AUTO_TEST_CASE(seed_post_comes_first_with_marked_snippet) {
    const json result = search("건강도시");
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    const json& hit = result["hits"][0];
    BOOST_TEST(hit["id"].get<std::string>() == kSeedId);
    BOOST_TEST(hit["title"].get<std::string>() == kSeedTitle);
    BOOST_TEST(hit["snippet"].get<std::string>().find("<mark>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(limit_and_offset_page_without_overlap) {
    const auto first = hit_ids(search("아이들", "&limit=2"));
    const auto second = hit_ids(search("아이들", "&limit=2&offset=2"));
    auto both = hit_ids(search("아이들", "&limit=4"));
    auto joined = first;
    joined.insert(joined.end(), second.begin(), second.end());
    BOOST_TEST(first.size() == 2u);
    BOOST_TEST(joined == both, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(category_filter_keeps_only_that_category) {
    const json result = search("서울시", "&category=" + url_encoded("건강"));
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    for (const auto& hit : result["hits"])
        BOOST_TEST((std::find(hit["categories"].begin(), hit["categories"].end(), "건강") != hit["categories"].end()),
                   hit.dump());
}

// The sample's Jekyll URLs are site-relative: without --site-url the page
// links them to the server (404), and it says so when it starts.
BOOST_AUTO_TEST_CASE(relative_urls_without_site_url_are_warned_about_at_start) {
    const std::string warning = "warning: articles have site-relative URLs (/";
    const std::string log = sample_server().stderr_text();
    BOOST_TEST(log.find(warning) != std::string::npos, log);
    BOOST_TEST(log.find("--site-url https://") != std::string::npos, log);
    ServeProcess with_site_url({"--db", sample().db.string(), "--site-url", "https://news.example.com"});
    BOOST_TEST(with_site_url.stderr_text().find(warning) == std::string::npos, with_site_url.stderr_text());

    // Absolute URLs (a CMS export) need no --site-url.
    TempDir dir;
    sosik::test::write_file(dir / "export.jsonl",
                            R"({"id":"a1","title":"기사","body":"본문","url":"https://news.example.com/a1"})" "\n");
    const auto indexed = run({kIndex, "--quiet", "--db", (dir / "db").string(), (dir / "export.jsonl").string()});
    BOOST_TEST_REQUIRE(indexed.exit_code == 0, indexed.err);
    ServeProcess absolute({"--db", (dir / "db").string()});
    BOOST_TEST(absolute.stderr_text().find(warning) == std::string::npos, absolute.stderr_text());

    const auto help = run({kServe, "--help"});
    BOOST_TEST(help.out.find("Give --site-url when") != std::string::npos, help.out);
}

// The sample was indexed without --site: a site filter leaves nothing (ignored, it would leave all).
BOOST_AUTO_TEST_CASE(site_filter_is_read) {
    BOOST_TEST(!search("서울시")["hits"].empty());
    BOOST_TEST(search("서울시", "&site=blog-a")["hits"].empty());
}

BOOST_AUTO_TEST_CASE(date_filters_and_sort) {
    const json result = search("아이들", "&since=2023&until=2024-06&sort=date&limit=50");
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    std::string previous = "9999";
    for (const auto& hit : result["hits"]) {
        const std::string day = hit["date"].get<std::string>().substr(0, 10);
        // Parenthesized: Boost.Test would compare strings element by element.
        BOOST_TEST((day >= "2023-01-01"), day);
        BOOST_TEST((day <= "2024-06-30"), day);
        BOOST_TEST((day <= previous), "newest first: " << day << " after " << previous);
        previous = day;
    }
    const json oldest = search("아이들", "&sort=%2Bdate&limit=50");
    const json oldest_word = search("아이들", "&sort=oldest&limit=50");
    BOOST_TEST(hit_ids(oldest) == hit_ids(oldest_word), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(unknown_parameters_are_ignored) {
    const json plain = search("서울시");
    json with_extra = search("서울시", "&utm_source=x&callback=alert&q2=%FF");
    BOOST_TEST(hit_ids(plain) == hit_ids(with_extra), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(stats_and_health) {
    const json stats = get_json("/api/stats");
    BOOST_TEST(stats["documents"].get<std::size_t>() >= 31u);
    BOOST_TEST(!stats["analyzer_version"].get<std::string>().empty());
    BOOST_TEST(stats.contains("last_update"));
    BOOST_TEST(stats["searchers"]["threads"] == 2);
    BOOST_TEST(stats["searchers"]["rejected"] == 0);
    BOOST_TEST(get_json("/healthz")["status"] == "ok");
}

// GET /api/analyze, as Elasticsearch users call _analyze: the terms a text
// gets in the index, or what a query's words are looked up by.
BOOST_AUTO_TEST_CASE(analyze_shows_the_indexed_terms_and_the_query_expansions) {
    const json text = get_json("/api/analyze?text=" + url_encoded("서울시가"));
    BOOST_TEST(text["field"] == "body");
    std::map<std::string, std::string> layer_of;
    for (const auto& term : text["terms"]) layer_of[term["term"].get<std::string>()] = term["layer"].get<std::string>();
    BOOST_TEST(layer_of["Z서울시"] == "stem");
    BOOST_TEST(layer_of["XG울시가"] == "compound");

    const json title = get_json("/api/analyze?field=title&text=" + url_encoded("건강도시"));
    BOOST_TEST(title["terms"].back()["layer"] == "title initials");

    const json query = get_json("/api/analyze?query=1&text=" + url_encoded("건강도시"));
    BOOST_TEST(query["words"][0]["compound_parts"] == json::array({"건강도", "강도시"}));

    for (const std::string& bad : std::vector<std::string>{"field=x&text=a", "", "query=2&text=a", "query=1&field=title&text=a",
                                  "text=%FF", "query=1&text=" + std::string(1001, 'a')}) {
        const auto result = get("/api/analyze?" + bad);
        BOOST_TEST(result->status == 400, bad << ": " << result->body);
    }
}

struct BadRequest {
    std::string query_string;
    std::string parameter;
    std::string reason;
};
std::ostream& operator<<(std::ostream& out, const BadRequest& bad) {
    return out << bad.query_string.substr(0, 60) << (bad.query_string.size() > 60 ? "…" : "");
}

const std::vector<BadRequest> kBadRequests = {
    {"q=x&limit=1e9", "limit", "invalid_limit"},
    {"q=x&limit=-1", "limit", "invalid_limit"},
    {"q=x&limit=0", "limit", "invalid_limit"},
    {"q=x&limit=101", "limit", "invalid_limit"},
    {"q=x&limit=", "limit", "invalid_limit"},
    {"q=x&offset=-5", "offset", "invalid_offset"},
    {"q=x&offset=10001", "offset", "invalid_offset"},
    {"q=" + std::string(1001, 'a'), "q", "query_too_long"},
    {"q=" + std::string(2000, 'a'), "q", "query_too_long"},
    {"q=" + url_encoded(repeated("가", 340)), "q", "query_too_long"},  // 1,020 bytes of Hangul
    {"q=%FF%FE%FD", "q", "invalid_text"},
    {"q=%ED%A0%80", "q", "invalid_text"},  // a UTF-16 surrogate written as UTF-8
    {"q=%C0%AF", "q", "invalid_text"},     // an overlong '/'
    {"q=a%00b", "q", "invalid_text"},
    {"q=x&since=2024-13-45", "since", "invalid_date"},
    {"q=x&until=yesterday", "until", "invalid_date"},
    {"q=" + url_encoded("date:2017-13"), "q", "invalid_date"},
    {"q=" + url_encoded("서울 title:"), "q", "empty_filter"},
    {"q=x&sort=sideways", "sort", "invalid_sort"},
    {"q=x&category=%FF", "category", "invalid_text"},
    {"q=x&tag=" + std::string(201, 't'), "tag", "value_too_long"},
    {"q=x&tag=a&tag=b&tag=c&tag=d&tag=e&tag=f&tag=g&tag=h&tag=i&tag=j&tag=k", "tag", "too_many_values"},
    {"q=x&facets=colour", "facets", "invalid_facet"},
    {"q=x&spacing=2", "spacing", "invalid_spacing"},
};

BOOST_DATA_TEST_CASE(bad_parameters_are_400_naming_them, bdata::make(kBadRequests), bad) {
    const auto result = get("/api/search?" + bad.query_string);
    BOOST_TEST(result->status == 400);
    BOOST_TEST(result->get_header_value("Content-Type") == "application/json; charset=utf-8");
    const json body = json::parse(result->body);
    BOOST_TEST(body["error"]["code"] == 400);
    BOOST_TEST(body["error"]["reason"] == bad.reason, body.dump());
    BOOST_TEST(body["error"]["parameter"] == bad.parameter, body.dump());
    // A filter in the query text is named as typed ("date: '2017-13' …"), the rest by parameter.
    const bool in_query_text = bad.parameter == "q" && (bad.reason == "invalid_date" || bad.reason == "empty_filter");
    if (!in_query_text)
        BOOST_TEST(body["error"]["message"].get<std::string>().starts_with(bad.parameter + ":"), body.dump());
    // The page's Korean words for the reason: Hangul (UTF-8 lead byte 0xEA–0xED), not the English message.
    const std::string korean = body["error"]["message_ko"];
    BOOST_TEST((korean.find("\xEB") != std::string::npos || korean.find("\xEC") != std::string::npos), body.dump());
    BOOST_TEST(korean != body["error"]["message"].get<std::string>());
}

// The search page answers the same requests with the Korean text the README
// lists for the reason, and keeps what was typed in the box (it was emptied,
// and the message was English).
// The page asks for its own facets and reads no such parameter.
std::vector<BadRequest> bad_page_requests() {
    std::vector<BadRequest> out;
    std::copy_if(kBadRequests.begin(), kBadRequests.end(), std::back_inserter(out),
                 [](const BadRequest& bad) { return bad.parameter != "facets"; });
    return out;
}

BOOST_DATA_TEST_CASE(the_page_says_what_went_wrong_in_korean_and_keeps_the_query, bdata::make(bad_page_requests()), bad) {
    const auto page = get("/?" + bad.query_string);
    BOOST_TEST(page->status == 400);
    const std::string korean = documented_korean(bad.reason);
    BOOST_TEST_REQUIRE(!korean.empty(), bad.reason << " is not in query/http/README.md");
    BOOST_TEST(page_alert(page->body) == korean);
    if (bad.query_string.starts_with("q=x&")) BOOST_TEST(page->body.find("name=\"q\" value=\"x\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_page_keeps_a_query_it_refused) {
    for (const std::string& typed : {std::string("서울 date:2017-13"), repeated("가", 340)}) {
        const auto page = get("/?q=" + url_encoded(typed) + "&category=" + url_encoded("건강"));
        BOOST_TEST(page->status == 400);
        BOOST_TEST(page->body.find("name=\"q\" value=\"" + typed + "\"") != std::string::npos, page->body);
        // A new search from the box stays within the filter the user had chosen.
        BOOST_TEST(page->body.find("name=\"category\" value=\"건강\"") != std::string::npos);
    }
    const auto unreadable = get("/?q=%FF%FE");  // not text: nothing to show again
    BOOST_TEST(unreadable->body.find("name=\"q\" value=\"\"") != std::string::npos);
}

struct StatusError {
    std::string method, target;
    int status;
    std::string reason;
};
std::ostream& operator<<(std::ostream& out, const StatusError& e) { return out << e.method << " " << e.target.substr(0, 40); }

BOOST_DATA_TEST_CASE(every_error_has_a_reason,
                     bdata::make(std::vector<StatusError>{
                         {"GET", "/api/nope", 404, "not_found"},
                         {"POST", "/api/search", 405, "method_not_allowed"},
                         {"GET", "/api/search?q=" + std::string(10000, 'a'), 414, "uri_too_long"},
                         {"GET", "/api/suggest?q=a&limit=21", 400, "invalid_limit"},
                         {"GET", "/api/analyze?query=2&text=a", 400, "invalid_mode"},
                         {"GET", "/api/analyze?field=title", 400, "missing_text"},
                         {"GET", "/api/analyze?text=a&field=head", 400, "invalid_field"},
                     }),
                     e) {
    RawConnection connection(sample_server().port());
    connection.send_text(e.method + " " + e.target + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    const std::string response = connection.receive_all();
    BOOST_TEST(status_of(response) == e.status, response.substr(0, 200));
    const json body = json::parse(response.substr(response.find("\r\n\r\n") + 4));
    BOOST_TEST(body["error"]["code"] == e.status);
    BOOST_TEST(body["error"]["reason"] == e.reason, body.dump());
}

// Every reason the API can give is in the README's table with the page's text.
BOOST_AUTO_TEST_CASE(every_reason_is_documented) {
    for (const char* reason : {"query_too_long", "invalid_text", "value_too_long", "too_many_values", "invalid_limit",
                               "invalid_offset", "invalid_sort", "invalid_spacing", "invalid_date", "invalid_facet",
                               "empty_filter", "invalid_mode", "missing_text", "invalid_field", "invalid_input", "bad_request", "not_found", "method_not_allowed",
                               "request_too_large", "uri_too_long", "overloaded", "index_unavailable", "internal_error",
                               "http_error", "no_words"})
        BOOST_TEST(!documented_korean(reason).empty(), reason);
    BOOST_TEST(page_alert(get("/nope")->body) == documented_korean("not_found"));
}

// ---- What is served, and what is not ------------------------------------------

BOOST_DATA_TEST_CASE(only_built_in_paths_exist,
                     bdata::make({"/nope", "/api/nope", "/../../etc/passwd", "/widget.js/../x", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/widget.js%2f..%2f..%2fetc%2fpasswd", "/..%2f..%2fetc%2fpasswd", "//etc/passwd",
                                  "/api/search/../../../etc/passwd", "/CMakeLists.txt", "/assets/widget.js",
                                  "/widget.js%00.html"}),
                     path) {
    RawConnection connection(sample_server().port());
    connection.send_text(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string response = connection.receive_all();
    BOOST_TEST(status_of(response) == 404, response.substr(0, 200));
    BOOST_TEST(response.find("root:") == std::string::npos);
}

BOOST_DATA_TEST_CASE(only_reading_methods_are_allowed, bdata::make({"POST", "PUT", "DELETE", "PATCH"}), method) {
    RawConnection connection(sample_server().port());
    connection.send_text(std::string(method) +
                         " /api/search HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    const std::string response = connection.receive_all();
    BOOST_TEST(status_of(response) == 405, response.substr(0, 200));
    BOOST_TEST(response.find("Allow: GET, HEAD, OPTIONS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_query_past_the_uri_limit_is_414_with_the_json_error) {
    // httplib refuses request lines over 8 KiB (a constant of Debian's build)
    // before any handler runs; the answer still has the API's error shape.
    const auto result = get("/api/search?q=" + std::string(10000, 'a'));
    BOOST_TEST(result->status == 414);
    BOOST_TEST(json::parse(result->body)["error"]["code"] == 414);
}

BOOST_AUTO_TEST_CASE(oversized_requests_are_refused) {
    // Each request is sent only as far as the server reads before refusing it:
    // bytes left unread would turn its close into a reset that loses the answer.
    {
        RawConnection connection(sample_server().port());
        connection.send_text("GET /api/search?q=" + std::string(20000, 'a') + " HTTP/1.1\r\n");
        const int status = status_of(connection.receive_all());
        BOOST_TEST((status == 414 || status == 400), status);
    }
    {
        RawConnection connection(sample_server().port());
        connection.send_text("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
        const int status = status_of(connection.receive_all());
        BOOST_TEST((status == 400 || status == 431 || status == 0), status);  // 0: closed without an answer
    }
    {
        RawConnection connection(sample_server().port());
        connection.send_text("GARBAGE\r\n");
        BOOST_TEST(status_of(connection.receive_all()) == 400);
    }
    // Still serving.
    BOOST_TEST(get_json("/healthz")["status"] == "ok");
}

BOOST_AUTO_TEST_CASE(assets_are_served_with_their_types) {
    const auto widget = get("/widget.js");
    BOOST_TEST(widget->status == 200);
    BOOST_TEST(widget->get_header_value("Content-Type") == "text/javascript; charset=utf-8");
    BOOST_TEST(widget->body.find("data-sosik") != std::string::npos);
    BOOST_TEST(widget->body.find("innerHTML") == std::string::npos, "the widget builds its DOM from text");
    BOOST_TEST(get("/widget.css")->get_header_value("Content-Type") == "text/css; charset=utf-8");
    BOOST_TEST(get("/sosik.css")->get_header_value("Content-Type") == "text/css; charset=utf-8");
    const auto demo = get("/widget-demo.html");
    BOOST_TEST(demo->status == 200);
    BOOST_TEST(demo->body.find("<div data-sosik") != std::string::npos);
    BOOST_TEST(demo->body.find("<script src=\"widget.js\" defer>") != std::string::npos);
    BOOST_TEST(demo->get_header_value("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
    for (const auto* path : {"/widget.js", "/", "/api/search?q=x"})
        BOOST_TEST(get(path)->get_header_value("X-Content-Type-Options") == "nosniff", path);
}

BOOST_AUTO_TEST_CASE(head_answers_without_a_body) {
    auto client = sample_server().client();
    const auto result = client.Head("/api/search?q=%EC%84%9C%EC%9A%B8%EC%8B%9C");
    BOOST_TEST_REQUIRE(static_cast<bool>(result));
    BOOST_TEST(result->status == 200);
    BOOST_TEST(result->body.empty());
}

// ---- CORS ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(cors_reflects_only_listed_origins) {
    const auto allowed = get("/api/search?q=x", {{"Origin", "https://news.example.com"}});
    BOOST_TEST(allowed->get_header_value("Access-Control-Allow-Origin") == "https://news.example.com");
    BOOST_TEST(allowed->get_header_value("Vary") == "Origin");
    const auto refused = get("/api/search?q=x", {{"Origin", "https://evil.example"}});
    BOOST_TEST(refused->status == 200);  // the browser, not the server, withholds the answer
    BOOST_TEST(!refused->has_header("Access-Control-Allow-Origin"));
    BOOST_TEST(refused->get_header_value("Vary") == "Origin");
    BOOST_TEST(!get("/", {{"Origin", "https://news.example.com"}})->has_header("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(cors_preflight) {
    auto client = sample_server().client();
    const auto allowed = client.Options("/api/search", {{"Origin", "https://news.example.com"},
                                                        {"Access-Control-Request-Method", "GET"},
                                                        {"Access-Control-Request-Headers", "content-type"}});
    BOOST_TEST_REQUIRE(static_cast<bool>(allowed));
    BOOST_TEST(allowed->status == 204);
    BOOST_TEST(allowed->get_header_value("Access-Control-Allow-Origin") == "https://news.example.com");
    BOOST_TEST(allowed->get_header_value("Access-Control-Allow-Methods").find("GET") != std::string::npos);
    BOOST_TEST(allowed->get_header_value("Access-Control-Allow-Headers").find("Content-Type") != std::string::npos);
    BOOST_TEST(allowed->has_header("Access-Control-Max-Age"));
    const auto refused = client.Options("/api/search", {{"Origin", "https://evil.example"},
                                                        {"Access-Control-Request-Method", "GET"}});
    BOOST_TEST_REQUIRE(static_cast<bool>(refused));
    BOOST_TEST(!refused->has_header("Access-Control-Allow-Origin"));
    BOOST_TEST(!refused->has_header("Access-Control-Allow-Methods"));
    const auto nowhere = client.Options("/nope", {{"Origin", "https://news.example.com"}});
    BOOST_TEST_REQUIRE(static_cast<bool>(nowhere));
    BOOST_TEST(nowhere->status == 404);
}

BOOST_AUTO_TEST_CASE(cors_wildcard_when_asked_for) {
    ServeProcess server({"--db", sample().db.string(), "--cors-origin", "*"});
    auto client = server.client();
    const auto result = client.Get("/api/search?q=x", {{"Origin", "https://anyone.example"}});
    BOOST_TEST_REQUIRE(static_cast<bool>(result));
    BOOST_TEST(result->get_header_value("Access-Control-Allow-Origin") == "*");
}

// ---- The search page -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(search_page_shows_hits_without_script) {
    const auto page = get("/?q=" + url_encoded("건강도시"));
    BOOST_TEST(page->status == 200);
    BOOST_TEST(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    const std::string& html = page->body;
    BOOST_TEST(html.find("<html lang=\"ko\">") != std::string::npos);
    BOOST_TEST(html.find("name=\"viewport\"") != std::string::npos);
    BOOST_TEST(html.find("<script") == std::string::npos, "the page works without JavaScript");
    BOOST_TEST(html.find("<mark>건강도시</mark>") != std::string::npos);
    BOOST_TEST(html.find("href=\"/건강/2024/09/02/health-city-alliance.html\"") != std::string::npos);
    BOOST_TEST(html.find("결과 <strong>") != std::string::npos);
    BOOST_TEST(html.find("value=\"건강도시\"") != std::string::npos);
    BOOST_TEST(html.find("2024.09.02") != std::string::npos);
    const std::string policy = page->get_header_value("Content-Security-Policy");
    BOOST_TEST(policy.find("default-src 'none'") != std::string::npos);
    BOOST_TEST(policy.find("script-src") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(search_page_pages_and_links_categories) {
    const std::string html = get("/?limit=2&q=" + url_encoded("아이들"))->body;
    BOOST_TEST(html.find("rel=\"next\"") != std::string::npos);
    BOOST_TEST(html.find("다음") != std::string::npos);
    BOOST_TEST(html.find("offset=2") != std::string::npos);
    // Categories of each hit link to the same search narrowed to them.
    BOOST_TEST(html.find("&amp;category=") != std::string::npos);
    const std::string second = get("/?limit=2&offset=2&q=" + url_encoded("아이들"))->body;
    BOOST_TEST(second.find("rel=\"prev\"") != std::string::npos);
    BOOST_TEST(second.find("<ol class=\"hits\" start=\"3\">") != std::string::npos);
}

// Paged past the end: the API keeps the total and echoes the paging; the page
// says how many match (not "no results") and leads back to the last page
// (it showed "11 / 2").
BOOST_AUTO_TEST_CASE(past_the_last_page_the_total_is_still_told) {
    const std::size_t total = search("아이들")["total"];
    BOOST_TEST_REQUIRE(total > 5u);
    const json api = search("아이들", "&limit=5&offset=100");
    BOOST_TEST(api["total"] == total);
    BOOST_TEST(api["hits"].empty());
    BOOST_TEST(api["offset"] == 100);
    BOOST_TEST(api["limit"] == 5);
    const std::string html = get("/?limit=5&offset=100&q=" + url_encoded("아이들"))->body;
    BOOST_TEST(html.find("결과 <strong>" + std::to_string(total) + "</strong>건 · 이 페이지(101번째부터)에는 결과가 없습니다.") !=
                   std::string::npos,
               html);
    BOOST_TEST(html.find("검색 결과가 없습니다") == std::string::npos);
    BOOST_TEST(html.find("class=\"page\"") == std::string::npos, "no \"21 / 3\" past the end");
    const std::string last_page = "offset=" + std::to_string((total - 1) / 5 * 5);
    BOOST_TEST(html.find("rel=\"prev\" href=\"/?q=" + url_encoded("아이들") + "&amp;" + last_page + "&amp;limit=5\"") !=
                   std::string::npos,
               html);
    // The last page itself is numbered as one of the pages.
    const std::string last = get("/?limit=5&" + last_page + "&q=" + url_encoded("아이들"))->body;
    const std::string pages = std::to_string((total + 4) / 5);
    BOOST_TEST(last.find("<span class=\"page\">" + pages + " / " + pages + "</span>") != std::string::npos, last);
}

// Punctuation alone matched every article with score 0.
BOOST_DATA_TEST_CASE(a_query_without_words_finds_nothing_and_says_why, bdata::make({"!!!", "((("}), query) {
    const json api = search(query);
    BOOST_TEST(api["total"] == 0);
    BOOST_TEST(api["hits"].empty());
    BOOST_TEST(api["notice"]["reason"] == "no_words");
    const auto page = get("/?q=" + url_encoded(query));
    BOOST_TEST(page->status == 200);
    BOOST_TEST(page->body.find("<p class=\"notice\" role=\"status\">" + documented_korean("no_words") + "</p>") !=
                   std::string::npos,
               page->body);
    BOOST_TEST(page->body.find("class=\"hits\"") == std::string::npos);
    BOOST_TEST(page->body.find("value=\"" + std::string(query) + "\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(search_page_without_query_is_just_the_form) {
    const auto page = get("/");
    BOOST_TEST(page->status == 200);
    BOOST_TEST(page->body.find("<form class=\"searchbox\"") != std::string::npos);
    BOOST_TEST(page->body.find("class=\"hits\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(search_page_errors_are_pages) {
    const auto page = get("/?q=%FF");
    BOOST_TEST(page->status == 400);
    BOOST_TEST(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
    BOOST_TEST(page->body.find("role=\"alert\"") != std::string::npos);
    BOOST_TEST(get("/nope")->get_header_value("Content-Type") == "text/html; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(base_path_prefixes_every_route_and_link) {
    ServeProcess server({"--db", sample().db.string(), "--base-path", "/search"});
    auto client = server.client();
    const auto api = client.Get("/search/api/search?q=%EC%84%9C%EC%9A%B8%EC%8B%9C");
    BOOST_TEST_REQUIRE(static_cast<bool>(api));
    BOOST_TEST(api->status == 200);
    BOOST_TEST(client.Get("/api/search?q=x")->status == 404);
    BOOST_TEST(client.Get("/search/widget.js")->status == 200);
    const auto page = client.Get("/search/?q=%EC%84%9C%EC%9A%B8%EC%8B%9C");
    BOOST_TEST(page->status == 200);
    BOOST_TEST(page->body.find("href=\"/search/sosik.css\"") != std::string::npos);
    BOOST_TEST(page->body.find("action=\"/search/\"") != std::string::npos);
    BOOST_TEST(client.Get("/search")->status == 200);
}

// ---- Hostile articles ----------------------------------------------------------

BOOST_AUTO_TEST_CASE(article_markup_is_shown_as_text_never_run) {
    TempDir dir;
    const json article = {
        {"id", "hostile-1"},
        // Titles and bodies are HTML in JSON Lines: the escaped tags are text, the real ones markup.
        {"title", "&lt;script&gt;alert(1)&lt;/script&gt; 악성제목검사 &lt;img src=x onerror=alert(2)&gt;"},
        {"body", "<p>악성제목검사 &lt;script&gt;alert(3)&lt;/script&gt; 문자열과 &quot;따옴표&quot; &amp; 기호가 있다</p>"
                 "<script>alert(9)</script>"},
        {"date", "2024-05-01"},
        {"url", "javascript:alert(4)"},
        {"categories", {"<b>위험</b>"}},
    };
    sosik::test::write_file(dir / "archive" / "hostile.jsonl", article.dump() + "\n");
    const auto indexing = run({kIndex, "--db", (dir / "db").string(), (dir / "archive").string()});
    BOOST_TEST_REQUIRE(indexing.exit_code == 0, indexing.err);
    ServeProcess server({"--db", (dir / "db").string()});
    auto client = server.client();

    const auto api = client.Get("/api/search?q=" + url_encoded("악성제목검사"));
    BOOST_TEST_REQUIRE(static_cast<bool>(api));
    const json result = json::parse(api->body);
    BOOST_TEST_REQUIRE(result["hits"].size() == 1u, api->body);
    const json& hit = result["hits"][0];
    // Plain fields are the text itself (JSON-escaped); *_html fields are HTML-escaped.
    BOOST_TEST(hit["title"].get<std::string>().find("<script>alert(1)</script>") != std::string::npos);
    for (const char* field : {"title_html", "snippet"}) {
        const std::string html = hit[field];
        BOOST_TEST(html.find("<script") == std::string::npos, field << ": " << html);
        BOOST_TEST(html.find("<img") == std::string::npos, field << ": " << html);
    }
    BOOST_TEST(hit["title_html"].get<std::string>().find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    BOOST_TEST(hit["snippet"].get<std::string>().find("&lt;script&gt;alert(3)") != std::string::npos, hit["snippet"]);

    const auto page = client.Get("/?q=" + url_encoded("악성제목검사"));
    BOOST_TEST_REQUIRE(static_cast<bool>(page));
    const std::string& html = page->body;
    BOOST_TEST(html.find("<script") == std::string::npos);
    BOOST_TEST(html.find("<img") == std::string::npos);
    BOOST_TEST(html.find("<b>") == std::string::npos);
    BOOST_TEST(html.find("javascript:") == std::string::npos, "a javascript: URL must not become a link");
    BOOST_TEST(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
    BOOST_TEST(html.find("&lt;b&gt;위험&lt;/b&gt;") != std::string::npos);

    // A hostile query is echoed escaped in the form and the title.
    const auto echoed = client.Get("/?q=" + url_encoded("\"><script>alert(5)</script>"));
    BOOST_TEST(echoed->body.find("<script>alert(5)") == std::string::npos);
    BOOST_TEST(echoed->body.find("&quot;&gt;&lt;script&gt;alert(5)") != std::string::npos);
}

// ---- Live index and shutdown ---------------------------------------------------

BOOST_AUTO_TEST_CASE(new_articles_appear_without_restart_while_searches_go_on) {
    TempDir dir;
    const fs::path site = dir / "site";
    fs::copy(sosik::test::source_dir() / "data", site, fs::copy_options::recursive);
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    ServeProcess server({"--db", db.string()});
    const std::string fresh_query = "/api/search?q=" + url_encoded("반딧불이생태공원");
    std::size_t documents_before = 0;
    {
        auto client = server.client();
        BOOST_TEST(json::parse(client.Get(fresh_query)->body)["total"] == 0);
        documents_before = json::parse(client.Get("/api/stats")->body)["documents"];
    }

    // Searches keep answering while sosik-index writes.
    std::atomic<bool> indexing = true;
    std::atomic<int> answered = 0, failed = 0;
    std::thread searching([&] {
        auto client = server.client();
        while (indexing) {
            const auto result = client.Get("/api/search?q=" + url_encoded("서울시"));
            if (result && result->status == 200) ++answered;
            else ++failed;
        }
    });
    sosik::test::write_file(site / "_posts" / "2025-09-01-firefly-park.md",
                            "---\ntitle: 반딧불이생태공원 문을 열다\ncategories: [환경]\n---\n\n"
                            "무주군이 반딧불이생태공원을 열었다. 여름밤 반딧불이를 볼 수 있다.\n");
    const auto reindex = run({kIndex, "--db", db.string(), site.string()});
    BOOST_TEST(reindex.exit_code == 0, reindex.err);

    json found;
    auto client = server.client();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
        found = json::parse(client.Get(fresh_query)->body);
        if (found["total"] != 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    indexing = false;
    searching.join();
    BOOST_TEST_REQUIRE(found["hits"].size() == 1u, found.dump());
    BOOST_TEST(found["hits"][0]["id"].get<std::string>().find("firefly-park") != std::string::npos);
    BOOST_TEST(answered > 0);
    BOOST_TEST(failed == 0);
    BOOST_TEST(json::parse(client.Get("/api/stats")->body)["documents"].get<std::size_t>() == documents_before + 1);
}

// A repeated search is answered from the cache, byte for byte, until
// sosik-index commits: the first search after that sees the new article.
BOOST_AUTO_TEST_CASE(repeated_searches_come_from_the_cache_until_the_index_changes) {
    TempDir dir;
    const fs::path site = dir / "site";
    fs::copy(sosik::test::source_dir() / "data", site, fs::copy_options::recursive);
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    ServeProcess server({"--db", db.string()});
    auto client = server.client();
    const std::string query = "/api/search?q=" + url_encoded("서울시");
    const auto first = client.Get(query);
    const auto second = client.Get(query);
    BOOST_TEST_REQUIRE((first && second));
    BOOST_TEST(first->get_header_value("X-Sosik-Cache") == "miss");
    BOOST_TEST(second->get_header_value("X-Sosik-Cache") == "hit");
    BOOST_TEST(second->body == first->body);
    // The same page of the page route, and another limit, are other replies.
    BOOST_TEST(client.Get(query + "&limit=3")->get_header_value("X-Sosik-Cache") == "miss");
    const std::size_t total_before = json::parse(first->body)["total"];

    sosik::test::write_file(site / "_posts" / "2025-09-02-seoul-night-market.md",
                            "---\ntitle: 서울시 야시장 다시 열다\ncategories: [생활]\n---\n\n"
                            "서울시가 한강 야시장을 다시 열었다.\n");
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    const auto after = client.Get(query);
    BOOST_TEST_REQUIRE(static_cast<bool>(after));
    BOOST_TEST(after->get_header_value("X-Sosik-Cache") == "miss");
    BOOST_TEST(json::parse(after->body)["total"].get<std::size_t>() == total_before + 1);
    BOOST_TEST(client.Get(query)->get_header_value("X-Sosik-Cache") == "hit");
}

// Alike articles rank newest first; the server remembers the dates it read
// for that (HitValueCache), and must forget them when the index changes:
// an article re-dated in place keeps its docid.
BOOST_AUTO_TEST_CASE(a_redated_article_moves_among_alike_ones_without_restart) {
    TempDir dir;
    const fs::path site = dir / "site";
    const auto post = [&](const std::string& name, const std::string& date) {
        sosik::test::write_file(site / "_posts" / name,
                                "---\ntitle: 반딧불이 축제\ndate: " + date +
                                    "\n---\n\n무주군 반딧불이 축제가 열린다.\n");
    };
    post("2024-01-01-firefly-a.md", "2024-01-01");
    post("2024-01-01-firefly-b.md", "2024-02-01");
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    ServeProcess server({"--db", db.string(), "--cache-mb", "0"});
    auto client = server.client();
    const auto order = [&] {
        const json result = json::parse(client.Get("/api/search?q=" + url_encoded("반딧불이 축제"))->body);
        std::string names;
        for (const auto& hit : result["hits"]) names += hit["id"].get<std::string>().find("firefly-a") != std::string::npos ? "a" : "b";
        return names;
    };
    BOOST_TEST_REQUIRE(order() == "ba");

    post("2024-01-01-firefly-a.md", "2024-03-01");
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    std::string after;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && (after = order()) != "ab")
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    BOOST_TEST(after == "ab");
}

// One generation, moved only by a commit, drives both the Searchers and the
// reply cache: while the database stays the same no Searcher is reopened
// (its caches of hit values survive) and no reply is forgotten; one commit
// moves the generation once, reopens each Searcher once, and empties the
// reply cache once (/api/stats "searchers" and "cache").
BOOST_AUTO_TEST_CASE(only_a_commit_reopens_the_searchers_and_empties_the_reply_cache) {
    TempDir dir;
    const fs::path site = dir / "site";
    fs::copy(sosik::test::source_dir() / "data", site, fs::copy_options::recursive);
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    ServeProcess server({"--db", db.string()});  // --threads 2
    auto client = server.client();
    const auto stats = [&] { return json::parse(client.Get("/api/stats")->body); };
    const auto busy = [&] {
        for (const char* query : {"서울시", "건강도시", "아이들", "서울시", "건강도시"}) {
            BOOST_TEST_REQUIRE(client.Get("/api/search?q=" + url_encoded(query))->status == 200);
            BOOST_TEST_REQUIRE(client.Get("/api/search?limit=3&q=" + url_encoded(query))->status == 200);
            BOOST_TEST_REQUIRE(client.Get("/api/suggest?q=" + url_encoded(query))->status == 200);
            BOOST_TEST_REQUIRE(client.Get("/?q=" + url_encoded(query))->status == 200);
            std::this_thread::sleep_for(std::chrono::milliseconds(10));  // past the check interval now and then
        }
    };
    const json before = stats();
    busy();
    const json unchanged = stats();
    BOOST_TEST(unchanged["searchers"]["generation"] == before["searchers"]["generation"]);
    BOOST_TEST(unchanged["searchers"]["reopens"] == before["searchers"]["reopens"], unchanged.dump());
    BOOST_TEST(unchanged["cache"]["invalidations"] == 0);
    BOOST_TEST(unchanged["cache"]["hits"].get<int>() >= 8);

    sosik::test::write_file(site / "_posts" / "2025-09-03-seoul-lanterns.md",
                            "---\ntitle: 서울시 연등 행렬\ncategories: [생활]\n---\n\n서울시 종로에서 연등 행렬이 열렸다.\n");
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), site.string()}).exit_code == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the server checks every 20 ms at most
    const auto after = client.Get("/api/search?q=" + url_encoded("연등"));
    BOOST_TEST(json::parse(after->body)["total"] == 1);
    busy();
    busy();  // both Searchers used (or not) since the commit
    const json changed = stats();
    const int threads = changed["searchers"]["threads"];
    BOOST_TEST(changed["searchers"]["generation"].get<int>() == before["searchers"]["generation"].get<int>() + 1);
    const int reopened = changed["searchers"]["reopens"].get<int>() - before["searchers"]["reopens"].get<int>();
    BOOST_TEST((reopened >= 1 && reopened <= threads), changed.dump());
    BOOST_TEST(changed["cache"]["invalidations"] == 1, changed.dump());
}

// Past --max-queue waiting searches, a search is answered at once with 503 and
// Retry-After instead of queueing; cached replies and /healthz still answer.
BOOST_AUTO_TEST_CASE(past_the_queue_depth_searches_are_503_with_retry_after) {
    ServeProcess server({"--db", sample().db.string(), "--max-queue", "1", "--cache-mb", "0"});  // --threads 2
    constexpr int kClients = 24, kEach = 15;
    std::atomic<int> ok = 0, rejected = 0, other = 0, without_retry_after = 0;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&, c] {
            auto client = server.client();
            for (int i = 0; i < kEach; ++i) {
                // Facets count every hit: a search long enough for the others to queue up.
                const auto result = client.Get("/api/search?limit=100&facets=category,tag,year,month&q=" +
                                               url_encoded(c % 2 ? "서울시" : "건강 도시 아이들"));
                if (!result) ++other;
                else if (result->status == 200) ++ok;
                else if (result->status == 503) {
                    ++rejected;
                    if (result->get_header_value("Retry-After") != "1") ++without_retry_after;
                    if (json::parse(result->body)["error"]["code"] != 503) ++other;
                } else ++other;
            }
        });
    for (auto& thread : clients) thread.join();
    BOOST_TEST(rejected > 0, "ok " << ok << ", 503 " << rejected);
    BOOST_TEST(ok > 0);
    BOOST_TEST(other == 0);
    BOOST_TEST(without_retry_after == 0);
    auto client = server.client();
    const json stats = json::parse(client.Get("/api/stats")->body);
    BOOST_TEST(stats["searchers"]["rejected"] == rejected.load());
    BOOST_TEST(stats["searchers"]["waiting"] == 0);
    BOOST_TEST(client.Get("/api/search?q=" + url_encoded("서울시"))->status == 200);
}

// The same load with the default queue depth: nothing is refused.
BOOST_AUTO_TEST_CASE(within_the_queue_depth_every_search_is_answered) {
    ServeProcess server({"--db", sample().db.string(), "--cache-mb", "0"});
    constexpr int kClients = 24, kEach = 5;
    std::atomic<int> ok = 0;
    std::vector<std::thread> clients;
    for (int c = 0; c < kClients; ++c)
        clients.emplace_back([&] {
            auto client = server.client();
            for (int i = 0; i < kEach; ++i) {
                const auto result = client.Get("/api/search?limit=100&facets=category,tag,year,month&q=" + url_encoded("서울시"));
                if (result && result->status == 200) ++ok;
            }
        });
    for (auto& thread : clients) thread.join();
    BOOST_TEST(ok == kClients * kEach);
}

// A second server on a port in use must fail, not share the port with the
// first (SO_REUSEPORT) and split the traffic between two databases.
BOOST_AUTO_TEST_CASE(a_second_server_on_a_busy_port_fails) {
    ServeProcess first({"--db", sample().db.string()});
    const std::string address = "127.0.0.1:" + std::to_string(first.port());
    // `timeout`: a second server that did start must not hang the test.
    const auto second = run({"timeout", "10", kServe, "--db", sample().db.string(), "--listen", address});
    BOOST_TEST(second.exit_code == 1, second.err);
    BOOST_TEST(second.err.find("sosik-serve: " + address + " is already in use") != std::string::npos, second.err);
    auto client = first.client();
    for (int i = 0; i < 8; ++i) BOOST_TEST(client.Get("/api/stats")->status == 200);
}

// glibc malloc arenas of another process: the heaps of non-main arenas are
// mappings aligned to 64 MiB (HEAP_MAX_SIZE), readable part first, the rest
// reserved (---p) up to 64 MiB.
std::size_t malloc_arenas(pid_t pid) {
    constexpr unsigned long kHeapMax = 64ul << 20;
    std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
    std::size_t arenas = 0;
    unsigned long rw_start = 0, rw_end = 0;
    for (std::string line; std::getline(maps, line);) {
        unsigned long start = 0, end = 0;
        char perms[5] = {};
        if (std::sscanf(line.c_str(), "%lx-%lx %4s", &start, &end, perms) != 3) continue;
        const bool reserved_rest = std::string(perms) == "---p" && start == rw_end && rw_start % kHeapMax == 0 &&
                                   end - rw_start == kHeapMax;
        const bool whole = std::string(perms) == "rw-p" && start % kHeapMax == 0 && end - start == kHeapMax;
        if (reserved_rest || whole) ++arenas;
        if (std::string(perms) == "rw-p") rw_start = start, rw_end = end;
        else rw_start = rw_end = 0;
    }
    return arenas;
}

// Memory under load: searches run on any of the connection threads, and
// glibc would give each its own arena (up to 8 per core), each keeping what
// it freed (RSS 14 → 135 MB in 8 minutes of mixed load at 32 connections).
// sosik-serve keeps to one arena per search thread.
BOOST_AUTO_TEST_CASE(connection_threads_share_a_few_malloc_arenas) {
    ServeProcess server({"--db", sample().db.string()});  // --threads 2
    std::vector<std::thread> clients;
    for (int c = 0; c < 24; ++c)
        clients.emplace_back([&, c] {
            auto client = server.client();
            for (int i = 0; i < 10; ++i)
                client.Get("/api/search?limit=20&q=" + url_encoded(c % 2 ? "서울시" : "건강도시") + "&offset=" +
                           std::to_string(i));
        });
    for (auto& thread : clients) thread.join();
    const std::size_t arenas = malloc_arenas(server.pid());
    BOOST_TEST(arenas <= 2u, arenas << " arenas besides the main one");
}

BOOST_AUTO_TEST_CASE(cache_can_be_turned_off) {
    ServeProcess server({"--db", sample().db.string(), "--cache-mb", "0"});
    auto client = server.client();
    const std::string query = "/api/search?q=" + url_encoded("서울시");
    BOOST_TEST(client.Get(query)->get_header_value("X-Sosik-Cache") == "off");
    BOOST_TEST(client.Get(query)->get_header_value("X-Sosik-Cache") == "off");
}

BOOST_AUTO_TEST_CASE(sigterm_finishes_the_request_in_flight_and_exits_0) {
    ServeProcess server({"--db", sample().db.string()});
    RawConnection connection(server.port());
    // A request half sent when SIGTERM comes, completed after it.
    // The server must have taken the connection and begun reading it when
    // SIGTERM comes (a connection not yet taken is refused, as the listener
    // closes): under a sanitizer on a busy machine that takes far longer.
    const auto settle = std::chrono::milliseconds(200 * sosik::test::kSanitizerSlowdown);
    connection.send_text("GET /api/search?q=" + url_encoded("서울시") + " HTTP/1.1\r\nHost: x\r\n");
    std::this_thread::sleep_for(settle);
    kill(server.pid(), SIGTERM);
    std::this_thread::sleep_for(settle);
    connection.send_text("Connection: close\r\n\r\n");
    const std::string response = connection.receive_all();
    BOOST_TEST(status_of(response) == 200, response.substr(0, 200));
    BOOST_TEST(response.find(kSeedTitle) != std::string::npos);
    BOOST_TEST(server.stop() == 0, server.stderr_text());
    // Stopped: nobody listens any more.
    httplib::Client late("127.0.0.1", server.port());
    BOOST_TEST(!late.Get("/healthz"));
}

BOOST_AUTO_TEST_CASE(one_access_log_line_per_request) {
    ServeProcess server({"--db", sample().db.string()});
    auto client = server.client();
    for (int i = 0; i < 5; ++i) client.Get("/healthz");
    client.Get("/api/search?q=%FF");
    client.Get("/nope");
    BOOST_TEST(server.stop() == 0);
    std::size_t health = 0, bad = 0, missing = 0;
    for (const auto& line : server.stderr_lines()) {
        if (line.find(" 127.0.0.1 GET /healthz 200 ") != std::string::npos) ++health;
        if (line.find(" GET /api/search?q=%FF 400 ") != std::string::npos) ++bad;
        if (line.find(" GET /nope 404 ") != std::string::npos) ++missing;
    }
    BOOST_TEST(health == 5u, server.stderr_text());
    BOOST_TEST(bad == 1u);
    BOOST_TEST(missing == 1u);
}

BOOST_AUTO_TEST_CASE(missing_database_is_a_clear_error) {
    TempDir dir;
    // `timeout`: were the error missed, the test must not hang on a running server.
    const auto result = run({"timeout", "10", kServe, "--db", (dir / "nowhere").string(), "--listen", "127.0.0.1:0"});
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.err.find("nowhere") != std::string::npos, result.err);
}

BOOST_DATA_TEST_CASE(bad_options_are_usage_errors,
                     bdata::make({"--listen=nonsense:port", "--cors-origin=not-an-origin", "--base-path=../x",
                                  "--site-url=javascript:alert(1)", "--threads=x"}),
                     option) {
    const auto result = run({"timeout", "10", kServe, "--db", sample().db.string(), "--listen", "127.0.0.1:0", option});
    BOOST_TEST((result.exit_code == 1 || result.exit_code == 2), result.exit_code);
    BOOST_TEST(result.err.find("sosik-serve: ") == 0u, result.err);
}
