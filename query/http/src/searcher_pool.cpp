#include "searcher_pool.h"

#include <algorithm>
#include <numeric>

namespace sosik::http {

SearcherPool::SearcherPool(SearcherOptions options, std::size_t size, std::size_t max_waiting, DatabaseWatch& watch)
    : options_(std::move(options)),
      max_waiting_(max_waiting),
      watch_(watch),
      slots_(std::max<std::size_t>(size, 1)),
      free_slots_(slots_.size()) {
    std::iota(free_slots_.begin(), free_slots_.end(), 0);
}

SearcherPool::Lease SearcherPool::acquire() {
    std::size_t slot;
    {
        std::unique_lock lock(mutex_);
        if (!free_slots_.empty() && waiters_.empty()) {
            slot = free_slots_.back();  // most recently used first: its caches are warm
            free_slots_.pop_back();
        } else if (waiters_.size() >= max_waiting_) {
            ++rejected_;
            throw Overloaded("every searcher is busy and " + std::to_string(waiters_.size()) + " requests wait");
        } else {
            Waiter me;
            waiters_.push_back(&me);
            me.ready.wait(lock, [&] { return me.slot.has_value(); });
            slot = *me.slot;
        }
    }
    Lease lease(*this, slot);  // gives the slot back even when opening throws
    Slot& s = slots_[slot];
    // Read before reopening: a commit seen during the reopen moves the
    // generation again and makes the next lease reopen once more.
    const std::uint64_t generation = watch_.generation();
    try {
        if (!s.searcher) {
            s.searcher.emplace(options_);
            reopens_.fetch_add(1, std::memory_order_relaxed);
        } else if (s.seen != generation) {
            s.searcher->reopen();
            reopens_.fetch_add(1, std::memory_order_relaxed);
        }
        s.seen = generation;
    } catch (...) {
        s.searcher.reset();
        throw;
    }
    return lease;
}

void SearcherPool::give_back(std::size_t slot) {
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
        free_slots_.push_back(slot);
        return;
    }
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->slot = slot;
    next->ready.notify_one();  // under the lock: `next` lives on a stack that may unwind right after
}

SearcherPool::Counts SearcherPool::counts() {
    std::lock_guard lock(mutex_);
    return {reopens_.load(std::memory_order_relaxed), waiters_.size(), rejected_};
}

}  // namespace sosik::http
