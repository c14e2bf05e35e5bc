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
#include <sstream>
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
    // 초성: the words of a key are read from the term lists of all the shards
    // at once, and score as one synonym (issue 19).
    {"ㄱㄱㄷㅅ", "--limit", "100"},  // 건강도시, in the sample archive
    {"ㅅㅇㅅㅊ", "--limit", "100"},  // 서울시청
};

// The 초성 of a word of Hangul syllables (한라산 → ㅎㄹㅅ), empty for anything else.
std::string initials_of(const std::string& word) {
    static const char32_t kInitials[] = {U'ㄱ', U'ㄲ', U'ㄴ', U'ㄷ', U'ㄸ', U'ㄹ', U'ㅁ', U'ㅂ', U'ㅃ', U'ㅅ',
                                         U'ㅆ', U'ㅇ', U'ㅈ', U'ㅉ', U'ㅊ', U'ㅋ', U'ㅌ', U'ㅍ', U'ㅎ'};
    std::string out;
    for (std::size_t i = 0; i + 3 <= word.size(); i += 3) {
        const auto byte = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(word[i + k])); };
        const char32_t c = ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
        if ((byte(0) & 0xF0) != 0xE0 || c < 0xAC00 || c > 0xD7A3) return {};
        const char32_t initial = kInitials[(c - 0xAC00) / 588];
        out += static_cast<char>(0xE0 | (initial >> 12));
        out += static_cast<char>(0x80 | ((initial >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (initial & 0x3F));
    }
    return word.size() % 3 == 0 ? out : std::string();
}

// Queries people would type about the sample archive (data/): every post's
// title, each of its words, each pair of neighbouring words, and the 초성
// of its words of two syllables or more. A few hundred, in qid<TAB>query lines.
std::vector<std::string> sample_archive_queries() {
    std::vector<std::string> queries;
    const auto add = [&queries](const std::string& query) {
        if (!query.empty() && std::find(queries.begin(), queries.end(), query) == queries.end())
            queries.push_back(query);
    };
    std::vector<std::string> titles;
    for (const auto& entry : fs::directory_iterator(sosik::test::source_dir() / "data" / "_posts")) {
        std::istringstream post(sosik::test::read_file(entry.path()));
        for (std::string line; std::getline(post, line);)
            if (line.rfind("title:", 0) == 0) {
                titles.push_back(line.substr(6));
                break;
            }
    }
    std::sort(titles.begin(), titles.end());
    for (const std::string& title : titles) {
        // Spaces, ASCII punctuation and the …·『』 of the titles end a word.
        std::string spaced = title;
        for (const std::string mark : {"…", "·", "『", "』"})
            for (std::size_t at = spaced.find(mark); at != std::string::npos; at = spaced.find(mark, at))
                spaced.replace(at, mark.size(), " ");
        for (char& c : spaced)
            if (std::string("\t\"',.:!?[]()").find(c) != std::string::npos) c = ' ';
        std::vector<std::string> words;
        std::istringstream split(spaced);
        for (std::string word; split >> word;) words.push_back(word);
        std::string whole;
        for (std::size_t k = 0; k < words.size(); ++k) {
            whole += (k ? " " : "") + words[k];
            add(words[k]);
            if (k + 1 < words.size()) add(words[k] + " " + words[k + 1]);
            if (const std::string key = initials_of(words[k]); key.size() >= 6) add(key);
        }
        add(whole);
    }
    return queries;
}

// sosik-search --queries over `dbs`, ten hits a query, in `format` (jsonl, trec).
std::string batch_search(const std::vector<std::string>& dbs, const fs::path& queries, const std::string& format) {
    std::vector<std::string> argv = {kSearch, "--queries", queries.string(), "--format", format, "--limit", "10"};
    for (const auto& db : dbs) {
        argv.push_back("--db");
        argv.push_back(db);
    }
    const CommandResult result = run(argv);
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    return result.out;
}

// The answers of a jsonl batch, one a query, in order.
std::vector<json> answers_of(const std::string& jsonl) {
    std::vector<json> out;
    std::istringstream lines(jsonl);
    for (std::string line; std::getline(lines, line);) out.push_back(json::parse(line));
    return out;
}

// The lines of a TREC run (qid Q0 id rank score tag) that differ between two
// runs beyond a score's fourth decimal; a missing line counts.
std::size_t differing_run_lines(const std::string& expected, const std::string& run) {
    std::istringstream a(expected), b(run);
    std::size_t differ = 0;
    while (true) {
        std::string x, y;
        const bool more_x = static_cast<bool>(std::getline(a, x)), more_y = static_cast<bool>(std::getline(b, y));
        if (!more_x && !more_y) break;
        std::istringstream fx(x), fy(y);
        std::string qx, qy, q0, idx, idy;
        std::size_t rank_x = 0, rank_y = 0;
        double score_x = 0, score_y = 0;
        fx >> qx >> q0 >> idx >> rank_x >> score_x;
        fy >> qy >> q0 >> idy >> rank_y >> score_y;
        if (qx != qy || idx != idy || rank_x != rank_y || std::abs(score_x - score_y) >= 5e-4) ++differ;
    }
    return differ;
}

// "id score, id score, …" of an answer, for messages.
std::string ranked(const json& result) {
    std::string out;
    for (const auto& hit : result["hits"]) out += hit["id"].get<std::string>() + " " + hit["score"].dump() + ", ";
    return out;
}

// Whether two answers to one query list the same ids in the same order with
// the same scores to three decimals (the JSON gives four), and the same
// exact total.
bool same_answer(const json& single, const json& sharded) {
    if (ids(single) != ids(sharded)) return false;
    for (std::size_t i = 0; i < single["hits"].size(); ++i)
        if (std::abs(single["hits"][i]["score"].get<double>() - sharded["hits"][i]["score"].get<double>()) >= 5e-4)
            return false;
    return single["total_exact"] != true || (sharded["total_exact"] == true && single["total"] == sharded["total"]);
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
        check_same(single, sharded, std::string("three --db: ") + word);
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

// sosik-index --delete over shards: the article leaves its shard at once
// (a running sosik-serve sees it at the commit), and re-runs over an export
// that still holds it, changed or not, leave it out until --undelete.
BOOST_AUTO_TEST_CASE(deleted_articles_stay_deleted_over_shards) {
    TempDir dir;
    const fs::path export_file = dir / "in" / "news.jsonl";
    const auto line = [](const std::string& id, const std::string& date, const std::string& extra = "") {
        return json{{"id", id}, {"title", "기사 " + id + " 서울시 소식"}, {"body", "서울시가 발표했다. " + id + extra},
                    {"date", date}, {"categories", {"사회"}}}
                   .dump() +
               "\n";
    };
    write_file(export_file, line("a", "2024-01-05") + line("b", "2024-02-10") + line("c", "2024-02-11"));
    const fs::path db = dir / "db";
    CommandResult result = index({"--db", db.string(), "--shard-by", "month", (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);

    const int port = free_port();
    Server serve({kServe, "--db", db.string(), "--listen", "127.0.0.1:" + std::to_string(port), "--threads", "1"},
                 port);
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30);
    const auto served_ids = [&] {
        auto reply = client.Get("/api/search?q=%EC%84%9C%EC%9A%B8%EC%8B%9C&sort=%2Bdate");  // 서울시, oldest first
        BOOST_TEST_REQUIRE(reply);
        BOOST_TEST_REQUIRE(reply->status == 200);
        return ids(json::parse(reply->body));
    };
    BOOST_TEST(served_ids() == (std::vector<std::string>{"a", "b", "c"}), boost::test_tools::per_element());

    result = run({kIndex, "--db", db.string(), "--delete", "b"});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(result.out == "deleted 1, already deleted 0, not found 0\n");
    BOOST_TEST(Xapian::Database((db / "2024-02").string()).get_termfreq("Qb") == 0u);
    // The server reopens at the commit (it checks every 20 ms).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (served_ids().size() == 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    BOOST_TEST(served_ids() == (std::vector<std::string>{"a", "c"}), boost::test_tools::per_element());

    result = run({kIndex, "--db", db.string(), "--stats"});
    BOOST_TEST(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.find("articles: 2\n") == 0, result.out);
    BOOST_TEST(result.out.find("\ndates: 2024-01-05 to 2024-02-11\n") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("\nshards: 2 (by month)\n") != std::string::npos, result.out);
    BOOST_TEST(result.out.find("\ndeleted: 1 ") != std::string::npos, result.out);

    // The export changes, b's line too: b stays out, and moving it to another month makes no shard for it.
    write_file(export_file, line("a", "2024-01-05", " 고침") + line("b", "2024-03-10", " 고침") +
                                line("c", "2024-02-11"));
    result = index({"--db", db.string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.find("indexed 0, updated 1, removed 0, unchanged 1") == 0, result.out);
    BOOST_TEST(search_json({db.string()}, {"서울시"})["total"] == 2);
    BOOST_TEST(!fs::exists(db / "2024-03"));

    result = run({kIndex, "--db", db.string(), "--undelete", "b"});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    result = index({"--db", db.string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    BOOST_TEST(result.out.find("indexed 1, updated 0, removed 0, unchanged 2") == 0, result.out);
    BOOST_TEST(Xapian::Database((db / "2024-03").string()).get_termfreq("Qb") == 1u);
    const auto back_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (served_ids().size() == 2 && std::chrono::steady_clock::now() < back_deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    BOOST_TEST(served_ids() == (std::vector<std::string>{"a", "c", "b"}), boost::test_tools::per_element());
}

// sosik-index --synonyms over shards: every shard holds the groups (a remote
// shard expands alone), and a changed file replaces them in every shard.
BOOST_AUTO_TEST_CASE(synonyms_are_stored_in_every_shard) {
    TempDir dir;
    const auto line = [](const std::string& id, const std::string& date, const std::string& title) {
        return json{{"id", id}, {"title", title}, {"body", title + " 소식"}, {"date", date}}.dump() + "\n";
    };
    write_file(dir / "in" / "news.jsonl", line("a", "2021-01-05", "COVID-19 확진") +
                                              line("b", "2021-02-10", "코로나 방역") +
                                              line("c", "2021-03-11", "날씨 맑음"));
    write_file(dir / "synonyms.txt", "코로나, COVID-19\n");
    const fs::path db = dir / "db";
    CommandResult result = index({"--db", db.string(), "--shard-by", "month", "--synonyms",
                                  (dir / "synonyms.txt").string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    const auto synonyms_in = [](const fs::path& shard, const std::string& key) {
        const Xapian::Database shard_db(shard.string());
        std::vector<std::string> out(shard_db.synonyms_begin(key), shard_db.synonyms_end(key));
        return out;
    };
    for (const char* shard : {"2021-01", "2021-02", "2021-03"})
        BOOST_TEST(synonyms_in(db / shard, "코로나") == std::vector<std::string>{"covid 19"}, shard);
    BOOST_TEST(ids(search_json({db.string()}, {"코로나", "--sort", "+date"})) == (std::vector<std::string>{"a", "b"}),
               boost::test_tools::per_element());

    write_file(dir / "synonyms.txt", "코로나, 신종 코로나\n");
    result = index({"--db", db.string(), "--synonyms", (dir / "synonyms.txt").string(), (dir / "in").string()});
    BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
    for (const char* shard : {"2021-01", "2021-02", "2021-03"}) {
        BOOST_TEST(synonyms_in(db / shard, "코로나") == std::vector<std::string>{"신종 코로나"}, shard);
        BOOST_TEST(synonyms_in(db / shard, "covid 19").empty(), shard);
    }
    BOOST_TEST(ids(search_json({db.string()}, {"코로나"})) == std::vector<std::string>{"b"},
               boost::test_tools::per_element());
}

// Issue 19: Xapian weighs a synonym (a word's forms scored as one) by a
// frequency each shard estimated from its own terms, so monthly shards gave
// other scores, and another order, than one database.
BOOST_AUTO_TEST_CASE(sample_archive_queries_score_as_one_database_over_every_kind_of_shard) {
    TempDir dir;
    const std::string data = (sosik::test::source_dir() / "data").string();
    const auto indexed = [&](const std::string& name, const std::vector<std::string>& sharding) {
        const fs::path db = dir / name;
        std::vector<std::string> args = {"--db", db.string()};
        args.insert(args.end(), sharding.begin(), sharding.end());
        args.push_back(data);
        const CommandResult result = index(args);
        BOOST_TEST_REQUIRE(result.exit_code == 0, result.err);
        return db;
    };
    const fs::path single = indexed("single", {});
    const fs::path month = indexed("month", {"--shard-by", "month"});
    const fs::path year = indexed("year", {"--shard-by", "year"});
    const fs::path hash = indexed("hash", {"--shard-by", "hash:4"});

    std::vector<std::unique_ptr<Server>> servers;
    std::string remote_lines;
    for (std::size_t k = 0; k < 4; ++k) {
        servers.push_back(serve_shard(hash / ("hash-" + std::to_string(k) + "-of-4")));
        remote_lines += "remote " + servers.back()->address() + "\n";
    }
    const fs::path remote = dir / "remote.stub";
    write_file(remote, remote_lines);

    const std::vector<std::string> queries = sample_archive_queries();
    BOOST_TEST_REQUIRE(queries.size() >= 300u);
    std::string lines;
    for (std::size_t k = 0; k < queries.size(); ++k) lines += "q" + std::to_string(k) + "\t" + queries[k] + "\n";
    const fs::path query_file = dir / "queries.tsv";
    write_file(query_file, lines);

    const std::vector<json> expected = answers_of(batch_search({single.string()}, query_file, "jsonl"));
    BOOST_TEST_REQUIRE(expected.size() == queries.size());
    const auto found = std::count_if(expected.begin(), expected.end(), [](const json& r) { return !r["hits"].empty(); });
    BOOST_TEST(static_cast<std::size_t>(found) > queries.size() * 9 / 10);
    // A TREC run lists ids without reading the stored articles (HitValueCache).
    const std::string expected_run = batch_search({single.string()}, query_file, "trec");

    for (const auto& [layout, db] : {std::pair<std::string, fs::path>{"month", month}, {"year", year},
                                     {"hash:4", hash}, {"hash:4 remote", remote}}) {
        const std::vector<json> answers = answers_of(batch_search({db.string()}, query_file, "jsonl"));
        BOOST_TEST_REQUIRE(answers.size() == queries.size(), layout);
        std::size_t differ = 0;
        std::string first_differing;
        for (std::size_t k = 0; k < queries.size(); ++k) {
            if (same_answer(expected[k], answers[k])) continue;
            if (differ++ < 3)
                first_differing += "\n  " + queries[k] + ": one database " + ranked(expected[k]) + "\n    shards " +
                                   ranked(answers[k]);
        }
        BOOST_TEST(differ == 0u, layout << ": " << differ << " of " << queries.size() << " queries differ"
                                        << first_differing);
        const std::size_t run_lines = differing_run_lines(expected_run, batch_search({db.string()}, query_file, "trec"));
        BOOST_TEST(run_lines == 0u, layout << ": " << run_lines << " lines of the TREC run differ");
    }
}
