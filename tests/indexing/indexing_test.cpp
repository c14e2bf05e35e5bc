// Black-box tests of sosik-index at archive scale: incremental re-runs that
// parse nothing, edits that re-index exactly what changed, kill -9 at random
// moments, SIGTERM, a second writer, and what it prints on stderr.
//
// The archive is generated: a JSON Lines export and a Jekyll site of Markdown
// posts, ~2,000 articles of made-up Korean news text (deterministic seed).
#define BOOST_TEST_MODULE indexing
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <map>
#include <random>
#include <set>
#include <spawn.h>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::CommandResult;
using sosik::test::run;
using sosik::test::TempDir;

extern char** environ;

namespace {

// The executables, next to this test's build folder (tests/CMakeLists.txt
// registers it with one line, so the paths follow the build tree's layout).
const std::string kIndex = std::string(SOSIK_BINARY_DIR) + "/indexer/sosik-index";
const std::string kSearch = std::string(SOSIK_BINARY_DIR) + "/query/sosik-search";

// ---- a generated archive ----------------------------------------------------------

const std::vector<std::string> kNouns = {
    "서울시", "교육청", "경찰", "검찰", "국회", "정부", "학교", "병원", "시장", "기업", "주민", "학생", "의원",
    "대통령", "도로", "지하철", "버스", "공원", "도서관", "축제", "태풍", "폭우", "화재", "사고", "예산", "선거",
    "건강도시", "환경부", "복지관", "청소년", "노인", "어린이집", "소방서", "구청", "시청", "법원", "항만", "공항",
};
const std::vector<std::string> kParticles = {"", "", "가", "이", "는", "은", "를", "을", "와", "과", "에서", "의", "도"};
const std::vector<std::string> kVerbs = {
    "발표했다", "열었다", "밝혔다", "조사했다", "지원한다", "추진한다", "점검했다", "협약을 맺었다",
};

std::string sentence(std::mt19937& random) {
    std::string s;
    const int words = 4 + static_cast<int>(random() % 6);
    for (int i = 0; i < words; ++i) {
        s += kNouns[random() % kNouns.size()] + kParticles[random() % kParticles.size()] + " ";
    }
    return s + kVerbs[random() % kVerbs.size()] + ".";
}

std::string paragraph(std::mt19937& random, int sentences) {
    std::string p;
    for (int i = 0; i < sentences; ++i) p += (i ? " " : "") + sentence(random);
    return p;
}

struct Archive {
    fs::path root;
    std::size_t jsonl_articles = 0;
    std::size_t posts = 0;
    std::size_t total() const { return jsonl_articles + posts; }
};

std::string jsonl_line(std::size_t i, const std::string& body_extra = "") {
    std::mt19937 random(static_cast<unsigned>(1000 + i));
    json line = {{"id", "news-" + std::to_string(i)},
                 {"title", sentence(random)},
                 {"body", "<p>" + paragraph(random, 6) + "</p><p>" + paragraph(random, 5) + body_extra + "</p>"},
                 {"date", "2024-05-" + std::to_string(10 + i % 18)},
                 {"categories", {i % 2 ? "사회" : "경제"}}};
    return line.dump() + "\n";
}

std::string post(std::size_t i, const std::string& extra = "", const std::string& front_extra = "") {
    std::mt19937 random(static_cast<unsigned>(50000 + i));
    return "---\ntitle: \"" + sentence(random) + "\"\ncategories: 지역\n" + front_extra + "---\n\n" +
           paragraph(random, 5) + "\n\n" + paragraph(random, 4) + extra + "\n";
}

fs::path post_path(const fs::path& root, std::size_t i) {
    char name[64];
    std::snprintf(name, sizeof name, "2023-%02zu-%02zu-post-%04zu.md", 1 + i % 12, 1 + i % 28, i);
    return root / "site" / "_posts" / name;
}

Archive make_archive(const fs::path& root, std::size_t jsonl_articles, std::size_t posts) {
    Archive archive{root, jsonl_articles, posts};
    std::string lines;
    for (std::size_t i = 0; i < jsonl_articles; ++i) lines += jsonl_line(i);
    sosik::test::write_file(root / "export" / "news.jsonl", lines);
    sosik::test::write_file(root / "site" / "_config.yml", "title: 테스트\npermalink: /:year/:month/:title/\n");
    for (std::size_t i = 0; i < posts; ++i) sosik::test::write_file(post_path(root, i), post(i));
    return archive;
}

// ---- running the executables ------------------------------------------------------------

CommandResult index(const fs::path& db, const fs::path& archive, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {kIndex, "--db", db.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back(archive.string());
    return run(argv);
}

// A sosik-index running in the background, stdout and stderr to files.
class Child {
public:
    Child(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> args;
        for (const auto& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
        args.push_back(nullptr);
        const int status = posix_spawn(&pid_, argv[0].c_str(), &actions, nullptr, args.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (status != 0) throw std::runtime_error("posix_spawn failed");
    }
    ~Child() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            wait();
        }
    }
    void signal(int sig) const { kill(pid_, sig); }
    // Exit code, or 128 + signal.
    int wait() {
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

private:
    pid_t pid_ = -1;
};

// Waits until `file` holds `text` (or `seconds` pass).
bool wait_for_text(const fs::path& file, const std::string& text, double seconds) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < deadline) {
        if (sosik::test::read_file(file).find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

// "…, failed 0 in 1.23 s" → the number after `what`.
std::size_t count_of(const std::string& summary, const std::string& what) {
    const auto at = summary.find(what + " ");
    BOOST_TEST_REQUIRE(at != std::string::npos, "no '" << what << "' in: " << summary);
    return std::stoul(summary.substr(at + what.size() + 1));
}

// ---- comparing two databases ---------------------------------------------------------

// Article id → fingerprint of its source bytes (schema.h: value slot 1).
std::map<std::string, std::string> articles_of(const fs::path& db) {
    std::map<std::string, std::string> articles;
    Xapian::Database database(db.string());
    for (auto term = database.allterms_begin("Q"); term != database.allterms_end("Q"); ++term) {
        auto posting = database.postlist_begin(*term);
        articles[(*term).substr(1)] = database.get_document(*posting).get_value(1);
    }
    BOOST_TEST(articles.size() == database.get_doccount());
    return articles;
}

// Top hits as (score, id), ties ordered by id: two databases with the same
// articles rank them the same whatever their internal document numbers.
std::vector<std::pair<long long, std::string>> top_hits(const fs::path& db, const std::string& query) {
    const CommandResult result = run({kSearch, "--db", db.string(), "--json", "--limit", "20", query});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    std::vector<std::pair<long long, std::string>> hits;
    const json parsed = json::parse(result.out);
    for (const auto& hit : parsed["hits"])
        hits.emplace_back(-std::llround(hit["score"].get<double>() * 1e6), hit["id"].get<std::string>());
    std::sort(hits.begin(), hits.end());
    return hits;
}

void expect_same_index(const fs::path& db, const fs::path& clean) {
    const auto got = articles_of(db);
    const auto want = articles_of(clean);
    BOOST_TEST(got.size() == want.size());
    BOOST_TEST((got == want), "the articles (ids and content fingerprints) differ from a clean build");
    for (const char* query : {"서울시", "건강도시", "검찰 조사", "\"어린이집 지원\"", "태풍 피해 점검"}) {
        BOOST_TEST((top_hits(db, query) == top_hits(clean, query)), "top hits differ for " << query);
    }
}

double elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

BOOST_AUTO_TEST_CASE(unchanged_rerun_parses_nothing) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 300, 100);
    const fs::path db = dir / "db";
    const CommandResult first = index(db, archive.root, {"--verbose"});
    BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);
    BOOST_TEST(first.out.starts_with("indexed " + std::to_string(archive.total()) + ", updated 0"), first.out);

    const CommandResult again = index(db, archive.root, {"--verbose"});
    BOOST_TEST(again.exit_code == 0, again.err);
    BOOST_TEST(again.out.starts_with("indexed 0, updated 0, removed 0, unchanged " + std::to_string(archive.total()) +
                                     ", failed 0"),
               again.out);
    BOOST_TEST(again.err.find("articles parsed: 0 ") != std::string::npos, again.err);
    BOOST_TEST(again.err.find("(read 0, unchanged 101 by size+mtime") != std::string::npos, again.err);

    // A touched file (new mtime, same bytes) is hashed, not parsed.
    const fs::path touched = post_path(archive.root, 7);
    fs::last_write_time(touched, fs::last_write_time(touched) + std::chrono::seconds(5));
    const CommandResult touched_run = index(db, archive.root, {"--verbose"});
    BOOST_TEST(touched_run.out.starts_with("indexed 0, updated 0, removed 0, unchanged " +
                                           std::to_string(archive.total())),
               touched_run.out);
    BOOST_TEST(touched_run.err.find("articles parsed: 0 ") != std::string::npos, touched_run.err);
    BOOST_TEST(touched_run.err.find("1 by content hash") != std::string::npos, touched_run.err);
    // …and remembered: the next run skips it on size + mtime alone.
    const CommandResult after = index(db, archive.root, {"--verbose"});
    BOOST_TEST(after.err.find("(read 0, unchanged 101 by size+mtime, 0 by content hash") != std::string::npos,
               after.err);
}

BOOST_AUTO_TEST_CASE(editing_articles_reindexes_exactly_those) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 1000, 60);
    const fs::path db = dir / "db";
    BOOST_TEST_REQUIRE(index(db, archive.root).exit_code == 0);

    // 7 lines of the export and 3 posts edited; one post deleted, one line deleted, one post added.
    std::string lines;
    for (std::size_t i = 0; i < archive.jsonl_articles; ++i) {
        if (i == 500) continue;
        lines += jsonl_line(i, i % 150 == 3 ? " 이번에 고친 문장: 퀭퀭 낱말." : "");
    }
    sosik::test::write_file(archive.root / "export" / "news.jsonl", lines);
    for (std::size_t i : {4, 20, 41}) sosik::test::write_file(post_path(archive.root, i), post(i, " 퀭퀭 추가"));
    fs::remove(post_path(archive.root, 30));
    sosik::test::write_file(post_path(archive.root, 999), post(999));

    const CommandResult result = index(db, archive.root, {"--verbose"});
    BOOST_TEST(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.starts_with("indexed 1, updated 10, removed 2, unchanged " +
                                      std::to_string(archive.total() - 12) + ", failed 0"),
               result.out);
    // Only the edited and new articles were parsed: the export's other lines matched by fingerprint.
    BOOST_TEST(result.err.find("articles parsed: 11 ") != std::string::npos, result.err);
    BOOST_TEST(result.err.find("skipped by fingerprint: 992") != std::string::npos, result.err);

    const CommandResult search = run({kSearch, "--db", db.string(), "--json", "--limit", "50", "퀭퀭"});
    BOOST_TEST(json::parse(search.out)["total"].get<std::size_t>() == 10u, search.out);

    // Same as a clean build of the edited archive.
    const fs::path clean = dir / "clean";
    BOOST_TEST_REQUIRE(index(clean, archive.root).exit_code == 0);
    expect_same_index(db, clean);
}

BOOST_AUTO_TEST_CASE(kill_9_at_random_moments_converges_to_a_clean_build) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 1500, 500);
    const fs::path clean = dir / "clean";
    const auto started = std::chrono::steady_clock::now();
    BOOST_TEST_REQUIRE(index(clean, archive.root).exit_code == 0);
    const double clean_seconds = elapsed_since(started);

    const fs::path db = dir / "db";
    std::mt19937 random(20251126);
    std::uniform_real_distribution<double> moment(0.03, 0.6);
    std::size_t killed = 0;
    for (int round = 0; round < 5; ++round) {
        const double delay = moment(random) * clean_seconds;
        Child child({kIndex, "--db", db.string(), "--commit-every", "150", archive.root.string()}, dir / "out",
                    dir / "err");
        std::this_thread::sleep_for(std::chrono::duration<double>(delay));
        child.signal(SIGKILL);
        const int status = child.wait();
        BOOST_TEST_MESSAGE("round " << round << ": kill -9 after " << delay << " s of ~" << clean_seconds
                                    << " s, status " << status << ": " << sosik::test::read_file(dir / "out"));
        if (status == 128 + SIGKILL) ++killed;
        // Halfway, the archive changes under the crashes too.
        if (round == 2) {
            for (std::size_t i : {10, 11, 12}) sosik::test::write_file(post_path(archive.root, i), post(i, " 수정"));
            fs::remove(post_path(archive.root, 13));
        }
    }
    BOOST_TEST(killed >= 2u, "runs should have been killed mid-way");

    CommandResult final_run;
    for (int attempt = 0; attempt < 50; ++attempt) {
        final_run = index(db, archive.root);
        // The killed writer's lock may outlive it for a moment.
        if (final_run.err.find("locked") == std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    BOOST_TEST_REQUIRE(final_run.exit_code == 0, final_run.err);
    BOOST_TEST(!fs::exists(dir / "db.building"), "the parts of a killed first build are removed");

    const fs::path clean_edited = dir / "clean-edited";
    BOOST_TEST_REQUIRE(index(clean_edited, archive.root).exit_code == 0);
    expect_same_index(db, clean_edited);
    // And converged: nothing left to do.
    const CommandResult again = index(db, archive.root);
    BOOST_TEST(again.out.starts_with("indexed 0, updated 0, removed 0, unchanged " + std::to_string(archive.total() - 1)),
               again.out);
}

BOOST_AUTO_TEST_CASE(sigterm_commits_what_is_done_and_exits_143) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 3000, 0);
    const fs::path db = dir / "db";
    Child child({kIndex, "--db", db.string(), "--progress-interval", "0.05", archive.root.string()}, dir / "out",
                dir / "err");
    BOOST_TEST_REQUIRE(wait_for_text(dir / "err", "articles", 60), sosik::test::read_file(dir / "err"));
    child.signal(SIGTERM);
    const int status = child.wait();
    const std::string out = sosik::test::read_file(dir / "out");
    BOOST_TEST(status == 143, "exit status " << status << "; " << out);
    BOOST_TEST(out.find(", interrupted") != std::string::npos, out);
    const std::size_t done = count_of(out, "indexed");
    BOOST_TEST(done > 0u);
    BOOST_TEST(done < archive.total());
    // What the summary counts is committed.
    BOOST_TEST(Xapian::Database(db.string()).get_doccount() == done);

    const CommandResult rest = index(db, archive.root);
    BOOST_TEST(rest.exit_code == 0, rest.err);
    BOOST_TEST(count_of(rest.out, "indexed") + count_of(rest.out, "unchanged") == archive.total(), rest.out);
    BOOST_TEST(Xapian::Database(db.string()).get_doccount() == archive.total());
}

BOOST_AUTO_TEST_CASE(a_second_writer_gets_a_clear_lock_message) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 2000, 0);
    const fs::path db = dir / "db";
    {
        // Any other writer: the message names the database and the reason, on one line.
        Xapian::WritableDatabase holder(db.string(), Xapian::DB_CREATE_OR_OPEN);
        const CommandResult second = index(db, archive.root);
        BOOST_TEST(second.exit_code == 1);
        BOOST_TEST(second.err.find(db.string() + " is locked by another sosik-index") != std::string::npos,
                   second.err);
        BOOST_TEST(std::count(second.err.begin(), second.err.end(), '\n') == 1, second.err);
        BOOST_TEST(second.out.empty(), second.out);
    }
    // Two sosik-index at once: the first (paused while it holds the lock) is unharmed.
    Child first({kIndex, "--db", db.string(), "--progress-interval", "0.05", archive.root.string()}, dir / "out",
                dir / "err");
    BOOST_TEST_REQUIRE(wait_for_text(dir / "err", "articles", 60), sosik::test::read_file(dir / "err"));
    first.signal(SIGSTOP);
    const CommandResult second = index(db, archive.root);
    first.signal(SIGCONT);
    BOOST_TEST(second.exit_code == 1);
    BOOST_TEST(second.err.find("is locked by another sosik-index") != std::string::npos, second.err);
    BOOST_TEST(first.wait() == 0, sosik::test::read_file(dir / "err"));
    BOOST_TEST(Xapian::Database(db.string()).get_doccount() == archive.total());
}

BOOST_AUTO_TEST_CASE(quiet_prints_only_the_summary) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 1500, 20);
    const CommandResult result =
        index(dir / "db", archive.root, {"--quiet", "--progress-interval", "0.01"});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(result.err.empty(), result.err);
    BOOST_TEST(std::count(result.out.begin(), result.out.end(), '\n') == 1, result.out);
    BOOST_TEST(result.out.starts_with("indexed " + std::to_string(archive.total()) + ", "), result.out);
}

BOOST_AUTO_TEST_CASE(progress_goes_to_stderr_as_plain_lines_when_not_a_terminal) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 1500, 20);
    const CommandResult result = index(dir / "db", archive.root, {"--progress-interval", "0.05"});
    BOOST_TEST(result.exit_code == 0);
    BOOST_TEST(std::count(result.out.begin(), result.out.end(), '\n') == 1, "stdout is the summary: " << result.out);
    BOOST_TEST(result.err.find('\r') == std::string::npos, "no terminal redraws in a file");
    BOOST_TEST(result.err.find("\033[") == std::string::npos);
    std::size_t lines = 0;
    std::istringstream err(result.err);
    for (std::string line; std::getline(err, line);) {
        ++lines;
        BOOST_TEST(line.starts_with("sosik-index: "), line);
        BOOST_TEST(line.find(" files, ") != std::string::npos, line);
        BOOST_TEST(line.find(" articles/s, ") != std::string::npos, line);
        BOOST_TEST(line.find(" MB/s") != std::string::npos, line);
    }
    BOOST_TEST(lines >= 1u, result.err);
}

BOOST_AUTO_TEST_CASE(unpublished_posts_are_left_out_like_jekyll_does) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 0, 5);
    const fs::path hidden = post_path(archive.root, 2);
    sosik::test::write_file(hidden, post(2, " 비공개글전용낱말", "published: false\n"));
    const fs::path db = dir / "db";
    const CommandResult first = index(db, archive.root);
    BOOST_TEST(first.out.starts_with("indexed 4, "), first.out);
    const auto none = run({kSearch, "--db", db.string(), "--json", "비공개글전용낱말"});
    BOOST_TEST(json::parse(none.out)["total"].get<std::size_t>() == 0u);

    sosik::test::write_file(hidden, post(2, " 비공개글전용낱말", "published: true\n"));
    const CommandResult published = index(db, archive.root);
    BOOST_TEST(published.out.starts_with("indexed 1, updated 0, removed 0, unchanged 4"), published.out);
    sosik::test::write_file(hidden, post(2, " 비공개글전용낱말", "published: false\n"));
    const CommandResult unpublished = index(db, archive.root);
    BOOST_TEST(unpublished.out.starts_with("indexed 0, updated 0, removed 1, unchanged 4"), unpublished.out);
}

BOOST_AUTO_TEST_CASE(thread_count_does_not_change_the_index) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 400, 40);
    BOOST_TEST_REQUIRE(index(dir / "one", archive.root, {"--jobs", "1"}).exit_code == 0);
    BOOST_TEST_REQUIRE(index(dir / "four", archive.root, {"--jobs", "4"}).exit_code == 0);
    expect_same_index(dir / "one", dir / "four");
}

// A first build with several writers (parts merged at the end) holds what one
// writer builds, leaves no parts behind, and later runs go on from it.
BOOST_AUTO_TEST_CASE(a_first_build_with_several_writers_equals_one_writer) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 400, 40);
    const CommandResult one = index(dir / "one", archive.root, {"--writers", "1", "--verbose"});
    BOOST_TEST_REQUIRE(one.exit_code == 0, one.err);
    const CommandResult three = index(dir / "three", archive.root, {"--writers", "3", "--verbose"});
    BOOST_TEST_REQUIRE(three.exit_code == 0, three.err);
    BOOST_TEST(three.err.find("+ 3 writers; commits: 1") != std::string::npos, three.err);
    BOOST_TEST(one.err.find("+ 1 writer;") != std::string::npos, one.err);
    expect_same_index(dir / "one", dir / "three");
    BOOST_TEST(!fs::exists(dir / "three.building"));

    const CommandResult again = index(dir / "three", archive.root, {"--writers", "3"});
    BOOST_TEST(again.out.starts_with("indexed 0, updated 0, removed 0, unchanged " + std::to_string(archive.total())),
               again.out);
    for (std::size_t i : {3, 4}) sosik::test::write_file(post_path(archive.root, i), post(i, " 수정"));
    BOOST_TEST_REQUIRE(index(dir / "one", archive.root).exit_code == 0);
    const CommandResult edited = index(dir / "three", archive.root, {"--writers", "3", "--verbose"});
    BOOST_TEST(edited.out.starts_with("indexed 0, updated 2, removed 0"), edited.out);
    BOOST_TEST(edited.err.find("+ 1 writer;") != std::string::npos, edited.err);  // an existing database: one writer
    expect_same_index(dir / "three", dir / "one");
}

// --verbose reports the postings the Xapian writer had to invert (its cost
// grows with them): on a first build, every posting the database holds.
BOOST_AUTO_TEST_CASE(the_profile_counts_the_postings_the_database_holds) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 200, 20);
    const CommandResult built = index(dir / "db", archive.root, {"--verbose"});
    BOOST_TEST_REQUIRE(built.exit_code == 0, built.err);
    Xapian::Database db((dir / "db").string());
    unsigned long long held = 0;
    for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) held += term.get_termfreq();
    char expected[96];
    std::snprintf(expected, sizeof expected, "postings: %llu, %.0f per article", held,
                  static_cast<double>(held) / db.get_doccount());
    BOOST_TEST(built.err.find(expected) != std::string::npos, built.err << "\nexpected: " << expected);
}

// ---- a full disk -------------------------------------------------------------------

namespace {

// A tmpfs of `size` mounted on `dir` for one test (CI runs as root), unmounted after.
class SmallDisk {
public:
    SmallDisk(const fs::path& dir, const std::string& size) : dir_(dir) {
        fs::create_directories(dir);
        const std::string command =
            "mount -t tmpfs -o size=" + size + " tmpfs " + sosik::test::shell_quote(dir.string()) + " 2>/dev/null";
        mounted_ = std::system(command.c_str()) == 0;
    }
    ~SmallDisk() {
        if (mounted_) (void)std::system(("umount " + sosik::test::shell_quote(dir_.string())).c_str());
    }
    SmallDisk(const SmallDisk&) = delete;
    SmallDisk& operator=(const SmallDisk&) = delete;
    bool mounted() const { return mounted_; }

private:
    fs::path dir_;
    bool mounted_ = false;
};

// The disk-full tests run where a tmpfs can be mounted, and are reported skipped elsewhere.
boost::test_tools::assertion_result can_mount_tmpfs(boost::unit_test::test_unit_id) {
    TempDir dir;
    if (SmallDisk(dir / "probe", "64k").mounted()) return true;
    boost::test_tools::assertion_result refused(false);
    refused.message() << "mounting a tmpfs was refused (needs root, or a container that allows mount)";
    return refused;
}

std::vector<std::string> entries_of(const fs::path& dir) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
    return names;
}

}  // namespace

// Xapian said "DatabaseError: Error writing block 3321 (No space left on device)"
// and left an empty database and DB.building/ behind.
BOOST_AUTO_TEST_CASE(a_first_build_on_a_full_disk_leaves_nothing_and_says_so,
                     *boost::unit_test::precondition(can_mount_tmpfs)) {
    TempDir dir;
    const Archive archive = make_archive(dir / "archive", 3000, 0);
    SmallDisk disk(dir / "disk", "1m");
    BOOST_TEST_REQUIRE(disk.mounted());
    for (const char* writers : {"0", "1"}) {
        BOOST_TEST_CONTEXT("--writers " << writers) {
            const fs::path db = dir / "disk" / "db";
            const CommandResult result = index(db, archive.root, {"--quiet", "--writers", writers});
            BOOST_TEST(result.exit_code == 1, result.err);
            BOOST_TEST(result.err.starts_with("sosik-index: disk full: "), result.err);
            BOOST_TEST(result.err.find("free space and run again") != std::string::npos, result.err);
            BOOST_TEST(result.err.find("DatabaseError") == std::string::npos, result.err);
            BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
            // --writers 1 commits every 10,000: this archive never reached a commit.
            BOOST_TEST(entries_of(dir / "disk").empty(), "left: " << entries_of(dir / "disk").size() << " entries");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_full_disk_leaves_the_database_at_its_last_commit_and_says_so,
                     *boost::unit_test::precondition(can_mount_tmpfs)) {
    TempDir dir;
    const Archive small = make_archive(dir / "small", 100, 0);
    const Archive big = make_archive(dir / "big", 3000, 0);
    SmallDisk disk(dir / "disk", "2m");
    BOOST_TEST_REQUIRE(disk.mounted());
    const fs::path db = dir / "disk" / "db";
    BOOST_TEST_REQUIRE(index(db, small.root, {"--quiet"}).exit_code == 0);

    const CommandResult result = index(db, big.root, {"--quiet", "--commit-every", "500"});
    BOOST_TEST(result.exit_code == 1, result.err);
    const std::string start = "sosik-index: disk full: " + db.string() + " is at its last commit (";
    BOOST_TEST_REQUIRE(result.err.starts_with(start), result.err);
    BOOST_TEST(result.err.find(" articles); free space and run again\n") != std::string::npos, result.err);
    BOOST_TEST(std::count(result.err.begin(), result.err.end(), '\n') == 1, "one line: " << result.err);
    std::string count = result.err.substr(start.size());
    count = count.substr(0, count.find(' '));
    count.erase(std::remove(count.begin(), count.end(), ','), count.end());
    const Xapian::doccount committed = Xapian::Database(db.string()).get_doccount();
    BOOST_TEST(std::stoul(count) == committed);
    BOOST_TEST(committed >= 100u);
    BOOST_TEST(run({kSearch, "--db", db.string(), "서울시"}).exit_code == 0);
}
