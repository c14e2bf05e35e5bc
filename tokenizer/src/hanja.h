// Hangul readings of Hanja (韓國 → 한국, 尹 → 윤) from the Hanja table of
// libhangul, compiled into the library at build time (hanja_table.h): a lookup
// reads a few pages of constant data and builds nothing. Private to the tokenizer.
#pragma once

#include <string>
#include <string_view>

namespace sosik::detail {

// The reading of a run of Hanja (UTF-8): the table's word when it lists one
// (北韓 → 북한, not 배한), else each character's usual reading; empty when a
// character has none.
std::string hanja_reading(std::string_view hanja);

}  // namespace sosik::detail
