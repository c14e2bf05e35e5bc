// Finished responses of the search routes, served again while the database is
// unchanged. Real query streams repeat themselves (popular topics, a widget
// that asks again as the user retypes), and a cached reply costs a hash lookup
// instead of a search: it is what keeps latency low under load.
#pragma once

#include "database_watch.h"

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
    // max_bytes 0 disables the cache. `watch` must outlive the cache.
    ResponseCache(DatabaseWatch& watch, std::size_t max_bytes);

    struct Lookup {
        std::optional<std::string> body;  // the stored reply, when there is one
        // Pass to store(): a reply computed while the database changed is not kept.
        std::uint64_t generation = 0;
        bool usable = false;  // false: caching is off, or freshness could not be checked
    };
    // Forgets everything first when the watch's generation moved (sosik-index
    // committed) since the last call.
    Lookup find(const std::string& key);
    void store(const std::string& key, std::string body, const Lookup& lookup);

    struct Counts {
        std::size_t entries = 0, bytes = 0, hits = 0, misses = 0;
        std::size_t invalidations = 0;  // times everything was forgotten because the database changed
    };
    Counts counts();

private:
    void evict_to(std::size_t bytes);

    DatabaseWatch& watch_;
    const std::size_t max_bytes_;
    std::mutex mutex_;
    std::uint64_t generation_ = 0;  // of the entries held
    struct Entry {
        std::string key, body;
    };
    std::list<Entry> recent_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
    std::size_t bytes_ = 0;
    std::size_t hits_ = 0, misses_ = 0, invalidations_ = 0;
};

}  // namespace sosik::http
