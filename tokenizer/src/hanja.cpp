#include "hanja.h"

#include "hanja_table.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

namespace sosik::detail {

namespace {

std::span<const char32_t> word(const HanjaTable& t, std::size_t i) {
    return t.word_characters.subspan(t.word_start[i], t.word_start[i + 1] - t.word_start[i]);
}

void append_syllable(std::string& out, char16_t s) {
    char buf[U8_MAX_LENGTH];
    std::int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, s);
    out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::string hanja_reading(std::string_view hanja) {
    const HanjaTable& t = kHanjaTable;
    char32_t points[kMaxHanjaWord];
    std::size_t count = 0;
    // The usual reading of each character, or nothing if one has none.
    std::string usual;
    for (std::int32_t i = 0, length = static_cast<std::int32_t>(hanja.size()); i < length;) {
        UChar32 c = 0;
        U8_NEXT(hanja.data(), i, length, c);
        if (c < 0) return {};
        const auto it = std::lower_bound(t.characters.begin(), t.characters.end(), static_cast<char32_t>(c));
        if (it == t.characters.end() || *it != static_cast<char32_t>(c)) return {};
        append_syllable(usual, t.readings[t.reading_start[static_cast<std::size_t>(it - t.characters.begin())]]);
        if (count < kMaxHanjaWord) points[count] = static_cast<char32_t>(c);
        ++count;
    }
    if (count < 2 || count > kMaxHanjaWord) return usual;
    // A word the table reads otherwise (北韓 → 북한).
    const std::span<const char32_t> run(points, count);
    std::size_t low = 0, high = t.word_start.size() - 1;
    while (low < high) {
        const std::size_t mid = low + (high - low) / 2;
        const auto w = word(t, mid);
        if (std::lexicographical_compare(w.begin(), w.end(), run.begin(), run.end()))
            low = mid + 1;
        else
            high = mid;
    }
    if (low == t.word_start.size() - 1 || !std::ranges::equal(word(t, low), run)) return usual;
    std::string reading;
    for (std::size_t k = 0; k < count; ++k) append_syllable(reading, t.word_readings[t.word_start[low] + k]);
    return reading;
}

}  // namespace sosik::detail
