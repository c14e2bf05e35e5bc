// The indexed words of a database, read through its term lists: what
// suggestions and "did you mean" choose from. Nothing is loaded up front.
#pragma once

#include "lexicon.h"

#include <sosik/hangul.h>

#include <xapian.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace sosik {

class Vocabulary {
public:
    explicit Vocabulary(const Xapian::Database& database) : database_(database) {}
    // With the archive's lexicon, words can also be found by what they contain.
    Vocabulary(const Xapian::Database& database, const Lexicon* lexicon) : database_(database), lexicon_(lexicon) {}

    // Articles holding `word` as a word or as the stem of one (서울시 in
    // 서울시가); an article with both counts twice.
    std::size_t count(const std::string& word) const;

    // The synonyms stored for `key` (schema::synonym_key) by sosik-index
    // --synonyms, over every database of the set; none when it has no table.
    std::vector<std::string> synonyms(const std::string& key) const;

    // Articles in the database (or set of them).
    std::size_t documents() const { return database_.get_doccount(); }

    // Words that complete `completion`, with their counts, reading at most
    // `max_terms` terms per layer (a bound on the time, not on the answer's quality
    // for any prefix of two syllables or more).
    std::map<std::string, std::size_t> completions(const hangul::Completion& completion, std::size_t max_terms) const;

    // Terms starting with `prefix`, the `max` most frequent first, of at most
    // `max_terms` read. Xapian's OP_WILDCARD does the same, but Xapian 1.4
    // expands it in each database of a set alone: shards ranked differently
    // from one database holding the same articles.
    std::vector<std::string> most_frequent_terms(const std::string& prefix, std::size_t max, std::size_t max_terms) const;

    // Indexed words whose 초성 are a key (건강도시 for ㄱㄱㄷㅅ) or start with it
    // (서울시청 for ㅅㅇㅅ): their terms, word or stem layer, most frequent first.
    struct InitialsWords {
        std::vector<std::string> exact;
        std::vector<std::string> longer;
    };
    struct InitialsLimits {
        std::size_t max_words = 50;  // of each kind
        std::size_t max_terms = 30000;  // terms read in all: a bound on the time
        // Longer words read; past that they are skipped unread. Only keys of
        // two letters reach it (Chosun, 52k articles: ㅅㅇ, ㄱㅈ): their walk took
        // 12 ms with 20,000, 3.5 ms with 5,000, and longer words weigh little.
        std::size_t max_longer = 5000;
    };
    // Walks the term dictionary like a trie over the syllable ranges of the
    // key's initials (ㄱ: 가–깋): a term whose k-th syllable is out of range is
    // skipped together with every term sharing its first k syllables, so the
    // work follows the words that match, not the size of the vocabulary.
    InitialsWords words_with_initials(const std::string& key, const InitialsLimits& limits) const;

    // Indexed words that contain `part` (참나무 for 나무), the `max` most
    // frequent first. Without a lexicon, only the words that start with it
    // (건강도시연맹 for 건강도시), of at most `max_terms` read per layer: the
    // term dictionary is sorted, so these cost no lexicon.
    std::vector<Lexicon::Counted> words_containing(const std::string& part, std::size_t max,
                                                   std::size_t max_terms = 400) const;

private:
    const Xapian::Database& database_;
    const Lexicon* lexicon_ = nullptr;
};

}  // namespace sosik
