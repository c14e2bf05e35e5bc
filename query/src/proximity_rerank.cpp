#include "proximity_rerank.h"

#include "ascii_fold.h"

#include <algorithm>
#include <cstring>
#include <cstdint>
#include <limits>

namespace sosik {

namespace {

// Occurrences further apart than this are not near (about ten Korean words).
constexpr std::size_t kMaxGapBytes = 120;
// The first sentence of an article, for lead_share: past a few words, and
// at most about a hundred Korean syllables.
constexpr std::size_t kMinLeadBytes = 30;
constexpr std::size_t kMaxLeadBytes = 300;
// Enough occurrences of one word to find its nearest neighbours in long articles.
constexpr std::size_t kMaxOccurrences = 256;

// The code point ending just before `at` (0 at the start or on a bad sequence).
char32_t previous_code_point(std::string_view text, std::size_t at) {
    if (at == 0) return 0;
    std::size_t begin = at - 1;
    while (begin > 0 && at - begin < 4 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data() + begin);
    const std::size_t length = at - begin;
    if (length == 1) return p[0] < 0x80 ? p[0] : 0;
    if (length == 2 && (p[0] & 0xE0) == 0xC0) return (char32_t(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
    if (length == 3 && (p[0] & 0xF0) == 0xE0)
        return (char32_t(p[0] & 0x0F) << 12) | (char32_t(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (length == 4 && (p[0] & 0xF8) == 0xF0)
        return (char32_t(p[0] & 0x07) << 18) | (char32_t(p[1] & 0x3F) << 12) | (char32_t(p[2] & 0x3F) << 6) |
               (p[3] & 0x3F);
    return 0;
}

// Letters and digits that continue a word: ASCII alphanumerics, Latin
// letters with marks, Hangul, Hanja. Anything else (space, punctuation,
// quotes) ends one.
bool continues_word(char32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return (c >= 0xC0 && c <= 0x24F) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) ||
           (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF);
}

// The first occurrence of `needle` in `text` at or after `from`, or npos.
// glibc's memmem, not string_view::find: find looks for the first byte and
// compares from there, and in Korean text every third byte is a lead byte
// 0xEA–0xED (memmem's shift table skips; the re-rank's search for query words
// in 20 hits a query took 7% of its CPU with find).
std::size_t find_bytes(std::string_view text, std::string_view needle, std::size_t from) {
    if (from > text.size()) return std::string_view::npos;
    const void* found = memmem(text.data() + from, text.size() - from, needle.data(), needle.size());
    return found ? static_cast<std::size_t>(static_cast<const char*>(found) - text.data()) : std::string_view::npos;
}

// Byte offsets where one of `forms` starts a word of `text`, ascending.
std::vector<std::size_t> word_starts(std::string_view text, const std::vector<std::string>& forms) {
    std::vector<std::size_t> at;
    for (const std::string& form : forms) {
        for (std::size_t found = find_bytes(text, form, 0);
             found != std::string_view::npos && at.size() < kMaxOccurrences; found = find_bytes(text, form, found + 1)) {
            if (!continues_word(previous_code_point(text, found))) at.push_back(found);
        }
    }
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    return at;
}

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Words from one start to a later one: spaces crossed (1 for neighbours,
// also 1 within one compound or eojeol); max() beyond kMaxGapBytes.
std::size_t words_apart(std::string_view text, std::size_t from, std::size_t to) {
    if (to - from > kMaxGapBytes) return std::numeric_limits<std::size_t>::max();
    std::size_t runs = 0;
    for (std::size_t i = from; i < to; ++i)
        if (is_space(text[i]) && (i == from || !is_space(text[i - 1]))) ++runs;
    return std::max<std::size_t>(runs, 1);
}

// The fewest words between an occurrence of one word and one of the other, in either order.
std::size_t nearest(std::string_view text, const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    std::size_t best = std::numeric_limits<std::size_t>::max();
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
        if (a[i] == b[j]) return 1;
        if (a[i] < b[j]) {
            best = std::min(best, words_apart(text, a[i], b[j]));
            ++i;
        } else {
            best = std::min(best, words_apart(text, b[j], a[i]));
            ++j;
        }
    }
    return best;
}

}  // namespace

ProximityScorer::ProximityScorer(const std::vector<MatchTarget>& targets) {
    for (const MatchTarget& target : targets) {
        // A form that extends another (서울시가 after 서울시) is found through it.
        std::vector<std::string> forms;
        for (const std::string& form : target.forms) {
            const bool extends = std::any_of(target.forms.begin(), target.forms.end(), [&](const std::string& other) {
                return other.size() < form.size() && form.compare(0, other.size(), other) == 0;
            });
            if (!extends && !form.empty() && std::find(forms.begin(), forms.end(), form) == forms.end())
                forms.push_back(form);
        }
        if (!forms.empty()) words_.push_back(std::move(forms));
    }
}

double ProximityScorer::score_in(std::string_view text) const {
    if (text.empty()) return 0;
    std::string lowered;
    if (std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
        lowered = ascii_lowered(text);
        text = lowered;
    }
    std::vector<std::vector<std::size_t>> starts;
    starts.reserve(words_.size());
    for (const auto& forms : words_) starts.push_back(word_starts(text, forms));
    // Consecutive pairs as typed, 1/d². (Measured on dev, depth 30, weight 0.2:
    // every pair 0.8518, 1/d 0.8519, consecutive 1/d² 0.8520 MRR@10.)
    double sum = 0;
    for (std::size_t k = 0; k + 1 < starts.size(); ++k) {
        if (starts[k].empty() || starts[k + 1].empty()) continue;
        const std::size_t d = nearest(text, starts[k], starts[k + 1]);
        if (d != std::numeric_limits<std::size_t>::max()) sum += 1.0 / static_cast<double>(d * d);
    }
    return sum / static_cast<double>(starts.size() - 1);
}

namespace {

// The first sentence: up to a full stop, question or exclamation mark
// followed by a space, or a line break; at most kMaxLeadBytes.
std::string_view first_sentence(std::string_view text) {
    const std::size_t end = std::min(text.size(), kMaxLeadBytes);
    for (std::size_t i = kMinLeadBytes; i + 1 < end; ++i) {
        if (text[i] == '\n') return text.substr(0, i);
        if ((text[i] == '.' || text[i] == '?' || text[i] == '!') && (text[i + 1] == ' ' || text[i + 1] == '\n'))
            return text.substr(0, i + 1);
    }
    return text.substr(0, end);
}

}  // namespace

double ProximityScorer::lead_share(std::string_view title, std::string_view text) const {
    if (words_.empty()) return 0;
    // A copy either way: folded while copied (score_in avoids copying a whole text).
    const std::string lead = ascii_lowered(first_sentence(text)) + "\n" + ascii_lowered(title);
    std::size_t found = 0;
    for (const auto& forms : words_)
        if (!word_starts(lead, forms).empty()) ++found;
    return static_cast<double>(found) / static_cast<double>(words_.size());
}

double ProximityScorer::score(std::string_view title, std::string_view text) const {
    if (!useful()) return 0;
    return std::max(score_in(title), score_in(text));
}

}  // namespace sosik
