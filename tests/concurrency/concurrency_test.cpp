// Searches while sosik-index writes: sosik-search (CLI) and sosik-serve (HTTP)
// query the database while sosik-index adds and removes a batch of articles,
// round after round. Every search must succeed and see either the old or the
// new state, never an error and never a half-written one.
#define BOOST_TEST_MODULE concurrency
#include <boost/test/unit_test.hpp>

#include "../support/http_support.h"
#include "../support/test_support.h"

#include <sosik/search.h>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using nlohmann::json;
using sosik::test::run;
using sosik::test::ServeProcess;
using sosik::test::TempDir;
using sosik::test::url_encoded;

namespace {

constexpr std::size_t kBaseArticles = 1'500;  // always there, all with kStableWord
constexpr std::size_t kBatch = 400;           // added and removed by turns, all with kBatchWord
constexpr int kRounds = 6;                    // sosik-index runs while the searches go on
// Latin words: one term each, so the totals are exact (Korean words match
// through stems and bigram phrases, whose totals Xapian estimates).
const std::string kStableWord = "stablemarker";
const std::string kBatchWord = "batchmarker";

std::string article_line(const std::string& id, const std::string& word, std::size_t i) {
    const json line = {{"id", id},
                       {"title", word + " " + std::to_string(i) + "번째 기사"},
                       {"body", "<p>서울시가 " + word + "를 발표했다. 시민 " + std::to_string(i) +
                                    "명이 참여했고 구청은 예산을 점검했다.</p>"},
                       {"date", "2024-05-" + std::to_string(1 + i % 28)}};
    return line.dump() + "\n";
}

// The export with or without the batch.
void write_export(const fs::path& file, bool with_batch) {
    std::string lines;
    for (std::size_t i = 0; i < kBaseArticles; ++i) lines += article_line("base-" + std::to_string(i), kStableWord, i);
    if (with_batch)
        for (std::size_t i = 0; i < kBatch; ++i) lines += article_line("batch-" + std::to_string(i), kBatchWord, i);
    sosik::test::write_file(file, lines);
}

// What one search saw: the totals for the two words, or a failure.
struct Counts {
    std::atomic<int> searches = 0, failures = 0, saw_batch = 0, saw_no_batch = 0;
    std::mutex mutex;
    std::string first_failure;

    // `stable` and `batch` are the totals a search reported.
    void check(std::size_t stable, std::size_t batch) {
        ++searches;
        if (stable != kBaseArticles || (batch != 0 && batch != kBatch))
            fail("totals " + std::to_string(stable) + " / " + std::to_string(batch));
        (batch == kBatch ? saw_batch : saw_no_batch)++;
    }
    void fail(const std::string& what) {
        ++failures;
        std::lock_guard lock(mutex);
        if (first_failure.empty()) first_failure = what;
    }
};

std::size_t total_of(const std::string& body) { return json::parse(body)["total"].get<std::size_t>(); }

}  // namespace

BOOST_AUTO_TEST_CASE(searches_see_the_old_or_the_new_state_while_the_index_is_written) {
    TempDir dir;
    const fs::path archive = dir / "archive";
    const fs::path export_file = archive / "export.jsonl";
    const fs::path db = dir / "db";
    write_export(export_file, false);
    const auto first = run({SOSIK_INDEX_EXE, "--db", db.string(), "--quiet", archive.string()});
    BOOST_TEST_REQUIRE(first.exit_code == 0, first.err);

    ServeProcess server({"--db", db.string()});
    std::atomic<bool> writing = true;
    Counts http, cli;

    std::vector<std::thread> searchers;
    for (int t = 0; t < 2; ++t) {
        searchers.emplace_back([&] {
            auto client = server.client();
            while (writing) {
                // The batch query first: a search later in the same pair may see a newer state, never an older one.
                const auto batch = client.Get("/api/search?q=" + url_encoded(kBatchWord) + "&limit=1");
                const auto stable = client.Get("/api/search?q=" + url_encoded(kStableWord) + "&limit=1");
                if (!batch || !stable || batch->status != 200 || stable->status != 200) {
                    http.fail("HTTP " + std::to_string(batch ? batch->status : 0) + " / " +
                              std::to_string(stable ? stable->status : 0) + " " + (batch ? batch->body : ""));
                    continue;
                }
                http.check(total_of(stable->body), total_of(batch->body));
            }
        });
    }
    searchers.emplace_back([&] {
        while (writing) {
            const auto batch = run({SOSIK_SEARCH_EXE, "--db", db.string(), "--json", "--limit", "1", kBatchWord});
            const auto stable = run({SOSIK_SEARCH_EXE, "--db", db.string(), "--json", "--limit", "1", kStableWord});
            if (batch.exit_code != 0 || stable.exit_code != 0) {
                cli.fail("exit " + std::to_string(batch.exit_code) + " / " + std::to_string(stable.exit_code) + ": " +
                         batch.err + stable.err);
                continue;
            }
            cli.check(total_of(stable.out), total_of(batch.out));
        }
    });

    int index_failures = 0;
    for (int round = 0; round < kRounds; ++round) {
        write_export(export_file, round % 2 == 0);  // add the batch, then remove it, …
        const auto indexing = run({SOSIK_INDEX_EXE, "--db", db.string(), "--quiet", archive.string()});
        if (indexing.exit_code != 0) ++index_failures;
        std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let each state be seen
    }
    writing = false;
    for (auto& thread : searchers) thread.join();

    BOOST_TEST_MESSAGE("HTTP searches: " << http.searches << " (batch seen " << http.saw_batch << ", not seen "
                                         << http.saw_no_batch << "); CLI searches: " << cli.searches);
    BOOST_TEST(index_failures == 0);
    BOOST_TEST(http.failures == 0, http.first_failure);
    BOOST_TEST(cli.failures == 0, cli.first_failure);
    BOOST_TEST(http.searches > 0);
    BOOST_TEST(cli.searches > 0);
    // Both states were really there to be seen.
    BOOST_TEST(http.saw_batch > 0);
    BOOST_TEST(http.saw_no_batch > 0);
    BOOST_TEST(server.stop() == 0, server.stderr_text());
}

// sosik-serve searches on several threads at once, one Searcher each. Every
// answer must be the one a lone search gives; under ThreadSanitizer
// (SOSIK_SANITIZE=thread) this is also where a Xapian object shared between
// the threads shows up: Xapian counts references without atomics (copying
// its static Query::MatchAll on each search was such a race).
BOOST_AUTO_TEST_CASE(searches_on_many_threads_at_once_answer_as_one_search_does) {
    const std::string db = sosik::test::indexed_sample().db.string();
    const std::vector<std::string> queries = {"한라산 등반", "서울시가", "\"무선 마우스\"", "도시가스 -요금",
                                              "아이들 OR 텃밭", "상고대는 어디에서 볼 수 있나요"};
    const auto answer = [](sosik::Searcher& searcher, const std::string& query) {
        sosik::SearchRequest request;
        request.query = query;
        request.limit = 5;
        const sosik::SearchResult result = searcher.search(request);
        std::string ids = std::to_string(result.total) + ":";
        for (const auto& hit : result.hits) ids += hit.id + " ";
        return ids;
    };
    std::vector<std::string> expected;
    {
        sosik::Searcher searcher({.databases = {db}});
        for (const auto& query : queries) expected.push_back(answer(searcher, query));
    }
    constexpr int kThreads = 4, kRoundsPerThread = 40;
    std::atomic<int> wrong{0}, failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                sosik::Searcher searcher({.databases = {db}});
                for (int round = 0; round < kRoundsPerThread; ++round) {
                    const std::size_t i = static_cast<std::size_t>(round + t) % queries.size();
                    if (answer(searcher, queries[i]) != expected[i]) ++wrong;
                }
            } catch (const std::exception&) {
                ++failed;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    BOOST_TEST(failed == 0);
    BOOST_TEST(wrong == 0);
    for (const auto& ids : expected) BOOST_TEST(!ids.starts_with("0:"), ids);  // each query finds articles
}
