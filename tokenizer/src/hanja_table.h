// libhangul's Hanja table compiled at build time (tokenizer/tools/hanja_table_gen.cpp
// writes its definition into the build tree). Private to the tokenizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sosik::detail {

struct HanjaTable {
    // Characters with a reading, sorted; character i has the readings
    // readings[reading_start[i] .. reading_start[i + 1]), the usual one first.
    std::span<const char32_t> characters;
    std::span<const std::uint32_t> reading_start;
    std::span<const char16_t> readings;
    // Words the table reads otherwise than their characters' usual readings
    // (北韓 → 북한), sorted: word i is word_characters[word_start[i] ..
    // word_start[i + 1]), read one syllable per character from word_readings at
    // the same offsets.
    std::span<const std::uint32_t> word_start;
    std::span<const char32_t> word_characters;
    std::span<const char16_t> word_readings;
};

extern const HanjaTable kHanjaTable;

// The generator refuses longer words, so lookups can keep a run on the stack.
inline constexpr std::size_t kMaxHanjaWord = 64;

}  // namespace sosik::detail
