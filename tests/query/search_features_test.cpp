// The search features a news archive's users expect, checked through
// `sosik-search --json` on a fixture archive with known answers
// (tests/fixtures/query/_posts: eight short posts of our own).
#define BOOST_TEST_MODULE search_features
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::run;
using sosik::test::TempDir;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;

// Short names of the fixture posts.
const std::map<std::string, std::string> kPosts = {
    {"agreement", "_posts/2024-05-03-seoul-agreement.md"},   {"discussion", "_posts/2024-05-20-seoul-discussion.md"},
    {"port", "_posts/2024-06-15-busan-port.md"},             {"festival", "_posts/2023-12-01-winter-festival.md"},
    {"kimjang", "_posts/2023-11-11-kimjang.md"},             {"chips", "_posts/2024-06-30-semiconductor.md"},
    {"election", "_posts/2022-03-09-election.md"},           {"health", "_posts/2024-05-25-health-city.md"},
};

std::string short_name(const std::string& id) {
    for (const auto& [name, post] : kPosts)
        if (post == id) return name;
    return id;
}

struct Fixture {
    TempDir dir;
    fs::path db = dir / "db";
    Fixture() {
        const auto result = run({kIndex, "--db", db.string(), (sosik::test::source_dir() / "tests/fixtures/query").string()});
        if (result.exit_code != 0) throw std::runtime_error("indexing the fixture failed: " + result.err);
    }
};

const Fixture& fixture() {
    static Fixture f;
    return f;
}

json search(std::vector<std::string> args) {
    std::vector<std::string> argv = {kSearch, "--db", fixture().db.string(), "--json"};
    if (std::find(args.begin(), args.end(), "--limit") == args.end()) argv.insert(argv.end(), {"--limit", "20"});
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    return json::parse(result.out);
}

std::vector<std::string> ranked(const json& result) {
    std::vector<std::string> names;
    for (const auto& hit : result["hits"]) names.push_back(short_name(hit["id"]));
    return names;
}

std::set<std::string> found(const std::string& query, std::vector<std::string> more = {}) {
    more.push_back("--");
    more.push_back(query);
    const auto names = ranked(search(more));
    return {names.begin(), names.end()};
}

using Names = std::set<std::string>;

}  // namespace

// ---- syntax ---------------------------------------------------------------------

struct SyntaxCase {
    const char* query;
    Names expected;
};
std::ostream& operator<<(std::ostream& out, const SyntaxCase& c) { return out << c.query; }

const SyntaxCase kSyntaxCases[] = {
    {"서울시 협약", {"agreement", "discussion"}},
    // Adjacent and in order; particles on the words still match (서울시는 협약을).
    {"\"서울시 협약\"", {"agreement"}},
    {"\"협약 서울시\"", {}},
    {"\"새로운 협약\"", {"discussion"}},
    // Quoted phrases stay required when the other words are OR-ed (no article has both).
    {"\"서울시 협약\" 반도체", {"agreement"}},
    {"서울시 -논의", {"agreement"}},
    {"서울시 -\"새로운 협약\"", {"agreement"}},
    // Only the phrase is excluded, not articles holding its words apart (서울시는 … 논의했다).
    {"서울시 -\"서울시 논의\"", {"agreement", "discussion"}},
    {"부산항 OR 반도체", {"port", "chips"}},
    {"title:협약", {"agreement"}},
    {"title:\"협약 체결\"", {"agreement"}},
    {"category:경제", {"port", "chips"}},
    {"category:경제 반도체", {"chips"}},
    {"category:경제 category:정치", {"port", "chips", "election"}},
    {"tag:ESG", {"agreement", "port"}},
    {"tag:esg", {"agreement", "port"}},
    {"tag:\"ESG 경영\"", {"agreement"}},
    {"tag:나눔", {"kimjang"}},
    {"date:2024-05", {"agreement", "discussion", "health"}},
    {"date:2024-05-01..2024-06-30", {"agreement", "discussion", "health", "port", "chips"}},
    {"date:..2023-12", {"festival", "kimjang", "election"}},
    {"date:2024-06..", {"port", "chips"}},
    {"date:2024-05-20", {"discussion"}},
    {"건강도시", {"health"}},  // inside the compound 건강도시연맹
    {"참가국", {"health"}},    // inline <b> does not split the word
    // Lenient like a web search box.
    {"\"서울시 협약", {"agreement"}},
    {"(부산항 OR 반도체", {"port", "chips"}},
    {"반도체 :", {"chips"}},
    {"반도체 -", {"chips"}},
    {"반도체 ))", {"chips"}},
    {"unknown:반도체", {"chips"}},
};

BOOST_DATA_TEST_CASE(query_syntax, bdata::make(kSyntaxCases), c) {
    BOOST_TEST(found(c.query) == c.expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(articles_with_more_of_the_words_rank_first) {
    // (부산항 OR 반도체) AND 스마트폰 holds in one article only; with so few full matches the
    // ranking also lists partial ones, below it.
    const auto names = ranked(search({"--", "(부산항 OR 반도체) 스마트폰"}));
    BOOST_TEST_REQUIRE(!names.empty());
    BOOST_TEST(names.front() == "chips");
}

BOOST_AUTO_TEST_CASE(json_reports_how_the_query_was_understood) {
    BOOST_TEST(search({"--", "서울시  -논의 category:\"행정\""})["parsed"].get<std::string>() ==
               "서울시 -논의 category:행정");
    BOOST_TEST(search({"--", "(부산항 OR 반도체"})["parsed"].get<std::string>() == "부산항 OR 반도체");
    BOOST_TEST(search({"--", "\"서울시 협약"})["parsed"].get<std::string>() == "\"서울시 협약\"");
}

BOOST_AUTO_TEST_CASE(filters_through_options_equal_the_syntax) {
    BOOST_TEST(found("", {"--since", "2024-06", "--until", "2024-06"}) == (Names{"port", "chips"}));
    BOOST_TEST(found("", {"--category", "행정"}) == found("category:행정"));
    BOOST_TEST(found("", {"--tag", "ESG"}) == found("tag:ESG"));
    const auto bad = run({kSearch, "--db", fixture().db.string(), "--since", "last-week", "반도체"});
    BOOST_TEST(bad.exit_code == 2);  // a usage error, as the README says
    BOOST_TEST(bad.err.find("since") != std::string::npos, bad.err);
}

// ---- sorting and paging -----------------------------------------------------------

BOOST_AUTO_TEST_CASE(sort_by_date_both_ways) {
    const auto newest = ranked(search({"--sort", "date", "--", "date:2022..2024"}));
    BOOST_TEST(newest == (std::vector<std::string>{"chips", "port", "health", "discussion", "agreement", "festival",
                                                   "kimjang", "election"}),
               boost::test_tools::per_element());
    const auto oldest = ranked(search({"--sort", "+date", "--", "date:2022..2024"}));
    BOOST_TEST(std::vector<std::string>(oldest.rbegin(), oldest.rend()) == newest, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(paging_has_no_duplicates_or_gaps) {
    std::vector<std::string> paged;
    for (int offset = 0; offset < 8; offset += 3) {
        const auto page = ranked(search({"--limit", "3", "--offset", std::to_string(offset), "--sort", "date", "--", ""}));
        paged.insert(paged.end(), page.begin(), page.end());
    }
    BOOST_TEST(paged == ranked(search({"--sort", "date", "--", ""})), boost::test_tools::per_element());
    const json all = search({"--", ""});
    BOOST_TEST(all["total"].get<int>() == 8);
    BOOST_TEST(all["total_exact"].get<bool>());
}

// ---- facets --------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(facets_count_the_whole_result_set) {
    const json result = search({"--limit", "1", "--facets", "category,tag,year,month", "--", ""});
    auto counts = [&](const char* facet) {
        std::map<std::string, int> out;
        for (const auto& v : result["facets"][facet]) out[v["value"]] = v["count"];
        return out;
    };
    BOOST_TEST((counts("category") ==
                std::map<std::string, int>{{"행정", 2}, {"경제", 2}, {"문화", 2}, {"정치", 1}, {"건강", 1}}));
    BOOST_TEST((counts("year") == std::map<std::string, int>{{"2022", 1}, {"2023", 2}, {"2024", 5}}));
    BOOST_TEST((counts("month") == std::map<std::string, int>{{"2022-03", 1}, {"2023-11", 1}, {"2023-12", 1},
                                                              {"2024-05", 3}, {"2024-06", 2}}));
    BOOST_TEST(counts("tag")["ESG"] == 2);
    BOOST_TEST(counts("tag")["김장"] == 1);
    BOOST_TEST(counts("tag")["나눔"] == 1);
    // Facets follow the query.
    const json economy = search({"--facets", "category", "--", "수출"});
    BOOST_TEST(economy["facets"]["category"].size() == 1u);
    BOOST_TEST(economy["facets"]["category"][0]["count"].get<int>() == 2);
}

BOOST_AUTO_TEST_CASE(unknown_facet_is_a_clear_error) {
    const auto result = run({kSearch, "--db", fixture().db.string(), "--facets", "colour", "반도체"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("colour") != std::string::npos, result.err);
}

// ---- highlighting ------------------------------------------------------------------------

namespace {

// The marked spans of a JSON snippet, unescaped.
std::vector<std::string> marked(const std::string& html) {
    std::vector<std::string> spans;
    for (std::size_t at = html.find("<mark>"); at != std::string::npos; at = html.find("<mark>", at)) {
        const std::size_t end = html.find("</mark>", at);
        spans.push_back(html.substr(at + 6, end - at - 6));
        at = end;
    }
    return spans;
}

}  // namespace

BOOST_AUTO_TEST_CASE(highlights_mark_exactly_the_matched_words) {
    const json result = search({"--", "\"서울시 협약\""});
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    const std::string snippet = result["hits"][0]["snippet"];
    BOOST_TEST(marked(snippet) == (std::vector<std::string>{"서울시는", "협약을"}), snippet);
    const std::string title = result["hits"][0]["title_html"];
    BOOST_TEST(marked(title) == (std::vector<std::string>{"서울시", "협약"}), title);
}

BOOST_AUTO_TEST_CASE(highlight_marks_the_compound_part_matched_by_bigrams) {
    const json result = search({"--", "건강도시"});
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    const std::string snippet = result["hits"][0]["snippet"];
    BOOST_TEST(marked(snippet) == std::vector<std::string>{"건강도시"}, snippet);
    BOOST_TEST(snippet.find("<mark>건강도시</mark>연맹") != std::string::npos, snippet);
}

BOOST_AUTO_TEST_CASE(excluded_words_are_not_highlighted) {
    const json result = search({"--", "서울시 -논의"});
    for (const auto& span : marked(result["hits"][0]["snippet"])) BOOST_TEST(span.find("논의") == std::string::npos);
}

// Long articles: the snippet is the window around the words searched for,
// wherever they are, with the words marked as written (particles, Hanja).
BOOST_AUTO_TEST_CASE(snippets_of_long_articles_show_the_matched_words_far_into_the_text) {
    TempDir dir;
    std::string filler;
    for (int i = 0; i < 40; ++i) filler += "오늘 날씨는 맑고 바람이 조금 불었다. ";
    sosik::test::write_file(dir / "site/_posts/2024-01-01-long.md",
                            "---\ntitle: 긴 기사\n---\n\n" + filler + "서울시는 시민과 협약을 맺었다. " + filler + "\n");
    sosik::test::write_file(dir / "site/_posts/2024-01-02-hanja.md",
                            "---\ntitle: 한자 기사\n---\n\n" + filler + "韓國 경제가 성장했다. " + filler + "\n");
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), (dir / "site").string()}).exit_code == 0);
    const auto snippet_for = [&](const std::string& query) {
        const auto result = run({kSearch, "--db", db.string(), "--json", "--", query});
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        const json found = json::parse(result.out);
        BOOST_TEST_REQUIRE(found["hits"].size() == 1u, found.dump());
        return found["hits"][0]["snippet"].get<std::string>();
    };
    const std::string seoul = snippet_for("서울시 협약");
    BOOST_TEST(marked(seoul) == (std::vector<std::string>{"서울시는", "협약을"}), seoul);
    BOOST_TEST(seoul.starts_with("…"), seoul);
    const std::string korea = snippet_for("한국");  // found by the reading of 韓國
    BOOST_TEST(marked(korea) == std::vector<std::string>{"韓國"}, korea);
}

// ---- explain -------------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(explain_shows_the_query_and_the_matching_terms) {
    const json result = search({"--explain", "--", "서울시가 협약"});
    BOOST_TEST(result["explain"].get<std::string>().find("Query(") != std::string::npos);
    const std::string terms = result["hits"][0]["explain"];
    // The stem matched 서울시는 in the body; the title's 서울시 counts as a (boosted) word.
    BOOST_TEST(terms.find("Z서울시 (stem wdf=1") != std::string::npos, terms);
    BOOST_TEST(terms.find("서울시 (word wdf=2") != std::string::npos, terms);
}

// ---- proximity -------------------------------------------------------------------------------

namespace {

// Articles holding exactly the same words (so BM25 scores them alike),
// 반도체 and 수출이 with 0, 1, 3 and 7 words between; the closer the words, the
// older the article, so the usual tie-break (newest first) would rank them
// the other way round.
struct ProximityArchive {
    TempDir dir;
    fs::path db = dir / "db";
    ProximityArchive() {
        const std::vector<std::string> others = {"오늘", "시장에서", "전망을", "두고", "논의가", "길게", "이어졌다"};
        std::string lines;
        for (const std::size_t between : {0u, 1u, 3u, 7u}) {
            std::vector<std::string> words = others;
            words.insert(words.begin() + static_cast<std::ptrdiff_t>(between), "수출이");
            words.insert(words.begin(), "반도체");
            std::string body;
            for (const auto& word : words) body += (body.empty() ? "" : " ") + word;
            const std::string name = "apart-" + std::to_string(between);
            lines += json{{"id", name}, {"title", "시장 소식"}, {"date", "2024-05-0" + std::to_string(1 + between)},
                          {"body", body + "."}}.dump() + "\n";
        }
        sosik::test::write_file(dir / "articles.jsonl", lines);
        const auto result = run({kIndex, "--db", db.string(), (dir / "articles.jsonl").string()});
        if (result.exit_code != 0) throw std::runtime_error("indexing failed: " + result.err);
    }
};

const ProximityArchive& proximity_archive() {
    static ProximityArchive archive;
    return archive;
}

std::vector<std::string> proximity_ranked(std::vector<std::string> args) {
    std::vector<std::string> argv = {kSearch, "--db", proximity_archive().db.string(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    std::vector<std::string> ids;
    const json parsed = json::parse(result.out);
    for (const auto& hit : parsed["hits"]) ids.push_back(hit["id"]);
    return ids;
}

const std::vector<std::string> kByProximity = {"apart-0", "apart-1", "apart-3", "apart-7"};

}  // namespace

BOOST_AUTO_TEST_CASE(articles_with_the_query_words_side_by_side_rank_first) {
    BOOST_TEST(proximity_ranked({"--", "반도체 수출"}) == kByProximity, boost::test_tools::per_element());
    // In either order, and with a particle on the typed word.
    BOOST_TEST(proximity_ranked({"--", "수출이 반도체"}) == kByProximity, boost::test_tools::per_element());
    // Sorting by date is not touched.
    BOOST_TEST(proximity_ranked({"--sort", "+date", "--", "반도체 수출"}) == kByProximity,
               boost::test_tools::per_element());
    BOOST_TEST(proximity_ranked({"--sort", "date", "--", "반도체 수출"}) ==
                   std::vector<std::string>(kByProximity.rbegin(), kByProximity.rend()),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(proximity_ranked_pages_have_no_duplicates_or_gaps) {
    std::vector<std::string> paged;
    for (int offset = 0; offset < 4; offset += 3) {
        const auto page = proximity_ranked({"--limit", "3", "--offset", std::to_string(offset), "--", "반도체 수출"});
        paged.insert(paged.end(), page.begin(), page.end());
    }
    BOOST_TEST(paged == kByProximity, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(batch_runs_rank_by_proximity_too) {
    sosik::test::write_file(proximity_archive().dir / "queries.tsv", "q1\t반도체 수출\n");
    const auto result = run({kSearch, "--db", proximity_archive().db.string(), "--queries",
                             (proximity_archive().dir / "queries.tsv").string(), "--format", "trec", "--limit", "10"});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    std::istringstream lines(result.out);
    std::vector<std::string> ids;
    std::vector<double> scores;
    for (std::string qid, q0, id, rank, score, tag; lines >> qid >> q0 >> id >> rank >> score >> tag;) {
        ids.push_back(id);
        scores.push_back(std::stod(score));
    }
    BOOST_TEST(ids == kByProximity, boost::test_tools::per_element());
    // Scores say the order: TREC scorers sort by them.
    BOOST_TEST(std::is_sorted(scores.rbegin(), scores.rend()));
    BOOST_TEST(scores.front() > scores.back());
}

// ---- ties -----------------------------------------------------------------------------------

// Articles that score alike are ranked newest first, and a page cut through
// such a tie takes the newest: never the order they were indexed in (their
// docids), which differs between one database and shards. 25 alike articles
// tie within the hits Sosik fetches beyond a page; 45 tie past them.
BOOST_AUTO_TEST_CASE(alike_articles_rank_newest_first_wherever_the_page_cuts) {
    for (const int alike : {25, 45}) {
        TempDir dir;
        std::string lines;
        std::vector<std::string> newest_first;
        for (int i = 0; i < alike; ++i) {
            const int day = (i * 7) % alike;  // indexed in an order unrelated to the date
            char date[32];
            std::snprintf(date, sizeof date, "2024-%02d-%02d", 1 + day / 28, 1 + day % 28);
            const std::string id = "alike-" + std::string(date);
            lines += json{{"id", id}, {"title", "시장 소식"}, {"date", date}, {"body", "반도체 수출이 늘었다."}}.dump() + "\n";
            newest_first.push_back(id);
        }
        lines += json{{"id", "other"}, {"title", "날씨"}, {"date", "2024-01-01"}, {"body", "비가 온다."}}.dump() + "\n";
        std::sort(newest_first.rbegin(), newest_first.rend());
        sosik::test::write_file(dir / "articles.jsonl", lines);
        BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", (dir / "db").string(), (dir / "articles.jsonl").string()})
                               .exit_code == 0);
        const auto page = [&](int offset) {
            const auto result = run({kSearch, "--db", (dir / "db").string(), "--json", "--limit", "3", "--offset",
                                     std::to_string(offset), "--", "반도체"});
            BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
            return ranked(json::parse(result.out));
        };
        BOOST_TEST(page(0) == std::vector<std::string>(newest_first.begin(), newest_first.begin() + 3),
                   boost::test_tools::per_element());
        BOOST_TEST(page(21) == std::vector<std::string>(newest_first.begin() + 21, newest_first.begin() + 24),
                   boost::test_tools::per_element());
    }
}

// Bad option values are usage errors (exit 2), said in the API's words
// (limit and offset have one bound for the CLI and the API), before any search;
// so is a filter typed in the query that cannot be read.
struct UsageCase {
    std::vector<std::string> args;
    std::string message;
};
std::ostream& operator<<(std::ostream& out, const UsageCase& c) {
    for (const auto& arg : c.args) out << arg << ' ';
    return out;
}

BOOST_DATA_TEST_CASE(bad_option_values_are_usage_errors,
                     bdata::make(std::vector<UsageCase>{
                         {{"--limit", "0"}, "limit: must be a whole number from 1 to 100"},
                         {{"--limit", "-1"}, "limit: must be a whole number from 1 to 100"},
                         {{"--limit", "101"}, "limit: must be a whole number from 1 to 100"},
                         {{"--offset", "10001"}, "offset: must be a whole number from 0 to 10000"},
                         {{"--sort", "foo"}, "--sort: 'foo'"},
                         {{"--facets", "author"}, "facets: unknown facet 'author'"},
                         {{"--since", "2017-13"}, "since: '2017-13' is not a date"},
                         // A filter typed in the query is refused as its option is, not searched as words.
                         {{"--", "date:2017-13"}, "date: '2017-13' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)"},
                         {{"--", "date:someday"}, "date: 'someday' is not a date"},
                         {{"--", "title:"}, "'title:' needs a word after it"},
                         {{"--", "category:"}, "'category:' needs a value after it"},
                     }),
                     c) {
    std::vector<std::string> argv = {kSearch, "--db", fixture().db.string()};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    argv.push_back("서울");
    const auto result = run(argv);
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find(c.message) != std::string::npos, result.err);
}

// A blog without _config.yml indexed once through its folder and once through
// its _posts/ keeps one id per post: ids are relative to the folder holding _posts/.
BOOST_AUTO_TEST_CASE(the_same_blog_through_another_path_is_not_indexed_twice) {
    TempDir dir;
    sosik::test::write_file(dir / "blog/_posts/2024-01-01-first.md", "---\ntitle: 첫 글\n---\n무지개 다리 이야기\n");
    sosik::test::write_file(dir / "blog/_posts/2024-01-02-second.md", "---\ntitle: 둘째 글\n---\n무지개 구름 이야기\n");
    const std::string db = (dir / "db").string();
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", db, (dir / "blog").string()}).exit_code == 0);
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", db, (dir / "blog/_posts").string()}).exit_code == 0);
    const auto result = run({kSearch, "--db", db, "--json", "무지개"});
    BOOST_REQUIRE_EQUAL(result.exit_code, 0);
    const json found = json::parse(result.out);
    BOOST_TEST(found["total"].get<int>() == 2);
    for (const auto& hit : found["hits"]) BOOST_TEST(hit["id"].get<std::string>().starts_with("_posts/"));
}

// Tags and categories are words of the article too, weighted like title words.
BOOST_AUTO_TEST_CASE(tags_and_categories_are_searchable_as_words) {
    TempDir dir;
    sosik::test::write_file(dir / "blog/_posts/2024-01-01-cars.md",
                            "---\ntitle: 새 차 시승기\ncategories: [자동차]\ntags: [Toyota, 하이브리드]\n---\n연비가 좋았다.\n");
    sosik::test::write_file(dir / "blog/_posts/2024-01-02-other.md", "---\ntitle: 다른 글\n---\n하이브리드 벼 품종\n");
    const std::string db = (dir / "db").string();
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", db, (dir / "blog").string()}).exit_code == 0);
    for (const char* word : {"toyota", "Toyota", "자동차"}) {
        const auto result = run({kSearch, "--db", db, "--json", word});
        BOOST_REQUIRE_EQUAL(result.exit_code, 0);
        const json found = json::parse(result.out);
        BOOST_TEST_CONTEXT(word) {
            BOOST_TEST_REQUIRE(found["total"].get<int>() == 1);
            BOOST_TEST(found["hits"][0]["id"].get<std::string>() == "_posts/2024-01-01-cars.md");
        }
    }
    // Both posts with the word: the tagged one and the one that says it.
    BOOST_TEST(json::parse(run({kSearch, "--db", db, "--json", "하이브리드"}).out)["total"].get<int>() == 2);
}

// ---- long queries -------------------------------------------------------------------

namespace {

// `syllables` distinct-looking Hangul syllables in one word, as a pasted line would be.
std::string long_word(std::size_t syllables) {
    std::string word;
    for (std::size_t i = 0; i < syllables; ++i) {
        const char32_t c = 0xAC00 + static_cast<char32_t>((i * 37) % 11172);
        word += static_cast<char>(0xE0 | (c >> 12));
        word += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        word += static_cast<char>(0x80 | (c & 0x3F));
    }
    return word;
}

}  // namespace

// The CLI has the API's bound on a query and says it in the API's words.
BOOST_AUTO_TEST_CASE(a_query_longer_than_the_api_allows_is_a_usage_error) {
    const auto result = run({kSearch, "--db", fixture().db.string(), "--", long_word(334)});  // 1,002 bytes
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err.find("q: longer than 1000 bytes") != std::string::npos, result.err);
    BOOST_TEST(run({kSearch, "--db", fixture().db.string(), "--", long_word(333)}).exit_code == 0);
}

// In a batch an over-long line is named by its qid and skipped; the run goes on.
BOOST_AUTO_TEST_CASE(a_batch_skips_an_over_long_query_and_goes_on) {
    TempDir dir;
    sosik::test::write_file(dir / "queries.tsv", "q1\t반도체\nq2\t" + long_word(400) + "\nq3\t부산항\n");
    const auto result = run({kSearch, "--db", fixture().db.string(), "--queries", (dir / "queries.tsv").string()});
    BOOST_TEST(result.exit_code == 0, result.err);
    BOOST_TEST(result.err.find(":2: qid q2: q: longer than 1000 bytes, skipped") != std::string::npos, result.err);
    BOOST_TEST(result.out.find("q1 Q0 " + kPosts.at("chips")) != std::string::npos, result.out);
    BOOST_TEST(result.out.find("q3 Q0 " + kPosts.at("port")) != std::string::npos, result.out);
    BOOST_TEST(result.out.find("q2 ") == std::string::npos);
}

// A word as long as a query may be costs about what a short one does: its
// cost grows with its length, not with the square of it (did-you-mean's
// one-edit variants did: 0.7 s and 50 MB for one 333-syllable word here,
// 27 s and 3.3 GB for 3,500 syllables).
BOOST_AUTO_TEST_CASE(a_long_word_costs_time_linear_in_its_length) {
    TempDir dir;
    std::string lines;
    for (int i = 0; i < 10; ++i) lines += "q" + std::to_string(i) + "\t" + long_word(333 - i) + "\n";
    sosik::test::write_file(dir / "queries.tsv", lines);
    const auto result = run({kSearch, "--db", fixture().db.string(), "--queries", (dir / "queries.tsv").string()});
    BOOST_TEST(result.exit_code == 0, result.err);
}

// ---- the lexicon: words found inside the indexed words that contain them ---------

namespace {

json search_with_lexicon(std::vector<std::string> args, const std::string& extra = "") {
    static TempDir dir;
    const fs::path ranking = dir / "lexicon.rank";
    sosik::test::write_file(ranking, "max_containing_words = 20\n" + extra);
    args.insert(args.begin(), {"--ranking", ranking.string()});
    return search(args);
}

Names names_of(const json& result) {
    const auto names = ranked(result);
    return {names.begin(), names.end()};
}

}  // namespace

// 연맹 appears only inside 건강도시연맹: two syllables have no compound
// trigram, so only the lexicon finds it.
BOOST_AUTO_TEST_CASE(a_two_syllable_word_is_found_inside_a_compound_through_the_lexicon) {
    BOOST_TEST(found("연맹").empty());
    BOOST_TEST(names_of(search_with_lexicon({"--", "연맹"})) == Names{"health"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(explain_names_the_containing_words_the_lexicon_added) {
    const json result = search_with_lexicon({"--explain", "--", "연맹"});
    const std::string explained = result["explain"];
    BOOST_TEST(explained.find("연맹 in 건강도시연맹") != std::string::npos, explained);
}

// Without the per-article trigrams, a longer word still matches inside the
// compounds the archive holds, as the word itself.
BOOST_AUTO_TEST_CASE(without_compound_trigrams_the_lexicon_finds_a_word_inside_compounds) {
    BOOST_TEST(names_of(search_with_lexicon({"--", "건강도시"}, "compound_trigrams = 0\n")) == Names{"health"},
               boost::test_tools::per_element());
    BOOST_TEST(names_of(search_with_lexicon({"--", "위원회"}, "compound_trigrams = 0\n")) == Names{"health"},
               boost::test_tools::per_element());
}

// The lexicon is read from the database as it is now: after an incremental
// run removed the only article holding 건강도시연맹, 연맹 finds nothing and
// no containing word is offered.
BOOST_AUTO_TEST_CASE(a_word_that_leaves_the_archive_leaves_the_lexicon) {
    TempDir dir;
    const fs::path site = dir / "site", db = dir / "db", ranking = dir / "lexicon.rank";
    fs::copy(sosik::test::source_dir() / "tests/fixtures/query", site, fs::copy_options::recursive);
    sosik::test::write_file(ranking, "max_containing_words = 20\n");
    const auto index = [&] {
        const auto result = run({kIndex, "--db", db.string(), site.string()});
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    };
    const auto explained = [&] {
        const auto result =
            run({kSearch, "--db", db.string(), "--ranking", ranking.string(), "--json", "--explain", "--", "연맹"});
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        return json::parse(result.out);
    };
    index();
    BOOST_TEST(explained()["hits"].size() == 1u);
    fs::remove(site / "_posts/2024-05-25-health-city.md");
    index();
    const json after = explained();
    BOOST_TEST(after["hits"].empty());
    BOOST_TEST(after["explain"].get<std::string>().find("건강도시연맹") == std::string::npos);
}

// ---- synonyms (sosik-index --synonyms) ------------------------------------------------

namespace {

const std::string kPandemicExport =
    R"({"id":"covid","title":"COVID-19 확진자 급증","body":"COVID-19 확진자가 늘었다.","date":"2021-01-01"})" "\n"
    R"({"id":"corona","title":"코로나 방역 강화","body":"정부가 코로나 방역을 강화했다.","date":"2021-01-02"})" "\n"
    R"({"id":"corona19","title":"코로나19 백신 접종","body":"코로나19 백신 접종이 시작됐다.","date":"2021-01-03"})" "\n"
    R"({"id":"weather","title":"날씨 소식","body":"내일은 맑겠다. 19도까지 오른다.","date":"2021-01-04"})" "\n";

std::set<std::string> found_ids(const fs::path& db, const std::string& query, std::string* explained = nullptr) {
    const auto result = run({kSearch, "--db", db.string(), "--json", "--explain", query});
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    const json parsed = json::parse(result.out);
    if (explained) *explained = parsed.value("explain", "");
    std::set<std::string> ids;
    for (const auto& hit : parsed["hits"]) ids.insert(hit["id"].get<std::string>());
    return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(synonyms_expand_queries_until_the_file_changes) {
    TempDir dir;
    sosik::test::write_file(dir / "in" / "news.jsonl", kPandemicExport);
    sosik::test::write_file(dir / "synonyms.txt", "# 감염병\n코로나, 코로나19, COVID-19\n\n미국, 미합중국  # 나라\n");
    const fs::path db = dir / "db";
    // Several writers: the synonyms go through the merge of a first build.
    auto result = run({kIndex, "--quiet", "--jobs", "2", "--writers", "2", "--db", db.string(), "--synonyms",
                       (dir / "synonyms.txt").string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);

    const std::set<std::string> pandemic = {"covid", "corona", "corona19"};
    std::string explained;
    // A particle after the word, and the analyzer's reading of COVID-19 (covid 19).
    for (const char* query : {"코로나19에", "COVID-19", "코로나", "코로나가", "covid-19"})
        BOOST_TEST(found_ids(db, query) == pandemic, query);
    found_ids(db, "코로나19에", &explained);
    BOOST_TEST(explained.find("[synonyms: 코로나19에 → covid 19, 코로나]") != std::string::npos, explained);
    // sosik-analyze --query (and GET /api/analyze) names them too.
    result = run({SOSIK_ANALYZE_EXE, "--query", "--json", "--db", db.string(), "코로나19에"});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(nlohmann::json::parse(result.out)["words"][0]["synonyms"] ==
               nlohmann::json::array({"covid 19", "코로나"}), result.out);
    result = run({kIndex, "--db", db.string(), "--stats"});
    BOOST_TEST(result.out.find("\nsynonyms: 5 words in groups") != std::string::npos, result.out);

    // A re-run without --synonyms keeps them; with a changed file, they are replaced.
    result = run({kIndex, "--quiet", "--db", db.string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(found_ids(db, "코로나19에") == pandemic);
    sosik::test::write_file(dir / "synonyms.txt", "코로나, 코로나19\n");
    result = run({kIndex, "--quiet", "--db", db.string(), "--synonyms", (dir / "synonyms.txt").string(),
                  (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(found_ids(db, "COVID-19") == std::set<std::string>{"covid"});
    BOOST_TEST(found_ids(db, "코로나") == (std::set<std::string>{"corona", "corona19"}));
    found_ids(db, "COVID-19", &explained);
    BOOST_TEST(explained.find("[synonyms:") == std::string::npos, explained);

    // An empty file empties the table.
    sosik::test::write_file(dir / "none.txt", "");
    result = run({kIndex, "--quiet", "--db", db.string(), "--synonyms", (dir / "none.txt").string(),
                  (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(found_ids(db, "코로나19") == std::set<std::string>{"corona19"});
}

BOOST_AUTO_TEST_CASE(a_bad_synonyms_file_is_a_usage_error_naming_its_line) {
    TempDir dir;
    sosik::test::write_file(dir / "in" / "news.jsonl", kPandemicExport);
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"코로나, 코로나19\n코로나\n", "synonyms.txt:2: a group needs two words or more"},
        {"# 주석\n코로나,, 코로나19\n", "synonyms.txt:2: an empty member"},
        {"코로나, ---\n", "synonyms.txt:1: '---' has no word to search"},
        {"\xff\xfe, 코로나\n", "synonyms.txt: "},
    };
    for (const auto& [content, message] : bad) {
        sosik::test::write_file(dir / "synonyms.txt", content);
        const fs::path db = dir / "db";
        const auto result = run({kIndex, "--quiet", "--db", db.string(), "--synonyms",
                                 (dir / "synonyms.txt").string(), (dir / "in").string()});
        BOOST_TEST(result.exit_code == 2, content << ": " << result.err);
        BOOST_TEST(result.err.find(message) != std::string::npos, result.err);
        BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
        BOOST_TEST(!fs::exists(db), "nothing indexed");
    }
    const auto missing = run({kIndex, "--db", (dir / "db").string(), "--synonyms", (dir / "nope.txt").string(),
                              (dir / "in").string()});
    BOOST_TEST(missing.exit_code == 2, missing.err);
    BOOST_TEST(missing.err.find("nope.txt: cannot read") != std::string::npos, missing.err);
}

// A member of two words typed as two query words (우한 폐렴) finds the group.
BOOST_AUTO_TEST_CASE(a_synonym_of_two_words_typed_apart_expands) {
    TempDir dir;
    sosik::test::write_file(dir / "in" / "news.jsonl",
                            kPandemicExport +
                                R"({"id":"wuhan","title":"우한 폐렴 공포 확산","body":"우한 폐렴이 번지고 있다.","date":"2020-01-20"})"
                                "\n");
    sosik::test::write_file(dir / "synonyms.txt", "코로나, 우한 폐렴\n");
    const fs::path db = dir / "db";
    const auto result = run({kIndex, "--quiet", "--db", db.string(), "--synonyms", (dir / "synonyms.txt").string(),
                             (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    std::string explained;
    BOOST_TEST(found_ids(db, "우한 폐렴이", &explained) == (std::set<std::string>{"wuhan", "corona", "corona19"}));
    BOOST_TEST(explained.find("[synonyms: 우한 폐렴이 → 코로나]") != std::string::npos, explained);
    BOOST_TEST(found_ids(db, "코로나") == (std::set<std::string>{"wuhan", "corona", "corona19"}));
    BOOST_TEST(found_ids(db, "우한") == std::set<std::string>{"wuhan"});  // one word of the member alone: none
}
