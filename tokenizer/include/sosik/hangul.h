// Hangul letter arithmetic the query side needs beyond the analyzer: initial
// consonants (초성) of words, half-typed syllables, edit distance over jamo.
// UTF-8 in and out; anything that is not Hangul passes through unchanged.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sosik::hangul {

// The initial consonants of a word as compatibility jamo: 건강도시 → ㄱㄱㄷㅅ.
// Empty unless the word is two or more precomposed syllables and nothing else.
std::string initials_of(std::string_view word);

// A query word typed as initial consonants only (ㄱㄱㄷㅅ, or the conjoining
// ᄀᄀᄃᄉ from U+1100), in compatibility jamo; nothing when it is anything else.
std::optional<std::string> as_initials(std::string_view word);

// The syllables an initial consonant stands for, in code point order:
// ㄱ → [가, 깋] (each initial covers 588 consecutive syllables).
struct SyllableRange {
    char32_t first = 0;
    char32_t last = 0;
};

// One range per letter of `key` (compatibility jamo, as from as_initials).
std::vector<SyllableRange> syllable_ranges(std::string_view key);

// Index terms that complete a partly typed word all start with `head`,
// followed by a syllable in [first, last] when `first` is not 0:
// 건강도ㅅ → {"건강도", 사, 싷}. UTF-8 orders syllables as Unicode does, so
// one term-list walk from head + first finds them all.
struct Completion {
    std::string head;
    char32_t first = 0;
    char32_t last = 0;
};

// How a partly typed word may go on, the way a Korean IME shows it while typing:
//   건강도ㅅ → 건강도 + [사–싷]   (a consonant typed after the last syllable)
//   건강도   → 건강 + [도–돟]     (the last syllable may still get a final)
//   건강돗   → 건강돗, and 건강도 + [사–싷] (the final may be the next initial)
//   abc      → abc
std::vector<Completion> completions_of(std::string_view word);

// Levenshtein distance where a precomposed syllable counts as its jamo
// (건깅도시 ↔ 건강도시 is 1, not one syllable), other characters as themselves.
std::size_t jamo_distance(std::string_view a, std::string_view b);

// The words one jamo away from `word` (a vowel, initial or final replaced,
// a final added or removed, a syllable dropped or two swapped) for Hangul,
// one letter away for a Latin word (delete, swap, replace, insert a-z0-9).
// Empty for anything else. Bounded: a few hundred forms for a typical word.
std::vector<std::string> one_edit_variants(std::string_view word);

// A precomposed Hangul syllable (가 … 힣), not a jamo.
bool is_syllable(char32_t c);

// How a word of one precomposed syllable ends, which decides the form of a
// particle after it (차가 but 굴이; 굴로 and 차로 but 밥으로). Nothing for any
// other word.
enum class SyllableEnd { vowel, rieul, other_consonant };
std::optional<SyllableEnd> one_syllable_end(std::string_view word);

// True when the text holds a Han ideograph (Hanja).
bool has_hanja(std::string_view text);

}  // namespace sosik::hangul
