// Plain-text helpers shared by the source readers (defined in html_text.cpp).
// Private to the indexer library.
#pragma once

#include <string>
#include <string_view>

namespace sosik::text_cleanup {

// Plain text in the shape every reader returns: runs of spaces (including
// NBSP and other Unicode spaces) collapsed to one, each line trimmed, empty
// lines dropped, lines joined by '\n'. Invalid UTF-8 becomes U+FFFD.
std::string normalize_whitespace(std::string_view text);

// normalize_whitespace, but on one line: newlines become spaces too (titles, excerpts).
std::string single_line(std::string_view text);

// True when `text` has markup a browser would interpret: '<' opening a tag
// (`<p`, `</p`, `<!--`) or a character reference (`&amp;`, `&#12;`).
bool looks_like_html(std::string_view text);

// `text` with every ill-formed UTF-8 sequence replaced by U+FFFD.
std::string valid_utf8(std::string_view text);

// At most `max_bytes` of `text`, cut on a character boundary, with "…" when cut:
// for quoting user input inside error messages.
std::string quote_excerpt(std::string_view text, std::size_t max_bytes = 60);

}  // namespace sosik::text_cleanup
