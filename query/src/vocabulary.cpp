#include "vocabulary.h"

#include <sosik/schema.h>

#include <algorithm>
#include <map>

namespace sosik {

namespace {

// The code point of `s` (UTF-8) at byte `offset`, and in `length` its size in
// bytes: 0 at the end of `s` (or in a cut-off sequence).
char32_t code_point_at(std::string_view s, std::size_t offset, std::size_t& length) {
    length = 0;
    if (offset >= s.size()) return 0;
    const auto b = static_cast<unsigned char>(s[offset]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : 4;
    if (s.size() - offset < n) return 0;
    char32_t c = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
    for (std::size_t k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[offset + k]) & 0x3F);
    length = n;
    return c;
}

char32_t first_code_point(std::string_view s) {
    std::size_t length = 0;
    return code_point_at(s, 0, length);
}

// Precomposed syllables only (initials_of gives no key to anything else).
bool all_syllables(std::string_view s) {
    for (std::size_t offset = 0, length = 0; offset < s.size(); offset += length) {
        const char32_t c = code_point_at(s, offset, length);
        if (length == 0 || !hangul::is_syllable(c)) return false;
    }
    return true;
}

std::string utf8(char32_t c) {
    std::string out;
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
    return out;
}

// Unprefixed terms are case-folded words; prefixed ones start with a capital.
bool is_prefixed(std::string_view term) { return !term.empty() && term[0] >= 'A' && term[0] <= 'Z'; }

struct Counted {
    std::string term;
    Xapian::doccount count;
};

// The `max` most frequent terms, most frequent first.
std::vector<std::string> most_frequent(std::vector<Counted> all, std::size_t max) {
    const auto middle = all.begin() + static_cast<std::ptrdiff_t>(std::min(max, all.size()));
    std::partial_sort(all.begin(), middle, all.end(), [](const Counted& a, const Counted& b) {
        return a.count != b.count ? a.count > b.count : a.term < b.term;
    });
    std::vector<std::string> terms;
    for (auto it = all.begin(); it != middle; ++it) terms.push_back(std::move(it->term));
    return terms;
}

// One walk of words_with_initials over one layer's terms.
class InitialsWalk {
public:
    InitialsWalk(const Xapian::Database& database, const std::vector<hangul::SyllableRange>& ranges,
                 const Vocabulary::InitialsLimits& limits)
        : database_(database), ranges_(ranges), limits_(limits) {}

    void walk(const std::string& layer) {
        const hangul::SyllableRange& first = ranges_.front();
        // One term list per 64 first syllables (those sharing their first two
        // UTF-8 bytes), not one over the whole layer: a remote shard sends a
        // term list whole when it is opened.
        for (char32_t block = first.first >> 6; block <= first.last >> 6; ++block) {
            const auto block_start = static_cast<char32_t>(block << 6);
            const std::string block_prefix = layer + utf8(block_start).substr(0, 2);
            Xapian::TermIterator it = database_.allterms_begin(block_prefix);
            if (!walk_block(layer, it, database_.allterms_end(block_prefix), std::max(first.first, block_start)))
                return;
        }
    }

    std::vector<Counted> exact, longer;

private:
    // False once the walk is over: past the key's last first syllable, or out of budget.
    bool walk_block(const std::string& layer, Xapian::TermIterator& it, const Xapian::TermIterator& end,
                    char32_t from) {
        it.skip_to(layer + utf8(from));
        while (it != end) {
            if (read_ >= limits_.max_terms) return false;
            ++read_;
            const std::string term = *it;
            const std::string_view word = std::string_view(term).substr(layer.size());
            // How many leading syllables are in range; where the last of them starts.
            std::size_t k = 0, offset = 0, length = 0, last_start = 0;
            char32_t c = 0, last = 0;
            for (; k < ranges_.size(); ++k) {
                c = code_point_at(word, offset, length);
                if (length == 0 || c < ranges_[k].first || c > ranges_[k].last) break;
                last_start = offset;
                last = c;
                offset += length;
            }
            // Past every term that starts like `word` up to its last matching syllable.
            const auto skip_past_matched = [&] {
                it.skip_to(layer + std::string(word.substr(0, last_start)) + utf8(last + 1));
            };
            if (k == ranges_.size()) {
                if (offset == word.size()) {
                    exact.push_back({term, it.get_termfreq()});
                } else if (longer_read_ < limits_.max_longer) {
                    ++longer_read_;
                    if (all_syllables(word.substr(offset))) longer.push_back({term, it.get_termfreq()});
                } else {
                    skip_past_matched();
                    continue;
                }
                ++it;
            } else if (length == 0 || c < ranges_[k].first) {
                // The next syllable could still be in range: jump to the range's start.
                it.skip_to(layer + std::string(word.substr(0, offset)) + utf8(ranges_[k].first));
            } else if (k == 0) {
                return false;
            } else {
                skip_past_matched();
            }
        }
        return true;
    }

    const Xapian::Database& database_;
    const std::vector<hangul::SyllableRange>& ranges_;
    const Vocabulary::InitialsLimits& limits_;
    std::size_t read_ = 0, longer_read_ = 0;
};

}  // namespace

std::size_t Vocabulary::count(const std::string& word) const {
    if (word.empty() || is_prefixed(word)) return 0;
    const std::string_view stem_prefix = schema::text_prefix(schema::Field::body, Layer::stem);
    return database_.get_termfreq(word) + database_.get_termfreq(std::string(stem_prefix) + word);
}

std::map<std::string, std::size_t> Vocabulary::completions(const hangul::Completion& completion,
                                                           std::size_t max_terms) const {
    std::map<std::string, std::size_t> found;
    for (const Layer layer : {Layer::surface, Layer::stem}) {
        const std::string prefix = std::string(schema::text_prefix(schema::Field::body, layer)) + completion.head;
        const std::string start = completion.first ? prefix + utf8(completion.first) : prefix;
        auto it = database_.allterms_begin(prefix);
        const auto end = database_.allterms_end(prefix);
        if (start != prefix) it.skip_to(start);
        for (std::size_t read = 0; it != end && read < max_terms; ++it, ++read) {
            const std::string term = *it;
            if (completion.first && first_code_point(std::string_view(term).substr(prefix.size())) > completion.last)
                break;
            std::string word = term.substr(prefix.size() - completion.head.size());
            if (!word.empty() && !is_prefixed(word)) found[std::move(word)] += it.get_termfreq();
        }
    }
    return found;
}

std::vector<std::string> Vocabulary::most_frequent_terms(const std::string& prefix, std::size_t max,
                                                        std::size_t max_terms) const {
    std::vector<Counted> all;
    const auto end = database_.allterms_end(prefix);
    for (auto it = database_.allterms_begin(prefix); it != end && all.size() < max_terms; ++it)
        all.push_back({*it, it.get_termfreq()});
    return most_frequent(std::move(all), max);
}

std::vector<Lexicon::Counted> Vocabulary::words_containing(const std::string& part, std::size_t max,
                                                           std::size_t max_terms) const {
    if (lexicon_) return lexicon_->containing(part, max);
    if (part.empty() || is_prefixed(part) || !all_syllables(part)) return {};
    std::map<std::string, std::size_t> found;
    for (const Layer layer : {Layer::surface, Layer::stem}) {
        const std::string layer_prefix(schema::text_prefix(schema::Field::body, layer));
        const std::string prefix = layer_prefix + part;
        const auto end = database_.allterms_end(prefix);
        std::size_t read = 0;
        for (auto it = database_.allterms_begin(prefix); it != end && read < max_terms; ++it, ++read) {
            const std::string term = *it;
            const std::string_view word = std::string_view(term).substr(layer_prefix.size());
            if (word.size() > part.size() && word.size() <= 3 * Lexicon::kMaxSyllables && all_syllables(word))
                found[std::string(word)] += it.get_termfreq();
        }
    }
    std::vector<Counted> all;
    for (const auto& [word, count] : found) all.push_back({word, static_cast<Xapian::doccount>(count)});
    std::vector<Lexicon::Counted> out;
    const std::vector<std::string> words = most_frequent(all, max);
    for (const std::string& word : words) out.push_back({word, found[word]});
    return out;
}

Vocabulary::InitialsWords Vocabulary::words_with_initials(const std::string& key, const InitialsLimits& limits) const {
    const std::vector<hangul::SyllableRange> ranges = hangul::syllable_ranges(key);
    if (ranges.empty()) return {};
    InitialsWalk walk(database_, ranges, limits);
    for (const Layer layer : {Layer::surface, Layer::stem})
        walk.walk(std::string(schema::text_prefix(schema::Field::body, layer)));
    return {most_frequent(std::move(walk.exact), limits.max_words),
            most_frequent(std::move(walk.longer), limits.max_words)};
}

std::vector<std::string> Vocabulary::synonyms(const std::string& key) const {
    std::vector<std::string> out;
    try {
        for (auto it = database_.synonyms_begin(key); it != database_.synonyms_end(key); ++it) out.push_back(*it);
    } catch (const Xapian::UnimplementedError&) {
        // a backend without synonym tables: nothing to expand
    }
    return out;
}

}  // namespace sosik
