// The indexed words of a database, read through its term lists: what
// suggestions and "did you mean" choose from. Nothing is loaded up front.
#pragma once

#include <sosik/hangul.h>

#include <xapian.h>

#include <cstddef>
#include <map>
#include <string>

namespace sosik {

class Vocabulary {
public:
    explicit Vocabulary(const Xapian::Database& database) : database_(database) {}

    // Articles holding `word` as a word or as the stem of one (서울시 in
    // 서울시가); an article with both counts twice.
    std::size_t count(const std::string& word) const;

    // Words that complete `completion`, with their counts, reading at most
    // `max_terms` terms per layer (a bound on the time, not on the answer's quality
    // for any prefix of two syllables or more).
    std::map<std::string, std::size_t> completions(const hangul::Completion& completion, std::size_t max_terms) const;

private:
    const Xapian::Database& database_;
};

}  // namespace sosik
