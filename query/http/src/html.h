// Small HTML and URL helpers for the server-rendered pages.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sosik::http {

// Escapes & < > " ' — safe in text and in quoted attribute values.
void append_escaped(std::string& out, std::string_view text);
std::string escaped(std::string_view text);

// Percent-encodes everything but RFC 3986 unreserved characters.
std::string url_encoded(std::string_view text);

// "?a=1&b=2" from name/value pairs, skipping empty values; "" when none remain.
std::string query_string(const std::vector<std::pair<std::string_view, std::string>>& params);

// An article URL fit for an href: http(s) or relative, prefixed with
// `site_url` when it is site-relative ("/2024/…"). Returns "" for anything
// else (javascript:, data:, URLs with control characters or spaces), which
// browsers could turn into script.
std::string safe_link(std::string_view url, std::string_view site_url);

}  // namespace sosik::http
