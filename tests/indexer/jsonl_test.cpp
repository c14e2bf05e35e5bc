// JsonlReader: plain and gzip files, good and bad lines.
#include <sosik/error.h>
#include <sosik/sources.h>

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using Strings = std::vector<std::string>;

namespace {

// A fresh folder, removed with the object.
class TempDir {
public:
    TempDir() {
        std::random_device random;
        path_ = fs::temp_directory_path() / ("sosik-jsonl-test-" + std::to_string(random()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    const fs::path& path() const { return path_; }
    fs::path write(const std::string& name, const std::string& content) const {
        std::ofstream(path_ / name, std::ios::binary) << content;
        return path_ / name;
    }
    fs::path write_gzip(const std::string& name, const std::string& content) const {
        const fs::path file = path_ / name;
        gzFile out = gzopen(file.c_str(), "wb");
        BOOST_REQUIRE(out != nullptr);
        BOOST_REQUIRE(gzwrite(out, content.data(), static_cast<unsigned>(content.size())) ==
                      static_cast<int>(content.size()));
        BOOST_REQUIRE(gzclose(out) == Z_OK);
        return file;
    }

private:
    fs::path path_;
};

struct ReadResult {
    std::vector<sosik::Article> articles;
    std::vector<std::pair<std::size_t, std::string>> bad_lines;
};

ReadResult read_all(const fs::path& file) {
    ReadResult result;
    sosik::JsonlReader reader(file);
    sosik::Article article;
    while (reader.next(
        article, [&](std::size_t line, const std::string& reason) { result.bad_lines.emplace_back(line, reason); }))
        result.articles.push_back(article);
    return result;
}

// Good lines mixed with every kind of bad one: line n is kMixedLines[n - 1].
const std::vector<std::string> kMixedLines = {
    R"({"id": "a1", "title": "첫 기사", "body": "<p>서울시는 <b>건강</b>도시를</p><p>만든다</p>", )"
    R"("date": "2024-09-02T10:00:00+09:00", "url": "https://example.com/a1", )"
    R"("categories": ["national/health", "사회"], "tags": "건강"})",
    R"({"id": "a2", "title": "깨진", "body": "x",)",  // invalid JSON
    R"({"title": "아이디 없음", "body": "x"})",       // missing id
    "",                                                // blank: skipped silently
    R"({"id": 7, "title": "숫자 아이디", "body": "평문  본문\n\n둘째   줄", "categories": "사회 일반"})"
    "\r",                                                             // CRLF line end
    R"({"id": "a6", "title": "본문이 숫자", "body": 42})",             // non-string body
    "{\"id\": \"a7\", \"title\": \"\xED\x95\x9C\xFF\", \"body\": \"x\"}",  // invalid UTF-8
    R"(["not", "an", "object"])",
    R"({"id": "a9", "title": "", "body": "제목 없는 &amp; 기사", "description": "요약 &quot;인용&quot;", )"
    R"("date": "2024-09-02 10:00:00 +0900"})",
    R"({"id": "a10", "title": "날짜 오류", "body": "x", "date": "어제"})",
    R"({"id": {"x": 1}, "title": "t", "body": "x"})",
    R"({"id": "a12", "title": "목록 오류", "body": "x", "tags": [1.5]})",
    R"({"id": "a13", "title": "마지막 줄", "body": "끝"})",  // the file ends without '\n'
};

std::string mixed_file_content() {
    std::string content;
    for (std::size_t i = 0; i < kMixedLines.size(); ++i) content += (i > 0 ? "\n" : "") + kMixedLines[i];
    return content;
}

void check_mixed_lines(const ReadResult& result) {
    BOOST_TEST_REQUIRE(result.articles.size() == 4u);

    const sosik::Article& first = result.articles[0];
    BOOST_TEST(first.id == "a1");
    BOOST_TEST(first.title == "첫 기사");
    BOOST_TEST(first.text == "서울시는 건강도시를\n만든다");
    BOOST_TEST(first.date == "2024-09-02T10:00:00+09:00");
    BOOST_TEST(first.url == "https://example.com/a1");
    BOOST_TEST(first.categories == (Strings{"national/health", "사회"}), boost::test_tools::per_element());
    BOOST_TEST(first.tags == (Strings{"건강"}), boost::test_tools::per_element());

    const sosik::Article& numeric = result.articles[1];
    BOOST_TEST(numeric.id == "7");
    BOOST_TEST(numeric.text == "평문 본문\n둘째 줄");
    BOOST_TEST(numeric.categories == (Strings{"사회 일반"}), boost::test_tools::per_element());

    const sosik::Article& untitled = result.articles[2];
    BOOST_TEST(untitled.id == "a9");
    BOOST_TEST(untitled.title.empty());
    BOOST_TEST(untitled.text == "제목 없는 & 기사");
    BOOST_TEST(untitled.excerpt == "요약 \"인용\"");
    BOOST_TEST(untitled.date == "2024-09-02T10:00:00+09:00");

    BOOST_TEST(result.articles[3].id == "a13");
    BOOST_TEST(result.articles[3].text == "끝");

    const std::vector<std::pair<std::size_t, std::string>> expected_bad = {
        {2,
         "invalid JSON at byte 45 (syntax error while parsing object key - unexpected end of input; expected string "
         "literal)"},
        {3, "missing `id`"},
        {6, "`body` must be a string, not number"},
        {7, "invalid JSON at byte 27 (syntax error while parsing value - invalid string: ill-formed UTF-8 byte)"},
        {8, "not a JSON object but array"},
        {10, "`date` is not a date: \"어제\""},
        {11, "`id` must be a string or an integer, not object"},
        {12, "`tags` must hold strings, not number"},
    };
    BOOST_TEST_REQUIRE(result.bad_lines.size() == expected_bad.size());
    for (std::size_t i = 0; i < expected_bad.size(); ++i) {
        BOOST_TEST(result.bad_lines[i].first == expected_bad[i].first);
        BOOST_TEST(result.bad_lines[i].second == expected_bad[i].second);
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(jsonl)

BOOST_AUTO_TEST_CASE(plain_file_good_and_bad_lines) {
    const TempDir folder;
    const ReadResult result = read_all(folder.write("mixed.jsonl", mixed_file_content()));
    check_mixed_lines(result);
    for (const auto& article : result.articles) BOOST_TEST(article.source == (folder.path() / "mixed.jsonl").string());
}

BOOST_AUTO_TEST_CASE(gzip_file_good_and_bad_lines) {
    const TempDir folder;
    check_mixed_lines(read_all(folder.write_gzip("mixed.jsonl.gz", mixed_file_content())));
}

BOOST_AUTO_TEST_CASE(fixture_file) {
    const ReadResult result = read_all(fs::path(SOSIK_FIXTURES_DIR) / "sources/sample.jsonl");
    BOOST_TEST(result.bad_lines.empty());
    BOOST_TEST_REQUIRE(result.articles.size() == 2u);
    BOOST_TEST(result.articles[1].id == "2");
    BOOST_TEST(result.articles[1].title == "둘째 \"기사\"");
}

BOOST_AUTO_TEST_CASE(long_lines_stream_through) {
    const TempDir folder;
    std::string body;
    for (int i = 0; i < 200'000; ++i) body += "긴 본문 ";  // ≈2 MB, many read chunks
    const std::string line = R"({"id": "long", "title": "긴 기사", "body": ")" + body + "\"}\n";
    const ReadResult result = read_all(folder.write_gzip("long.jsonl.gz", line + line));
    BOOST_TEST(result.bad_lines.empty());
    BOOST_TEST_REQUIRE(result.articles.size() == 2u);
    BOOST_TEST(result.articles[1].text.size() == body.size() - 1);
}

BOOST_AUTO_TEST_CASE(truncated_gzip_keeps_the_lines_before) {
    const TempDir folder;
    std::string lines;
    for (int i = 0; i < 2'000; ++i)
        lines += R"({"id": ")" + std::to_string(i) + R"(", "title": "제목", "body": "본문 )" +
                 std::to_string(i * 7919) + "\"}\n";
    const fs::path whole = folder.write_gzip("whole.jsonl.gz", lines);
    std::ifstream in(whole, std::ios::binary);
    std::string compressed((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const ReadResult result = read_all(folder.write("cut.jsonl.gz", compressed.substr(0, compressed.size() * 2 / 3)));
    BOOST_TEST(result.articles.size() > 100u);
    BOOST_TEST(result.articles.size() < 2'000u);
    BOOST_TEST_REQUIRE(!result.bad_lines.empty());
    BOOST_TEST(result.bad_lines.back().second == "the file ends in the middle of compressed data (truncated?)");
}

BOOST_AUTO_TEST_CASE(unreadable_files) {
    BOOST_CHECK_EXCEPTION(
        sosik::JsonlReader("/nonexistent/archive.jsonl"), sosik::InvalidInput, [](const sosik::InvalidInput& error) {
            return std::string(error.what()) == "cannot open /nonexistent/archive.jsonl: No such file or directory";
        });
    const TempDir folder;
    BOOST_CHECK_THROW(sosik::JsonlReader{folder.path()}, sosik::InvalidInput);
}

BOOST_AUTO_TEST_CASE(deeply_nested_json_is_harmless) {
    const TempDir folder;
    const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
    const ReadResult result = read_all(folder.write(
        "deep.jsonl", R"({"id": "deep", "title": "t", "body": "b", "extra": )" + deep + "}\n" + deep + "\n"));
    BOOST_TEST_REQUIRE(result.articles.size() == 1u);
    BOOST_TEST(result.articles[0].id == "deep");
    BOOST_TEST_REQUIRE(result.bad_lines.size() == 1u);
    BOOST_TEST(result.bad_lines[0].second == "not a JSON object but array");
}

BOOST_AUTO_TEST_CASE(empty_file) {
    const TempDir folder;
    const ReadResult result = read_all(folder.write("empty.jsonl", ""));
    BOOST_TEST(result.articles.empty());
    BOOST_TEST(result.bad_lines.empty());
}

// A news export shaped like the real archive (HTML bodies with <br>, dates
// with a zone offset), gzipped here as exports come; in the fixtures so it
// runs in any clone (../shared/corpora is not in every one).
BOOST_AUTO_TEST_CASE(news_export_sample) {
    const TempDir folder;
    std::ifstream in(SOSIK_FIXTURES_DIR "/sources/news-sample.jsonl", std::ios::binary);
    const std::string lines((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST_REQUIRE(!lines.empty());
    const fs::path archive = folder.path() / "news.jsonl.gz";
    gzFile out = gzopen(archive.c_str(), "wb");
    BOOST_TEST_REQUIRE(out != nullptr);
    gzwrite(out, lines.data(), static_cast<unsigned>(lines.size()));
    gzclose(out);
    sosik::JsonlReader reader(archive);
    sosik::Article article;
    std::size_t bad = 0, read = 0;
    for (; reader.next(article, [&](std::size_t, const std::string&) { ++bad; }); ++read) {
        BOOST_TEST(!article.id.empty());
        BOOST_TEST(!article.text.empty());
        BOOST_TEST(article.text.find("<br") == std::string::npos);
        BOOST_TEST(article.date.size() == 25u);
    }
    BOOST_TEST(read == 12u);
    BOOST_TEST(bad == 0u);
}

// Found by fuzz_jsonl: a number beyond a double's range used to escape as an
// uncaught nlohmann exception and abort sosik-index.
BOOST_AUTO_TEST_CASE(number_out_of_range_is_a_bad_line_not_a_crash) {
    const TempDir folder;
    const ReadResult result = read_all(folder.write(
        "huge.jsonl", "{\"id\": \"a1\", \"title\": \"첫 기사\", \"body\": \"본문\", \"views\": 2e555555}\n"
                      "{\"id\": \"a2\", \"title\": \"둘째\", \"body\": \"본문\"}\n"));
    BOOST_TEST_REQUIRE(result.articles.size() == 1u);
    BOOST_TEST(result.articles[0].id == "a2");
    BOOST_TEST_REQUIRE(result.bad_lines.size() == 1u);
    BOOST_TEST(result.bad_lines[0].first == 1u);
    BOOST_TEST(result.bad_lines[0].second == "invalid JSON (number overflow parsing '2e555555')");
}

BOOST_AUTO_TEST_SUITE_END()
