// The other forms a typed Korean word is looked for by, at query time: what a
// dictionary analyzer would split off (뉴욕시 → 뉴욕), particle forms the index
// keeps whole (굴 → 굴이), headline contractions (항소심서 → 항소심), the
// parts inside compounds. Beside the stemmer, whose rules they complete.
// Where the archive decides (is 칩의 the noun 칩?), the caller passes its
// vocabulary counts in: the tokenizer depends on no index.
#pragma once

#include <sosik/analyzer.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace sosik::korean {

// Articles that hold a word, as a word or as the stem of one.
using WordCount = std::function<std::size_t(const std::string& word)>;

// One typed word as the analyzer gives it: its surface, and its stem when it has one.
struct WordForms {
    std::string surface;
    std::string stem;
    // The form a query looks the word up by: the stem when there is one.
    const std::string& searched() const { return stem.empty() ? surface : stem; }
};

// 뉴욕시 → 뉴욕: a word of three syllables or more ending in a bound noun that
// Korean attaches to names of places, bodies and units (시 도 군 구 읍 면 동;
// 국 부 청 당). Empty when it has none.
std::string part_before_bound_noun(const std::string& word);

// 칩의, 롤을, 밀과 → 칩, 롤, 밀: a two-syllable word of a noun and 의, 을/를,
// 와/과 that the stemmer leaves whole (회의, 결과 are words), when the archive
// holds the syllable alone more often than the whole word. Empty otherwise.
std::string one_syllable_noun(const WordForms& word, const WordCount& count);

// 항소심서, 여의도선 → 항소심, 여의도: a headline's locative 서 (에서) or 선
// (에선), when the archive writes the long form more than twice as often as
// the word (경찰서 and 교과서 stay whole). Empty otherwise.
std::string before_contracted_locative(const WordForms& word, const WordCount& count);

// 굴 → 굴의, 굴에 … 굴이, 굴은 … 굴로: a one-syllable noun with the particles
// that follow nouns, in the form its last sound takes. Empty for other words.
std::vector<std::string> with_particles(const std::string& noun);

// The forms of with_particles(noun) that the analyzer does not stem back to
// the noun (굴을 → 굴, but 굴이 stays whole, as 나이 is no 나+이): the index
// holds them as words of their own.
std::vector<std::string> unstemmed_particle_forms(const Analyzer& analyzer, const std::string& noun);

// The bigrams a word is looked for by inside compounds: its stem's when the
// stem is Hangul of three syllables or more, else the analyzer's bigrams.
std::vector<std::string> compound_bigrams(const WordForms& word, const std::vector<std::string>& analyzer_bigrams);

}  // namespace sosik::korean
