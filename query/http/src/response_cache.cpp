#include "response_cache.h"

namespace sosik::http {

namespace {

// Per-entry bookkeeping beyond the key and body (list node, hash node).
constexpr std::size_t kEntryOverhead = 96;
std::size_t entry_bytes(const std::string& key, const std::string& body) {
    return key.size() + body.size() + kEntryOverhead;
}

}  // namespace

ResponseCache::ResponseCache(DatabaseWatch& watch, std::size_t max_bytes) : watch_(watch), max_bytes_(max_bytes) {}

ResponseCache::Lookup ResponseCache::find(const std::string& key) {
    Lookup out;
    if (max_bytes_ == 0) return out;
    const std::uint64_t generation = watch_.generation();
    // While the database cannot be checked (being replaced, a remote shard
    // away) the searchers say what is wrong; the cache steps aside.
    if (!watch_.healthy()) return out;
    std::lock_guard lock(mutex_);
    // Only forward: a request that read the generation just before another
    // moved it must not take the cache back.
    if (generation > generation_) {
        if (!recent_.empty()) ++invalidations_;
        recent_.clear();
        by_key_.clear();
        bytes_ = 0;
        generation_ = generation;
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
    // Computed while the database changed: the reply may be from either state.
    if (lookup.generation != generation_ || lookup.generation != watch_.current() || by_key_.contains(key)) return;
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
    return {recent_.size(), bytes_, hits_, misses_, invalidations_};
}

}  // namespace sosik::http
