// A hostile archive, generated in a temporary folder: what a site accumulates
// in twenty years and a few things an attacker would add. sosik-index must
// index every good article, report each bad file (or JSONL line) in one line
// naming it and the reason, exit 3 ("some files failed"), never crash or hang,
// and stay within a bounded amount of memory.
#define BOOST_TEST_MODULE hostile
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <iconv.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::CommandResult;
using sosik::test::run;
using sosik::test::TempDir;
using sosik::test::write_file;

extern char** environ;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;

using sosik::test::kSanitized;

// Peak RSS allowed for indexing the whole archive (the 50 MB page included).
// ASan keeps freed memory in quarantine and adds shadow memory: more room there.
constexpr long kMaxPeakMegabytes = kSanitized ? 2500 : 700;
// A hang guard, far above a normal run (seconds on one core).
constexpr int kDeadlineSeconds = kSanitized ? 900 : 300;

// ---- a child whose peak memory and run time are measured ---------------------

struct MeasuredRun {
    int exit_code = -1;
    bool timed_out = false;
    long peak_megabytes = 0;  // ru_maxrss of the child
    std::string out, err;
};

MeasuredRun run_measured(const std::vector<std::string>& argv, const TempDir& scratch) {
    const fs::path out = scratch / "stdout", err = scratch / "stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> args;
    for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
    args.push_back(nullptr);
    pid_t pid = -1;
    const int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    BOOST_TEST_REQUIRE(spawned == 0);

    MeasuredRun result;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kDeadlineSeconds);
    int status = 0;
    rusage usage{};
    for (;;) {
        const pid_t done = wait4(pid, &status, WNOHANG, &usage);
        if (done == pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            result.timed_out = true;
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &usage);
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.peak_megabytes = usage.ru_maxrss / 1024;  // kilobytes on Linux
    result.out = sosik::test::read_file(out);
    result.err = sosik::test::read_file(err);
    return result;
}

// ---- the archive -----------------------------------------------------------------

std::string to_cp949(const std::string& utf8) {
    iconv_t converter = iconv_open("CP949", "UTF-8");
    BOOST_TEST_REQUIRE(converter != reinterpret_cast<iconv_t>(-1));
    std::string in = utf8, out(utf8.size() * 2, '\0');
    char* from = in.data();
    char* to = out.data();
    std::size_t from_left = in.size(), to_left = out.size();
    const std::size_t converted = iconv(converter, &from, &from_left, &to, &to_left);
    iconv_close(converter);
    BOOST_TEST_REQUIRE(converted != static_cast<std::size_t>(-1));
    out.resize(out.size() - to_left);
    return out;
}

std::string repeated(const std::string& text, std::size_t times) {
    std::string out;
    out.reserve(text.size() * times);
    for (std::size_t i = 0; i < times; ++i) out += text;
    return out;
}

std::string crlf(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\n') out += '\r';
        out += c;
    }
    return out;
}

// A post that must be indexed: found by `marker`, with `title` as written.
struct GoodPost {
    std::string name;  // below _posts/
    std::string marker;
    std::string title;
    std::string note;  // part of the one stderr line it gets, when it gets one
};

// A file (or JSONL line) that must be reported: one stderr line naming it, with the reason.
struct BadFile {
    std::string where;   // the file name below _posts/, or "hostile.jsonl:N"
    std::string reason;  // a part of the reason
};

std::string post(const std::string& title, const std::string& body, const std::string& front_extra = "") {
    return "---\ntitle: " + title + "\n" + front_extra + "---\n\n" + body + "\n";
}

// "a: &a [lol, …]", each level nine references to the one below: 9^9 values if expanded.
std::string yaml_alias_bomb(const std::string& last_key) {
    std::string yaml = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    for (char level = 'b'; level <= 'i'; ++level) {
        const std::string below = std::string("*") + static_cast<char>(level - 1);
        yaml += std::string(1, level) + ": &" + level + " [" + below;
        for (int i = 1; i < 9; ++i) yaml += "," + below;
        yaml += "]\n";
    }
    return yaml + last_key + ": *i\n";
}

struct HostileArchive {
    TempDir dir;
    fs::path site = dir / "site";
    fs::path posts = site / "_posts";
    fs::path db = dir / "db";
    std::vector<GoodPost> good;
    std::vector<BadFile> bad;
    std::string jsonl_marker = "jsonlmarker";
    bool unreadable_row = false;
    MeasuredRun first, second;

    HostileArchive() {
        write_file(site / "_config.yml", "title: 적대적 보관소\npermalink: /:year/:title/\n");
        write_good();
        write_bad();
        write_jsonl();
        TempDir scratch;
        first = run_measured({kIndex, "--db", db.string(), "--jobs", "2", "--quiet", site.string()}, scratch);
        TempDir scratch2;
        second = run_measured({kIndex, "--db", db.string(), "--jobs", "2", "--quiet", site.string()}, scratch2);
    }

    void add_good(const std::string& name, const std::string& content, const std::string& marker,
                  const std::string& title, const std::string& note = "") {
        write_file(posts / name, content);
        good.push_back({name, marker, title, note});
    }

    void add_bad(const std::string& name, const std::string& content, const std::string& reason) {
        write_file(posts / name, content);
        bad.push_back({name, reason});
    }

    void write_good() {
        add_good("2024-02-01-plain.md", post("평범한 기사", "평범한기사 본문 plainmarker 입니다."), "plainmarker",
                 "평범한 기사");
        add_good("2024-02-02-crlf.md", crlf(post("줄바꿈 기사", "윈도우에서 쓴 글 crlfmarker 입니다.\n둘째 줄.")),
                 "crlfmarker", "줄바꿈 기사");
        add_good("2024-02-03-bom.md", "\xEF\xBB\xBF" + post("바이트 순서표", "메모장에서 저장한 글 bommarker."),
                 "bommarker", "바이트 순서표");
        add_good("2024-02-04-bom-crlf.html",
                 "\xEF\xBB\xBF" + crlf(post("둘 다", "<p>표시와 줄바꿈 <b>bothmarker</b></p>")), "bothmarker",
                 "둘 다");
        add_good("2024-02-05-euckr.md",
                 to_cp949(post("반딧불이축제 열려", "무주군 반딧불이축제가 열렸다. 옛 게시판 euckrmarker 글.")),
                 "반딧불이축제", "반딧불이축제 열려", "EUC-KR");
        add_good("2024-02-06-deep-blocks.html",
                 "<html><head><title>깊은 둥지</title></head><body>" + repeated("<div>", 100'000) +
                     "깊은둥지 deepmarker" + repeated("</div>", 100'000) + "</body></html>",
                 "deepmarker", "깊은 둥지");
        add_good("2024-02-07-deep-inline.html",
                 "<html><head><title>굵은 둥지</title></head><body>" + repeated("<b><i>", 50'000) +
                     "굵은둥지 boldmarker" + repeated("</i></b>", 50'000) + "</body></html>",
                 "boldmarker", "굵은 둥지");
        add_good("2024-02-08-harmless-bomb.md", post("쓰지 않는 폭탄", "별칭 폭탄 bombmarker.", yaml_alias_bomb("unused")),
                 "bombmarker", "쓰지 않는 폭탄");
        add_good("2024-02-09-nul-escape.html",
                 post("엔티티 널", "<p>&#0; 문자 참조 entitymarker &#x0;</p>"), "entitymarker", "엔티티 널");
        // A 50 MB page: its beginning is indexed, and it is said that the rest was not.
        const std::string paragraph = "<p>서울시가 건강도시연맹 총회를 열었다. 시민들이 많이 참여했다.</p>\n";
        add_good("2024-02-10-huge.html",
                 post("거대한 페이지", "<p>hugemarker 로 시작한다</p>\n" + repeated(paragraph, (50u << 20) / paragraph.size()) +
                                           "<p>hugetailmarker</p>"),
                 "hugemarker", "거대한 페이지", "first 16 MB");
    }

    void write_bad() {
        add_bad("2024-03-01-invalid-utf8.md", post("깨진 글자", "본문 \xC3\x28 잘림 \xFF\xFE 끝"), "not valid UTF-8");
        std::mt19937 random(6);
        std::string binary = "\x89PNG\r\n\x1A\n";
        for (int i = 0; i < 20'000; ++i) binary += static_cast<char>(random() & 0xFF);
        add_bad("2024-03-02-image.md", binary, "binary file");
        add_bad("2024-03-03-empty.md", "", "empty file");
        add_bad("2024-03-04-unclosed.md", "---\ntitle: 닫히지 않은 머리말\n\n본문만 길게 이어진다.\n", "no closing `---`");
        add_bad("2024-03-05-alias-bomb.md", post("별칭 폭탄", "본문", yaml_alias_bomb("tags")), "more than");
        add_bad("2024-03-06-nul.html", post("널 바이트", std::string("본문 중간에 ") + '\0' + " 널"), "binary file");
        add_bad("2024-03-07-deep-yaml.md", post("깊은 머리말", "본문", "deep: " + repeated("[", 100'000) + "\n"),
                "front matter");
        // A symlink to itself, and a folder link back up (not followed: no line, no hang).
        fs::create_symlink("2024-03-08-loop.md", posts / "2024-03-08-loop.md");
        bad.push_back({"2024-03-08-loop.md", "symbolic links"});
        fs::create_directory_symlink("..", posts / "2024-03-09-up");

        write_file(posts / "2024-03-10-unreadable.md", post("읽을 수 없음", "본문"));
        fs::permissions(posts / "2024-03-10-unreadable.md", fs::perms::none);
        // Root reads files whatever their permissions: then this row cannot be tested.
        const int fd = open((posts / "2024-03-10-unreadable.md").c_str(), O_RDONLY);
        if (fd >= 0) {
            close(fd);
            fs::remove(posts / "2024-03-10-unreadable.md");
        } else {
            unreadable_row = true;
            bad.push_back({"2024-03-10-unreadable.md", "Permission denied"});
        }
    }

    void write_jsonl() {
        std::string lines;
        lines += R"({"id":"jsonl-1","title":"내보내기 기사","body":"<p>jsonlmarker 본문</p>"})" "\n";
        lines += "{\"id\":\"jsonl-2\",\"title\":\"깨진 \xFF\",\"body\":\"x\"}\n";
        lines += R"({"id":"jsonl-3","title":"잘린 줄","bo)" "\n";
        lines += "{\"id\":\"jsonl-4\",\"title\":\"깊은\",\"body\":" + repeated("[", 100'000) + "\n";
        lines += R"({"id":"jsonl-5","title":"널 이스케이프","body":"가\u0000나 nulescapemarker"})" "\n";
        write_file(site / "hostile.jsonl", lines);
        bad.push_back({"hostile.jsonl:2", ""});
        bad.push_back({"hostile.jsonl:3", ""});
        bad.push_back({"hostile.jsonl:4", ""});
    }

    std::vector<std::string> stderr_lines(const MeasuredRun& run) const {
        std::vector<std::string> lines;
        std::istringstream in(run.err);
        for (std::string line; std::getline(in, line);) lines.push_back(line);
        return lines;
    }
};

HostileArchive& archive() {
    static HostileArchive instance;
    return instance;
}

json search_json(const fs::path& db, const std::string& query) {
    const CommandResult result = run({kSearch, "--db", db.string(), "--json", query});
    BOOST_TEST_REQUIRE(result.exit_code == 0, "sosik-search failed: " << result.err);
    return json::parse(result.out);
}

// The stderr lines that name `where` (a path ends with it, then ": ").
std::vector<std::string> lines_naming(const std::vector<std::string>& lines, const std::string& where) {
    std::vector<std::string> found;
    for (const auto& line : lines)
        if (line.find("/" + where + ": ") != std::string::npos) found.push_back(line);
    return found;
}

}  // namespace

BOOST_AUTO_TEST_CASE(indexing_ends_with_exit_3_without_crash_or_hang) {
    const auto& a = archive();
    BOOST_TEST(!a.first.timed_out, "sosik-index ran past " << kDeadlineSeconds << " s");
    BOOST_TEST(a.first.exit_code == 3, a.first.exit_code << "\n" << a.first.err);
    BOOST_TEST(a.first.out.find("failed " + std::to_string(a.bad.size()) + " ") != std::string::npos,
               a.first.out << " (expected failed " << a.bad.size() << ")");
    if (!a.unreadable_row)
        BOOST_TEST_MESSAGE("running as root: a chmod 000 file is readable, its row is left out");
}

BOOST_AUTO_TEST_CASE(peak_memory_is_bounded) {
    const auto& a = archive();
    BOOST_TEST_MESSAGE("sosik-index peak RSS: " << a.first.peak_megabytes << " MB");
    BOOST_TEST(a.first.peak_megabytes > 0);
    BOOST_TEST(a.first.peak_megabytes < kMaxPeakMegabytes, a.first.peak_megabytes << " MB");
}

BOOST_AUTO_TEST_CASE(each_bad_file_gets_one_line_with_the_reason) {
    const auto& a = archive();
    const auto lines = a.stderr_lines(a.first);
    for (const BadFile& bad : a.bad) {
        const auto found = lines_naming(lines, bad.where);
        BOOST_TEST_REQUIRE(found.size() == 1u, bad.where << " in:\n" << a.first.err);
        BOOST_TEST(found[0].starts_with("sosik-index: "), found[0]);
        BOOST_TEST(found[0].find(bad.reason) != std::string::npos, found[0] << " (expected: " << bad.reason << ")");
    }
}

BOOST_AUTO_TEST_CASE(good_articles_are_indexed_and_searchable) {
    const auto& a = archive();
    for (const GoodPost& good : a.good) {
        const json result = search_json(a.db, good.marker);
        BOOST_TEST_REQUIRE(!result["hits"].empty(), good.name << ": nothing found for " << good.marker);
        const json& hit = result["hits"][0];
        BOOST_TEST(hit["id"].get<std::string>() == "_posts/" + good.name, hit.dump());
        BOOST_TEST(hit["title"].get<std::string>() == good.title, good.name);
    }
    const json jsonl = search_json(a.db, a.jsonl_marker);
    BOOST_TEST_REQUIRE(jsonl["hits"].size() == 1u, jsonl.dump());
    BOOST_TEST(jsonl["hits"][0]["id"] == "jsonl-1");
    const json nul_escape = search_json(a.db, "nulescapemarker");
    BOOST_TEST_REQUIRE(nul_escape["hits"].size() == 1u, nul_escape.dump());
    BOOST_TEST(nul_escape["hits"][0]["id"] == "jsonl-5");
}

BOOST_AUTO_TEST_CASE(converted_and_cut_files_say_so_in_one_line) {
    const auto& a = archive();
    const auto lines = a.stderr_lines(a.first);
    std::size_t noted = 0;
    for (const GoodPost& good : a.good) {
        const auto found = lines_naming(lines, good.name);
        if (good.note.empty()) {
            BOOST_TEST(found.empty(), good.name << " reported: " << (found.empty() ? "" : found[0]));
            continue;
        }
        ++noted;
        BOOST_TEST_REQUIRE(found.size() == 1u, good.name << " in:\n" << a.first.err);
        BOOST_TEST(found[0].find(good.note) != std::string::npos, found[0]);
    }
    // Nothing else on stderr (--quiet: no progress).
    BOOST_TEST(lines.size() == a.bad.size() + noted, a.first.err);
}

BOOST_AUTO_TEST_CASE(a_page_cut_for_indexing_keeps_its_beginning_only) {
    const auto& a = archive();
    BOOST_TEST(search_json(a.db, "hugetailmarker")["hits"].empty());
    BOOST_TEST(!search_json(a.db, "건강도시연맹")["hits"].empty());
}

BOOST_AUTO_TEST_CASE(a_second_run_reports_the_bad_files_again_and_changes_nothing) {
    const auto& a = archive();
    BOOST_TEST(!a.second.timed_out);
    BOOST_TEST(a.second.exit_code == 3, a.second.err);
    BOOST_TEST(a.second.out.starts_with("indexed 0, updated 0, removed 0, unchanged " +
                                        std::to_string(a.good.size() + 2) + ", failed " +
                                        std::to_string(a.bad.size()) + " "),
               a.second.out);
    BOOST_TEST(a.stderr_lines(a.second).size() == a.bad.size(), a.second.err);
}

BOOST_AUTO_TEST_CASE(exit_status_tells_success_and_fatal_errors_apart) {
    const auto& a = archive();
    TempDir dir;
    // Only the good posts: exit 0, whatever notes were printed.
    const fs::path good_site = dir / "good";
    fs::create_directories(good_site);
    fs::copy_file(a.site / "_config.yml", good_site / "_config.yml");
    for (const GoodPost& good : a.good) {
        if (good.name.find("huge") != std::string::npos) continue;  // 50 MB once is enough
        write_file(good_site / "_posts" / good.name, sosik::test::read_file(a.posts / good.name));
    }
    const CommandResult clean = run({kIndex, "--db", (dir / "db").string(), "--quiet", good_site.string()});
    BOOST_TEST(clean.exit_code == 0, clean.err);
    BOOST_TEST(clean.err.find("EUC-KR") != std::string::npos, clean.err);

    // A fatal error: an input that does not exist.
    const CommandResult missing = run({kIndex, "--db", (dir / "db2").string(), (dir / "nowhere").string()});
    BOOST_TEST(missing.exit_code == 1, missing.err);
    BOOST_TEST(missing.err.find("nowhere") != std::string::npos, missing.err);
}
