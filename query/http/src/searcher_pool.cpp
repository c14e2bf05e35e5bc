#include "searcher_pool.h"

#include <algorithm>
#include <numeric>

namespace sosik::http {

SearcherPool::SearcherPool(SearcherOptions options, std::size_t size)
    : options_(std::move(options)), slots_(std::max<std::size_t>(size, 1)), free_slots_(slots_.size()) {
    std::iota(free_slots_.begin(), free_slots_.end(), 0);
}

SearcherPool::Lease SearcherPool::acquire() {
    std::size_t slot;
    {
        std::unique_lock lock(mutex_);
        if (!free_slots_.empty() && waiters_.empty()) {
            slot = free_slots_.back();  // most recently used first: its caches are warm
            free_slots_.pop_back();
        } else {
            Waiter me;
            waiters_.push_back(&me);
            me.ready.wait(lock, [&] { return me.slot.has_value(); });
            slot = *me.slot;
        }
    }
    Lease lease(*this, slot);  // gives the slot back even when opening throws
    std::optional<Searcher>& searcher = slots_[slot];
    try {
        if (!searcher) searcher.emplace(options_);
        else searcher->reopen();  // cheap when nothing changed: Xapian rereads one version file
    } catch (...) {
        searcher.reset();
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

}  // namespace sosik::http
