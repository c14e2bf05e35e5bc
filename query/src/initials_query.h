// 초성 search: a query word typed as initial consonants only (ㄱㄱㄷㅅ).
#pragma once

#include <xapian.h>

#include <string>

namespace sosik {

// Words whose initials are `key` (compatibility jamo, from hangul::as_initials),
// title words first; words whose initials start with `key` count too, less.
Xapian::Query initials_query(const std::string& key, bool title_only);

}  // namespace sosik
