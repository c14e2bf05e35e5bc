#include "korean_stemmer.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "hangul.h"

namespace sosik::detail {
namespace {

bool follows_ok(Follows f, char16_t last) {
    using namespace hangul;
    const int final = final_of(last);
    switch (f) {
    case Follows::any: return true;
    case Follows::consonant: return final != kNoFinal;
    case Follows::vowel: return final == kNoFinal;
    case Follows::vowel_or_rieul: return final == kNoFinal || final == kFinalRieul;
    case Follows::consonant_not_rieul: return final != kNoFinal && final != kFinalRieul;
    }
    return false;
}

// Undo a past-tense contraction: 렸 → 리, 봤 → 보, 줬 → 주, 됐 → 되, 했 → 하,
// 갔 → 가, 냈 → 내. False for syllables that are not a stem+었 contraction:
// the separate markers 었/았/였 (their own entries), 겠 (future), 있.
bool undo_past(char16_t syllable, char16_t& out) {
    using namespace hangul;
    const int initial = initial_of(syllable);
    const int vowel = vowel_of(syllable);
    if (initial == kInitialIeung && (vowel == kEo || vowel == kA || vowel == kYeo)) return false;
    if (initial == kInitialGiyeok && vowel == kE) return false;
    if (syllable == u'놨') {  // 놓+았: the ㅎ of 놓 drops in the contraction
        out = u'놓';
        return true;
    }
    int stem_vowel = 0;
    switch (vowel) {
    case kYeo: stem_vowel = kI; break;   // 리+었 = 렸
    case kWa: stem_vowel = kO; break;    // 보+았 = 봤
    case kWo: stem_vowel = kU; break;    // 주+었 = 줬
    case kWae: stem_vowel = kOe; break;  // 되+었 = 됐
    case kAe: stem_vowel = initial == kInitialHieut ? kA : kAe; break;  // 하+였 = 했, 내+었 = 냈
    case kA:
    case kEo:
    case kE:
    case kYae:
    case kYe: stem_vowel = vowel; break;  // 가+았 = 갔, 서+었 = 섰
    default: return false;
    }
    out = compose(initial, stem_vowel, kNoFinal);
    return true;
}

bool all_syllables(std::u16string_view word) {
    return std::all_of(word.begin(), word.end(), [](char16_t c) { return hangul::is_syllable(c); });
}

}  // namespace

std::uint64_t KoreanStemmer::pack(std::u16string_view syllables) {
    std::uint64_t key = 0;
    for (const char16_t c : syllables) key = (key << 16) | c;
    return key;
}

KoreanStemmer::KoreanStemmer() {
    KoreanLists lists = make_korean_lists();
    endings_ = std::move(lists.endings);
    trie_.emplace_back();  // the root
    for (std::size_t i = 0; i < endings_.size(); ++i) {
        const Ending& e = endings_[i];
        std::uint32_t node = 0;
        for (auto c = e.syllables.rbegin(); c != e.syllables.rend(); ++c) {
            auto& children = trie_[node].children;
            auto found = std::find_if(children.begin(), children.end(), [&](const auto& p) { return p.first == *c; });
            if (found == children.end()) {
                const auto child = static_cast<std::uint32_t>(trie_.size());
                children.emplace_back(*c, child);
                trie_.emplace_back();  // invalidates `children`: not used again
                node = child;
            } else {
                node = found->second;
            }
        }
        trie_[node].endings.push_back(static_cast<std::uint16_t>(i));
        max_suffix_ = std::max(max_suffix_, e.syllables.size());
        if ((e.kind == EndingKind::particle || e.kind == EndingKind::copula) && e.final == 0)
            orphans_.insert(e.syllables);
    }
    if (max_suffix_ >= 16) throw std::logic_error("Korean endings have at most 15 syllables");
    root_children_.assign(hangul::kLastSyllable - hangul::kFirstSyllable + 1, 0);
    for (const auto& [syllable, child] : trie_[0].children) root_children_[syllable - hangul::kFirstSyllable] = child;
    for (Node& node : trie_) {
        std::sort(node.children.begin(), node.children.end());
        // Longest match first: within one suffix, an ending that also consumes the
        // stem's final consonant (ㅆ습니다 in 열렸습니다) is longer than the plain one.
        std::stable_partition(node.endings.begin(), node.endings.end(),
                              [this](std::uint16_t i) { return endings_[i].final != 0; });
    }
    for (auto noun : lists.whole_nouns) {
        if (noun.size() > 4) throw std::logic_error("Korean noun list entries have at most 4 syllables");
        whole_nouns_.insert(pack(noun));
        noun_last_syllable_.set(noun.back() - hangul::kFirstSyllable);
    }
    for (auto noun : lists.tail_nouns) {
        if (noun.size() > 4) throw std::logic_error("Korean noun list entries have at most 4 syllables");
        tail_nouns_.insert(pack(noun));
        noun_last_syllable_.set(noun.back() - hangul::kFirstSyllable);
        max_tail_ = std::max(max_tail_, noun.size());
    }
    for (auto s : lists.one_syllable_nouns) one_syllable_nouns_.insert(s.front());
    never_orphan_after_number_.insert(lists.never_orphan_after_number.begin(),
                                      lists.never_orphan_after_number.end());
}

const KoreanStemmer& KoreanStemmer::instance() {
    static const KoreanStemmer stemmer;  // immutable after construction
    return stemmer;
}

bool KoreanStemmer::stem_length_ok(const Ending& e, std::u16string_view stem, bool after_number) const {
    if (stem.size() >= e.min_stem) return true;
    if (stem.size() != 1) return false;
    switch (e.kind) {
    case EndingKind::particle:
        // 25일부터 → 일, 2명이 → 명: after a number, one syllable is a counter.
        return after_number || one_syllable_nouns_.count(stem.front()) != 0;
    case EndingKind::copula:
        // Not the one-syllable nouns: 개인, 살인, 발인 are words, not 개/살/발+인.
        return after_number;
    default:
        // Not after light verbs either: 피해, 비해, 강한, 달하는 are 피하다,
        // 비하다, 강하다, 달하다, whose roots collide with 피, 비, 강, 달.
        return false;
    }
}

// True if the ending's first j syllables complete a listed noun: the word
// prefix stem+j is a whole noun (경기도|, 대만|이), or ends with a compound head
// longer than j (보안전문가|, 여름휴가|).
bool KoreanStemmer::blocked_by_exception(std::u16string_view word, std::size_t stem_syllables,
                                         std::size_t ending_syllables) const {
    for (std::size_t j = 1; j <= ending_syllables; ++j) {
        const std::u16string_view prefix = word.substr(0, stem_syllables + j);
        if (!noun_last_syllable_.test(prefix.back() - hangul::kFirstSyllable)) continue;
        if (prefix.size() <= 4 && whole_nouns_.count(pack(prefix)) != 0) return true;
        for (std::size_t len = j + 1; len <= max_tail_ && len <= prefix.size(); ++len) {
            if (tail_nouns_.count(pack(prefix.substr(prefix.size() - len))) != 0) return true;
        }
    }
    return false;
}

bool KoreanStemmer::stem(std::u16string_view word, bool after_number, StemResult& out) const {
    const std::size_t n = word.size();
    if (n < 2 || !all_syllables(word)) return false;
    // Walk the trie from the word's last syllable; path[k] is the node of the
    // k-syllable suffix. The stem keeps at least one syllable.
    std::array<std::uint32_t, 16> path{};
    std::size_t depth = 0;
    std::uint32_t node = root_children_[word[n - 1] - hangul::kFirstSyllable];
    if (node == 0) return false;  // no ending ends in this syllable: most nouns
    path[++depth] = node;
    while (depth + 1 < n && depth + 1 < path.size()) {
        const auto& children = trie_[node].children;
        const char16_t c = word[n - depth - 1];
        const auto found = std::lower_bound(children.begin(), children.end(), c,
                                            [](const auto& p, char16_t x) { return p.first < x; });
        if (found == children.end() || found->first != c) break;
        node = found->second;
        path[++depth] = node;
    }
    for (std::size_t k = depth; k >= 1; --k) {
        const Node& at = trie_[path[k]];
        if (at.endings.empty()) continue;
        const std::size_t s = n - k;  // syllables before the ending's syllables
        const char16_t last = word[s - 1];
        for (const std::uint16_t index : at.endings) {
            const Ending& e = endings_[index];
            std::uint32_t source = static_cast<std::uint32_t>(s);
            switch (e.transform) {
            case Transform::none:
                if (!follows_ok(e.follows, last)) continue;
                if (e.not_after_copula_i && last == u'이' && s >= 2 && hangul::has_final(word[s - 2])) continue;
                // 으 is the linking vowel of the consonant forms: 것으로 is 것+으로,
                // 있으며 is 있+으며, never 것으+로 or 있으+며.
                if (last == u'으' && (e.follows == Follows::vowel || e.follows == Follows::vowel_or_rieul)) continue;
                out.text.assign(word.substr(0, s));
                break;
            case Transform::drop_final:
                // 습니다/는다 are endings of their own, not 스+ㅂ니다 / 느+ㄴ다.
                if (hangul::final_of(last) != e.final || last == u'습' || last == u'는') continue;
                // 것입니다 is 것+입니다; 보입니다 is 보이+ㅂ니다.
                if (last == u'입' && (s < 2 || hangul::has_final(word[s - 2]))) continue;
                out.text.assign(word.substr(0, s - 1));
                out.text.push_back(hangul::without_final(last));
                break;
            case Transform::past: {
                char16_t undone = 0;
                if (hangul::final_of(last) != e.final || !undo_past(last, undone)) continue;
                out.text.assign(word.substr(0, s - 1));
                out.text.push_back(undone);
                break;
            }
            case Transform::yeot:
                out.text.assign(word.substr(0, s));
                if (hangul::has_final(last)) {  // 높였다 = 높이+었다; the 이 comes from 였
                    out.text.push_back(u'이');
                    source += 1;
                }
                break;
            }
            if (!stem_length_ok(e, out.text, after_number)) continue;
            if (blocked_by_exception(word, s, k)) continue;
            out.source_syllables = source;
            if (e.noun_tail && e.transform == Transform::none) {
                out.bigram_base.assign(word.substr(0, s + 1));
            } else {
                out.bigram_base = out.text;
            }
            out.bigram_syllables = static_cast<std::uint32_t>(out.bigram_base.size());
            return true;
        }
    }
    return false;
}

bool KoreanStemmer::is_orphan_particle(std::u16string_view piece, bool after_number) const {
    if (after_number && never_orphan_after_number_.count(piece) != 0) return false;
    return orphans_.count(piece) != 0;
}

}  // namespace sosik::detail
