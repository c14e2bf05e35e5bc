#include "response_cache.h"

namespace sosik::http {

namespace {

// Per-entry bookkeeping beyond the key and body (list node, hash node).
constexpr std::size_t kEntryOverhead = 96;
// As SearcherPool retries a missing remote shard.
constexpr std::chrono::seconds kRetryDelay{5};

std::size_t entry_bytes(const std::string& key, const std::string& body) {
    return key.size() + body.size() + kEntryOverhead;
}

}  // namespace

ResponseCache::ResponseCache(SearcherOptions options, std::size_t max_bytes)
    : options_(std::move(options)), max_bytes_(max_bytes) {}

bool ResponseCache::database_unchanged() {
    const auto now = std::chrono::steady_clock::now();
    if (now < retry_after_) return false;
    try {
        if (!watcher_) {
            watcher_.emplace(options_);
            ++generation_;  // nothing is known about entries made before
        } else if (watcher_->reopen()) {
            ++generation_;
        }
    } catch (...) {
        // The database is being replaced, or a remote shard is away: the
        // searchers will say so; the cache steps aside until it can check again.
        watcher_.reset();
        retry_after_ = now + kRetryDelay;
        return false;
    }
    return true;
}

ResponseCache::Lookup ResponseCache::find(const std::string& key) {
    Lookup out;
    if (max_bytes_ == 0) return out;
    std::lock_guard lock(mutex_);
    const std::uint64_t before = generation_;
    if (!database_unchanged()) return out;
    if (generation_ != before) {
        recent_.clear();
        by_key_.clear();
        bytes_ = 0;
    }
    out.usable = true;
    out.generation = generation_;
    const auto found = by_key_.find(key);
    if (found == by_key_.end()) {
        ++misses_;
        return out;
    }
    ++hits_;
    recent_.splice(recent_.begin(), recent_, found->second);
    out.body = found->second->body;
    return out;
}

void ResponseCache::store(const std::string& key, std::string body, const Lookup& lookup) {
    if (!lookup.usable || lookup.body) return;
    const std::size_t size = entry_bytes(key, body);
    if (size > max_bytes_ / 8) return;  // one huge reply must not empty the cache
    std::lock_guard lock(mutex_);
    if (lookup.generation != generation_ || by_key_.contains(key)) return;
    evict_to(max_bytes_ - size);
    recent_.push_front({key, std::move(body)});
    by_key_.emplace(key, recent_.begin());
    bytes_ += size;
}

void ResponseCache::evict_to(std::size_t bytes) {
    while (bytes_ > bytes && !recent_.empty()) {
        const Entry& last = recent_.back();
        bytes_ -= entry_bytes(last.key, last.body);
        by_key_.erase(last.key);
        recent_.pop_back();
    }
}

ResponseCache::Counts ResponseCache::counts() {
    std::lock_guard lock(mutex_);
    return {recent_.size(), bytes_, hits_, misses_};
}

}  // namespace sosik::http
