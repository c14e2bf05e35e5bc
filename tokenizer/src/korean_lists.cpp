// The Korean word lists of the light stemmer, with the reason for each guard.
//
// The stem layer is indexed *beside* the surface word, never instead of it, so
// a missed stem costs recall while a wrong stem costs precision only when it
// collides with another real word (정치가 → 정치, 경기도 → 경기). Junk stems that
// collide with nothing (우크라이나 → 우크라이) are harmless: query and document
// produce the same junk. The lists below are therefore short and aimed at
// collisions, not at completeness.
//
// Notation: a leading compatibility jamo (ㄴ ㅂ ㅆ) in an ending stands for the
// final consonant of the stem's last syllable: "ㅂ니다" matches 열립니다 and
// gives 열리, "ㅆ다" matches 열렸다 and gives 열리 (past contraction undone).
#include "korean_stemmer.h"

#include <initializer_list>
#include <set>
#include <tuple>
#include <utility>

namespace sosik::detail {
namespace {

using List = std::initializer_list<std::u16string_view>;

class Builder {
public:
    std::vector<Ending> endings;

    void add(std::u16string_view text, Follows follows, EndingKind kind, std::uint8_t min_stem,
             bool noun_tail = false, Transform transform = Transform::none, bool not_after_copula_i = false) {
        if (text.empty()) return;
        Ending e;
        e.not_after_copula_i = not_after_copula_i;
        e.follows = follows;
        e.kind = kind;
        e.min_stem = min_stem;
        e.noun_tail = noun_tail;
        e.transform = transform;
        switch (text.front()) {  // leading jamo: a final consonant of the stem
        case u'ㄴ': e.final = 4; break;
        case u'ㅂ': e.final = 17; break;
        case u'ㅆ': e.final = 20; break;
        default: break;
        }
        if (e.final != 0) {
            text.remove_prefix(1);
            if (e.transform == Transform::none) e.transform = Transform::drop_final;
        }
        e.syllables = std::u16string(text);
        auto key = std::make_tuple(e.syllables, e.final, e.follows, e.transform);
        if (!seen_.insert(key).second) return;  // first definition wins
        endings.push_back(std::move(e));
    }
    void any(List texts, EndingKind kind, std::uint8_t min_stem, bool noun_tail = false) {
        for (auto t : texts) add(t, Follows::any, kind, min_stem, noun_tail);
    }
    // Consonant form / vowel form of one particle: 이/가, 을/를, 이나/나 …
    void pair(std::u16string_view after_consonant, std::u16string_view after_vowel, EndingKind kind,
              std::uint8_t min_stem, bool noun_tail = false) {
        add(after_consonant, Follows::consonant, kind, min_stem, noun_tail);
        add(after_vowel, Follows::vowel, kind, min_stem, noun_tail);
    }
    // Forms built on the copula 이: 이라고 after a consonant, 라고 after a vowel.
    void copula_pair(std::u16string_view after_consonant, std::u16string_view after_vowel,
                     std::uint8_t min_stem, std::uint8_t min_stem_after_consonant = 0) {
        add(after_consonant, Follows::consonant, EndingKind::copula,
            min_stem_after_consonant != 0 ? min_stem_after_consonant : min_stem);
        add(after_vowel, Follows::vowel, EndingKind::copula, min_stem, false, Transform::none, true);
    }
    // 으로/로: 로 also follows ㄹ (서울로), 으로 never does (서울으로 is wrong).
    // 로 ends nouns (도로, 프로, 피로), 으로 never: their minimum stems differ.
    void ro(std::u16string_view euro, std::u16string_view ro, std::uint8_t min_euro, std::uint8_t min_ro) {
        add(euro, Follows::consonant_not_rieul, EndingKind::particle, min_euro);
        add(ro, Follows::vowel_or_rieul, EndingKind::particle, min_ro);
    }

private:
    std::set<std::tuple<std::u16string, int, Follows, Transform>> seen_;
};

// Tense/mood tails that follow the past marker 었/았/였/ㅆ: 열렸다, 먹었으며 …
// and the questions of written style (선출되었는가, 재직하였나, 수상했을까).
constexpr List kPastTails = {u"다", u"습니다", u"습니까", u"고", u"으며", u"으나", u"으니", u"지만",
                             u"던", u"는데", u"는지", u"다고", u"다는", u"다며", u"다면", u"다가",
                             u"을", u"음", u"으면", u"으므로", u"어요", u"나요", u"나", u"는가",
                             u"는가요", u"을까", u"을까요"};

void add_particles(Builder& b) {
    using K = EndingKind;
    // Minimum stem: a one-syllable particle must leave two syllables (아이가 →
    // 아이, but 나이 ≠ 나+이, 하는 ≠ 하+는): one-syllable stems are mostly verb
    // roots or ambiguous. Longer case particles (에서, 까지, 부터 …) rarely end
    // nouns, so their stem may be one syllable (집에서 → 집, 그에게 → 그).
    // One-syllable stems of the min-2 entries are still allowed for the
    // one-syllable nouns listed at the end of this file (힘을 → 힘).
    b.pair(u"이", u"가", K::particle, 2, /*noun_tail=*/true);  // 고양이, 휴가: may end a noun
    b.pair(u"은", u"는", K::particle, 2);
    b.pair(u"을", u"를", K::particle, 2);
    b.pair(u"과", u"", K::particle, 2, true);  // 결과, 성과 end in 과
    b.pair(u"", u"와", K::particle, 2);
    // 결과는 is 결과+는, not 결+과는: 과 combinations keep two syllables too.
    b.pair(u"과의", u"와의", K::particle, 2);
    b.pair(u"과는", u"와는", K::particle, 2);
    b.pair(u"과도", u"와도", K::particle, 2);
    b.pair(u"과만", u"와만", K::particle, 2);
    // 으로 never ends a noun: 앞으로 → 앞, 빛으로 → 빛.
    b.ro(u"으로", u"로", 1, 2);
    for (auto [euro, ro] : {std::pair{u"으로서", u"로서"}, {u"으로써", u"로써"}, {u"으로부터", u"로부터"},
                            {u"으로부터의", u"로부터의"}, {u"으로는", u"로는"}, {u"으로도", u"로도"},
                            {u"으로만", u"로만"}, {u"으로의", u"로의"}, {u"으로서는", u"로서는"},
                            {u"으로까지", u"로까지"}}) {
        b.ro(euro, ro, 1, 2);
    }
    // Conjunctive/quotative forms built on the copula: their one-syllable
    // residues are usually verbs or Sino-Korean roots (가라고, 하며, 소란, 피란),
    // so the stem keeps two syllables, one only after a number. The consonant
    // forms 이란, 이라고 … are whole syllables no noun ends in, so after a
    // final consonant one syllable may stay: 펌이란 → 펌, 칸이라는 → 칸 (dev:
    // MRR@10 +0.0008 with 으로 below, every changed question a "X이란").
    b.copula_pair(u"이나", u"나", 2);
    b.copula_pair(u"이며", u"며", 2);
    b.copula_pair(u"이랑", u"랑", 2);
    b.copula_pair(u"이든", u"든", 2);
    b.copula_pair(u"이든지", u"든지", 2, 1);
    b.copula_pair(u"이라도", u"라도", 2, 1);
    b.copula_pair(u"이란", u"란", 2, 1);
    b.copula_pair(u"이라는", u"라는", 2, 1);  // 나라는 → 나라 (not 나+라는)
    b.copula_pair(u"이라고", u"라고", 2, 1);
    b.copula_pair(u"이라며", u"라며", 2, 1);
    b.copula_pair(u"이라면", u"라면", 2, 1);
    b.copula_pair(u"이라서", u"라서", 2, 1);
    b.pair(u"이야말로", u"야말로", K::particle, 1);
    b.any({u"의", u"도", u"만"}, K::particle, 2, /*noun_tail=*/true);  // 회의, 제도, 비만
    b.any({u"에"}, K::particle, 2);
    b.any({u"에서", u"에게", u"께서", u"한테", u"에게서", u"한테서", u"까지", u"부터", u"보다",
           u"처럼", u"마저", u"조차", u"마다", u"밖에", u"뿐", u"뿐만", u"끼리", u"에는", u"에도",
           u"에만", u"에의", u"에서는", u"에서도", u"에서만", u"에서의", u"에서부터", u"에서까지",
           u"에게는", u"에게도", u"에게만", u"에게서는", u"에게로", u"께서는", u"께서도", u"한테는",
           u"한테도", u"까지는", u"까지도", u"까지만", u"까지의", u"부터는", u"부터도", u"부터의",
           u"보다는", u"보다도", u"에까지", u"처럼은", u"처럼도",
           // spoken contractions news writes as often as the full forms:
           // 에선 = 에서는 (업계에선), 에겐 = 에게는, 께선 = 께서는, 한텐 = 한테는
           u"에선", u"에겐", u"께선", u"한텐"},
          K::particle, 1);
    // 엔 = 에는 (현장엔, 오늘엔); a two-syllable word keeps it (유엔 is the UN).
    b.any({u"엔"}, K::particle, 2);
    // 만/대로/같이/만큼 combinations: 대만이 is 대만+이, 그대로/그만큼 are adverbs.
    b.any({u"만이", u"만을", u"만은", u"만의", u"만으로", u"만으로도", u"만큼", u"만큼은", u"만큼의",
           u"만큼이나", u"대로", u"같이"},
          K::particle, 2);
}

void add_copula(Builder& b) {
    using K = EndingKind;
    // After a noun: 예정입니다, 자리였습니다, 학생이었다, 대표인 …
    b.pair(u"이다", u"", K::copula, 2);  // bare 다 after a vowel is too often a noun end (바다, 캐나다)
    b.pair(u"이고", u"", K::copula, 2);  // bare 고 after a vowel: 사고, 광고, 과학고
    b.pair(u"이지만", u"", K::copula, 2);
    b.copula_pair(u"이었다", u"였다", 2);
    b.copula_pair(u"이었습니다", u"였습니다", 2);
    b.copula_pair(u"이었던", u"였던", 2);
    b.copula_pair(u"이었고", u"였고", 2);
    b.copula_pair(u"이었으며", u"였으며", 2);
    b.copula_pair(u"이었지만", u"였지만", 2);
    b.copula_pair(u"이었으나", u"였으나", 2);
    b.copula_pair(u"이었는데", u"였는데", 2);
    b.copula_pair(u"이었다고", u"였다고", 2);
    b.copula_pair(u"이었다는", u"였다는", 2);
    b.copula_pair(u"이었나요", u"였나요", 2);
    b.copula_pair(u"이었나", u"였나", 2);
    b.copula_pair(u"이었는가", u"였는가", 2);
    b.copula_pair(u"이었을까", u"였을까", 2);
    b.copula_pair(u"이에요", u"예요", 2);
    // 인 (adnominal copula) may end a noun: 원인, 요인, 승인 — keep it for bigrams.
    b.add(u"인", Follows::any, K::copula, 2, /*noun_tail=*/true);
    b.any({u"입니다", u"입니까", u"인데", u"인데요", u"인지", u"인가", u"인가요", u"일까", u"일까요"},
          K::copula, 2);
}

void add_derivation(Builder& b) {
    // 적 (-ic) with the copula or a particle: 혁신적인 → 혁신, 효과적으로 → 효과.
    // Mecab-based analyzers (nori) drop 적 as a suffix too. 목적, 실적, 흔적 end
    // in 적: two-syllable minimum, and the syllable stays in the bigram base.
    b.any({u"적", u"적인", u"적으로", u"적이다", u"적입니다", u"적이며", u"적이고", u"적이지만",
           u"적이었다", u"적인가", u"적인지", u"적이라는", u"적이라고", u"적으로는", u"적으로도",
           u"적으로서", u"적이", u"적은", u"적을", u"적의", u"적에", u"적과", u"적이나", u"적일"},
          EndingKind::derivation, 2, /*noun_tail=*/true);
}

void add_plural(Builder& b) {
    // 들 plural, alone or with any particle that may follow a final ㄹ, stripped
    // as one ending (시민들에게 → 시민). Two syllables stay: 아들은 is 아들+은.
    b.add(u"들", Follows::any, EndingKind::plural, 2);
    std::vector<Ending> base = b.endings;
    for (const Ending& e : base) {
        if (e.kind != EndingKind::particle && e.kind != EndingKind::copula) continue;
        if (e.follows == Follows::vowel || e.follows == Follows::consonant_not_rieul) continue;
        b.add(u"들" + e.syllables, Follows::any, EndingKind::plural, 2);
    }
}

void add_light_verbs(Builder& b) {
    using K = EndingKind;
    // Noun + 하다/되다/시키다/받다 and friends: 체결했습니다, 기대됩니다, 증진시키고,
    // 주목받고. The noun must keep two syllables (위해, 통해, 대한 are function
    // words, not 위/통/대 + 하다). 한/할/해/함 also end nouns (제한, 역할,
    // 피해, 군함): they stay in the bigram base.
    b.any({u"한", u"할", u"해", u"함"}, K::light_verb, 2, /*noun_tail=*/true);
    b.any({u"하다", u"한다", u"합니다", u"했다", u"했습니다", u"하였다", u"하였습니다", u"하는", u"하고",
           u"하며", u"하면서", u"하여", u"해서", u"해야", u"해도", u"했고", u"했으며", u"했으나",
           u"했지만", u"했던", u"했는데", u"했는지", u"했다고", u"했다는", u"했다며", u"했다면", u"했을",
           u"했음", u"했어요", u"했나요", u"하던", u"하면", u"하기", u"하기로", u"하기도", u"하기에",
           u"하기는", u"하기를", u"하게", u"하도록", u"하려고", u"하려는", u"하려면", u"하자", u"하지",
           u"하지만", u"하지는", u"하지도", u"하는데", u"하는지", u"한다고", u"한다는", u"한다며",
           u"한다면", u"할까", u"할지", u"할수록", u"하니", u"하므로", u"하나요", u"합니까", u"하세요",
           u"해요", u"하겠다", u"하겠습니다", u"했었다", u"해왔다", u"해온", u"하였고", u"하였으며",
           u"하였던", u"하여야", u"하셨다", u"하신", u"하시는", u"하십니다", u"하라", u"하라고",
           u"하라는", u"한지", u"함으로써", u"함에", u"함을", u"함은", u"함이", u"하다가",
           // questions: 필요한가요, 작동하는가, 가능할까요, 발표했습니까
           u"한가", u"한가요", u"하는가", u"하는가요", u"했는가", u"할까요", u"했습니까",
           // exam instructions: 설명하시오, 서술하십시오
           u"하시오", u"하십시오"},
          K::light_verb, 2);
    b.any({u"되다", u"된다", u"됩니다", u"됐다", u"되었다", u"되었습니다", u"됐습니다", u"되는", u"된",
           u"될", u"됨", u"되고", u"되며", u"되면", u"되면서", u"되어", u"되어야", u"되어서", u"돼",
           u"돼서", u"돼야", u"되자", u"되지", u"되지만", u"되기", u"되기도", u"되기로", u"되도록",
           u"되던", u"됐던", u"되었던", u"됐고", u"되었고", u"됐으며", u"되었으며", u"됐지만",
           u"되었지만", u"됐는데", u"된다고", u"된다는", u"된다며", u"됐다고", u"됐다는", u"됐다며",
           u"되었다고", u"되었다는", u"되나요", u"됐나요", u"되었나요", u"됩니까", u"되는데", u"될까",
           u"될까요", u"되는가", u"됐는가", u"되었습니까",
           u"될지", u"되니", u"되므로", u"되겠다", u"되어온", u"되어왔다", u"돼왔다", u"된지", u"되는지",
           u"됐는지", u"되었는지", u"되어도", u"돼도"},
          K::light_verb, 2);
    // Past forms of the light verbs with every tense/mood tail (했다가, 됐으나 …).
    for (auto t : kPastTails) {
        for (auto past : {u"했", u"하였", u"됐", u"되었", u"시켰", u"받았"}) {
            b.add(past + std::u16string(t), Follows::any, K::light_verb, 2);
        }
    }
    b.any({u"시키다", u"시킨다", u"시킵니다", u"시켰다", u"시켰습니다", u"시키는", u"시킨", u"시킬",
           u"시킴", u"시키고", u"시키며", u"시키면", u"시키면서", u"시켜", u"시켜서", u"시켜야",
           u"시키기", u"시키기로", u"시키려", u"시키려는", u"시키지", u"시켰고", u"시켰으며", u"시켰던",
           u"시켰지만", u"시키도록", u"시켜온", u"시켰다고", u"시켰다는", u"시킨다는", u"시킨다고"},
          K::light_verb, 2);
    // Passive 받다 (주목받고, 신뢰받는), 있다/없다 (재미있는, 관계없이), 스럽다 (자연스러운).
    b.any({u"받다", u"받는다", u"받습니다", u"받았다", u"받았습니다", u"받는", u"받은", u"받을", u"받고",
           u"받아", u"받아서", u"받아야", u"받으며", u"받으면", u"받지", u"받게", u"받기", u"받기도",
           u"받았고", u"받았으며", u"받았던", u"받았지만", u"받았다고", u"받았다는", u"받는다는",
           u"받도록", u"받음"},
          K::light_verb, 2);
    b.any({u"있다", u"있는", u"있고", u"있어", u"있게", u"있을", u"있습니다", u"있었다", u"있었던",
           u"있으며", u"있지만", u"있는데", u"있음", u"없다", u"없는", u"없고", u"없어", u"없게",
           u"없을", u"없이", u"없습니다", u"없었다", u"없었던", u"없으며", u"없지만", u"없는데", u"없음"},
          K::light_verb, 2);
    b.any({u"스럽다", u"스러운", u"스럽게", u"스러워", u"스러웠다", u"스러움", u"스럽지", u"스럽고",
           u"스러웠던"},
          K::light_verb, 2);
}

void add_verb_endings(Builder& b) {
    using K = EndingKind;
    // Verb stems (열렸다/열립니다/열린다/열리는/열리며 → 열리) close part of the
    // gap to dictionary analyzers on headline↔article matches. Only endings that
    // cannot end a noun are used: the past marker ㅆ (almost no noun has a final
    // ㅆ), ㅂ니다, ㄴ다, 습니다, 는다. Not 고 (사고, 광고, 과학고), not the
    // adnominal ㄴ/ㄹ (시민, 사진 would become 시미, 사지). Verb stems of one
    // syllable (가, 보, 하) are ambiguous: two syllables at least, no exceptions.
    for (auto t : kPastTails) {
        b.add(u"ㅆ" + std::u16string(t), Follows::any, K::verb, 2, false, Transform::past);
        // 것이었다 is 것+이었다, not 것이+었다
        b.add(u"었" + std::u16string(t), Follows::any, K::verb, 2, false, Transform::none, true);
        b.add(u"았" + std::u16string(t), Follows::any, K::verb, 2, false, Transform::none, true);
        b.add(u"였" + std::u16string(t), Follows::any, K::verb, 2, false, Transform::yeot);
    }
    b.any({u"ㅂ니다", u"ㅂ니까", u"ㄴ다", u"ㄴ다고", u"ㄴ다는", u"ㄴ다며", u"ㄴ다면"}, K::verb, 2);
    for (auto t : {u"습니다", u"습니까", u"는다", u"는다고", u"는다는", u"는다며", u"는다면", u"는",
                   u"으며"}) {
        // After a final consonant only (the vowel forms are the particles 는/며).
        b.add(t, Follows::consonant, K::verb, 2);
    }
    b.any({u"겠다", u"겠습니다", u"겠고", u"겠지만", u"나요", u"는지", u"도록"}, K::verb, 2);
}

}  // namespace

KoreanLists make_korean_lists() {
    Builder b;
    // Order matters only among entries for the same suffix: earlier wins.
    add_particles(b);
    add_copula(b);
    add_derivation(b);
    add_plural(b);
    add_light_verbs(b);
    add_verb_endings(b);

    KoreanLists lists;
    lists.endings = std::move(b.endings);

    // Whole words that look like noun+particle but are one noun (or a name),
    // where the false stem collides with a frequent word. Several are also
    // caught by the batchim rule or the two-syllable minimum (국가, 아이, 나이,
    // 사이, 오이, 이야기); they stay listed as documentation of intent.
    lists.whole_nouns = {
        // provinces and islands in 도: 경기도 ≠ 경기 (game, economy), 강화도 ≠ 강화
        u"경기도", u"제주도", u"독도", u"강화도", u"안면도", u"경상도", u"전라도", u"평안도",
        u"여의도",
        // names that news repeats: 김정은 ≠ 김정+은, 이승만 ≠ 이승+만
        u"김정은", u"문재인", u"이승만", u"바이든",
        // doctors in 의 (醫): 전공의 (resident) ≠ 전공 (major)
        u"전공의", u"전문의",
        // adverbs in 대로 whose 로-stripped residue is another word: 제대 (discharge), 그대 (you)
        u"제대로", u"그대로", u"이대로",
        // two-syllable words whose first syllable is an allowed one-syllable noun:
        // 불만 ≠ 불+만, 피로 ≠ 피+로, 길이 (length) ≠ 길+이, 강도 ≠ 강+도 …
        u"불만", u"불과", u"피로", u"길이", u"강도", u"간이", u"팔도", u"차도", u"산도", u"약도", u"열도",
        // 대만 (Taiwan) ≠ 대+만, 미만 ≠ 미+만, 비만 ≠ 비+만, 아들 ≠ 아+들
        u"대만", u"미만", u"비만", u"아들",
        // words ending in a particle look-alike whose false stem is a real word
        u"지난해", u"하지만", u"구축함", u"잠수함", u"천안함", u"차이나", u"마리나",
        // from the design notes
        u"아이", u"나이", u"사이", u"오이", u"이야기", u"소나기", u"국가", u"작가", u"평가",
        u"전문가", u"휴가", u"정치가", u"고양이", u"어린이", u"이", u"가",
    };
    // Heads of compounds: also protected at the end of a longer word
    // (보안전문가, 여름휴가, 아기고양이, 물놀이). Not 회의 (위원회의 is
    // 위원회+의) nor 도로 (경기도로 is 경기도+로).
    lists.tail_nouns = {u"전문가", u"정치가", u"휴가", u"작가", u"평가", u"국가",
                        u"고양이", u"어린이", u"놀이", u"떡볶이"};
    // One-syllable nouns frequent enough in news and health text that 집에서,
    // 암이, 힘을 should find 집, 암, 힘. Left out on purpose: syllables that
    // are mostly grammatical or ambiguous with a particle split (것, 수, 때,
    // 시, 도, 주, 해, 새, 별, 신, 구, 군, 장, 등 …), and 입/낮, which
    // read 입은/낮은 (wore, low) as 입+은/낮+은.
    lists.one_syllable_nouns = {
        u"간", u"폐", u"뇌", u"뼈", u"피", u"눈", u"코", u"목", u"손", u"발", u"팔", u"배",
        u"살", u"혀", u"턱", u"땀", u"암", u"병", u"약", u"독", u"털", u"몸", u"물", u"불", u"땅",
        u"산", u"강", u"섬", u"숲", u"꽃", u"풀", u"돌", u"흙", u"빛", u"달", u"비", u"봄", u"밤",
        u"날", u"열", u"개", u"소", u"말", u"닭", u"쥐", u"뱀", u"곰", u"벌", u"쌀", u"밥", u"빵",
        u"떡", u"술", u"차", u"콩", u"잎", u"씨", u"알", u"금", u"돈", u"집", u"방", u"문", u"길",
        u"표", u"법", u"값", u"빚", u"일", u"꿈", u"힘", u"맛", u"잠", u"삶", u"글", u"책", u"옷",
        u"왕", u"답", u"뜻", u"팀", u"앱", u"웹", u"맘",
    };
    // After a number these are units or counters, not particles: 30도 (degrees),
    // 5만 (50,000), 종로3가 (block), 제3과 (lesson), 3인 (persons).
    lists.never_orphan_after_number = {u"도", u"만", u"가", u"과", u"인", u"나", u"며",
                                       u"만이", u"만을", u"만은", u"만의", u"만으로", u"만큼"};
    return lists;
}

const QueryVariantLists& query_variant_lists() {
    static const QueryVariantLists lists{
        // The case particles of add_particles that news attaches to a
        // one-syllable noun (굴의, 굴에서, 굴처럼 …), in both forms where the
        // final sound decides (굴이 / 차가).
        {"의", "에", "에서", "에게", "도", "만", "까지", "부터", "보다", "처럼"},
        {"이", "은", "을", "과", "이나", "이란", "이라는"},
        {"가", "는", "를", "와", "나", "란", "라는"},
        // States, ministries, offices, parties and administrative areas; 원 대
        // 소 장 관 회 주 are left out (에너지원, 시간대, 동물원 are no place names).
        "시도군구읍면동국부청당",
        "의을를와과",
        "서선",
    };
    return lists;
}

}  // namespace sosik::detail
