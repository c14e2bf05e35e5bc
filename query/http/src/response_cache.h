// Finished responses of the search routes, served again while the database is
// unchanged. Real query streams repeat themselves (popular topics, a widget
// that asks again as the user retypes), and a cached reply costs a hash lookup
// instead of a search: it is what keeps latency low under load.
#pragma once

#include <sosik/search.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace sosik::http {

class ResponseCache {
public:
    // max_bytes 0 disables the cache.
    ResponseCache(SearcherOptions options, std::size_t max_bytes);

    struct Lookup {
        std::optional<std::string> body;  // the stored reply, when there is one
        // Pass to store(): a reply computed while the database changed is not kept.
        std::uint64_t generation = 0;
        bool usable = false;  // false: caching is off, or freshness could not be checked
    };
    // Checks first whether sosik-index has committed since the last call (one
    // read of the database's version file) and forgets everything if it has.
    Lookup find(const std::string& key);
    void store(const std::string& key, std::string body, const Lookup& lookup);

    struct Counts {
        std::size_t entries = 0, bytes = 0, hits = 0, misses = 0;
    };
    Counts counts();

private:
    bool database_unchanged();  // under mutex_
    void evict_to(std::size_t bytes);

    const SearcherOptions options_;
    const std::size_t max_bytes_;
    std::mutex mutex_;
    std::optional<Searcher> watcher_;  // opened lazily; only ever reopened, to see commits
    // After the watcher failed (a remote shard away), when to try again: until
    // then the cache steps aside instead of making every request wait for a
    // connection timeout under mutex_.
    std::chrono::steady_clock::time_point retry_after_;
    std::uint64_t generation_ = 0;
    struct Entry {
        std::string key, body;
    };
    std::list<Entry> recent_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
    std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace sosik::http
