// Korean text analysis shared by indexing, querying and highlighting: the only
// place that decides what a "word" is, so the three always agree.
//
// Pipeline: NFKC case-fold normalization (ICU nfkc_cf) → ICU word segments →
// Korean layers (surface eojeol, particle/ending-stripped stem, syllable
// bigrams, joined Latin/digit+Hangul forms). See DESIGN.md, "Korean analysis".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sosik {

// Bump whenever a change to the analyzer changes the tokens it emits: databases
// record it, and a mismatch asks the user to rebuild instead of silently missing.
// 2: Hangul readings of Hanja (stem and joined layers) and 초성 keys.
// 3: one-syllable stems before 으로 and the copula forms 이란/이라는 … (펌이란 → 펌).
// 4: question endings of 하다/되다 predicates (필요한가요, 작동하는가, 사용될까요).
// 5: written-style past questions (선출되었는가, 재직하였나, 수상했을까, 열렸는가,
//    수도였는가, 원인이었나) and exam instructions (설명하시오 → 설명).
// 6: a particle after an abbreviation's full stop is no word (e.g.는, Inc.의).
// 7: the contracted particles 에선, 에겐, 께선, 한텐 and 엔 (업계에선 → 업계).
inline constexpr std::string_view kAnalyzerVersion = "7";

enum class Layer : std::uint8_t {
    surface,  // the whole normalized eojeol: 서울시가
    stem,     // the eojeol with one particle/ending stripped: 서울시 (same position as its surface)
    bigram,   // a Hangul syllable bigram: 건강도시 → 건강 강도 도시 (bigram position counter)
    joined,   // pieces ICU split at a script change, joined back: 9월, 제10차, cj제일제당
};

std::string_view layer_name(Layer layer);

struct Token {
    std::string text;        // normalized form, as stored in the index
    Layer layer;
    std::uint32_t position;  // word position for surface/stem/joined, bigram position for bigram
    std::uint32_t begin;     // byte offset of the first byte in the *original* text
    std::uint32_t end;       // byte offset one past the last byte in the original text
};

struct AnalyzerOptions {
    bool stems = true;
    bool bigrams = true;
    bool joins = true;
    // Word positions skipped between two calls' worth of text (e.g. title and
    // body, or paragraphs), so that phrases never match across them.
    std::uint32_t position_gap = 100;
};

// Not thread-safe (it owns ICU break iterators): use one Analyzer per thread.
class Analyzer {
public:
    explicit Analyzer(AnalyzerOptions options = {});
    ~Analyzer();
    Analyzer(Analyzer&&) noexcept;
    Analyzer& operator=(Analyzer&&) noexcept;

    // Tokens of `text` in order of their begin offset, word positions from 0.
    // Invalid UTF-8 never throws: bad bytes act as separators.
    std::vector<Token> analyze(std::string_view text) const;

    // As above, with word and bigram positions starting at the given values
    // (callers indexing several fields continue the counters across them).
    struct Positions {
        std::uint32_t word = 0;
        std::uint32_t bigram = 0;
    };
    std::vector<Token> analyze(std::string_view text, Positions& next) const;

    const AnalyzerOptions& options() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Words that carry no topic in a Korean question (무엇, 누구, 언제, 어떤, 몇,
// 있나요 …). `form` is a normalized surface or stem as the analyzer emits it.
// The query side leaves them out while other words remain: they are common in
// questions and rare in the articles that answer them.
bool is_question_filler(std::string_view form);

// Nouns that frame a question about a word's meaning (X의 의미는, X라는 용어,
// X의 뜻) and are rarely in the passage that gives it: they name a topic of
// their own only when alone. The query side weights them down beside other words.
bool is_question_framing_word(std::string_view form);

}  // namespace sosik
