// Shards, end to end: an archive indexed with --shard-by, two of its three
// shards served by xapian-tcpsrv on loopback, searched through a stub file
// that mixes local and remote shards — and compared with one database
// holding the same articles: same ids in the same order, totals and facets.
// A killed (or frozen) shard server must give a clear error, or with
// --allow-partial the other shards' results flagged "partial". Re-runs route
// each article to its shard; one whose date changes moves.
#define BOOST_TEST_MODULE shards
#include <boost/test/unit_test.hpp>

#include "../support/test_support.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <arpa/inet.h>
#include <csignal>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <set>
#include <thread>

namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::CommandResult;
using sosik::test::run;
using sosik::test::TempDir;
using sosik::test::write_file;

namespace {

const std::string kIndex = SOSIK_INDEX_EXE;
const std::string kSearch = SOSIK_SEARCH_EXE;
const std::string kServe = SOSIK_SERVE_EXE;
const std::string kTcpServer = "xapian-tcpsrv";  // Debian xapian-tools
constexpr std::size_t kArticles = 900;  // of the generated export

// A port nobody listens on right now (the kernel's pick for port 0).
int free_port() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    BOOST_TEST_REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    return ok;
}

// A server in a child process on a loopback port (xapian-tcpsrv, sosik-serve).
class Server {
public:
    explicit Server(std::vector<std::string> argv, int port) : port_(port) {
        pid_ = fork();
        BOOST_TEST_REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            setpgid(0, 0);  // its own group: xapian-tcpsrv forks a child per connection, killed with it
            const int null = open("/dev/null", O_WRONLY);
            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
            std::vector<char*> raw;
            for (auto& arg : argv) raw.push_back(arg.data());
            raw.push_back(nullptr);
            execvp(raw[0], raw.data());
            _exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!accepts_connections(port_) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        BOOST_TEST_REQUIRE(accepts_connections(port_), argv[0] << " did not start on port " << port_);
    }
    ~Server() { kill_now(); }
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    int port() const { return port_; }
    std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

    void kill_now() {
        if (pid_ <= 0) return;
        kill(-pid_, SIGCONT);  // a frozen one too
        kill(-pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
        pid_ = -1;
    }
    void freeze() { kill(-pid_, SIGSTOP); }
    void thaw() { kill(-pid_, SIGCONT); }

private:
    int port_;
    pid_t pid_ = -1;
};

std::unique_ptr<Server> serve_shard(const fs::path& shard) {
    const int port = free_port();
    return std::make_unique<Server>(
        std::vector<std::string>{kTcpServer, "--interface", "127.0.0.1", "--port", std::to_string(port), "--quiet",
                                 "--timeout", "60000", shard.string()},
        port);
}

// A generated news export of `count` articles (deterministic seed), in place
// of a slice of ../shared/corpora, which not every clone has: Korean words
// with particles, one article every two or three days from 2019 on (each at
// its own hour: a date sort has no ties), categories and tags for facets, and
// the words and phrases kRequests ask for.
void write_news_archive(const fs::path& file, std::size_t count) {
    static const std::vector<std::string> nouns = {
        "서울", "대통령", "경제", "검찰", "수사", "정부", "국회", "선거", "법원", "기업", "시장", "주민", "학교",
        "병원", "예산", "수출", "물가", "금리", "노동자", "도로", "지하철", "환경", "태풍", "외교", "국방", "청년",
    };
    static const std::vector<std::string> particles = {"", "", "", "가", "이", "는", "은", "를", "을", "의", "에서", "와"};
    static const std::vector<std::string> verbs = {"밝혔다", "발표했다", "조사했다", "합의했다", "논의했다", "늘었다"};
    static const std::vector<std::string> categories = {"정치", "경제", "사회", "국제"};
    static const std::vector<std::string> tags = {"속보", "단독", "해설", "인터뷰", "현장"};
    std::mt19937 random(20240902);
    auto word = [&] { return nouns[random() % nouns.size()] + particles[random() % particles.size()]; };
    std::string out;
    const std::chrono::sys_days first{std::chrono::year(2019) / 1 / 1};
    for (std::size_t i = 0; i < count; ++i) {
        const std::chrono::year_month_day day{first + std::chrono::days(static_cast<int>(i * 5 / 2))};
        char date[32];
        std::snprintf(date, sizeof date, "%04d-%02u-%02uT%02zu:00:00+09:00", static_cast<int>(day.year()),
                      static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()), i % 24);
        std::string body = "<p>";
        const std::size_t sentences = 3 + random() % 8;
        for (std::size_t s = 0; s < sentences; ++s) {
            const std::size_t words = 4 + random() % 9;
            for (std::size_t w = 0; w < words; ++w) body += word() + " ";
            if (random() % 6 == 0) body += "대통령 선거를 앞두고 ";
            if (random() % 40 == 0) body += "서울시청 앞에서 ";
            if (random() % 60 == 0) body += "건강도시 사업으로 ";
            body += verbs[random() % verbs.size()] + (s % 3 == 2 ? ".</p><p>" : ". ");
        }
        body += "기사 " + std::to_string(i) + "</p>";
        const json line = {{"id", "news-" + std::to_string(i)},
                           {"title", word() + " " + word() + " " + nouns[random() % nouns.size()]},
                           {"body", body},
                           {"date", date},
                           {"categories", {categories[random() % categories.size()]}},
                           {"tags", {tags[random() % tags.size()]}}};
        out += line.dump() + "\n";
    }
    write_file(file, out);
}

CommandResult index(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {kIndex, "--quiet"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv);
}

json search_json(const std::vector<std::string>& dbs, const std::vector<std::string>& args,
                 CommandResult* raw = nullptr) {
    std::vector<std::string> argv = {kSearch, "--json"};
    for (const auto& db : dbs) {
        argv.push_back("--db");
        argv.push_back(db);
    }
    argv.insert(argv.end(), args.begin(), args.end());
    const CommandResult result = run(argv);
    if (raw) *raw = result;
    if (result.exit_code != 0) return json();
    return json::parse(result.out);
}

std::vector<std::string> ids(const json& result) {
    std::vector<std::string> out;
    for (const auto& hit : result["hits"]) out.push_back(hit["id"]);
    return out;
}

// Everything but the timing must be equal; scores to float noise (shards add
// the same statistics in another order). Exact totals are equal; a total
// one database only estimates (total_exact false: Xapian stopped counting
// after the top hits) is estimated differently by remote servers (they often
// count all of their matches), so it is not compared.
void check_same(const json& single, const json& sharded, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
        BOOST_TEST_REQUIRE(single.is_object());
        BOOST_TEST_REQUIRE(sharded.is_object());
        BOOST_TEST(ids(single) == ids(sharded), boost::test_tools::per_element());
        if (single["total_exact"] == true) {
            BOOST_TEST(sharded["total_exact"] == true);
            BOOST_TEST(single["total"] == sharded["total"]);
        } else {
            BOOST_TEST(sharded["total"].get<std::size_t>() >= sharded["hits"].size());
        }
        BOOST_TEST(single["facets"] == sharded["facets"]);
        BOOST_TEST(!sharded.contains("partial"));
        for (std::size_t i = 0; i < single["hits"].size() && i < sharded["hits"].size(); ++i) {
            BOOST_TEST(std::abs(single["hits"][i]["score"].get<double>() - sharded["hits"][i]["score"].get<double>()) <
                       1e-3);
            BOOST_TEST(single["hits"][i]["snippet"] == sharded["hits"][i]["snippet"]);
        }
    }
}

// One archive, indexed twice: as one database and in three shards.
struct Indexed {
    TempDir dir;
    fs::path single, sharded;
    std::vector<fs::path> shards;  // the three shard folders
    Indexed() {
        write_news_archive(dir / "input" / "news.jsonl", kArticles);
        single = dir / "single";
        sharded = dir / "sharded";
        const std::vector<std::string> inputs = {(sosik::test::source_dir() / "data").string(),
                                                 (dir / "input").string()};
        std::vector<std::string> args = {"--db", single.string()};
        args.insert(args.end(), inputs.begin(), inputs.end());
        CommandResult result = index(args);
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        args = {"--db", sharded.string(), "--shard-by", "hash:3"};
        args.insert(args.end(), inputs.begin(), inputs.end());
        result = index(args);
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        for (const char* name : {"hash-0-of-3", "hash-1-of-3", "hash-2-of-3"}) shards.push_back(sharded / name);
    }
};

Indexed& archive() {
    static Indexed indexed;
    return indexed;
}

const std::vector<std::vector<std::string>> kRequests = {
    {"서울"},
    {"대통령", "--facets", "category,year,month"},
    {"경제", "--sort", "date", "--limit", "20"},
    {"경제", "--sort", "+date", "--offset", "15", "--limit", "15"},
    {"검찰 수사", "--offset", "5", "--limit", "10", "--facets", "year"},
    {"\"대통령 선거\"", "--facets", "tag,category"},
    {"정부 OR 국회", "--since", "2020-01", "--until", "2025-12", "--limit", "30"},
    {"date:2024", "--sort", "date", "--limit", "50", "--facets", "month"},  // filter only: every score 0
    {"건강도시"},
};

// 초성 queries (the words of a key are read from the term lists of all the
// shards at once), each matching fewer articles than the limit.
const std::vector<std::vector<std::string>> kInitialsRequests = {
    {"ㄱㄱㄷㅅ", "--limit", "100"},  // 건강도시, in the sample archive
    {"ㅅㅇㅅㅊ", "--limit", "100"},  // 서울시청
};

// Shards match the same articles for an initials query as one database. Scores
// agree only closely: the words of a key score as one synonym, whose frequency
// Xapian 1.4 estimates in each shard from the words that shard holds.
void check_same_matches(const json& single, const json& sharded, const std::string& what) {
    BOOST_TEST_CONTEXT(what) {
        BOOST_TEST_REQUIRE(sharded.is_object());
        BOOST_TEST_REQUIRE(single["total_exact"] == true);
        BOOST_TEST(sharded["total"] == single["total"]);
        const auto one = ids(single), many = ids(sharded);
        BOOST_TEST((std::set<std::string>(one.begin(), one.end()) == std::set<std::string>(many.begin(), many.end())));
        for (std::size_t i = 0; i < single["hits"].size() && i < sharded["hits"].size(); ++i) {
            const double a = single["hits"][i]["score"], b = sharded["hits"][i]["score"];
            BOOST_TEST(std::abs(a - b) < 0.01 * a);
        }
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(sharded_index_has_a_stub_and_three_shards) {
    Indexed& a = archive();
    BOOST_TEST(fs::is_regular_file(a.sharded / "XAPIANDB"));
    std::size_t sum = 0;
    for (const fs::path& shard : a.shards) {
        BOOST_TEST_REQUIRE(fs::is_directory(shard), shard);
        const std::size_t count = Xapian::Database(shard.string()).get_doccount();
        BOOST_TEST(count > kArticles / 6, shard << " holds " << count);
        sum += count;
    }
    BOOST_TEST(sum == Xapian::Database(a.single.string()).get_doccount());
    // Xapian itself opens the folder through its stub.
    BOOST_TEST(Xapian::Database(a.sharded.string()).get_doccount() == sum);

    // A second run finds every file unchanged, as an unsharded database does.
    const CommandResult again = index({"--db", a.sharded.string(), (sosik::test::source_dir() / "data").string(),
                                       (a.dir / "input").string()});
    BOOST_TEST(again.exit_code == 0);
    BOOST_TEST(again.out.find("indexed 0, updated 0, removed 0, unchanged " + std::to_string(sum)) == 0, again.out);
}

BOOST_AUTO_TEST_CASE(local_shards_equal_one_database) {
    Indexed& a = archive();
    for (const auto& request : kRequests) {
        std::string what;
        for (const auto& arg : request) what += arg + " ";
        const json single = search_json({a.single.string()}, request);
        BOOST_TEST_REQUIRE(!single["hits"].empty(), what);
        check_same(single, search_json({a.sharded.string()}, request), "folder: " + what);
        check_same(single, search_json({a.shards[0].string(), a.shards[1].string(), a.shards[2].string()}, request),
                   "three --db: " + what);
    }
    for (const auto& request : kInitialsRequests) {
        const json single = search_json({a.single.string()}, request);
        BOOST_TEST_REQUIRE(single["hits"].size() >= 2u, request[0]);
        check_same_matches(single, search_json({a.sharded.string()}, request), "folder: " + request[0]);
    }
}

// The lexicon of a set of shards is read from their merged term lists: the
// same containing words are offered, so the same articles match.
BOOST_AUTO_TEST_CASE(local_shards_offer_the_containing_words_of_one_database) {
    Indexed& a = archive();
    const fs::path ranking = a.dir / "lexicon.rank";
    sosik::test::write_file(ranking, "max_containing_words = 20\ncontaining_share = 1e9\n");
    for (const char* word : {"건강", "도시"}) {
        const std::vector<std::string> request = {"--ranking", ranking.string(), "--explain", "--limit", "100", "--", word};
        const json single = search_json({a.single.string()}, request);
        BOOST_TEST_REQUIRE(single["hits"].size() >= 2u, word);
        const json sharded = search_json({a.shards[0].string(), a.shards[1].string(), a.shards[2].string()}, request);
        check_same_matches(single, sharded, std::string("three --db: ") + word);
        const std::string explained = single["explain"];
        BOOST_TEST(explained.find(std::string(word) + " in ") != std::string::npos, explained);
        BOOST_TEST(sharded["explain"] == single["explain"]);
    }
}

BOOST_AUTO_TEST_CASE(remote_shards_equal_one_database_and_fail_clearly) {
    Indexed& a = archive();
    auto first = serve_shard(a.shards[1]);
    auto second = serve_shard(a.shards[2]);
    const fs::path stub = a.dir / "mixed.stub";
    write_file(stub, "# one local shard, two served by xapian-tcpsrv\nauto " + a.shards[0].string() + "\nremote " +
                         first->address() + "\nremote " + second->address() + "\n");

    for (const auto& request : kRequests) {
        std::string what;
        for (const auto& arg : request) what += arg + " ";
        if (what.find('"') != std::string::npos) {
            // Quoted phrases are checked by a MatchDecider, which Xapian's
            // remote protocol cannot carry: a clear refusal, not other results.
            CommandResult refused;
            search_json({stub.string()}, request, &refused);
            BOOST_TEST(refused.exit_code == 1);
            BOOST_TEST(refused.err.find("remote shards") != std::string::npos, refused.err);
            continue;
        }
        const json single = search_json({a.single.string()}, request);
        check_same(single, search_json({stub.string()}, request), "stub: " + what);
        check_same(single,
                   search_json({a.shards[0].string(), "tcp://" + first->address(), "tcp://" + second->address()},
                               request),
                   "--db tcp://: " + what);
    }
    for (const auto& request : kInitialsRequests)
        check_same_matches(search_json({a.single.string()}, request), search_json({stub.string()}, request),
                           "stub: " + request[0]);

    // sosik-serve over the same mix answers what sosik-search does.
    const int port = free_port();
    Server serve({kServe, "--db", stub.string(), "--listen", "127.0.0.1:" + std::to_string(port), "--threads", "1"},
                 port);
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30);
    auto reply = client.Get("/api/search?q=%EC%84%9C%EC%9A%B8&facets=year");  // 서울
    BOOST_TEST_REQUIRE(reply);
    BOOST_TEST(reply->status == 200);
    const json served = json::parse(reply->body);
    const json single = search_json({a.single.string()}, {"서울", "--facets", "year"});
    BOOST_TEST(ids(served) == ids(single), boost::test_tools::per_element());
    BOOST_TEST(served["facets"] == single["facets"]);

    // A killed shard server: a clear one-line error naming it, no hang.
    second->kill_now();
    const std::string dead = "tcp://" + second->address();
    CommandResult failed;
    search_json({stub.string()}, {"서울"}, &failed);
    BOOST_TEST(failed.exit_code == 1);
    BOOST_TEST(failed.err.find(dead) != std::string::npos, failed.err);
    BOOST_TEST(std::count(failed.err.begin(), failed.err.end(), '\n') == 1, failed.err);

    // The server, whose connection to it was open: a JSON 503, then it keeps serving errors, not hanging.
    reply = client.Get("/api/search?q=%EC%84%9C%EC%9A%B8");
    BOOST_TEST_REQUIRE(reply);
    BOOST_TEST(reply->status == 503);
    BOOST_TEST(json::parse(reply->body)["error"]["code"] == 503);

    // --allow-partial: the live shards answer, the dead one is named.
    const json live = search_json({a.shards[0].string(), a.shards[1].string()}, {"서울", "--facets", "year"});
    const json partial = search_json({stub.string()}, {"서울", "--facets", "year", "--allow-partial"});
    BOOST_TEST_REQUIRE(partial.is_object());
    BOOST_TEST(partial["partial"] == true);
    BOOST_TEST(partial["missing_shards"] == json::array({dead}));
    BOOST_TEST(ids(partial) == ids(live), boost::test_tools::per_element());
    BOOST_TEST(partial["total"] == live["total"]);
    BOOST_TEST(partial["facets"] == live["facets"]);

    const int partial_port = free_port();
    Server partial_serve({kServe, "--db", stub.string(), "--allow-partial", "--listen",
                          "127.0.0.1:" + std::to_string(partial_port), "--threads", "1"},
                         partial_port);
    httplib::Client partial_client("127.0.0.1", partial_port);
    partial_client.set_read_timeout(30);
    reply = partial_client.Get("/api/search?q=%EC%84%9C%EC%9A%B8&facets=year");
    BOOST_TEST_REQUIRE(reply);
    BOOST_TEST(reply->status == 200);
    const json served_partial = json::parse(reply->body);
    BOOST_TEST(served_partial["partial"] == true);
    BOOST_TEST(served_partial["missing_shards"] == json::array({dead}));
    BOOST_TEST(ids(served_partial) == ids(live), boost::test_tools::per_element());

    // A frozen server (accepts connections, never answers): the timeout ends it.
    first->freeze();
    CommandResult frozen;
    const json only_local =
        search_json({stub.string()}, {"서울", "--allow-partial", "--remote-timeout", "1"}, &frozen);
    BOOST_TEST_REQUIRE(only_local.is_object(), frozen.err);
    BOOST_TEST(only_local["missing_shards"] == json::array({"tcp://" + first->address(), dead}));
    BOOST_TEST(ids(only_local) == ids(search_json({a.shards[0].string()}, {"서울"})),
               boost::test_tools::per_element());
    search_json({stub.string()}, {"서울", "--remote-timeout", "1"}, &frozen);
    BOOST_TEST(frozen.exit_code == 1);
    BOOST_TEST(frozen.err.find("tcp://" + first->address()) != std::string::npos, frozen.err);
    first->thaw();
}

BOOST_AUTO_TEST_CASE(an_article_whose_date_changes_moves_to_its_new_shard) {
    TempDir dir;
    const fs::path export_file = dir / "in" / "news.jsonl";
    const auto line = [](const std::string& id, const std::string& date) {
        return json{{"id", id}, {"title", "기사 " + id + " 서울시 소식"}, {"body", "서울시가 발표했다. " + id},
                    {"date", date}, {"categories", {"사회"}}}
                   .dump() +
               "\n";
    };
    write_file(export_file, line("a", "2024-01-05") + line("b", "2024-02-10") + line("c", "2024-02-11") +
                                line("d", ""));
    const fs::path db = dir / "db";
    CommandResult result = index({"--db", db.string(), "--shard-by", "month", (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    const auto holders = [&](const std::string& id) {
        std::vector<std::string> out;
        for (const auto& entry : fs::directory_iterator(db)) {
            if (!entry.is_directory() || entry.path().filename() == "state") continue;
            if (Xapian::Database(entry.path().string()).get_termfreq("Q" + id) > 0)
                out.push_back(entry.path().filename().string());
        }
        std::sort(out.begin(), out.end());
        return out;
    };
    BOOST_TEST(holders("a") == std::vector<std::string>{"2024-01"}, boost::test_tools::per_element());
    BOOST_TEST(holders("b") == std::vector<std::string>{"2024-02"}, boost::test_tools::per_element());
    BOOST_TEST(holders("d") == std::vector<std::string>{"undated"}, boost::test_tools::per_element());

    // a moves to a month that had no shard yet, b to another existing one; c goes away.
    write_file(export_file, line("a", "2024-03-01") + line("b", "2024-01-31") + line("d", ""));
    result = index({"--db", db.string(), (dir / "in").string()});  // the recorded scheme is kept
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.find("indexed 0, updated 2, removed 1, unchanged 1") == 0, result.out);
    BOOST_TEST(holders("a") == std::vector<std::string>{"2024-03"}, boost::test_tools::per_element());
    BOOST_TEST(holders("b") == std::vector<std::string>{"2024-01"}, boost::test_tools::per_element());
    BOOST_TEST(holders("c").empty());
    const std::string stub = sosik::test::read_file(db / "XAPIANDB");
    BOOST_TEST(stub.find("auto 2024-03\n") != std::string::npos, stub);

    const json found = search_json({db.string()}, {"서울시", "--sort", "+date"});
    BOOST_TEST_REQUIRE(found.is_object());
    BOOST_TEST(ids(found) == (std::vector<std::string>{"d", "b", "a"}), boost::test_tools::per_element());

    // Nothing changed: nothing read again, nothing moved.
    result = index({"--db", db.string(), (dir / "in").string()});
    BOOST_TEST(result.out.find("indexed 0, updated 0, removed 0, unchanged 3") == 0, result.out);

    // Another scheme on the same folder is refused, as is sharding an unsharded database.
    result = index({"--db", db.string(), "--shard-by", "year", (dir / "in").string()});
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.err.find("sharded by month") != std::string::npos, result.err);
    result = index({"--db", (dir / "plain").string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    result = index({"--db", (dir / "plain").string(), "--shard-by", "month", (dir / "in").string()});
    BOOST_TEST(result.exit_code == 1);
    BOOST_TEST(result.err.find("unsharded") != std::string::npos, result.err);
}
