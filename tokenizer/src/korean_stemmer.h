// Light Korean stemming of one eojeol (a space-delimited Hangul word): strip
// one particle, copula or common ending, guarded so that nouns which merely
// look like noun+particle stay whole. Private to the tokenizer; the word lists
// and the reason for each guard live in korean_lists.cpp.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sosik::detail {

// What must precede an ending: Korean particles come in pairs chosen by the
// final consonant (batchim) of the word they attach to (이/가, 을/를, 은/는,
// 과/와, 으로/로 …). Requiring the right one is the strongest single guard.
enum class Follows : std::uint8_t {
    any,
    consonant,            // 이, 을, 은, 과, 이나 …: after a syllable with a final consonant
    vowel,                // 가, 를, 는, 와, 나 …: after an open syllable
    vowel_or_rieul,       // 로, 로서 …: after an open syllable or final ㄹ (서울로)
    consonant_not_rieul,  // 으로 …: after a final consonant other than ㄹ
};

enum class EndingKind : std::uint8_t {
    particle,    // case/auxiliary particles: 이, 에서, 까지 …
    copula,      // 이다, 입니다, 인 …
    derivation,  // 적 (-ic) with what follows it: 적인, 적으로 …
    plural,      // 들 and 들+particle: one combined ending
    light_verb,  // 하다/되다/시키다/받다/있다/없다/스럽다 after a noun: 체결했습니다
    verb,        // tense/mood endings on a verb stem: 열렸다 → 열리
};

// How the stem is made from what precedes the ending.
enum class Transform : std::uint8_t {
    none,        // drop the ending's syllables
    drop_final,  // ending starts with a final consonant of the stem's last syllable: 열립니다, 열린다
    past,        // …and that consonant is the past ㅆ of a contracted syllable: 열렸다 → 열리
    yeot,        // 였: 이+었 after a consonant (높였다 → 높이), plain 었 after a vowel
};

struct Ending {
    std::u16string syllables;  // the ending's whole syllables (after the final consonant, if any)
    int final = 0;             // required final consonant index of the stem's last syllable, or 0
    Follows follows = Follows::any;
    EndingKind kind = EndingKind::particle;
    Transform transform = Transform::none;
    std::uint8_t min_stem = 2;  // syllables the stem must keep (see korean_lists.cpp)
    bool noun_tail = false;     // first syllable also ends many nouns (휴가, 회의): keep it for bigrams
    // Not when the stem would end in 이 after a final consonant: that 이 is the
    // copula of the consonant form (것이라고 is 것+이라고, not 것이+라고).
    bool not_after_copula_i = false;
};

struct StemResult {
    std::u16string text;               // the stem (its last syllable may be rebuilt: 열렸 → 열리)
    std::uint32_t source_syllables = 0;  // surface syllables the stem comes from
    std::uint32_t bigram_syllables = 0;  // syllables of `bigram_base` (stem, maybe + one noun-like syllable)
    std::u16string bigram_base;        // what bigrams are made of; index i comes from surface syllable i
};

// The tables behind KoreanStemmer (korean_lists.cpp).
struct KoreanLists {
    std::vector<Ending> endings;
    std::vector<std::u16string_view> whole_nouns;  // whole words that look like noun+particle: 경기도
    std::vector<std::u16string_view> tail_nouns;   // also as the last part of a compound: 전문가
    std::vector<std::u16string_view> one_syllable_nouns;  // may stand as a 1-syllable stem: 집에서 → 집
    std::vector<std::u16string_view> never_orphan_after_number;  // 30도, 5만, 3가, 3인: units, not particles
};
KoreanLists make_korean_lists();

// The lists behind the query-side variants (korean_variants.h), in UTF-8.
struct QueryVariantLists {
    // Particles a one-syllable noun takes (with_particles): after any noun,
    // after a final consonant, after a vowel; 으로/로 are added by rule.
    std::vector<std::string_view> noun_particles_any, noun_particles_after_consonant, noun_particles_after_vowel;
    std::string_view bound_nouns;             // 시도군구…: one syllable each, ending place and body names
    std::string_view one_syllable_noun_tails;  // 의을를와과: particles that follow nouns alone
    std::string_view contracted_locatives;     // 서 (에서), 선 (에선)
};
const QueryVariantLists& query_variant_lists();

class KoreanStemmer {
public:
    KoreanStemmer();
    KoreanStemmer(const KoreanStemmer&) = delete;  // holds views into its own tables
    KoreanStemmer& operator=(const KoreanStemmer&) = delete;

    // The one shared, immutable instance (built on first use; safe to use from many threads).
    static const KoreanStemmer& instance();

    // `word` is a normalized eojeol made only of Hangul syllables. `after_number`
    // says it directly follows a number (25일부터: counters are one syllable).
    // Returns false when no stem differs from the word.
    bool stem(std::u16string_view word, bool after_number, StemResult& out) const;

    // True if `piece` is a bare particle or copula form (에서, 을, 이다 …) that ICU
    // split from a preceding Latin/digit/Hanja word or closing bracket: DDP|에서.
    bool is_orphan_particle(std::u16string_view piece, bool after_number) const;

private:
    struct Candidate;
    bool blocked_by_exception(std::u16string_view word, std::size_t stem_syllables,
                              std::size_t ending_syllables) const;
    bool stem_length_ok(const Ending& e, std::u16string_view stem, bool after_number) const;

    std::vector<Ending> endings_;
    // The endings in a trie over their syllables read backwards from the end
    // of a word: one walk finds every ending that matches, longest last.
    struct Node {
        std::vector<std::pair<char16_t, std::uint32_t>> children;  // sorted by syllable
        std::vector<std::uint16_t> endings;  // ending here, jamo-initial ones first
    };
    std::vector<Node> trie_;
    std::vector<std::uint32_t> root_children_;  // the root's children, indexed by syllable (0 = none)
    std::size_t max_suffix_ = 0;
    // Listed nouns (at most 4 syllables) packed into one integer for lookup.
    static std::uint64_t pack(std::u16string_view syllables);
    std::bitset<11172> noun_last_syllable_;  // last syllables of whole_nouns_ and tail_nouns_
    std::unordered_set<std::uint64_t> whole_nouns_;
    std::unordered_set<std::uint64_t> tail_nouns_;
    std::size_t max_tail_ = 0;
    std::unordered_set<char16_t> one_syllable_nouns_;
    std::unordered_set<std::u16string_view> orphans_;
    std::unordered_set<std::u16string_view> never_orphan_after_number_;
};

}  // namespace sosik::detail
