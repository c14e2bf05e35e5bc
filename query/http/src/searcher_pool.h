// A fixed set of Searchers shared by the connection threads. A Searcher is
// not thread-safe, so a request leases one for its duration; the pool size
// bounds how many searches run at once (≈ cores), independently of how many
// connections are open.
#pragma once

#include "database_watch.h"

#include <sosik/error.h>
#include <sosik/search.h>

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

namespace sosik::http {

// Every Searcher is busy and `max_waiting` requests already wait for one:
// answered at once (503 with Retry-After) rather than queued without bound.
class Overloaded : public Error {
public:
    using Error::Error;
};

class SearcherPool {
public:
    // `watch` says when the database changed; it must outlive the pool.
    SearcherPool(SearcherOptions options, std::size_t size, std::size_t max_waiting, DatabaseWatch& watch);

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
        Searcher& operator*() const { return *pool_->slots_[slot_].searcher; }
        Searcher* operator->() const { return &**this; }

    private:
        SearcherPool* pool_;
        std::size_t slot_;
    };

    // Waits for a free Searcher (first come, first served), opens it on first
    // use and reopens it when the watch's generation moved since its last
    // use, so new articles show without a restart while an unchanged
    // database keeps the Searcher's caches. Throws IndexError when the
    // database cannot be opened or reopened, Overloaded when the queue is full.
    Lease acquire();

    std::size_t size() const { return slots_.size(); }

    struct Counts {
        std::size_t reopens = 0;   // Searchers opened or reopened, the first opening of each included
        std::size_t waiting = 0;   // requests waiting for a Searcher now
        std::size_t rejected = 0;  // requests answered 503 because too many waited
    };
    Counts counts();

private:
    void give_back(std::size_t slot);

    const SearcherOptions options_;
    const std::size_t max_waiting_;
    DatabaseWatch& watch_;
    // Opened lazily and dropped after a failure, so the server recovers when
    // the database comes back (e.g. rebuilt from scratch). `seen`: the
    // generation the Searcher was last brought up to.
    struct Slot {
        std::optional<Searcher> searcher;
        std::uint64_t seen = 0;
    };
    std::vector<Slot> slots_;
    std::atomic<std::size_t> reopens_{0};
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
    std::size_t rejected_ = 0;
};

}  // namespace sosik::http
