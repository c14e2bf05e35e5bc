// Black-box tests of sosik-index and sosik-search on real archives: the
// bundled sample in data/, copies of it that we edit, hostile files, and a
// news export in tests/fixtures shaped like the real Chosun corpus.
#define BOOST_TEST_MODULE cli
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <regex>

#include <zlib.h>

#include <algorithm>
#include <map>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using sosik::test::CommandResult;
using sosik::test::run;
using sosik::test::TempDir;
using nlohmann::json;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;
const std::string kSeedId = "_posts/2024-09-02-health-city-alliance.html";

json search_json(const fs::path& db, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kSearch, "--db", db.string(), "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    return json::parse(result.out);
}

std::vector<std::string> hit_ids(const json& result) {
    std::vector<std::string> ids;
    for (const auto& hit : result["hits"]) ids.push_back(hit["id"].get<std::string>());
    return ids;
}

// The sample archive indexed once for the read-only tests.
struct SampleIndex {
    TempDir dir;
    fs::path db = dir / "db";
    CommandResult indexing;
    SampleIndex() { indexing = run({kIndex, "--db", db.string(), (sosik::test::source_dir() / "data").string()}); }
};

const SampleIndex& sample() {
    static SampleIndex index;
    return index;
}

std::size_t count_posts(const fs::path& dir) {
    std::size_t n = 0;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".md" || ext == ".html") && entry.path().filename() != "README.md")
            ++n;
    }
    return n;
}

void copy_sample_to(const fs::path& target) {
    fs::copy(sosik::test::source_dir() / "data", target, fs::copy_options::recursive);
}

std::string summary_line(const CommandResult& result) { return result.out; }

}  // namespace

BOOST_AUTO_TEST_CASE(sample_archive_indexes_every_post) {
    const auto& index = sample();
    BOOST_TEST(index.indexing.exit_code == 0, index.indexing.err);
    const std::size_t posts = count_posts(sosik::test::source_dir() / "data" / "_posts");
    BOOST_TEST(posts >= 31u);
    BOOST_TEST(summary_line(index.indexing).find("indexed " + std::to_string(posts) + ",") != std::string::npos,
               index.indexing.out);
}

BOOST_DATA_TEST_CASE(seed_queries_find_the_seed_post_first,
                     bdata::make({"서울시", "건강도시", "유한양행", "인바디", "현대백화점과", "서울시가", "건강도시연맹",
                                  "CJ제일제당", "동대문디자인플라자에서"}),
                     query) {
    const json result = search_json(sample().db, {query});
    BOOST_TEST_REQUIRE(!result["hits"].empty(), "no hits for " << query);
    BOOST_TEST(result["hits"][0]["id"].get<std::string>() == kSeedId);
}

BOOST_DATA_TEST_CASE(nonsense_finds_nothing, bdata::make({"쀍뒓뷁", "xqzvwk", "쀍뒓뷁 xqzvwk"}), query) {
    const json result = search_json(sample().db, {query});
    BOOST_TEST(result["total"].get<std::size_t>() == 0u);
    BOOST_TEST(result["hits"].empty());
}

BOOST_AUTO_TEST_CASE(json_follows_the_contract) {
    const json result = search_json(sample().db, {"건강도시"});
    for (const char* key : {"query", "total", "took_ms", "hits", "facets"}) BOOST_TEST(result.contains(key), key);
    const json& hit = result["hits"][0];
    for (const char* key : {"id", "url", "title", "date", "categories", "tags", "score", "snippet"})
        BOOST_TEST(hit.contains(key), key);
    BOOST_TEST(hit["title"].get<std::string>() == "건강도시연맹 총회 서울시와 기업들 협력!");
    BOOST_TEST(hit["date"].get<std::string>().starts_with("2024-09-02"));
    BOOST_TEST(hit["categories"] == json::array({"건강"}));
    // Jekyll's default permalink style from data/_config.yml: /:categories/:year/:month/:day/:title.html
    BOOST_TEST(hit["url"].get<std::string>() == "/건강/2024/09/02/health-city-alliance.html");
    BOOST_TEST(hit["snippet"].get<std::string>().find("<mark>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(snippet_marks_the_particle_bearing_form) {
    // 서울시 matches 서울시는 / 서울시가 through the stem: the marked span is the word as written.
    const json result = search_json(sample().db, {"서울시"});
    const std::string snippet = result["hits"][0]["snippet"];
    BOOST_TEST((snippet.find("<mark>서울시는</mark>") != std::string::npos ||
                snippet.find("<mark>서울시가</mark>") != std::string::npos ||
                snippet.find("<mark>서울시</mark>") != std::string::npos),
               snippet);
}

BOOST_AUTO_TEST_CASE(inline_markup_does_not_split_words) {
    // The source says 삼성<b>전자</b>.
    const json result = search_json(sample().db, {"삼성전자"});
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    BOOST_TEST(result["hits"][0]["id"].get<std::string>() == "_posts/2022-10-04-semiconductor-exports.html");
}

BOOST_AUTO_TEST_CASE(script_and_style_are_not_searchable) {
    for (const char* query : {"스크립트전용문구", "스타일전용문구", "비밀카운터"})
        BOOST_TEST(search_json(sample().db, {query})["total"].get<std::size_t>() == 0u, query);
}

BOOST_AUTO_TEST_CASE(tricky_nouns_are_not_stemmed_away) {
    // 경기도 must not become 경기: a search for 경기도 finds posts that say 경기도.
    const json result = search_json(sample().db, {"텃밭교실"});
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    BOOST_TEST(result["hits"][0]["id"].get<std::string>() == "_posts/2021-03-09-gyeonggi-daycare-garden.html");
    const json politician = search_json(sample().db, {"정치가"});
    BOOST_TEST_REQUIRE(!politician["hits"].empty());
    BOOST_TEST(politician["hits"][0]["id"].get<std::string>() == "_posts/2022-06-29-politician-memoir-review.html");
}

BOOST_AUTO_TEST_CASE(and_falls_back_to_or_when_nothing_has_every_word) {
    const json result = search_json(sample().db, {"유한양행", "쀍뒓뷁"});
    BOOST_TEST_REQUIRE(!result["hits"].empty());
    BOOST_TEST(result["hits"][0]["id"].get<std::string>() == kSeedId);
}

BOOST_AUTO_TEST_CASE(limit_and_offset_page_without_overlap) {
    const json first = search_json(sample().db, {"--limit", "3", "아이들"});
    const json second = search_json(sample().db, {"--limit", "3", "--offset", "3", "아이들"});
    const json both = search_json(sample().db, {"--limit", "6", "아이들"});
    auto ids = hit_ids(first);
    const auto more = hit_ids(second);
    ids.insert(ids.end(), more.begin(), more.end());
    BOOST_TEST(ids == hit_ids(both), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(human_output_shows_rank_title_date_url_snippet) {
    const CommandResult result = run({kSearch, "--db", sample().db.string(), "--color", "never", "유한양행"});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.out.find("1. 건강도시연맹 총회") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("2024-09-02") != std::string::npos);
    BOOST_TEST(result.out.find("/건강/2024/09/02/health-city-alliance.html") != std::string::npos);
    BOOST_TEST(result.out.find("[유한양행]") != std::string::npos, result.out);
}

BOOST_AUTO_TEST_CASE(missing_database_is_a_clear_error) {
    TempDir dir;
    const CommandResult result = run({kSearch, "--db", (dir / "nowhere").string(), "서울시"});
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.err.find("nowhere") != std::string::npos, result.err);
    BOOST_TEST(result.err.find('\n') == result.err.size() - 1, "one line: " << result.err);
}

BOOST_AUTO_TEST_CASE(analyzer_version_mismatch_asks_for_a_rebuild) {
    TempDir dir;
    TempDir archive;
    copy_sample_to(archive / "site");
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", db.string(), (archive / "site").string()}).exit_code == 0);
    {
        Xapian::WritableDatabase writable(db.string());
        writable.set_metadata("sosik.analyzer_version", "0-old");
        writable.commit();
    }
    const CommandResult search = run({kSearch, "--db", db.string(), "서울시"});
    BOOST_TEST(search.exit_code == 1);
    BOOST_TEST(search.err.find("rebuild") != std::string::npos, search.err);
    const CommandResult index = run({kIndex, "--db", db.string(), (archive / "site").string()});
    BOOST_TEST(index.exit_code == 1);
    BOOST_TEST(index.err.find("rebuild") != std::string::npos, index.err);
}

BOOST_AUTO_TEST_CASE(rerun_is_incremental_and_converges_to_a_clean_build) {
    TempDir dir;
    const fs::path site = dir / "site";
    copy_sample_to(site);
    const fs::path db = dir / "db";
    const std::size_t posts = count_posts(site / "_posts");

    CommandResult first = run({kIndex, "--db", db.string(), site.string()});
    BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);

    CommandResult again = run({kIndex, "--db", db.string(), site.string()});
    BOOST_TEST(again.out.starts_with("indexed 0, updated 0, removed 0, unchanged " + std::to_string(posts) +
                                     ", failed 0"),
               again.out);

    // Edit one post, delete another, add a new one.
    const fs::path edited = site / "_posts" / "2022-01-10-wireless-mouse-review.md";
    std::string content = sosik::test::read_file(edited);
    content += "\n\n이번 수정에서 추가한 문장: 블루투스 페어링 방법을 정리했다.\n";
    sosik::test::write_file(edited, content);
    fs::remove(site / "_posts" / "2021-01-18-hallasan-winter-hike.md");
    sosik::test::write_file(site / "_posts" / "2025-09-01-new-post.md",
                            "---\ntitle: 새로 쓴 글\ncategories: 사회\n---\n\n오늘 새로 쓴 글에는 퀭퀭이라는 낱말이 있다.\n");

    CommandResult third = run({kIndex, "--db", db.string(), site.string()});
    BOOST_TEST(third.out.starts_with("indexed 1, updated 1, removed 1, unchanged " + std::to_string(posts - 2) +
                                     ", failed 0"),
               third.out);
    BOOST_TEST(hit_ids(search_json(db, {"페어링"})) ==
               std::vector<std::string>{"_posts/2022-01-10-wireless-mouse-review.md"});
    BOOST_TEST(search_json(db, {"백록담"})["total"].get<std::size_t>() == 0u);
    BOOST_TEST(hit_ids(search_json(db, {"퀭퀭이라는"})) == std::vector<std::string>{"_posts/2025-09-01-new-post.md"});

    // Same state as a clean build of the edited archive.
    const fs::path clean = dir / "clean";
    BOOST_TEST_REQUIRE(run({kIndex, "--db", clean.string(), site.string()}).exit_code == 0);
    BOOST_TEST(Xapian::Database(db.string()).get_doccount() == Xapian::Database(clean.string()).get_doccount());
    for (const char* query : {"서울시", "아이들", "경기도", "ESG"}) {
        BOOST_TEST(hit_ids(search_json(db, {"--limit", "20", query})) ==
                       hit_ids(search_json(clean, {"--limit", "20", query})),
                   query);
    }
}

BOOST_AUTO_TEST_CASE(bad_files_are_reported_and_good_ones_still_indexed) {
    TempDir dir;
    const fs::path site = dir / "site";
    copy_sample_to(site);
    const std::size_t posts = count_posts(site / "_posts");
    constexpr char kBinary[] = "---\x00\x01\x02 binary";
    sosik::test::write_file(site / "_posts" / "2024-01-01-binary.md", std::string(kBinary, sizeof kBinary - 1));
    sosik::test::write_file(site / "_posts" / "2024-01-02-latin1.md",
                            "---\ntitle: caf\xe9\n---\n\nbody \xff\xfe text\n");
    sosik::test::write_file(site / "_posts" / "2024-01-03-unclosed.md", "---\ntitle: 닫히지 않은 머리말\n\n본문\n");
    sosik::test::write_file(site / "_posts" / "2024-01-04-bad-yaml.md", "---\ntitle: [unclosed\n---\n\n본문\n");

    const fs::path db = dir / "db";
    const CommandResult result = run({kIndex, "--db", db.string(), site.string()});
    BOOST_TEST(result.exit_code == 3, "exit 3 means some files failed: " << result.exit_code);
    BOOST_TEST(result.out.find("indexed " + std::to_string(posts) + ",") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("failed 4") != std::string::npos, result.out);
    for (const char* name : {"2024-01-01-binary.md", "2024-01-02-latin1.md", "2024-01-03-unclosed.md",
                             "2024-01-04-bad-yaml.md"}) {
        const auto at = result.err.find(name);
        BOOST_TEST(at != std::string::npos, name << " not reported in: " << result.err);
    }
    // One line per failure.
    BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 4, result.err);
    BOOST_TEST(hit_ids(search_json(db, {"유한양행"})).front() == kSeedId);
}

namespace {

// Writes `lines` as a gzip file.
void write_gzip(const fs::path& file, const std::string& content) {
    gzFile out = gzopen(file.c_str(), "wb");
    BOOST_TEST_REQUIRE(out != nullptr);
    gzwrite(out, content.data(), static_cast<unsigned>(content.size()));
    gzclose(out);
}

}  // namespace

BOOST_AUTO_TEST_CASE(jsonl_export_with_html_bodies_and_bad_lines) {
    TempDir dir;
    const std::string lines =
        R"({"id":"a1","title":"첫 번째 기사","body":"<p>삼성<b>전자</b>가 새 공장을 지었다.</p><p>두 번째 문단</p>","date":"2024-05-01T09:00:00+09:00","url":"https://example.com/a1","categories":["경제"]})"
        "\n"
        R"({"id":"a2","title":"두 번째 기사","body":"평범한 텍스트 본문에는 쵸코파이가 나온다.","categories":"사회"})"
        "\n"
        "{not json\n"
        R"({"title":"아이디 없음","body":"x"})"
        "\n"
        R"({"id":3,"title":"숫자 아이디","body":"<div>숫자 아이디 기사의 본문입니다</div>"})"
        "\n";
    write_gzip(dir / "export.jsonl.gz", lines);
    const fs::path db = dir / "db";
    const CommandResult result = run({kIndex, "--db", db.string(), (dir / "export.jsonl.gz").string()});
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(result.out.starts_with("indexed 3, updated 0, removed 0, unchanged 0, failed 2"), result.out);
    BOOST_TEST(result.err.find("export.jsonl.gz:3") != std::string::npos, result.err);
    BOOST_TEST(result.err.find("export.jsonl.gz:4") != std::string::npos, result.err);

    const json hits = search_json(db, {"삼성전자"});
    BOOST_TEST_REQUIRE(hit_ids(hits) == std::vector<std::string>{"a1"});
    BOOST_TEST(hits["hits"][0]["url"].get<std::string>() == "https://example.com/a1");
    BOOST_TEST(hit_ids(search_json(db, {"쵸코파이"})) == std::vector<std::string>{"a2"});
    BOOST_TEST(hit_ids(search_json(db, {"숫자"})) == std::vector<std::string>{"3"});

    // A line removed from the export removes its article; a bad line keeps nothing it never had.
    write_gzip(dir / "export.jsonl.gz", lines.substr(lines.find('\n') + 1));
    const CommandResult rerun = run({kIndex, "--db", db.string(), (dir / "export.jsonl.gz").string()});
    // Bad lines remain, so removal is held back for this file: nothing is lost by a half-broken export.
    BOOST_TEST(rerun.out.starts_with("indexed 0, updated 0, removed 0, unchanged 2, failed 2"), rerun.out);
}

// A news export shaped like the real Chosun archive (HTML bodies, <br>,
// zoned dates), from the fixtures so it runs in any clone: indexed gzipped,
// every article found by its exact title.
BOOST_AUTO_TEST_CASE(news_export_is_indexed_and_searchable) {
    TempDir dir;
    const std::string lines = sosik::test::read_file(fs::path(SOSIK_FIXTURES_DIR) / "sources" / "news-sample.jsonl");
    std::vector<json> articles;
    std::istringstream in(lines);
    for (std::string line; std::getline(in, line);) articles.push_back(json::parse(line));
    BOOST_TEST_REQUIRE(articles.size() == 12u);
    write_gzip(dir / "news.jsonl.gz", lines);
    const fs::path db = dir / "db";
    const CommandResult result = run({kIndex, "--db", db.string(), (dir / "news.jsonl.gz").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.starts_with("indexed 12,"), result.out);

    for (const json& article : articles) {
        const std::string title = article["title"];
        const json hits = search_json(db, {"--limit", "3", title});
        BOOST_TEST_REQUIRE(!hits["hits"].empty(), title);
        BOOST_TEST(hits["hits"][0]["id"] == article["id"], title);
        BOOST_TEST(hits["hits"][0]["url"] == article["url"], title);
        BOOST_TEST(hits["hits"][0]["snippet"].get<std::string>().find("<br") == std::string::npos, title);
    }
}

// ---- sosik-index: options out of range are usage errors -------------------------------

namespace {

struct BadOption {
    std::vector<std::string> args;
    const char* named;  // what the one-line message must name
};
std::ostream& operator<<(std::ostream& out, const BadOption& c) {
    for (const auto& arg : c.args) out << arg << ' ';
    return out;
}

// "-1" used to be read into an unsigned as 4294967295: --jobs -1 hung at 1 GB
// and left DB.building/; --jobs 100000 died in std::system_error.
const std::vector<BadOption> kBadOptions = {
    {{"--jobs", "-1"}, "--jobs"},
    {{"--jobs=-1"}, "--jobs"},
    {{"--jobs", "100000"}, "--jobs"},
    {{"--jobs", "257"}, "--jobs"},
    {{"--jobs", "99999999999999999999999"}, "jobs"},
    {{"--jobs", "two"}, "jobs"},
    {{"--writers", "-1"}, "--writers"},
    {{"--writers", "33"}, "--writers"},
    {{"--commit-every", "0"}, "--commit-every"},
    {{"--commit-every", "-5"}, "--commit-every"},
    {{"--progress-interval", "0"}, "--progress-interval"},
    {{"--progress-interval", "-1"}, "--progress-interval"},
    {{"--progress-interval", "inf"}, "--progress-interval"},
    {{"--progress-interval", "nan"}, "--progress-interval"},
};

}  // namespace

BOOST_DATA_TEST_CASE(out_of_range_numbers_are_usage_errors, bdata::make(kBadOptions), sample) {
    TempDir dir;
    const fs::path db = dir / "db";
    std::vector<std::string> argv = {kIndex, "--db", db.string()};
    argv.insert(argv.end(), sample.args.begin(), sample.args.end());
    argv.push_back((sosik::test::source_dir() / "data").string());
    // `timeout`: before the fix some of these never ended.
    const CommandResult result = run(argv, "timeout 60");
    BOOST_TEST(result.exit_code == 2, result.exit_code << ": " << result.err);
    BOOST_TEST(result.err.find(sample.named) != std::string::npos, result.err);
    BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
    BOOST_TEST(!fs::exists(db));
    BOOST_TEST(!fs::exists(dir / "db.building"));
}

BOOST_AUTO_TEST_CASE(help_states_the_ranges) {
    const CommandResult result = run({kIndex, "--help"});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.out.find("0 to 256") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("0 to 32") != std::string::npos, result.out);
}

// ---- sosik-index: --db never writes among a user's files ----------------------------

BOOST_AUTO_TEST_CASE(db_refuses_a_folder_of_other_files) {
    TempDir dir;
    const fs::path notadb = dir / "notadb";
    sosik::test::write_file(notadb / "readme.txt", "내 파일\n");
    const std::string site = (sosik::test::source_dir() / "data").string();
    for (const std::vector<std::string>& extra : {std::vector<std::string>{}, {"--shard-by", "hash:2"}}) {
        std::vector<std::string> argv = {kIndex, "--quiet", "--db", notadb.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        argv.push_back(site);
        const CommandResult result = run(argv);
        BOOST_TEST(result.exit_code == 1, result.err);
        BOOST_TEST(result.err.find(notadb.string()) != std::string::npos, result.err);
        BOOST_TEST(result.err.find("not empty") != std::string::npos, result.err);
        BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
        // Nothing written there or beside it.
        std::vector<std::string> left;
        for (const auto& entry : fs::directory_iterator(notadb)) left.push_back(entry.path().filename().string());
        BOOST_TEST(left == std::vector<std::string>{"readme.txt"}, boost::test_tools::per_element());
        BOOST_TEST(!fs::exists(dir / "notadb.building"));
    }
}

BOOST_AUTO_TEST_CASE(db_accepts_a_new_an_empty_and_an_existing_database) {
    TempDir dir;
    const std::string site = (sosik::test::source_dir() / "data").string();
    fs::create_directories(dir / "empty");
    for (const char* name : {"new", "empty"}) {
        const fs::path db = dir / name;
        BOOST_TEST(run({kIndex, "--quiet", "--db", db.string(), site}).exit_code == 0, name);
        BOOST_TEST(run({kIndex, "--quiet", "--db", db.string(), site}).exit_code == 0, name << " again");
    }
    const fs::path sharded = dir / "sharded";
    BOOST_TEST(run({kIndex, "--quiet", "--db", sharded.string(), "--shard-by", "year", site}).exit_code == 0);
    const CommandResult again = run({kIndex, "--quiet", "--db", sharded.string(), site});
    BOOST_TEST(again.exit_code == 0, again.err);
}

// ---- sosik-index: repeated warnings do not flood the terminal -----------------------

namespace {

std::size_t lines_with(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) n += line.find(part) != std::string::npos;
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(repeated_warnings_show_the_first_few_then_a_count) {
    TempDir dir;
    std::string export_lines, bad_lines;
    for (int i = 0; i < 2000; ++i)
        export_lines += json{{"id", "a" + std::to_string(i)}, {"title", "기사 " + std::to_string(i)},
                             {"body", "서울시 소식 " + std::to_string(i)}}.dump() + "\n";
    for (int i = 0; i < 25; ++i) bad_lines += "{not json\n";
    // Two overlapping exports: every article of the second is a duplicate.
    sosik::test::write_file(dir / "input" / "a.jsonl", export_lines);
    sosik::test::write_file(dir / "input" / "b.jsonl", export_lines + bad_lines);

    const CommandResult result =
        run({kIndex, "--quiet", "--db", (dir / "db").string(), (dir / "input").string()});
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(result.out.starts_with("indexed 2000, updated 0, removed 0, unchanged 0, failed 2025"), result.out);
    BOOST_TEST(lines_with(result.err, "duplicate id '") == 10u, result.err);
    BOOST_TEST(lines_with(result.err, "... and 1,990 more duplicate ids") == 1u, result.err);
    BOOST_TEST(lines_with(result.err, "invalid JSON") + lines_with(result.err, "not JSON") <= 10u, result.err);
    BOOST_TEST(lines_with(result.err, "... and 15 more bad lines") == 1u, result.err);
    BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 22, result.err);

    // --verbose lists them all.
    const CommandResult verbose =
        run({kIndex, "--verbose", "--db", (dir / "all").string(), (dir / "input").string()});
    BOOST_TEST(verbose.exit_code == 3);
    BOOST_TEST(lines_with(verbose.err, "duplicate id '") == 2000u);
    BOOST_TEST(lines_with(verbose.err, "more duplicate ids") == 0u);
}

// ---- sosik-index: skipped files are named ---------------------------------------------

namespace {

struct SkippedFile {
    const char* name;
    const char* content;
    const char* reason;  // a part of the reason printed
};
std::ostream& operator<<(std::ostream& out, const SkippedFile& f) { return out << f.name; }

const std::vector<SkippedFile> kSkippedFiles = {
    {"hostname", "myhost\n", "not a file type sosik-index reads"},
    {"notes.txt", "메모\n", "not a file type sosik-index reads"},
    {"plain.md", "# 제목\n\n머리말 없는 마크다운\n", "no front matter"},
    {"2024-01-01-draft.md", "---\ntitle: 초안\npublished: false\n---\n\n본문\n", "published: false"},
};

}  // namespace

// `sosik-index /etc/hostname` printed "indexed 0 … failed 0" and nothing else.
BOOST_DATA_TEST_CASE(a_file_given_by_name_that_yields_nothing_says_why, bdata::make(kSkippedFiles), file) {
    TempDir dir;
    const fs::path path = dir / "input" / file.name;
    sosik::test::write_file(path, file.content);
    for (const char* run_name : {"first run", "unchanged re-run"}) {
        BOOST_TEST_CONTEXT(run_name) {
            const CommandResult result = run({kIndex, "--quiet", "--db", (dir / "db").string(), path.string()});
            BOOST_TEST(result.exit_code == 0, result.err);
            BOOST_TEST(result.out.starts_with("indexed 0,"), result.out);
            BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
            BOOST_TEST(result.err.find(path.string() + ": skipped") != std::string::npos, result.err);
            BOOST_TEST(result.err.find(file.reason) != std::string::npos, result.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(verbose_names_every_skipped_file_and_folder) {
    TempDir dir;
    const fs::path site = dir / "site";
    for (const SkippedFile& file : kSkippedFiles) sosik::test::write_file(site / file.name, file.content);
    sosik::test::write_file(site / "2024-01-02-post.md", "---\ntitle: 글\n---\n\n본문\n");
    sosik::test::write_file(site / "_site" / "index.html", "<title>생성된 쪽</title>");
    const CommandResult quiet = run({kIndex, "--quiet", "--db", (dir / "db").string(), site.string()});
    BOOST_TEST(quiet.exit_code == 0);
    BOOST_TEST(quiet.err.empty(), "skipping inside a folder is normal: " << quiet.err);

    for (const char* db : {"verbose", "db"}) {  // a fresh build, and a re-run that opens nothing
        const CommandResult result = run({kIndex, "--verbose", "--db", (dir / db).string(), site.string()});
        BOOST_TEST_CONTEXT(db) {
            BOOST_TEST(result.exit_code == 0, result.err);
            for (const SkippedFile& file : kSkippedFiles) {
                const std::string line = "sosik-index: " + (site / file.name).string() + ": skipped";
                BOOST_TEST(lines_with(result.err, line) == 1u, line << " in\n" << result.err);
                BOOST_TEST(result.err.find(file.reason) != std::string::npos, file.name);
            }
            BOOST_TEST(lines_with(result.err, (site / "_site").string() + ": skipped: Jekyll's generated site") == 1u,
                       result.err);
            BOOST_TEST(lines_with(result.err, "2024-01-02-post.md") == 0u, result.err);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_folder_with_nothing_to_index_says_so) {
    TempDir dir;
    sosik::test::write_file(dir / "input" / "photo.jpg", "\xFF\xD8");
    const CommandResult result = run({kIndex, "--db", (dir / "db").string(), (dir / "input").string()});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.err.find((dir / "input").string() + ": nothing to index") != std::string::npos, result.err);
}

// ---- Telling the truth in the first hour (issue 21) ----------------------------

namespace {

CommandResult search_text(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kSearch, "--db", sample().db.string(), "--color", "never"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_page_past_the_end_says_how_many_match) {
    const std::size_t total = search_json(sample().db, {"아이들"})["total"];
    BOOST_TEST_REQUIRE(total > 1u);
    const CommandResult past = search_text({"--offset", "200", "아이들"});
    BOOST_TEST(past.exit_code == 0, past.err);
    BOOST_TEST(past.out == std::to_string(total) + " results; nothing on this page (--offset 200)\n");
    const json page = search_json(sample().db, {"--offset", "200", "아이들"});
    BOOST_TEST(page["total"] == total);
    BOOST_TEST(page["hits"].empty());
    BOOST_TEST(page["offset"] == 200);
    BOOST_TEST(page["limit"] == 10);
}

BOOST_AUTO_TEST_CASE(hits_are_numbered_from_the_offset) {
    const CommandResult result = search_text({"--offset", "5", "--limit", "2", "아이들"});
    BOOST_TEST(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.find("\n6. ") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("\n7. ") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("\n1. ") == std::string::npos, result.out);
}

BOOST_AUTO_TEST_CASE(one_result_is_singular) {
    BOOST_TEST_REQUIRE(search_json(sample().db, {"유한양행"})["total"] == 1);
    const CommandResult result = search_text({"유한양행"});
    BOOST_TEST(result.out.starts_with("1 result ("), result.out);
}

// Punctuation alone used to match every article with score 0.
BOOST_DATA_TEST_CASE(a_query_without_words_finds_nothing_and_says_why, bdata::make({"!!!", "(((", "-", "...", "\"\""}),
                     query) {
    const json result = search_json(sample().db, {"--", query});
    BOOST_TEST(result["total"] == 0);
    BOOST_TEST(result["hits"].empty());
    BOOST_TEST(result["notice"]["reason"] == "no_words", result.dump());
    const CommandResult text = search_text({"--", query});
    BOOST_TEST(text.exit_code == 0);
    BOOST_TEST(text.out == "'" + std::string(query) +
                               "' has no word to search for (punctuation and symbols alone are not searched)\n");
}

BOOST_AUTO_TEST_CASE(punctuation_beside_words_or_filters_changes_nothing) {
    BOOST_TEST(hit_ids(search_json(sample().db, {"!!! 유한양행"})) == std::vector<std::string>{kSeedId});
    const json category = search_json(sample().db, {"category:건강"});
    BOOST_TEST(category["total"].get<std::size_t>() > 0u);
    BOOST_TEST(!category.contains("notice"));
}

BOOST_AUTO_TEST_CASE(a_leading_exclusion_is_pointed_to_double_dash) {
    const CommandResult result = search_text({"-형태소"});
    BOOST_TEST(result.exit_code == 2);
    BOOST_TEST(result.err == "sosik-search: -형태소 is not an option; to exclude a word, put the query after --: "
                             "sosik-search -- -형태소\n");
    const CommandResult latin = search_text({"서울", "-covid"});
    BOOST_TEST(latin.exit_code == 2);
    BOOST_TEST(latin.err.find("sosik-search -- -covid") != std::string::npos, latin.err);
    BOOST_TEST(search_text({"--", "서울시", "-형태소"}).exit_code == 0);
    // A mistyped long option is still named as such.
    const CommandResult typo = search_text({"--limt", "3", "서울"});
    BOOST_TEST(typo.err.find("--limt") != std::string::npos, typo.err);
    BOOST_TEST(typo.err.find("exclude") == std::string::npos, typo.err);
}

// One form for each field: "date" is the day, "datetime" the RFC 3339 instant
// where the source gave a time and its offset (front matter 2024-11-11 07:00:00 +0900).
BOOST_AUTO_TEST_CASE(json_dates_have_one_documented_form) {
    const json all = search_json(sample().db, {"--limit", "100", "--sort", "date", "--", ""});
    BOOST_TEST_REQUIRE(all["hits"].size() >= 31u);
    const std::regex day(R"(\d{4}-\d{2}-\d{2})");
    const std::regex instant(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2})");
    std::size_t with_time = 0;
    for (const json& hit : all["hits"]) {
        const std::string date = hit["date"];
        BOOST_TEST(std::regex_match(date, day), hit["id"] << ": " << date);
        if (!hit.contains("datetime")) continue;
        ++with_time;
        const std::string datetime = hit["datetime"];
        BOOST_TEST(std::regex_match(datetime, instant), hit["id"] << ": " << datetime);
        BOOST_TEST(datetime.starts_with(date));
    }
    BOOST_TEST(with_time == 2u);
    const json suneung = search_json(sample().db, {"수능"});
    BOOST_TEST_REQUIRE(!suneung["hits"].empty());
    BOOST_TEST(suneung["hits"][0]["date"] == "2024-11-11");
    BOOST_TEST(suneung["hits"][0]["datetime"] == "2024-11-11T07:00:00+09:00");
}

// ---- sosik-index --stats, --delete, --undelete ----------------------------------------

BOOST_AUTO_TEST_CASE(stats_describe_the_database) {
    const auto& index = sample();
    BOOST_TEST_REQUIRE(index.indexing.exit_code == 0, index.indexing.err);
    const CommandResult stats = run({kIndex, "--db", index.db.string(), "--stats"});
    BOOST_TEST_REQUIRE(stats.exit_code == 0, stats.err);
    const std::size_t posts = count_posts(sosik::test::source_dir() / "data" / "_posts");
    BOOST_TEST(stats.out.find("articles: " + std::to_string(posts) + "\n") == 0, stats.out);
    // The sample's oldest and newest posts.
    BOOST_TEST(stats.out.find("\ndates: 2021-01-18 to 2025-08-") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\ncategories: ") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("건강 ") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\nsize on disk: ") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\nschema version: 10, analyzer ") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\nlast commit: 20") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\nshards: none (one database)") != std::string::npos, stats.out);
    BOOST_TEST(stats.out.find("\ndeleted: 0\n") != std::string::npos, stats.out);

    const TempDir dir;
    const CommandResult missing = run({kIndex, "--db", (dir / "none").string(), "--stats"});
    BOOST_TEST(missing.exit_code == 1);
    BOOST_TEST(missing.err.find("no Sosik database") != std::string::npos, missing.err);
    BOOST_TEST(!fs::exists(dir / "none"), "--stats created nothing");
}

BOOST_AUTO_TEST_CASE(deleted_articles_stay_deleted_until_undeleted) {
    TempDir dir;
    const fs::path site = dir / "site";
    copy_sample_to(site);
    const fs::path db = dir / "db";
    const std::size_t posts = count_posts(site / "_posts");
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", db.string(), site.string()}).exit_code == 0);
    BOOST_TEST_REQUIRE(hit_ids(search_json(db, {"건강도시"})).front() == kSeedId);

    CommandResult result = run({kIndex, "--db", db.string(), "--delete", kSeedId, "no/such/post.md"});
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(result.out == "deleted 1, already deleted 0, not found 1\n");
    BOOST_TEST(result.err == "sosik-index: no/such/post.md: no article has this id\n");
    const auto without_seed = [&] {
        const auto ids = hit_ids(search_json(db, {"건강도시", "--limit", "100"}));
        return std::find(ids.begin(), ids.end(), kSeedId) == ids.end();
    };
    BOOST_TEST(without_seed());

    // Re-runs over an archive that still holds it, unchanged or edited, leave it out.
    result = run({kIndex, "--quiet", "--db", db.string(), site.string()});
    BOOST_TEST(result.out.starts_with("indexed 0, updated 0, removed 0, unchanged " + std::to_string(posts - 1) +
                                      ", failed 0"),
               result.out);
    const fs::path seed = site / "_posts" / "2024-09-02-health-city-alliance.html";
    sosik::test::write_file(seed, sosik::test::read_file(seed) + "\n<p>수정된 기사</p>\n");
    result = run({kIndex, "--quiet", "--verbose", "--db", db.string(), site.string()});
    BOOST_TEST(result.exit_code == 2, "--quiet --verbose");
    result = run({kIndex, "--verbose", "--db", db.string(), site.string()});
    BOOST_TEST(result.out.starts_with("indexed 0, updated 0, removed 0"), result.out);
    BOOST_TEST(result.err.find("kept out (--delete): 1") != std::string::npos, result.err);
    BOOST_TEST(without_seed());

    result = run({kIndex, "--db", db.string(), "--delete", kSeedId});
    BOOST_TEST(result.exit_code == 0, result.err);
    BOOST_TEST(result.out == "deleted 0, already deleted 1, not found 0\n");
    result = run({kIndex, "--db", db.string(), "--stats"});
    BOOST_TEST(result.out.find("\narticles: ") == std::string::npos);
    BOOST_TEST(result.out.find("articles: " + std::to_string(posts - 1) + "\n") == 0, result.out);
    BOOST_TEST(result.out.find("\ndeleted: 1 ") != std::string::npos, result.out);

    // --undelete lets the next run bring it back, though its file did not change since.
    result = run({kIndex, "--db", db.string(), "--undelete", kSeedId, "never-deleted"});
    BOOST_TEST(result.exit_code == 3, result.err);
    BOOST_TEST(result.out.starts_with("undeleted 1, not deleted 1"), result.out);
    BOOST_TEST(result.err == "sosik-index: never-deleted: was not deleted\n");
    BOOST_TEST(without_seed(), "not before the next run");
    result = run({kIndex, "--quiet", "--db", db.string(), site.string()});
    BOOST_TEST(result.out.starts_with("indexed 1, updated 0, removed 0, unchanged " + std::to_string(posts - 1) +
                                      ", failed 0"),
               result.out);
    BOOST_TEST(hit_ids(search_json(db, {"건강도시"})).front() == kSeedId);
    result = run({kIndex, "--db", db.string(), "--stats"});
    BOOST_TEST(result.out.find("\ndeleted: 0\n") != std::string::npos, result.out);
}

BOOST_AUTO_TEST_CASE(stats_delete_and_undelete_usage_errors) {
    TempDir dir;
    const fs::path db = dir / "db";
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"--stats", "some/path"}, {"--delete"}, {"--undelete"}, {"--stats", "--delete", "x"},
             {"--delete", "x", "--shard-by", "month"}}) {
        std::vector<std::string> argv = {kIndex, "--db", db.string()};
        argv.insert(argv.end(), args.begin(), args.end());
        const CommandResult result = run(argv);
        BOOST_TEST(result.exit_code == 2, args.front() << ": " << result.err);
        BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
    }
    const CommandResult missing = run({kIndex, "--db", db.string(), "--delete", "x"});
    BOOST_TEST(missing.exit_code == 1, missing.err);
    BOOST_TEST(!fs::exists(db), "--delete created nothing");
}

// ---- sosik-index --site: several sites in one database --------------------------------

BOOST_AUTO_TEST_CASE(two_blogs_share_one_database_under_site_names) {
    TempDir dir;
    const auto post = [](const std::string& title, const std::string& extra = "") {
        return "---\ntitle: " + title + "\n" + extra + "---\n첫 글입니다. 쾅쾅이 블로그를 열었습니다.\n";
    };
    sosik::test::write_file(dir / "a" / "_posts" / "2020-01-01-welcome.md", post("환영합니다 에이"));
    sosik::test::write_file(dir / "a" / "_posts" / "2020-02-01-fixed.md", post("고정 아이디", "id: fixed-id\n"));
    sosik::test::write_file(dir / "b" / "_posts" / "2020-01-01-welcome.md", post("환영합니다 비"));
    sosik::test::write_file(dir / "b" / "_config.yml", "url: \"https://blog.example.com/\"\nbaseurl: /news\n");
    sosik::test::write_file(dir / "export" / "news.jsonl",
                            R"({"id":"n1","title":"쾅쾅이 소식","body":"쾅쾅이 소식입니다."})" "\n");
    const fs::path db = dir / "db";
    const auto ids_of = [&](const fs::path& database, const std::vector<std::string>& args) {
        auto ids = hit_ids(search_json(database, args));
        std::sort(ids.begin(), ids.end());
        return ids;
    };

    // Without --site the two welcome posts are one id: the second run replaces the first.
    const fs::path plain = dir / "plain";
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", plain.string(), (dir / "a").string()}).exit_code == 0);
    BOOST_TEST_REQUIRE(run({kIndex, "--quiet", "--db", plain.string(), (dir / "b").string()}).exit_code == 0);
    BOOST_TEST(ids_of(plain, {"환영합니다"}) == std::vector<std::string>{"_posts/2020-01-01-welcome.md"},
               boost::test_tools::per_element());

    // With a name each, both stay; ids from paths show the name, front-matter and JSON ids do not.
    CommandResult result = run({kIndex, "--quiet", "--db", db.string(), "--site", "blog-a", (dir / "a").string(),
                                (dir / "export").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    result = run({kIndex, "--quiet", "--db", db.string(), "--site", "blog-b", (dir / "b").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(ids_of(db, {"환영합니다"}) == (std::vector<std::string>{"blog-a:_posts/2020-01-01-welcome.md",
                                                                   "blog-b:_posts/2020-01-01-welcome.md"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids_of(db, {"쾅쾅이", "site:blog-a"}) ==
                   (std::vector<std::string>{"blog-a:_posts/2020-01-01-welcome.md", "fixed-id", "n1"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids_of(db, {"쾅쾅이", "--site", "Blog-B"}) ==
                   std::vector<std::string>{"blog-b:_posts/2020-01-01-welcome.md"},
               boost::test_tools::per_element());
    BOOST_TEST(search_json(db, {"쾅쾅이 site:blog-b"})["parsed"] == "쾅쾅이 site:blog-b");
    // The same name again: nothing to do.
    result = run({kIndex, "--quiet", "--db", db.string(), "--site", "blog-b", (dir / "b").string()});
    BOOST_TEST(result.out.starts_with("indexed 0, updated 0, removed 0, unchanged 1"), result.out);

    // auto: each Jekyll site by its _config.yml (url host + baseurl), else its folder's name.
    const fs::path automatic = dir / "auto";
    result = run({kIndex, "--quiet", "--db", automatic.string(), "--site", "auto", (dir / "a").string(),
                  (dir / "b").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(ids_of(automatic, {"환영합니다"}) ==
                   (std::vector<std::string>{"a:_posts/2020-01-01-welcome.md",
                                             "blog.example.com/news:_posts/2020-01-01-welcome.md"}),
               boost::test_tools::per_element());
    BOOST_TEST(ids_of(automatic, {"환영합니다", "site:blog.example.com/news"}) ==
                   std::vector<std::string>{"blog.example.com/news:_posts/2020-01-01-welcome.md"},
               boost::test_tools::per_element());

    for (const char* bad : {"a b", "a:b", ""}) {
        result = run({kIndex, "--db", (dir / "bad").string(), "--site", bad, (dir / "a").string()});
        BOOST_TEST(result.exit_code == 2, bad << ": " << result.err);
        BOOST_TEST(result.err.find("--site") != std::string::npos, result.err);
        BOOST_TEST(!fs::exists(dir / "bad"));
    }
}

// sosik-analyze shows what the index holds, not the analyzer's internals.
BOOST_AUTO_TEST_SUITE(analyze)

json analyze_json(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {SOSIK_ANALYZE_EXE, "--json"};
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-analyze failed: " << result.err);
    return json::parse(result.out);
}

BOOST_AUTO_TEST_CASE(prints_the_indexed_terms_with_their_layers) {
    const json out = analyze_json({"서울시가", "건강도시연맹에서"});
    std::map<std::string, std::string> layer_of;
    for (const auto& term : out["terms"]) layer_of[term["term"].get<std::string>()] = term["layer"].get<std::string>();
    BOOST_TEST(layer_of["서울시가"] == "surface");
    BOOST_TEST(layer_of["Z서울시"] == "stem");
    BOOST_TEST(layer_of["XG건강도"] == "compound");  // trigrams, as indexed
    BOOST_TEST(layer_of.count("서울") == 0u);        // no bigrams: the index holds none
    for (const auto& term : out["terms"]) BOOST_TEST(term["layer"] != "bigram");
}

BOOST_AUTO_TEST_CASE(a_title_shows_its_initials_keys) {
    const json out = analyze_json({"--title", "건강도시"});
    bool initials = false;
    for (const auto& term : out["terms"]) initials |= term["term"] == "XKSㄱㄱㄷㅅ" && term["layer"] == "title initials";
    BOOST_TEST(initials);
}

BOOST_AUTO_TEST_CASE(tokens_are_numbered_by_the_word_they_lie_in) {
    const json out = analyze_json({"--tokens", "서울시가", "건강도시연맹에서"});
    std::vector<int> words;
    for (const auto& token : out) words.push_back(token["word"].get<int>());
    BOOST_REQUIRE(!words.empty());
    BOOST_TEST(std::is_sorted(words.begin(), words.end()));  // no restart inside a word
    BOOST_TEST(words.front() == 1);
    BOOST_TEST(words.back() == 2);
}

BOOST_AUTO_TEST_CASE(a_query_shows_what_each_word_is_looked_up_by) {
    const json out = analyze_json({"--query", "--db", sample().db.string(), "건강도시"});
    BOOST_REQUIRE_EQUAL(out["words"].size(), 1u);
    BOOST_TEST(out["words"][0]["word"] == "건강도시");
    BOOST_TEST(out["words"][0]["compound_parts"] == json::array({"건강도", "강도시"}));
    BOOST_TEST(out["xapian_query"].get<std::string>().find("XG건강도") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_query_without_a_database_names_it) {
    TempDir dir;
    const CommandResult result = run({SOSIK_ANALYZE_EXE, "--query", "--db", (dir / "none").string(), "서울"});
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.err.find((dir / "none").string()) != std::string::npos);
    BOOST_TEST(run({SOSIK_ANALYZE_EXE, "--query", "--title", "서울"}).exit_code == 2);
}

BOOST_AUTO_TEST_SUITE_END()
