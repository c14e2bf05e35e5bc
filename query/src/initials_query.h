// 초성 search: a query word typed as initial consonants only (ㄱㄱㄷㅅ).
#pragma once

#include "vocabulary.h"

#include <xapian.h>

#include <string>

namespace sosik {

// Words whose initials are `key` (compatibility jamo, from hangul::as_initials),
// title words first; words whose initials start with `key` count too, less.
// Title words are found by their 초성 key terms (schema.h, kTitleInitialsPrefix),
// body words by a walk of the vocabulary: the index holds no body keys.
Xapian::Query initials_query(const std::string& key, bool title_only, const Vocabulary& vocabulary);

}  // namespace sosik
