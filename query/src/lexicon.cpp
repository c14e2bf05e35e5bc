#include "lexicon.h"

#include <sosik/index_terms.h>

#include <algorithm>
#include <map>

namespace sosik {

namespace {

constexpr char32_t kFirstSyllable = 0xAC00, kLastSyllable = 0xD7A3;
constexpr std::size_t kSyllableBytes = 3;

// The syllable indices (가 = 0) of a word of precomposed syllables only; empty otherwise.
std::vector<std::uint32_t> syllables_of(std::string_view word) {
    std::vector<std::uint32_t> out;
    if (word.size() % kSyllableBytes != 0) return {};
    for (std::size_t i = 0; i < word.size(); i += kSyllableBytes) {
        const auto b0 = static_cast<unsigned char>(word[i]), b1 = static_cast<unsigned char>(word[i + 1]),
                   b2 = static_cast<unsigned char>(word[i + 2]);
        if ((b0 & 0xF0) != 0xE0 || (b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) return {};
        const char32_t c = ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F);
        if (c < kFirstSyllable || c > kLastSyllable) return {};
        out.push_back(static_cast<std::uint32_t>(c - kFirstSyllable));
    }
    return out;
}

constexpr std::uint32_t kSyllableCount = kLastSyllable - kFirstSyllable + 1;

std::uint32_t bigram_key(std::uint32_t first, std::uint32_t second) { return first * kSyllableCount + second; }

}  // namespace

Lexicon::Lexicon(const Xapian::Database& database) {
    std::map<std::string, std::size_t> counted;
    // 가 is EA B0 80 and 힣 ED 9E A3: every Hangul word sorts between.
    static const std::string first_hangul = "\xEA\xB0\x80", past_hangul = "\xED\x9E\xA4";
    for (const Layer layer : {Layer::surface, Layer::stem}) {
        const std::string prefix(schema::text_prefix(schema::Field::body, layer));
        Xapian::TermIterator it = database.allterms_begin(prefix);
        const Xapian::TermIterator end = database.allterms_end(prefix);
        it.skip_to(prefix + first_hangul);
        for (; it != end; ++it) {
            const std::string term = *it;
            const std::string_view word = std::string_view(term).substr(prefix.size());
            if (word >= past_hangul) break;
            const std::size_t n = word.size() / kSyllableBytes;
            if (n < 3 || n > kMaxSyllables || syllables_of(word).empty()) continue;
            counted[std::string(word)] += it.get_termfreq();
        }
    }
    words_.reserve(counted.size());
    counts_.reserve(counted.size());
    for (auto& [word, count] : counted) {
        const auto id = static_cast<std::uint32_t>(words_.size());
        const std::vector<std::uint32_t> syllables = syllables_of(word);
        for (std::size_t i = 0; i + 1 < syllables.size(); ++i) {
            std::vector<std::uint32_t>& ids = by_bigram_[bigram_key(syllables[i], syllables[i + 1])];
            if (ids.empty() || ids.back() != id) ids.push_back(id);
        }
        words_.push_back(word);
        counts_.push_back(static_cast<std::uint32_t>(std::min<std::size_t>(count, UINT32_MAX)));
    }
}

std::vector<Lexicon::Counted> Lexicon::containing(const std::string& part, std::size_t max) const {
    const std::vector<std::uint32_t> syllables = syllables_of(part);
    if (syllables.size() < 2 || max == 0) return {};
    // The words holding the part's rarest bigram, checked for the whole part.
    const std::vector<std::uint32_t>* rarest = nullptr;
    for (std::size_t i = 0; i + 1 < syllables.size(); ++i) {
        const auto found = by_bigram_.find(bigram_key(syllables[i], syllables[i + 1]));
        if (found == by_bigram_.end()) return {};
        if (!rarest || found->second.size() < rarest->size()) rarest = &found->second;
    }
    std::vector<std::uint32_t> ids;
    for (const std::uint32_t id : *rarest)
        if (words_[id].size() > part.size() && words_[id].find(part) != std::string::npos) ids.push_back(id);
    const auto middle = ids.begin() + static_cast<std::ptrdiff_t>(std::min(max, ids.size()));
    std::partial_sort(ids.begin(), middle, ids.end(), [this](std::uint32_t a, std::uint32_t b) {
        return counts_[a] != counts_[b] ? counts_[a] > counts_[b] : words_[a] < words_[b];
    });
    std::vector<Counted> out;
    for (auto it = ids.begin(); it != middle; ++it) out.push_back({words_[*it], counts_[*it]});
    return out;
}

}  // namespace sosik
