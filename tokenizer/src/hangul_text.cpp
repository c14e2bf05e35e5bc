// Hangul arithmetic for the query side (sosik/hangul.h), on top of the
// syllable formula in hangul.h.
#include "sosik/hangul.h"

#include "hangul.h"

#include <algorithm>
#include <array>

namespace sosik::hangul {

namespace {

namespace h = detail::hangul;

constexpr int kInitials = 19, kVowels = 21, kFinals = 28;

// Compatibility jamo (U+3131…) of the 19 initial consonants, in choseong order.
constexpr std::array<char32_t, kInitials> kCompatInitials = {
    0x3131, 0x3132, 0x3134, 0x3137, 0x3138, 0x3139, 0x3141, 0x3142, 0x3143, 0x3145,
    0x3146, 0x3147, 0x3148, 0x3149, 0x314A, 0x314B, 0x314C, 0x314D, 0x314E};

// The initial a final consonant becomes when a vowel follows (돗 + ㅣ → 도시);
// -1 for the clusters (ㄳ, ㄺ …), which the IME splits instead.
constexpr std::array<int, kFinals> kFinalToInitial = {-1, 0,  1,  -1, 2,  -1, -1, 3,  5,  -1,
                                                      -1, -1, -1, -1, -1, -1, 6,  7,  -1, 9,
                                                      10, 11, 12, 14, 15, 16, 17, 18};

std::u32string decode(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto b = static_cast<unsigned char>(s[i]);
        const int length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + static_cast<std::size_t>(length) > s.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t c = length == 1 ? b : length == 2 ? (b & 0x1F) : length == 3 ? (b & 0x0F) : (b & 0x07);
        for (int k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(c);
        i += static_cast<std::size_t>(length);
    }
    return out;
}

void append(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

std::string encode(std::u32string_view s) {
    std::string out;
    for (char32_t c : s) append(out, c);
    return out;
}

// Choseong index of an initial consonant typed alone, or -1.
int initial_index(char32_t c) {
    if (c >= 0x1100 && c <= 0x1112) return static_cast<int>(c - 0x1100);
    const auto it = std::find(kCompatInitials.begin(), kCompatInitials.end(), c);
    return it == kCompatInitials.end() ? -1 : static_cast<int>(it - kCompatInitials.begin());
}

char32_t syllable(int initial, int vowel, int final) {
    return h::compose(initial, vowel, final);
}

SyllableRange syllables_with_initial(int initial) {
    return {syllable(initial, 0, 0), syllable(initial, kVowels - 1, kFinals - 1)};
}

// Jamo of a syllable as three tagged units, so that an initial ㄱ and a final
// ㄱ never count as equal; other characters stand for themselves.
std::u32string jamo_units(std::string_view word) {
    std::u32string out;
    for (char32_t c : decode(word)) {
        if (!is_syllable(c)) {
            out.push_back(c);
            continue;
        }
        const auto s = static_cast<char16_t>(c);
        out.push_back(0x110000 + static_cast<char32_t>(h::initial_of(s)));
        out.push_back(0x110100 + static_cast<char32_t>(h::vowel_of(s)));
        if (h::has_final(s)) out.push_back(0x110200 + static_cast<char32_t>(h::final_of(s)));
    }
    return out;
}

bool is_latin_word(const std::u32string& w) {
    return !w.empty() && std::all_of(w.begin(), w.end(), [](char32_t c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    });
}

}  // namespace

std::string initials_of(std::string_view word) {
    const std::u32string w = decode(word);
    if (w.size() < 2 || !std::all_of(w.begin(), w.end(), is_syllable)) return {};
    std::string out;
    for (char32_t c : w) append(out, kCompatInitials[static_cast<std::size_t>(h::initial_of(static_cast<char16_t>(c)))]);
    return out;
}

std::optional<std::string> as_initials(std::string_view word) {
    const std::u32string w = decode(word);
    if (w.empty()) return std::nullopt;
    std::string out;
    for (char32_t c : w) {
        const int initial = initial_index(c);
        if (initial < 0) return std::nullopt;
        append(out, kCompatInitials[static_cast<std::size_t>(initial)]);
    }
    return out;
}

std::vector<SyllableRange> syllable_ranges(std::string_view key) {
    std::vector<SyllableRange> out;
    for (char32_t c : decode(key)) {
        const int initial = initial_index(c);
        if (initial < 0) return {};
        out.push_back(syllables_with_initial(initial));
    }
    return out;
}

std::vector<Completion> completions_of(std::string_view word) {
    std::u32string w = decode(word);
    std::vector<Completion> out;
    if (w.empty()) return out;
    const char32_t last = w.back();
    const std::u32string_view before(w.data(), w.size() - 1);
    if (const int initial = initial_index(last); initial >= 0) {
        // 건강도ㅅ: a syllable starting with ㅅ comes next.
        const SyllableRange next = syllables_with_initial(initial);
        out.push_back({encode(before), next.first, next.last});
        return out;
    }
    if (!is_syllable(last)) {
        out.push_back({encode(w), 0, 0});
        return out;
    }
    const auto s = static_cast<char16_t>(last);
    if (!h::has_final(s)) {
        // 건강도: 도 may still become 독, 돈, 동 …
        out.push_back({encode(before), last, last + kFinals - 1});
        return out;
    }
    out.push_back({encode(w), 0, 0});
    if (const int next = kFinalToInitial[static_cast<std::size_t>(h::final_of(s))]; next >= 0) {
        // 건강돗: the ㅅ may be the start of 시.
        std::string head = encode(before);
        append(head, h::without_final(s));
        const SyllableRange range = syllables_with_initial(next);
        out.push_back({std::move(head), range.first, range.last});
    }
    return out;
}

std::size_t jamo_distance(std::string_view a, std::string_view b) {
    const std::u32string x = jamo_units(a), y = jamo_units(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] == y[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[y.size()];
}

std::vector<std::string> one_edit_variants(std::string_view word) {
    const std::u32string w = decode(word);
    std::vector<std::string> out;
    const auto add = [&](const std::u32string& variant) {
        if (!variant.empty() && variant != w) out.push_back(encode(variant));
    };
    if (!w.empty() && std::all_of(w.begin(), w.end(), is_syllable)) {
        for (std::size_t i = 0; i < w.size(); ++i) {
            const auto s = static_cast<char16_t>(w[i]);
            const int initial = h::initial_of(s), vowel = h::vowel_of(s), final = h::final_of(s);
            std::u32string v = w;
            for (int k = 0; k < kInitials; ++k) { v[i] = syllable(k, vowel, final); add(v); }
            for (int k = 0; k < kVowels; ++k) { v[i] = syllable(initial, k, final); add(v); }
            for (int k = 0; k < kFinals; ++k) { v[i] = syllable(initial, vowel, k); add(v); }
            if (w.size() > 2) {
                v = w;
                v.erase(i, 1);
                add(v);
            }
            if (i + 1 < w.size()) {
                v = w;
                std::swap(v[i], v[i + 1]);
                add(v);
            }
        }
    } else if (is_latin_word(w)) {
        static constexpr std::u32string_view kLetters = U"abcdefghijklmnopqrstuvwxyz0123456789";
        for (std::size_t i = 0; i <= w.size(); ++i) {
            std::u32string v;
            if (i < w.size() && w.size() > 2) {
                v = w;
                v.erase(i, 1);
                add(v);
            }
            if (i + 1 < w.size()) {
                v = w;
                std::swap(v[i], v[i + 1]);
                add(v);
            }
            for (char32_t c : kLetters) {
                if (i < w.size()) {
                    v = w;
                    v[i] = c;
                    add(v);
                }
                v = w;
                v.insert(v.begin() + static_cast<std::ptrdiff_t>(i), c);
                add(v);
            }
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool is_syllable(char32_t c) { return h::is_syllable(c); }

std::optional<SyllableEnd> one_syllable_end(std::string_view word) {
    const std::u32string w = decode(word);
    if (w.size() != 1 || !is_syllable(w[0])) return std::nullopt;
    const int final = h::final_of(static_cast<char16_t>(w[0]));
    if (final == h::kNoFinal) return SyllableEnd::vowel;
    return final == h::kFinalRieul ? SyllableEnd::rieul : SyllableEnd::other_consonant;
}

bool has_hanja(std::string_view text) {
    for (char32_t c : decode(text)) {
        if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0xF900 && c <= 0xFAFF) ||
            (c >= 0x20000 && c <= 0x3134F))
            return true;
    }
    return false;
}

}  // namespace sosik::hangul
