// A fixed set of Searchers shared by the connection threads. A Searcher is
// not thread-safe, so a request leases one for its duration; the pool size
// bounds how many searches run at once (≈ cores), independently of how many
// connections are open.
#pragma once

#include <sosik/search.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace sosik::http {

class SearcherPool {
public:
    SearcherPool(SearcherOptions options, std::size_t size);

    class Lease {
    public:
        Lease(SearcherPool& pool, std::size_t slot) : pool_(&pool), slot_(slot) {}
        Lease(Lease&& other) noexcept : pool_(std::exchange(other.pool_, nullptr)), slot_(other.slot_) {}
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Lease& operator=(Lease&&) = delete;
        ~Lease() {
            if (pool_) pool_->give_back(slot_);
        }
        Searcher& operator*() const { return *pool_->slots_[slot_]; }
        Searcher* operator->() const { return &**this; }

    private:
        SearcherPool* pool_;
        std::size_t slot_;
    };

    // Waits for a free Searcher (first come, first served), opens it on first
    // use and reopens it when sosik-index has committed since, so new
    // articles show without a restart. Throws IndexError when the database
    // cannot be opened or reopened.
    Lease acquire();

    std::size_t size() const { return slots_.size(); }

private:
    void give_back(std::size_t slot);

    const SearcherOptions options_;
    // Opened lazily and dropped after a failure, so the server recovers when
    // the database comes back (e.g. rebuilt from scratch).
    std::vector<std::optional<Searcher>> slots_;
    // Under load requests queue here. A condition variable wakes an arbitrary
    // waiter, which lets some wait far longer than others (the p99); a FIFO of
    // waiters, each handed its slot directly, keeps the wait fair.
    struct Waiter {
        std::condition_variable ready;
        std::optional<std::size_t> slot;
    };
    std::mutex mutex_;
    std::vector<std::size_t> free_slots_;
    std::deque<Waiter*> waiters_;
};

}  // namespace sosik::http
