// Korean search features beyond the peers (issue #8): 초성 search, as-you-type
// suggestions, "did you mean" over jamo, Hanja readings, spacing tolerance.
// Hangul arithmetic is checked directly; the features through `sosik-search
// --json` on a fixture archive (tests/fixtures/korean/articles.jsonl).
#define BOOST_TEST_MODULE korean_features
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <sosik/analyzer.h>
#include <sosik/hangul.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <ostream>
#include <set>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::run;
using sosik::test::TempDir;
using Names = std::set<std::string>;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;

struct Fixture {
    TempDir dir;
    fs::path db = dir / "db";
    Fixture() {
        const auto result =
            run({kIndex, "--quiet", "--db", db.string(), (sosik::test::source_dir() / "tests/fixtures/korean").string()});
        if (result.exit_code != 0) throw std::runtime_error("indexing the fixture failed: " + result.err);
    }
};

const Fixture& fixture() {
    static Fixture f;
    return f;
}

json search_json(std::vector<std::string> args) {
    std::vector<std::string> argv = {kSearch, "--db", fixture().db.string(), "--json", "--limit", "20"};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    return json::parse(result.out);
}

std::vector<std::string> ranked(const std::string& query, std::vector<std::string> more = {}) {
    more.insert(more.end(), {"--", query});
    const json result = search_json(more);
    std::vector<std::string> ids;
    for (const auto& hit : result["hits"]) ids.push_back(hit["id"]);
    return ids;
}

Names found(const std::string& query, std::vector<std::string> more = {}) {
    const auto ids = ranked(query, std::move(more));
    return {ids.begin(), ids.end()};
}

std::vector<std::string> suggested(const std::string& prefix, const std::string& kind) {
    const json result = search_json({"--suggest", prefix});
    std::vector<std::string> out;
    for (const auto& s : result["suggestions"])
        if (s["kind"] == kind) out.push_back(s["text"]);
    return out;
}

bool contains(const Names& all, const Names& some) {
    return std::includes(all.begin(), all.end(), some.begin(), some.end());
}

}  // namespace

namespace std {
inline std::ostream& operator<<(std::ostream& out, const Names& names) {
    out << "{";
    for (const auto& n : names) out << " " << n;
    return out << " }";
}
}  // namespace std

// ---- Hangul arithmetic -------------------------------------------------------------

struct InitialsRow {
    std::string word, initials;
};
std::ostream& operator<<(std::ostream& out, const InitialsRow& r) { return out << r.word; }

BOOST_DATA_TEST_CASE(initials_of_words,
                     bdata::make(std::vector<InitialsRow>{{"건강도시", "ㄱㄱㄷㅅ"},
                                                          {"서울시", "ㅅㅇㅅ"},
                                                          {"까치", "ㄲㅊ"},
                                                          {"한", ""},        // one syllable: no key
                                                          {"cj제일제당", ""},  // not all Hangul
                                                          {"", ""}}),
                     row) {
    BOOST_TEST(sosik::hangul::initials_of(row.word) == row.initials);
}

struct TypedInitialsRow {
    std::string typed;
    std::optional<std::string> key;
};
std::ostream& operator<<(std::ostream& out, const TypedInitialsRow& r) { return out << r.typed; }

BOOST_DATA_TEST_CASE(initials_typed_in_either_jamo_block,
                     bdata::make(std::vector<TypedInitialsRow>{{"ㄱㄱㄷㅅ", "ㄱㄱㄷㅅ"},
                                                               {"\u1100\u1100\u1103\u1109", "ㄱㄱㄷㅅ"},  // conjoining
                                                               {"ㅅㅇㅅ", "ㅅㅇㅅ"},
                                                               {"ㄱㅏ", std::nullopt},  // a vowel
                                                               {"ㄳ", std::nullopt},    // a cluster, never initial
                                                               {"건강", std::nullopt},
                                                               {"", std::nullopt}}),
                     row) {
    BOOST_TEST((sosik::hangul::as_initials(row.typed) == row.key));
}

struct CompletionRow {
    std::string typed;
    std::vector<std::string> heads;  // head + first..last of each completion
};
std::ostream& operator<<(std::ostream& out, const CompletionRow& r) { return out << r.typed; }

std::string describe(const sosik::hangul::Completion& c) {
    std::string out = c.head;
    if (!c.first) return out;
    auto utf8 = [](char32_t ch) {
        std::string s;
        s += static_cast<char>(0xE0 | (ch >> 12));
        s += static_cast<char>(0x80 | ((ch >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (ch & 0x3F));
        return s;
    };
    return out + "[" + utf8(c.first) + "-" + utf8(c.last) + "]";
}

BOOST_DATA_TEST_CASE(half_typed_syllables_become_syllable_ranges,
                     bdata::make(std::vector<CompletionRow>{{"건강도ㅅ", {"건강도[사-싷]"}},
                                                            {"서울ㅅ", {"서울[사-싷]"}},
                                                            {"건강도", {"건강[도-돟]"}},
                                                            {"건강돗", {"건강돗", "건강도[사-싷]"}},
                                                            {"ㅅ", {"[사-싷]"}},
                                                            {"sams", {"sams"}}}),
                     row) {
    std::vector<std::string> got;
    for (const auto& c : sosik::hangul::completions_of(row.typed)) got.push_back(describe(c));
    BOOST_TEST(got == row.heads, boost::test_tools::per_element());
}

struct DistanceRow {
    std::string a, b;
    std::size_t distance;
};
std::ostream& operator<<(std::ostream& out, const DistanceRow& r) { return out << r.a << "/" << r.b; }

BOOST_DATA_TEST_CASE(edit_distance_counts_jamo,
                     bdata::make(std::vector<DistanceRow>{{"건깅도시", "건강도시", 1},  // one vowel
                                                          {"건강도시", "건강도시", 0},
                                                          {"건강도", "건강도시", 2},  // a syllable is two or three jamo
                                                          {"서울", "서을", 1},
                                                          {"각", "가", 1},          // a final
                                                          {"samsnug", "samsung", 2},
                                                          {"", "abc", 3}}),
                     row) {
    BOOST_TEST(sosik::hangul::jamo_distance(row.a, row.b) == row.distance);
}

// The ending of a one-syllable word picks a particle's form: 차가, 굴이, 굴로, 밥으로.
BOOST_AUTO_TEST_CASE(one_syllable_end_tells_vowel_rieul_and_other_finals) {
    using sosik::hangul::SyllableEnd;
    BOOST_TEST((sosik::hangul::one_syllable_end("차") == SyllableEnd::vowel));
    BOOST_TEST((sosik::hangul::one_syllable_end("굴") == SyllableEnd::rieul));
    BOOST_TEST((sosik::hangul::one_syllable_end("밥") == SyllableEnd::other_consonant));
    for (const char* other : {"", "서울", "a", "ㄱ", "韓"}) BOOST_TEST(!sosik::hangul::one_syllable_end(other), other);
    BOOST_TEST(sosik::hangul::is_syllable(U'가'));
    BOOST_TEST(sosik::hangul::is_syllable(U'힣'));
    BOOST_TEST(!sosik::hangul::is_syllable(U'ㄱ'));  // a compatibility jamo
    BOOST_TEST(!sosik::hangul::is_syllable(U'韓'));
}

BOOST_AUTO_TEST_CASE(one_edit_variants_include_the_fix) {
    const auto hangul = sosik::hangul::one_edit_variants("건깅도시");
    BOOST_TEST((std::find(hangul.begin(), hangul.end(), "건강도시") != hangul.end()));
    const auto latin = sosik::hangul::one_edit_variants("samsugn");
    BOOST_TEST((std::find(latin.begin(), latin.end(), "samsung") != latin.end()));
    BOOST_TEST(sosik::hangul::one_edit_variants("北韓").empty());
}

struct ReadingRow {
    std::string text, reading;
};
std::ostream& operator<<(std::ostream& out, const ReadingRow& r) { return out << r.text; }

// The analyzer gives Hanja their Hangul reading (libhangul's table), as a stem
// of the piece and, for a run ICU split, as a joined word.
BOOST_DATA_TEST_CASE(hanja_get_their_reading,
                     bdata::make(std::vector<ReadingRow>{{"韓國", "한국"},
                                                         {"北韓", "북한"},  // the table's word, not 배한
                                                         {"尹", "윤"},
                                                         {"尹錫悅", "윤석열"},
                                                         {"中國人", "중국인"},
                                                         {"與野", "여야"}}),
                     row) {
    const sosik::Analyzer analyzer;
    std::set<std::string> texts;
    for (const auto& token : analyzer.analyze(row.text))
        if (token.layer == sosik::Layer::stem || token.layer == sosik::Layer::joined) texts.insert(token.text);
    BOOST_TEST(texts.count(row.reading) == 1u, row.text << " → " << row.reading);
}

// ---- 초성 search -----------------------------------------------------------------

struct FoundRow {
    std::string query;
    std::string first;  // the top hit, when it matters
    Names includes;
    Names excludes;
};
std::ostream& operator<<(std::ostream& out, const FoundRow& r) { return out << r.query; }

BOOST_DATA_TEST_CASE(initials_find_words_title_matches_first,
                     bdata::make(std::vector<FoundRow>{
                         {"ㄱㄱㄷㅅ", "health-title", {"health-title", "health-body"}, {"seoul", "mouse-spaced"}},
                         {"\u1100\u1100\u1103\u1109", "health-title", {"health-title", "health-body"}, {}},
                         {"ㅅㅇㅅ", "seoul", {"seoul", "health-title"}, {"mouse-joined"}},
                         {"ㅁㅅㅁㅇㅅ", "mouse-joined", {"mouse-joined"}, {"mouse-spaced"}},
                         {"ㄱㄱㄷ", "", {"health-title"}, {}},  // a prefix of the initials counts too
                     }),
                     row) {
    const auto ids = ranked(row.query);
    BOOST_TEST_REQUIRE(!ids.empty());
    if (!row.first.empty()) BOOST_TEST(ids.front() == row.first);
    const Names names(ids.begin(), ids.end());
    BOOST_TEST(contains(names, row.includes), row.query << " found " << names);
    for (const auto& absent : row.excludes) BOOST_TEST(names.count(absent) == 0u, row.query << " found " << absent);
}

BOOST_AUTO_TEST_CASE(initials_are_highlighted) {
    const json result = search_json({"--", "ㄱㄱㄷㅅ"});
    BOOST_TEST(result["hits"][0]["title_html"].get<std::string>().find("<mark>건강도시</mark>") != std::string::npos);
}

// Body words get no 초성 key in the index: an initials query finds them in the
// words the database holds now, so a word edited or deleted away is no longer
// found, and over several databases the words of each one are.
struct Archive {
    TempDir dir;
    fs::path input = dir / "input" / "articles.jsonl";
    fs::path db = dir / "db";
    explicit Archive(const std::string& lines) { update(lines); }
    void update(const std::string& lines) {
        sosik::test::write_file(input, lines);
        const auto result = run({kIndex, "--quiet", "--db", db.string(), input.parent_path().string()});
        if (result.exit_code != 0) throw std::runtime_error("indexing failed: " + result.err);
    }
};

std::string article_line(const std::string& id, const std::string& title, const std::string& body,
                         const std::string& date = "2024-04-01") {
    return json{{"id", id}, {"title", title}, {"body", body}, {"date", date}}.dump() + "\n";
}

json search_in(const std::vector<std::string>& dbs, const std::string& key) {
    std::vector<std::string> argv = {kSearch, "--json"};
    for (const auto& db : dbs) argv.insert(argv.end(), {"--db", db});
    argv.insert(argv.end(), {"--", key});
    const auto result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    return json::parse(result.out);
}

Names hit_ids(const json& result) {
    Names ids;
    for (const auto& hit : result["hits"]) ids.insert(hit["id"].get<std::string>());
    return ids;
}

BOOST_AUTO_TEST_CASE(initials_follow_the_words_the_archive_holds_now) {
    const std::string other = article_line("winter", "겨울 소식", "눈이 많이 내렸다.");
    Archive archive(article_line("spring", "봄 소식", "정원에 목련꽃이 활짝 피었다.") + other);
    json result = search_in({archive.db.string()}, "ㅁㄹㄲ");
    BOOST_TEST(hit_ids(result) == Names{"spring"});
    BOOST_TEST(result["hits"][0]["snippet"].get<std::string>().find("<mark>목련꽃이</mark>") != std::string::npos,
               result["hits"][0]["snippet"]);

    // Edited: the magnolia became forsythia.
    archive.update(article_line("spring", "봄 소식", "정원에 개나리가 활짝 피었다.") + other);
    BOOST_TEST(search_in({archive.db.string()}, "ㅁㄹㄲ")["hits"].empty());
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "ㄱㄴㄹ")) == Names{"spring"});

    // Deleted: no article holds 개나리 any more.
    archive.update(other);
    BOOST_TEST(search_in({archive.db.string()}, "ㄱㄴㄹ")["hits"].empty());
}

BOOST_AUTO_TEST_CASE(initials_find_words_of_every_shard) {
    const Archive first(article_line("magnolia", "봄 소식", "정원에 목련꽃이 피었다."));
    const Archive second(article_line("magnolia-tree", "가로수 소식", "거리의 목련나무를 심었다."));
    const fs::path stub = first.dir / "both.stub";
    sosik::test::write_file(stub, "auto " + first.db.string() + "\nauto " + second.db.string() + "\n");
    for (const std::vector<std::string>& dbs :
         {std::vector<std::string>{stub.string()}, std::vector<std::string>{first.db.string(), second.db.string()}}) {
        BOOST_TEST(hit_ids(search_in(dbs, "ㅁㄹ")) == (Names{"magnolia", "magnolia-tree"}));  // 목련꽃, 목련나무
        BOOST_TEST(hit_ids(search_in(dbs, "ㅁㄹㄴㅁ")) == Names{"magnolia-tree"});
    }
}

// ---- As-you-type suggestions -------------------------------------------------------

struct SuggestRow {
    std::string typed;
    std::string first_word;  // the most frequent completion
    std::string title;       // a title among the suggestions ("" when none expected)
};
std::ostream& operator<<(std::ostream& out, const SuggestRow& r) { return out << r.typed; }

BOOST_DATA_TEST_CASE(suggestions_complete_half_typed_words,
                     bdata::make(std::vector<SuggestRow>{
                         {"건강도ㅅ", "건강도시", "건강도시 서울 만들기"},
                         {"건강돗", "건강도시", "건강도시 서울 만들기"},  // the IME's state before 시
                         {"서울ㅅ", "서울시", "서울시 내년 예산 발표"},
                         {"무선마", "무선마우스", ""},
                         {"Sams", "samsung", "Samsung 반도체 수출"},
                         {"시민 건강도ㅅ", "시민 건강도시", ""},  // earlier words stay
                     }),
                     row) {
    const auto words = suggested(row.typed, "word");
    BOOST_TEST_REQUIRE(!words.empty(), row.typed);
    BOOST_TEST(words.front() == row.first_word);
    // Particle-bearing forms stand behind their stem: 서울시가 is no suggestion.
    BOOST_TEST((std::find(words.begin(), words.end(), "서울시가") == words.end()));
    if (!row.title.empty()) {
        const auto titles = suggested(row.typed, "title");
        BOOST_TEST((std::find(titles.begin(), titles.end(), row.title) != titles.end()), row.typed);
    }
}

BOOST_AUTO_TEST_CASE(suggestions_rank_by_frequency_and_count) {
    const json result = search_json({"--suggest", "건강"});
    BOOST_TEST_REQUIRE(result["suggestions"].size() >= 2u);
    BOOST_TEST(result["query"] == "건강");
    const auto& first = result["suggestions"][0];
    BOOST_TEST(first["kind"] == "word");
    BOOST_TEST(first["count"].get<int>() >= result["suggestions"][1]["count"].get<int>());
}

// A count is of articles, the articles a search for the word finds: one with
// 형태소 and 형태소는 counts once (it counted once per layer, and never the
// word inside 형태소이지). Copula forms the stemmer leaves whole (형태소이지,
// 형태소일) stand behind the noun; a noun that only ends like one (기념일, which
// takes particles: 기념일을) is offered.
BOOST_AUTO_TEST_CASE(suggestion_counts_are_articles_and_copula_forms_stand_behind_the_noun) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> bodies = {
        {"m1", "형태소 분석을 알아본다. 형태소는 뜻을 가진 가장 작은 단위이다."},
        {"m2", "이것은 형태소이지 단어가 아니다."},
        {"m3", "형태소일 수도 있다. 형태소를 나눈다."},
        {"m4", "형태소를 세어 본다. 형태소이며 단위이다."},
        {"m5", "창립 기념일을 맞아 기념 행사를 열었다."},
        {"m6", "기념 사진을 찍었다."},
        {"m7", "형태소와 형태소 사이에 띄어 쓴다."},
    };
    std::string lines;
    for (const auto& [id, body] : bodies)
        lines += json{{"id", id}, {"title", "제목 " + id}, {"body", body}, {"date", "2024-01-01"}}.dump() + "\n";
    sosik::test::write_file(dir / "archive" / "articles.jsonl", lines);
    const fs::path db = dir / "db";
    const auto indexing = run({kIndex, "--quiet", "--db", db.string(), (dir / "archive").string()});
    BOOST_TEST_REQUIRE(indexing.exit_code == 0, indexing.err);
    const auto words = [&db](const std::string& typed) {
        const auto result = run({kSearch, "--db", db.string(), "--json", "--suggest", typed});
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        const json parsed = json::parse(result.out);
        std::map<std::string, int> counts;
        for (const auto& s : parsed["suggestions"])
            if (s["kind"] == "word") counts[s["text"]] = s["count"];
        return counts;
    };
    BOOST_TEST((words("형태") == std::map<std::string, int>{{"형태소", 5}}));  // m1, m2, m3, m4, m7
    const auto found = run({kSearch, "--db", db.string(), "--json", "형태소"});
    BOOST_TEST(json::parse(found.out)["total"] == 5);
    BOOST_TEST((words("기념") == std::map<std::string, int>{{"기념", 2}, {"기념일", 1}}));
}

BOOST_AUTO_TEST_CASE(nothing_to_complete_is_an_empty_list) {
    BOOST_TEST(search_json({"--suggest", "쀍뒓"})["suggestions"].empty());
    BOOST_TEST(search_json({"--suggest", "a"})["suggestions"].empty());
}

// ---- Did you mean -------------------------------------------------------------------

struct MeanRow {
    std::string query, suggestion;  // "" when none is expected
};
std::ostream& operator<<(std::ostream& out, const MeanRow& r) { return out << r.query; }

BOOST_DATA_TEST_CASE(did_you_mean_over_jamo_and_letters,
                     bdata::make(std::vector<MeanRow>{{"건깅도시", "건강도시"},
                                                      {"건강도사", "건강도시"},
                                                      {"긴강도시", "건강도시"},  // in the first syllable
                                                      {"서울시 건깅도시", "서울시 건강도시"},
                                                      {"건깅도시를", "건강도시를"},
                                                      {"samsnug", "samsung"},
                                                      {"건강도시", ""},  // found: nothing to suggest
                                                      {"쀍뒓뷁", ""}}),  // nothing close
                     row) {
    const json result = search_json({"--", row.query});
    if (row.suggestion.empty()) {
        BOOST_TEST(!result.contains("did_you_mean"));
    } else {
        BOOST_TEST_REQUIRE(result.contains("did_you_mean"));
        BOOST_TEST(result["did_you_mean"] == row.suggestion);
        BOOST_TEST(result["query"] == row.query);  // never searched instead
    }
}

BOOST_AUTO_TEST_CASE(did_you_mean_in_the_human_output) {
    const auto result = run({kSearch, "--db", fixture().db.string(), "--color", "never", "건깅도시"});
    BOOST_TEST(result.out.find("Did you mean: 건강도시") != std::string::npos, result.out);
}

// ---- Hanja --------------------------------------------------------------------------

BOOST_DATA_TEST_CASE(hanja_found_by_reading_and_as_written,
                     bdata::make(std::vector<FoundRow>{
                         {"한국", "", {"hanja", "hangul-korea"}, {}},
                         {"북한", "hanja", {"hanja"}, {}},
                         {"윤", "hanja", {"hanja"}, {}},
                         {"윤석열", "hanja", {"hanja"}, {}},
                         {"중국인", "hanja", {"hanja"}, {}},
                         {"韓國", "", {"hanja"}, {}},
                         {"北韓", "hanja", {"hanja"}, {}},
                     }),
                     row) {
    const auto ids = ranked(row.query);
    BOOST_TEST_REQUIRE(!ids.empty(), row.query);
    if (!row.first.empty()) BOOST_TEST(ids.front() == row.first);
    const Names names(ids.begin(), ids.end());
    BOOST_TEST(contains(names, row.includes), row.query << " found " << names);
}

// ---- Spacing tolerance ----------------------------------------------------------------

// On by default, driven by the archive's own words: a word it does not hold
// is cut into words it does (걷기대회 → 걷기 + 대회), and two typed words
// also match written as one word it holds (건강 도시 → 건강도시). A word it
// holds whole stays whole when that is the likelier reading (무선마우스 here,
// in an archive of nine articles).
BOOST_DATA_TEST_CASE(spacing_tolerance,
                     bdata::make(std::vector<FoundRow>{
                         {"걷기대회", "health-body", {"health-body"}, {}},
                         {"동네소식", "health-spaced", {"health-spaced"}, {}},
                         {"무선 마우스", "mouse-spaced", {"mouse-spaced", "mouse-joined"}, {}},  // as typed first
                         {"건강 도시", "", {"health-title", "health-body", "health-spaced"}, {}},
                     }),
                     row) {
    const auto ids = ranked(row.query);
    const Names names(ids.begin(), ids.end());
    BOOST_TEST(contains(names, row.includes), row.query << " found " << names);
    if (!row.first.empty()) BOOST_TEST(ids.front() == row.first);
}

// --spacing off turns off joining and cutting only (stems and compounds stay).
BOOST_AUTO_TEST_CASE(spacing_off_keeps_words_as_typed) {
    BOOST_TEST(ranked("걷기대회", {"--spacing", "off"}).empty());
    BOOST_TEST(found("건강 도시", {"--spacing", "off"}).count("health-body") == 0u);
    BOOST_TEST(found("건강도시", {"--spacing", "off"}).count("health-body") == 1u);
}

// ---- Words a dictionary analyzer splits ---------------------------------------------

std::vector<std::string> ranked_ids(const json& result) {
    std::vector<std::string> ids;
    for (const auto& hit : result["hits"]) ids.push_back(hit["id"]);
    return ids;
}

// 뉴욕시 날씨 also finds an article that says 뉴욕 … 날씨, below the one that says 뉴욕시;
// likewise 법무부 → 법무, 파인트당 → 파인트.
BOOST_AUTO_TEST_CASE(a_name_with_a_bound_noun_finds_the_name_alone) {
    const Archive archive(article_line("city", "뉴욕시 소식", "뉴욕시의 오늘 날씨는 맑다.") +
                          article_line("apart", "여행 소식", "뉴욕은 오늘 흐리고 날씨가 쌀쌀하다.") +
                          article_line("seoul", "서울 소식", "서울은 오늘 날씨가 맑다.") +
                          article_line("ministry", "인사 소식", "법무 장관이 취임했다."));
    const auto weather = ranked_ids(search_in({archive.db.string()}, "뉴욕시 날씨"));
    BOOST_TEST_REQUIRE(weather.size() >= 2u);  // then articles with 날씨 alone (the any-word fallback)
    BOOST_TEST(weather[0] == "city");
    BOOST_TEST(weather[1] == "apart");
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "법무부 장관")) == Names{"ministry"});
    // The word alone, too.
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "뉴욕시")) == (Names{"city", "apart"}));
}

// Headlines shorten 에서 to 서 (항소심서 감형) and 에선 to 선 (여의도선): such a
// word finds articles that say 항소심에서 when the archive holds that form far
// more often; 경찰서 (a police station, as common here as 경찰에서) stays whole.
BOOST_AUTO_TEST_CASE(a_headline_locative_in_seo_finds_the_place_with_eseo) {
    std::string lines = article_line("appeal", "법원 소식", "항소심에서 징역 3년으로 감형됐다.") +
                        article_line("station", "동네 소식", "경찰서 앞에 주민들이 모였다.") +
                        article_line("questioned", "사건 소식", "피의자가 경찰에서 조사를 받았다.");
    for (int i = 0; i < 3; ++i)
        lines += article_line("trial-" + std::to_string(i), "법원 소식", "피고인은 항소심에서 혐의를 부인했다.");
    lines += article_line("rally", "집회 소식", "여의도에선 촛불 집회가 열렸다.");
    const Archive archive(lines);
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "항소심서")) ==
               (Names{"appeal", "trial-0", "trial-1", "trial-2"}));
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, "항소심서 감형")).front() == "appeal");
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "경찰서")) == Names{"station"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "여의도선")) == Names{"rally"});
}

// 펌이란 finds 펌 with any particle the stemmer strips from a one-syllable word (펌으로).
BOOST_AUTO_TEST_CASE(a_one_syllable_noun_with_a_copula_form_finds_the_noun) {
    const Archive archive(article_line("perm", "미용 소식", "디지털 펌으로 머리를 손질했다.") +
                          article_line("other", "미용 소식", "머리를 짧게 잘랐다."));
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "펌이란")) == Names{"perm"});
}

// 칩의 finds 칩 when the archive holds 칩 more often than 칩의; 회의 stays 회의
// where meetings outnumber raw fish.
BOOST_AUTO_TEST_CASE(a_one_syllable_noun_with_a_particle_finds_the_noun_the_archive_knows) {
    const Archive archive(article_line("chips", "간식 소식", "감자 칩 한 봉지에 설탕이 많다.") +
                          article_line("price", "물가 소식", "칩 가격이 올랐다.") +
                          article_line("fish", "맛집 소식", "회 한 접시를 먹었다.") +
                          article_line("meeting", "정치 소식", "회의가 열렸다.") +
                          article_line("summit", "외교 소식", "정상 회의 일정이 나왔다."));
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "칩의 설탕")) == (Names{"chips", "price"}));
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "회의")) == (Names{"meeting", "summit"}));
}

// 서울시가 … ranks the article that says 서울시가 above one that names 서울시
// as often or more with other particles: the form as typed is the better match.
BOOST_AUTO_TEST_CASE(the_form_as_typed_ranks_above_other_forms_of_the_word) {
    std::string lines =
        article_line("other-forms", "시정 소식", "서울시는 새해 예산을 발표했다. 서울시의 설명회도 열었다.") +
        article_line("as-typed", "시정 소식", "서울시가 새해 예산을 발표했다. 주민 설명회도 열었다.");
    for (int i = 0; i < 6; ++i)
        lines += article_line("filler-" + std::to_string(i), "동네 소식", "공원에 꽃이 피었다. 주민이 모였다.");
    const Archive archive(lines);
    const auto ids = ranked_ids(search_in({archive.db.string()}, "서울시가 예산"));
    BOOST_TEST_REQUIRE(ids.size() == 2u);
    BOOST_TEST(ids[0] == "as-typed");
    BOOST_TEST(ids[1] == "other-forms");
}

// "X의 의미는 무엇인가요": the article that explains X ranks above one that
// names X in passing and speaks of meanings. 의미 only frames the question.
BOOST_AUTO_TEST_CASE(a_question_about_a_meaning_finds_the_explanation_first) {
    std::string lines =
        article_line("explains", "곤충 이야기",
                     "반딧불이는 빛을 내는 딱정벌레다. 반딧불이는 물가에 살고 반딧불이 애벌레는 다슬기를 먹는다.") +
        article_line("meanings", "말글 이야기",
                     "반딧불이 같은 옛말이 많다. 시대마다 낱말이 달라지고 말의 의미가 바뀌었다고 학자들은 본다.");
    for (int i = 0; i < 30; ++i)
        lines += article_line("filler-" + std::to_string(i), "동네 소식",
                              i % 10 ? "공원에 꽃이 피었다. 주민이 모였다." : "공원에 꽃이 피었다. 의미 있는 모임이었다.");
    const Archive archive(lines);
    const auto ids = ranked_ids(search_in({archive.db.string()}, "반딧불이의 의미는 무엇인가요?"));
    BOOST_TEST_REQUIRE(ids.size() >= 2u);
    BOOST_TEST(ids[0] == "explains");
    BOOST_TEST(ids[1] == "meanings");
    // Alone, the framing word is the topic.
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, "의미")).size() == 4u);
}

// Korean articles name programs, units and models in Latin letters glued
// together: a search for one part finds them.
BOOST_AUTO_TEST_CASE(a_part_of_a_file_name_a_unit_or_a_model_finds_the_article) {
    const Archive archive(
        article_line("driver", "드라이버 안내", "SynTPHelper.exe는 터치패드 드라이버의 일부다.") +
        article_line("radio", "라디오 주파수", "중파 라디오는 5kHz 간격으로 방송한다.") +
        article_line("phone", "새 휴대전화", "갤럭시 SM-S921N 모델이 3.5GHz로 작동한다.") +
        article_line("turntable", "턴테이블 설명서", "USB 케이블을 연결한다. PS-LX300USB.GB.3-198 작업") +
        article_line("pension", "노후 준비", "퇴직연금 401(k)에 가입했다.") +
        article_line("other", "동네 소식", "공원에 꽃이 피었다."));
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "SynTPHelper란 무엇인가요")) == Names{"driver"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "syntphelper.exe")) == Names{"driver"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "kHz")) == Names{"radio"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "GHz")) == Names{"phone"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "3.5")) == Names{"phone"});
    // The model typed alone finds it inside a longer token (lx300usb in lx300usb.gb).
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "PS-LX300USB를 연결하는 방법")).count("turntable") == 1u);
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "LX300USB")) == Names{"turntable"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "401k")) == Names{"pension"});
}

// Two articles with the same words, as often: the one that names the query's
// subject in its first sentence is about it; the other mentions it at the
// end. The first ranks first although the other is newer. One query word
// alone too (the lead bonus was once skipped with the proximity bonus, which
// needs two words).
struct LeadRow {
    std::string query, title, leads, mentions;
};
std::ostream& operator<<(std::ostream& os, const LeadRow& row) { return os << row.query; }

BOOST_DATA_TEST_CASE(the_article_that_leads_with_the_subject_ranks_first,
                     bdata::make(std::vector<LeadRow>{
                         {"반딧불이 축제", "동네 소식",
                          "반딧불이 축제가 무주에서 열린다. 주민들이 공원에 모였다. 꽃이 활짝 피었다.",
                          "주민들이 공원에 모였다. 꽃이 활짝 피었다. 반딧불이 축제가 무주에서 열린다."},
                         {"GUI란 무엇인가?", "기술 소식",
                          "GUI는 그림으로 컴퓨터를 다루는 방식이다. 창과 아이콘을 누른다. 명령어는 쓰지 않는다.",
                          "새 편집기가 나왔다. 창과 아이콘을 누른다. 명령어 대신 GUI 방식을 쓴다."},
                     }),
                     row) {
    const Archive archive(article_line("leads", row.title, row.leads, "2024-04-01") +
                          article_line("mentions", row.title, row.mentions, "2024-05-01"));
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, row.query)) ==
               (std::vector<std::string>{"leads", "mentions"}));
}

// Encyclopedia and exam questions are written, not spoken: 열렸는가,
// 선출되었는가, 무엇이었나. Their predicate counts as a word (열렸는가 finds
// 열렸다), and their question word is no topic.
BOOST_AUTO_TEST_CASE(a_question_in_written_style_finds_the_answer) {
    const Archive archive(article_line("held", "소식", "무주 반딧불이 축제가 지난 주말 열렸다. 관광객이 몰렸다.", "2024-04-01") +
                          article_line("announced", "소식", "무주 축제 일정이 나왔다.", "2024-05-01") +
                          article_line("elected", "소식", "군의회 의장으로 김 의원이 선출됐다.", "2024-03-01") +
                          article_line("assembly", "소식", "군의회 의장으로 박 의원이 나섰다.", "2024-06-01") +
                          article_line("essay", "소식", "그날의 진실은 무엇이었나 묻는 책이 나왔다.", "2024-07-01"));
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, "무주 축제는 언제 열렸는가?")).front() == "held");
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, "군의회 의장으로 누가 선출되었는가")).front() == "elected");
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "무주 축제는 무엇이었나")) == (Names{"held", "announced"}));
}

// Headlines write temperatures and rates with a minus: "최저 -13도" asks for
// the cold, it does not exclude 13도. A minus before a letter still excludes.
BOOST_AUTO_TEST_CASE(a_minus_before_a_number_is_a_negative_number_not_an_exclusion) {
    const Archive archive(article_line("cold", "날씨", "내일 아침 최저 -13도까지 떨어진다.") +
                          article_line("mild", "날씨", "내일 아침 최저 2도로 포근하다.") +
                          article_line("rates", "경제", "수출이 -5% 줄었다."));
    const json cold = search_in({archive.db.string()}, "최저 -13도");
    BOOST_TEST(ranked_ids(cold).front() == "cold");
    BOOST_TEST(cold["parsed"].get<std::string>() == "최저 -13도");
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "-5% 수출")) == Names{"rates"});
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "최저 -포근하다")) == Names{"cold"});
}

// The stemmer strips particles down to one syllable only for the nouns it
// lists (집에서 → 집, 힘을 → 힘): 굴 must still find 굴이 and 굴은, and 젠
// an article that says 젠은.
BOOST_AUTO_TEST_CASE(a_one_syllable_noun_finds_it_with_any_particle) {
    const Archive archive(article_line("oyster", "바다 소식", "세계에서 가장 큰 굴이 발견됐다. 이 굴은 무게가 2킬로그램이다.") +
                          article_line("zen", "명상 이야기", "젠은 믿음보다 태도에 가깝다.") +
                          article_line("cave", "여행 소식", "동굴 탐험에 나섰다.") +
                          article_line("other", "동네 소식", "공원에 꽃이 피었다."));
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "굴")) == Names{"oyster"});
    BOOST_TEST(ranked_ids(search_in({archive.db.string()}, "가장 큰 굴")).front() == "oyster");
    BOOST_TEST(hit_ids(search_in({archive.db.string()}, "젠이란 무엇인가")) == Names{"zen"});
}
