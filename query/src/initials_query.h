// 초성 search: a query word typed as initial consonants only (ㄱㄱㄷㅅ).
#pragma once

#include "analysed_query.h"

#include <sosik/ranking.h>

#include <xapian.h>

namespace sosik {

// Words whose initials are the key, title words first; words whose initials
// start with the key count too, less. Title words are found by their 초성 key
// terms (schema.h, kTitleInitialsPrefix), body words by a walk of the
// vocabulary at analysis (analysed_query.h): the index holds no body keys.
Xapian::Query initials_query(const InitialsWords& words, bool title_only, const RankingParams& ranking);

}  // namespace sosik
