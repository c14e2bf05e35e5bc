// The archive's distinct Hangul words with their article counts, able to
// find the words that contain a syllable string (나무 → 참나무, 나무꾼;
// 건강도시 → 건강도시연맹). Built from the term dictionary of the database
// (or set of them, merged as Xapian merges their term lists), so it is true
// to the state it was read at: the searcher builds it on first use and
// again after each reopen.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <span>
#include <vector>

namespace sosik {

class Lexicon {
public:
    // Reads the surface and stem layers of the body terms: words of 3 to
    // kMaxSyllables precomposed syllables, counted as Vocabulary::count does.
    explicit Lexicon(const Xapian::Database& database);

    struct Counted {
        std::string word;
        std::size_t count;
    };
    // The words longer than `part` (2 syllables or more) that contain it,
    // the `max` most frequent first. Empty for anything but Hangul syllables.
    std::vector<Counted> containing(const std::string& part, std::size_t max) const;

    std::size_t size() const { return words_.size(); }

    static constexpr std::size_t kMaxSyllables = 12;

private:
    // The words holding a syllable bigram (two syllable indices), each once.
    std::span<const std::uint32_t> words_with_bigram(std::uint32_t key) const;

    std::vector<std::string> words_;
    std::vector<std::uint32_t> counts_;
    // The words of keys_[k] are ids_[starts_[k], starts_[k + 1]).
    std::vector<std::uint32_t> keys_, starts_, ids_;
};

}  // namespace sosik
