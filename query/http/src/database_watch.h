// The one answer to "has the database changed?" for the whole server: a
// generation number that goes up whenever sosik-index commits (or the set of
// shards changes). The searcher pool reopens a Searcher only when it last saw
// an older generation, and the reply cache forgets its replies then, so
// neither drops its caches while the database stays the same.
#pragma once

#include <sosik/search.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace sosik::http {

class DatabaseWatch {
public:
    // Checks at most once per `interval`; while the database cannot be
    // opened, at most once per `retry_interval`.
    DatabaseWatch(SearcherOptions options, std::chrono::milliseconds interval,
                  std::chrono::milliseconds retry_interval);

    // The current generation, after checking the database when the last check
    // is older than the interval. One request at a time runs the check (a
    // Xapian reopen: one small file read per shard); the others do not wait
    // for it and take the generation as it stands, so a commit is seen by
    // every request that starts at least one interval after it.
    std::uint64_t generation();
    // The generation as it stands, without checking.
    std::uint64_t current() const { return generation_.load(std::memory_order_acquire); }
    // False after the last check failed (database being replaced, a remote
    // shard away): whether replies may be cached.
    bool healthy() const { return healthy_.load(std::memory_order_acquire); }

private:
    void check(std::chrono::steady_clock::time_point now);  // under checking_

    const SearcherOptions options_;
    const std::chrono::steady_clock::duration interval_, retry_interval_;
    std::atomic<std::uint64_t> generation_{1};
    std::atomic<bool> healthy_{false};
    std::atomic<std::chrono::steady_clock::rep> next_check_{0};  // steady_clock ticks
    std::mutex checking_;  // only ever try_lock'ed
    std::optional<Searcher> watcher_;  // only ever reopened, to see commits
};

}  // namespace sosik::http
