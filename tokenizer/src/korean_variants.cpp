#include <sosik/korean_variants.h>

#include "korean_stemmer.h"

#include <sosik/hangul.h>

#include <algorithm>

namespace sosik::korean {

namespace {

constexpr std::size_t kSyllableBytes = 3;  // every Hangul syllable in UTF-8

bool all_syllables(std::string_view word) {
    return !word.empty() && hangul::initials_of(word).size() == word.size();
}

// True if `word` is Hangul syllables only and its last syllable is one of `syllables`.
bool ends_in_one_of(std::string_view word, std::string_view syllables) {
    if (word.size() < kSyllableBytes || !all_syllables(word)) return false;
    const std::string_view last = word.substr(word.size() - kSyllableBytes);
    for (std::size_t at = 0; at < syllables.size(); at += kSyllableBytes)
        if (syllables.substr(at, kSyllableBytes) == last) return true;
    return false;
}

const detail::QueryVariantLists& lists() { return detail::query_variant_lists(); }

}  // namespace

// Dictionary analyzers (nori) split these off, so an article saying 뉴욕 …
// 날씨 answers 뉴욕시 날씨 (benchmarks/quality/README.md has the measurements).
std::string part_before_bound_noun(const std::string& word) {
    if (word.size() < 3 * kSyllableBytes || !ends_in_one_of(word, lists().bound_nouns)) return {};
    return word.substr(0, word.size() - kSyllableBytes);
}

// The stemmer strips these down to one syllable only for the nouns it lists;
// the archive decides for the rest (칩 ≫ 칩의, but 회의 ≫ 회).
std::string one_syllable_noun(const WordForms& word, const WordCount& count) {
    const std::string& surface = word.surface;
    if (!word.stem.empty() || surface.size() != 2 * kSyllableBytes ||
        !ends_in_one_of(surface, lists().one_syllable_noun_tails))
        return {};
    std::string noun = surface.substr(0, kSyllableBytes);
    if (count(noun) <= count(surface)) return {};
    return noun;
}

// 서 and 선 also end nouns (경찰서, 교과서, 노선): only a long form written
// more than kMargin times as often as the word makes it a locative.
std::string before_contracted_locative(const WordForms& word, const WordCount& count) {
    constexpr std::size_t kMargin = 2;
    const std::string& surface = word.surface;
    if (!word.stem.empty() || surface.size() < 3 * kSyllableBytes ||
        !ends_in_one_of(surface, lists().contracted_locatives))
        return {};
    std::string noun = surface.substr(0, surface.size() - kSyllableBytes);
    const std::size_t long_form =
        ends_in_one_of(surface, "서") ? count(noun + "에서") : count(noun + "에선") + count(noun + "에서는");
    if (long_form <= kMargin * count(surface)) return {};
    return noun;
}

std::vector<std::string> with_particles(const std::string& noun) {
    using hangul::SyllableEnd;
    const std::optional<SyllableEnd> end = hangul::one_syllable_end(noun);
    if (!end) return {};
    std::vector<std::string> forms;
    for (const std::string_view particle : lists().noun_particles_any) forms.push_back(noun + std::string(particle));
    for (const std::string_view particle : *end == SyllableEnd::vowel ? lists().noun_particles_after_vowel
                                                                      : lists().noun_particles_after_consonant)
        forms.push_back(noun + std::string(particle));
    forms.push_back(noun + (*end == SyllableEnd::other_consonant ? "으로" : "로"));
    return forms;
}

std::vector<std::string> unstemmed_particle_forms(const Analyzer& analyzer, const std::string& noun) {
    std::vector<std::string> forms = with_particles(noun);
    std::erase_if(forms, [&](const std::string& form) {
        const std::vector<Token> tokens = analyzer.analyze(form);
        return std::any_of(tokens.begin(), tokens.end(),
                           [&](const Token& t) { return t.layer == Layer::stem && t.text == noun; });
    });
    return forms;
}

// A query word inside compounds is its stem (기관지 of 기관지의), with any
// particle or none: the analyzer keeps a noun-like particle in a word's
// bigrams so that 회의 stays findable inside 국제회의.
std::vector<std::string> compound_bigrams(const WordForms& word, const std::vector<std::string>& analyzer_bigrams) {
    const std::string& stem = word.stem;
    if (stem.size() < 3 * kSyllableBytes || !all_syllables(stem)) return analyzer_bigrams;
    std::vector<std::string> bigrams;
    for (std::size_t at = 0; at + 2 * kSyllableBytes <= stem.size(); at += kSyllableBytes)
        bigrams.push_back(stem.substr(at, 2 * kSyllableBytes));
    return bigrams;
}

}  // namespace sosik::korean
