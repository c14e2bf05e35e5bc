// Hangul syllable arithmetic (Unicode §3.12): a precomposed syllable is
// 0xAC00 + (initial * 21 + vowel) * 28 + final. Private to the tokenizer.
#pragma once

#include <cstdint>

namespace sosik::detail::hangul {

inline constexpr char16_t kFirstSyllable = 0xAC00;
inline constexpr char16_t kLastSyllable = 0xD7A3;

// Final consonant (jongseong) indices used by the analyzer's rules.
inline constexpr int kNoFinal = 0;
inline constexpr int kFinalNieun = 4;   // ㄴ
inline constexpr int kFinalRieul = 8;   // ㄹ
inline constexpr int kFinalBieup = 17;  // ㅂ
inline constexpr int kFinalSsang = 20;  // ㅆ

// Vowel (jungseong) indices.
inline constexpr int kA = 0, kAe = 1, kYae = 3, kEo = 4, kE = 5, kYeo = 6, kYe = 7, kO = 8, kWa = 9,
                     kWae = 10, kOe = 11, kU = 13, kWo = 14, kI = 20;
// Initial (choseong) indices.
inline constexpr int kInitialGiyeok = 0, kInitialIeung = 11, kInitialHieut = 18;

constexpr bool is_syllable(char32_t c) noexcept { return c >= kFirstSyllable && c <= kLastSyllable; }

// Any Hangul letter: syllables, conjoining jamo, compatibility and half-width jamo.
constexpr bool is_hangul(char32_t c) noexcept {
    return is_syllable(c) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
           (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF) || (c >= 0xFFA0 && c <= 0xFFDC);
}

constexpr int initial_of(char16_t s) noexcept { return (s - kFirstSyllable) / (21 * 28); }
constexpr int vowel_of(char16_t s) noexcept { return ((s - kFirstSyllable) / 28) % 21; }
constexpr int final_of(char16_t s) noexcept { return (s - kFirstSyllable) % 28; }
constexpr bool has_final(char16_t s) noexcept { return final_of(s) != kNoFinal; }

constexpr char16_t compose(int initial, int vowel, int final) noexcept {
    return static_cast<char16_t>(kFirstSyllable + (initial * 21 + vowel) * 28 + final);
}

constexpr char16_t without_final(char16_t s) noexcept {
    return static_cast<char16_t>(s - final_of(s));
}

}  // namespace sosik::detail::hangul
