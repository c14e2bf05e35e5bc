#include "database_watch.h"

namespace sosik::http {

DatabaseWatch::DatabaseWatch(SearcherOptions options, std::chrono::milliseconds interval,
                             std::chrono::milliseconds retry_interval)
    : options_(std::move(options)), interval_(interval), retry_interval_(retry_interval) {}

std::uint64_t DatabaseWatch::generation() {
    const auto now = std::chrono::steady_clock::now();
    if (now.time_since_epoch().count() >= next_check_.load(std::memory_order_relaxed)) {
        std::unique_lock lock(checking_, std::try_to_lock);
        if (lock.owns_lock()) check(now);
    }
    return current();
}

void DatabaseWatch::check(std::chrono::steady_clock::time_point now) {
    bool changed = false;
    try {
        if (!watcher_) {
            watcher_.emplace(options_);
            changed = true;  // nothing is known about what happened while it was closed
        } else {
            changed = watcher_->reopen();
        }
        healthy_.store(true, std::memory_order_release);
        next_check_.store((now + interval_).time_since_epoch().count(), std::memory_order_relaxed);
    } catch (...) {
        // The database is being replaced, or a remote shard is away: searchers
        // reopen (and report the error themselves), the reply cache steps aside,
        // and requests are not made to wait for a failing check each time.
        changed = watcher_.has_value() || healthy_.load(std::memory_order_relaxed);
        watcher_.reset();
        healthy_.store(false, std::memory_order_release);
        next_check_.store((now + retry_interval_).time_since_epoch().count(), std::memory_order_relaxed);
    }
    if (changed) generation_.fetch_add(1, std::memory_order_acq_rel);
}

}  // namespace sosik::http
