#include "lexicon.h"

#include <sosik/index_terms.h>

#include <algorithm>
#include <iterator>

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
    // Each layer's words come sorted (the term dictionary's order): merged, not looked up.
    std::vector<std::pair<std::string, std::size_t>> layers[2];
    // 가 is EA B0 80 and 힣 ED 9E A3: every Hangul word sorts between.
    static const std::string first_hangul = "\xEA\xB0\x80", past_hangul = "\xED\x9E\xA4";
    for (const Layer layer : {Layer::surface, Layer::stem}) {
        auto& words = layers[layer == Layer::surface ? 0 : 1];
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
            words.emplace_back(word, it.get_termfreq());
        }
    }
    std::vector<std::pair<std::string, std::size_t>> merged;
    merged.reserve(layers[0].size() + layers[1].size());
    std::merge(layers[0].begin(), layers[0].end(), layers[1].begin(), layers[1].end(), std::back_inserter(merged),
               [](const auto& a, const auto& b) { return a.first < b.first; });
    // (bigram, word id) pairs, sorted: the words of each bigram in one run.
    std::vector<std::uint64_t> pairs;
    for (std::size_t i = 0; i < merged.size(); ++i) {
        std::size_t count = merged[i].second;
        while (i + 1 < merged.size() && merged[i + 1].first == merged[i].first) count += merged[++i].second;
        const auto id = static_cast<std::uint32_t>(words_.size());
        const std::vector<std::uint32_t> syllables = syllables_of(merged[i].first);
        for (std::size_t k = 0; k + 1 < syllables.size(); ++k)
            pairs.push_back(std::uint64_t{bigram_key(syllables[k], syllables[k + 1])} << 32 | id);
        words_.push_back(std::move(merged[i].first));
        counts_.push_back(static_cast<std::uint32_t>(std::min<std::size_t>(count, UINT32_MAX)));
    }
    // Sorted by first syllable with one counting pass, then each run alone:
    // a third of the time of sorting them all.
    std::vector<std::uint32_t> run_start(kSyllableCount + 1, 0);
    for (const std::uint64_t pair : pairs) ++run_start[(pair >> 32) / kSyllableCount + 1];
    for (std::size_t k = 1; k < run_start.size(); ++k) run_start[k] += run_start[k - 1];
    std::vector<std::uint64_t> sorted(pairs.size());
    std::vector<std::uint32_t> next(run_start.begin(), run_start.end() - 1);
    for (const std::uint64_t pair : pairs) sorted[next[(pair >> 32) / kSyllableCount]++] = pair;
    for (std::size_t k = 0; k + 1 < run_start.size(); ++k)
        std::sort(sorted.begin() + run_start[k], sorted.begin() + run_start[k + 1]);
    pairs = std::move(sorted);
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    ids_.reserve(pairs.size());
    for (const std::uint64_t pair : pairs) {
        const auto key = static_cast<std::uint32_t>(pair >> 32);
        if (keys_.empty() || keys_.back() != key) {
            keys_.push_back(key);
            starts_.push_back(static_cast<std::uint32_t>(ids_.size()));
        }
        ids_.push_back(static_cast<std::uint32_t>(pair));
    }
    starts_.push_back(static_cast<std::uint32_t>(ids_.size()));
}

std::span<const std::uint32_t> Lexicon::words_with_bigram(std::uint32_t key) const {
    const auto at = std::lower_bound(keys_.begin(), keys_.end(), key);
    if (at == keys_.end() || *at != key) return {};
    const auto k = static_cast<std::size_t>(at - keys_.begin());
    return {ids_.data() + starts_[k], ids_.data() + starts_[k + 1]};
}

std::vector<Lexicon::Counted> Lexicon::containing(const std::string& part, std::size_t max) const {
    const std::vector<std::uint32_t> syllables = syllables_of(part);
    if (syllables.size() < 2 || max == 0) return {};
    // The words holding the part's rarest bigram, checked for the whole part.
    std::span<const std::uint32_t> rarest;
    for (std::size_t i = 0; i + 1 < syllables.size(); ++i) {
        const std::span<const std::uint32_t> found = words_with_bigram(bigram_key(syllables[i], syllables[i + 1]));
        if (found.empty()) return {};
        if (i == 0 || found.size() < rarest.size()) rarest = found;
    }
    std::vector<std::uint32_t> ids;
    for (const std::uint32_t id : rarest)
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
