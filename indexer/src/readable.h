// Numbers and times as sosik-index prints and records them. Private to the indexer library.
#pragma once

#include <cstdint>
#include <string>

namespace sosik::indexing {

std::string thousands(std::uint64_t n);  // "2,000"
std::string now_iso8601_utc();           // "2026-12-07T21:49:21Z", as kLastUpdateKey records it

}  // namespace sosik::indexing
