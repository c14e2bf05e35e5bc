#include "query_builder.h"

#include "initials_query.h"

#include <sosik/hangul.h>

#include <sosik/error.h>
#include <sosik/index_terms.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <span>

namespace sosik {

namespace {

using schema::Field;


void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// The analyzer's view of one typed word or phrase: per word position, the
// forms to search (the stem when the word has one, else the surface) and the
// forms to highlight (both); joined forms; bigrams in order.
struct AnalyzedText {
    struct Slot {
        std::string surface;
        std::string stem;
        const std::string& searched() const { return stem.empty() ? surface : stem; }
    };
    std::map<std::uint32_t, Slot> forms_at;
    std::vector<std::string> joined;
    std::vector<std::string> bigrams;
};

AnalyzedText analyze_text(const Analyzer& analyzer, const std::string& text) {
    AnalyzedText out;
    for (const Token& token : analyzer.analyze(text)) {
        switch (token.layer) {
        case Layer::surface:
            out.forms_at[token.position].surface = token.text;
            break;
        case Layer::stem:
            out.forms_at[token.position].stem = token.text;
            break;
        case Layer::joined:
            add_unique(out.joined, token.text);
            break;
        case Layer::bigram:
            out.bigrams.push_back(token.text);
            break;
        }
    }
    return out;
}

constexpr std::size_t kSyllableBytes = 3;  // every Hangul syllable in UTF-8

// A word typed with a particle or ending (서울시가) also scores its exact form
// as a term of its own, at this weight: inside the word's synonym the exact
// form only adds wdf, while on its own it adds its (higher) IDF, so articles
// that use the word the way the question does rise. Dev MRR@10 by weight:
// 0 → 0.8548, 0.03 → 0.8565, 0.06 → 0.8574, 0.1 → 0.8575, 0.15 → 0.8581,
// 0.2 → 0.8576, 0.3 → 0.8560; for uninflected words too (×0.1) → 0.8569.
constexpr double kExactFormWeight = 0.15;
// A word that frames a question (의미, 정의, 용어 …) among topic words: the
// answer defines the topic without naming the frame. Measured on dev (MRR@10,
// 0.8581 before): ×0.7 0.8590, ×0.5 0.8595, ×0.4 0.8593; with 종류 이유 목적
// 방법 listed too, ×0.5 0.8595 and ×0.1 (as good as dropped) 0.8588.
constexpr double kFramingWordWeight = 0.5;

std::string term(Field field, Layer layer, const std::string& text) {
    return std::string(schema::text_prefix(field, layer)) + text;
}

// Every indexed term a word can appear as: its forms as whole words, or as
// the stem of a particle-bearing word (서울시 finds 서울시가 through Z서울시).
// A glued ASCII word also matches inside a longer token through the runs the
// index holds of it (lx300usb in lx300usb.gb: schema::ascii_pieces).
// Members of one OP_SYNONYM add their wdf, so an article with the exact form
// typed (서울시가: both 서울시가 and Z서울시) outranks one with only the stem.
// (Measured on the dev set: dropping the rare Z<surface> term costs 0.001 MRR@10.)
std::vector<Xapian::Query> form_terms(Field field, const AnalyzedText::Slot& slot) {
    std::vector<Xapian::Query> terms{Xapian::Query(term(field, Layer::surface, slot.surface)),
                                     Xapian::Query(term(field, Layer::stem, slot.surface))};
    if (!slot.stem.empty()) {
        terms.emplace_back(term(field, Layer::surface, slot.stem));
        terms.emplace_back(term(field, Layer::stem, slot.stem));
    }
    if (const auto pieces = schema::ascii_pieces(slot.surface); pieces.size() >= 2) {
        std::vector<Xapian::Query> runs;
        for (const std::string_view piece : pieces) runs.emplace_back(term(field, Layer::surface, std::string(piece)));
        terms.emplace_back(Xapian::Query::OP_AND, runs.begin(), runs.end());
    }
    return terms;
}

void add_highlight_forms(MatchTarget& target, const AnalyzedText::Slot& slot) {
    if (!slot.surface.empty()) add_unique(target.forms, slot.surface);
    if (!slot.stem.empty()) add_unique(target.forms, slot.stem);
}

// The bigrams a word is looked for by inside compounds: its stem's when the
// stem has three syllables or more. The analyzer keeps a one-syllable particle
// that also ends nouns (이/가/의 …) in a word's bigrams (기관지의 → 기관 관지 지의)
// so that 회의 stays findable inside 국제회의; a query word inside compounds is
// its stem (기관지), with any particle or none. (Measured on dev: MRR@10 0.8521
// → 0.8522, R@100 0.9690 → 0.9692; with two-syllable stems too, 0.8516.)
std::vector<std::string> compound_bigrams(const AnalyzedText& text) {
    const std::string& stem = text.forms_at.begin()->second.stem;
    if (stem.size() < 3 * kSyllableBytes || hangul::initials_of(stem).size() != stem.size()) return text.bigrams;
    std::vector<std::string> bigrams;
    for (std::size_t at = 0; at + 2 * kSyllableBytes <= stem.size(); at += kSyllableBytes)
        bigrams.push_back(stem.substr(at, 2 * kSyllableBytes));
    return bigrams;
}

// True if `word` is Hangul syllables only and its last syllable is one of `syllables`.
bool ends_in_one_of(std::string_view word, std::string_view syllables) {
    if (word.size() < kSyllableBytes || hangul::initials_of(word).size() != word.size()) return false;
    const std::string_view last = word.substr(word.size() - kSyllableBytes);
    for (std::size_t at = 0; at < syllables.size(); at += kSyllableBytes)
        if (syllables.substr(at, kSyllableBytes) == last) return true;
    return false;
}

// 뉴욕시 → 뉴욕: a word of three syllables or more ending in a bound noun that
// Korean attaches to names of places, bodies and units (시 도 군 구 읍 면 동:
// administrative areas; 국 부 청 당: states, ministries, offices, parties, and
// 당 "per"), whose rest is looked for as a word of its own. Dictionary
// analyzers (nori) split these off, so an article saying 뉴욕 … 날씨 answers
// 뉴욕시 날씨. Measured on dev, as members of the word's synonym: MRR@10
// 0.8523 → 0.8530; adding 원 대 소 장 관 회 주 cost 0.0001–0.0006 (에너지원,
// 시간대, 동물원, 지역주의 are no place names).
std::string part_before_bound_noun(const std::string& word) {
    if (word.size() < 3 * kSyllableBytes || !ends_in_one_of(word, "시도군구읍면동국부청당")) return {};
    return word.substr(0, word.size() - kSyllableBytes);
}

// 굴 → 굴이, 굴은, 굴을 …: a one-syllable noun with the particles that follow
// nouns, in the form its last sound takes (굴로 but 밥으로, 차는 but 굴은). The
// stemmer strips particles down to one syllable only for the nouns it lists
// (korean_lists.cpp: 집에서 → 집, 힘을 → 힘); an article saying 굴이 is found
// by its exact words instead.
std::vector<std::string> with_particles(const std::string& noun) {
    using hangul::SyllableEnd;
    const std::optional<SyllableEnd> end = hangul::one_syllable_end(noun);
    if (!end) return {};
    static const char* const kAny[] = {"의", "에", "에서", "에게", "도", "만",
                                       "까지", "부터", "보다", "처럼"};
    static const char* const kAfterConsonant[] = {"이", "은", "을", "과", "이나", "이란", "이라는"};
    static const char* const kAfterVowel[] = {"가", "는", "를", "와", "나", "란", "라는"};
    std::vector<std::string> forms;
    for (const char* particle : kAny) forms.push_back(noun + particle);
    for (const char* particle : *end == SyllableEnd::vowel ? std::span(kAfterVowel) : std::span(kAfterConsonant))
        forms.push_back(noun + particle);
    forms.push_back(noun + (*end == SyllableEnd::other_consonant ? "으로" : "로"));
    return forms;
}

// A word inside compounds: the AND of its syllable trigrams (schema.h).
Xapian::Query compound_query(Field field, const std::vector<std::string>& bigrams) {
    std::vector<Xapian::Query> terms;
    for (const auto& trigram : schema::compound_terms(bigrams)) terms.emplace_back(term(field, Layer::bigram, trigram));
    if (terms.size() == 1) return terms.front();
    return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// Every word of a phrase or of an ICU-split word (CJ제일제당), each matched by
// any of its forms. The index has no positions (schema.h), so adjacency is
// checked on the stored text (phrase_check.h) where it is required.
Xapian::Query all_words_of(Field field, const AnalyzedText& text) {
    std::vector<Xapian::Query> slots;
    for (const auto& [position, slot] : text.forms_at) {
        std::vector<Xapian::Query> terms = form_terms(field, slot);
        slots.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
    }
    if (slots.size() == 1) return slots.front();
    return Xapian::Query(Xapian::Query::OP_AND, slots.begin(), slots.end());
}

PhraseRequirement phrase_requirement(const AnalyzedText& text, bool title_only, bool excluded) {
    PhraseRequirement phrase;
    phrase.title_only = title_only;
    phrase.excluded = excluded;
    for (const auto& [position, slot] : text.forms_at) {
        std::vector<std::string> forms{slot.surface};
        if (!slot.stem.empty()) forms.push_back(slot.stem);
        phrase.words.push_back(std::move(forms));
    }
    return phrase;
}

class Builder {
public:
    Builder(const Analyzer& analyzer, const Xapian::Database& database, QueryOptions options)
        : analyzer_(analyzer), vocabulary_(database), options_(options) {}

    BuiltQuery build(const QueryNode& root) {
        BuiltQuery built;
        built.query = node_query(root);
        built.targets = std::move(targets_);
        built.positive_words = positive_words_;
        built.dropped_fillers = dropped_fillers_;
        built.phrases = std::move(phrases_);
        return built;
    }

private:
    // A word matches its surface form, its stem, or — inside compounds — its
    // syllable trigrams (건강도시 in 건강도시연맹), scored as one term.
    Xapian::Query word_query(const QueryNode& node) {
        if (auto key = hangul::as_initials(node.text); key && key->size() > 3) {  // two jamo or more
            MatchTarget target;
            target.initials = *key;
            note_positive(std::move(target));
            return initials_query(*key, node.title_only, vocabulary_);
        }
        const Field field = node.title_only ? Field::title : Field::body;
        const AnalyzedText text = analyze_text(analyzer_, node.text);
        if (text.forms_at.empty() && text.joined.empty()) return {};
        MatchTarget target;
        std::vector<Xapian::Query> alternatives;
        if (text.forms_at.size() == 1) {
            for (auto& q : form_terms(field, text.forms_at.begin()->second)) alternatives.push_back(std::move(q));
        } else if (!text.forms_at.empty()) {
            // ICU split the word (CJ제일제당, COVID-19): its pieces in order.
            alternatives.push_back(all_words_of(field, text));
        }
        for (const auto& [position, slot] : text.forms_at) add_highlight_forms(target, slot);
        for (const auto& joined : text.joined) {
            alternatives.emplace_back(term(field, Layer::surface, joined));
            add_unique(target.forms, joined);
        }
        // Words of three syllables or more also match inside compounds (a
        // two-syllable word would match inside every compound holding it: 도시 in
        // 도시가스). As a member of the word's synonym this adds recall without
        // double-counting articles that have the whole word (measured with bigram
        // phrases: MRR@10 +0.0002 on dev, where a separate OR-ed clause cost 0.002–0.008).
        if (text.forms_at.size() == 1) {
            const std::vector<std::string> bigrams = compound_bigrams(text);
            if (bigrams.size() >= 2) {
                alternatives.push_back(compound_query(field, bigrams));
                target.bigrams = bigrams;
            }
        }
        if (options_.spacing && text.forms_at.size() == 1) {
            for (auto& q : spaced_phrases(field, text.forms_at.begin()->second.searched(), target))
                alternatives.push_back(std::move(q));
        }
        // Shorter forms a dictionary analyzer would split off (뉴욕시 → 뉴욕, 칩의 →
        // 칩), as members of the word's synonym: an article with the word as typed
        // keeps ranking above one with the shorter form alone (measured for 뉴욕시:
        // a separate OR-ed clause at ×0.5 gave 0.8526, at ×1 0.8524, vs 0.8530).
        if (text.forms_at.size() == 1) {
            const AnalyzedText::Slot& word = text.forms_at.begin()->second;
            const std::string noun = one_syllable_noun(word);
            for (const std::string& shorter :
                 {part_before_bound_noun(word.searched()), noun, before_contracted_locative(word)}) {
                if (shorter.empty()) continue;
                AnalyzedText::Slot slot;
                slot.surface = shorter;
                for (auto& q : form_terms(field, slot)) alternatives.push_back(std::move(q));
                add_unique(target.forms, shorter);
            }
            for (const std::string& form : unstemmed_particle_forms(noun.empty() ? word.searched() : noun))
                if (form != word.surface) alternatives.emplace_back(term(field, Layer::surface, form));
        }
        note_positive(std::move(target));
        Xapian::Query word(Xapian::Query::OP_SYNONYM, alternatives.begin(), alternatives.end());
        if (text.forms_at.size() == 1 && !text.forms_at.begin()->second.stem.empty()) {
            const Xapian::Query exact(term(field, Layer::surface, text.forms_at.begin()->second.surface));
            word = Xapian::Query(Xapian::Query::OP_OR, word,
                                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact, kExactFormWeight));
        }
        return word;
    }

    // 항소심서, 법정서, 서울서 → 항소심, 법정, 서울: headlines shorten 에서 to
    // 서 (and 에선 to 선: 여의도선), which also end nouns (경찰서, 교과서,
    // 노선, 경계선), so the stemmer leaves them. The archive decides: the word
    // is X+서 when X+에서 is much the commoner form (Chosun, 20k articles:
    // 항소심에서 355 vs 항소심서 5, 법정에서 312 vs 0; but 경찰에서 127 vs
    // 경찰서 125, 교과에서 0 vs 교과서 187). Headlines without their titles
    // indexed (benchmarks/quality/headlines.sh, 1,857 with such a word):
    // MRR@10 0.8852 → 0.9067.
    std::string before_contracted_locative(const AnalyzedText::Slot& slot) const {
        const std::string& word = slot.surface;
        constexpr std::size_t kMargin = 2;
        if (!slot.stem.empty() || word.size() < 3 * kSyllableBytes || !ends_in_one_of(word, "서선")) return {};
        std::string noun = word.substr(0, word.size() - kSyllableBytes);
        const std::size_t long_form = ends_in_one_of(word, "서")
                                          ? vocabulary_.count(noun + "에서")
                                          : vocabulary_.count(noun + "에선") + vocabulary_.count(noun + "에서는");
        if (long_form <= kMargin * vocabulary_.count(word)) return {};
        return noun;
    }

    // 칩의, 롤을, 밀과 → 칩, 롤, 밀. The stemmer leaves two-syllable words
    // ending in these particles whole (회의, 결과, 먹을 are words), except for
    // the one-syllable nouns it lists; at query time the archive decides: the
    // syllable alone is taken when more articles hold it than the whole word
    // (칩 ≫ 칩의, but 회의 ≫ 회). Only particles that follow nouns alone (의,
    // 을/를, 와/과). Measured on dev: MRR@10 0.8538 → 0.8548; without the
    // count, 의 alone gave 0.8540 (정의 → 정); with 은/는/이/가 too, 0.8548
    // from more swings both ways (검은 → 검, 나이 → 나); counting the noun's
    // forms with other particles too (젠은 for 젠의), 0.8682 from 0.8693
    // (정의 → 정: 정은, 정이 …).
    std::string one_syllable_noun(const AnalyzedText::Slot& slot) const {
        const std::string& word = slot.surface;
        if (!slot.stem.empty() || word.size() != 2 * kSyllableBytes || !ends_in_one_of(word, "의을를와과")) return {};
        std::string noun = word.substr(0, kSyllableBytes);
        if (vocabulary_.count(noun) <= vocabulary_.count(word)) return {};
        return noun;
    }

    // The forms of a one-syllable noun with particles (with_particles) that
    // the index keeps whole: those the analyzer does not stem to the noun
    // (굴을 → 굴 but 굴이 stays, as 나이 is no 나+이).
    std::vector<std::string> unstemmed_particle_forms(const std::string& noun) const {
        std::vector<std::string> forms = with_particles(noun);
        std::erase_if(forms, [&](const std::string& form) {
            const std::vector<Token> tokens = analyzer_.analyze(form);
            return std::any_of(tokens.begin(), tokens.end(),
                               [&](const Token& t) { return t.layer == Layer::stem && t.text == noun; });
        });
        return forms;
    }

    // 무선마우스 written with a space: per split into parts of two syllables or
    // more, both parts (each as a word or a stem). The index has no positions:
    // the parts are not checked to be adjacent.
    static std::vector<Xapian::Query> spaced_phrases(Field field, const std::string& word, MatchTarget& target) {
        constexpr std::size_t kMaxSyllables = 8;
        std::vector<Xapian::Query> phrases;
        const std::size_t syllables = word.size() / kSyllableBytes;
        if (syllables < 4 || syllables > kMaxSyllables || hangul::initials_of(word).size() != word.size()) return phrases;
        for (std::size_t k = 2; k + 2 <= syllables; ++k) {
            AnalyzedText parts;
            parts.forms_at[0].surface = word.substr(0, k * kSyllableBytes);
            parts.forms_at[1].surface = word.substr(k * kSyllableBytes);
            for (const auto& [position, slot] : parts.forms_at) add_unique(target.forms, slot.surface);
            phrases.push_back(all_words_of(field, parts));
        }
        return phrases;
    }

    // 건강 도시 written as one word: the two typed words joined, as one word.
    Xapian::Query joined_words(const QueryNode& first, const QueryNode& second) {
        if (first.kind != QueryNode::Kind::word || second.kind != QueryNode::Kind::word ||
            first.title_only != second.title_only || hangul::initials_of(first.text).empty() ||
            hangul::initials_of(second.text).empty() || hangul::as_initials(first.text))
            return {};
        QueryNode joined = first;
        joined.text += second.text;
        const std::size_t counted = positive_words_;
        const bool was = options_.spacing;
        options_.spacing = false;
        Xapian::Query q = word_query(joined);
        options_.spacing = was;
        positive_words_ = counted;  // highlight it, but it is no word of its own
        return q;
    }

    Xapian::Query phrase_query(const QueryNode& node) {
        const Field field = node.title_only ? Field::title : Field::body;
        const AnalyzedText text = analyze_text(analyzer_, node.text);
        if (text.forms_at.empty()) return {};
        MatchTarget target;
        for (const auto& [position, slot] : text.forms_at) add_highlight_forms(target, slot);
        const bool checked = text.forms_at.size() > 1 && alternatives_depth_ == 0;
        if (checked) phrases_.push_back(phrase_requirement(text, node.title_only, collecting_excluded_));
        // An excluded phrase is left to the decider alone: the AND of its words
        // would also drop articles that hold them apart.
        if (checked && collecting_excluded_) return {};
        note_positive(std::move(target));
        return all_words_of(field, text);
    }

    void note_positive(MatchTarget target) {
        if (collecting_excluded_) return;
        ++positive_words_;
        targets_.push_back(std::move(target));
    }

    // Every document, built afresh: copying Xapian's static Query::MatchAll
    // bumps a reference count shared by all threads without atomics, which
    // concurrent searches (sosik-serve) corrupt.
    static Xapian::Query match_all() { return Xapian::Query(std::string()); }

    static Xapian::Query boolean_term(std::string_view prefix, const std::string& value) {
        return Xapian::Query(std::string(prefix) + schema::filter_value(value));
    }

    static Xapian::Query date_filter(const QueryNode& node) {
        const double from = node.from.empty() ? -1e18 : period_start(node.from, "date");
        const double to = node.to.empty() ? 1e18 : period_end(node.to, "date");
        return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, Xapian::sortable_serialise(from),
                             Xapian::sortable_serialise(to));
    }

    Xapian::Query node_query(const QueryNode& node) {
        switch (node.kind) {
        case QueryNode::Kind::word:
            return word_query(node);
        case QueryNode::Kind::phrase:
            return phrase_query(node);
        case QueryNode::Kind::category:
            return boolean_term(schema::kCategoryPrefix, node.text);
        case QueryNode::Kind::tag:
            return boolean_term(schema::kTagPrefix, node.text);
        case QueryNode::Kind::date_range:
            return date_filter(node);
        case QueryNode::Kind::exclude: {
            const bool was = collecting_excluded_;
            collecting_excluded_ = true;
            Xapian::Query excluded = node_query(node.children.front());
            collecting_excluded_ = was;
            return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), excluded);
        }
        case QueryNode::Kind::any_of: {
            std::vector<Xapian::Query> alternatives;
            ++alternatives_depth_;
            for (const auto& child : node.children) {
                Xapian::Query q = node_query(child);
                if (!q.empty()) alternatives.push_back(std::move(q));
            }
            --alternatives_depth_;
            return Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(), alternatives.end());
        }
        case QueryNode::Kind::all_of:
            return all_of_query(node);
        }
        return {};
    }

    // The forms of a plain word of one form (not a phrase, not a word ICU splits).
    std::optional<AnalyzedText::Slot> single_form(const QueryNode& node) const {
        if (node.kind != QueryNode::Kind::word) return std::nullopt;
        AnalyzedText text = analyze_text(analyzer_, node.text);
        if (text.forms_at.size() != 1) return std::nullopt;
        return std::move(text.forms_at.begin()->second);
    }

    // Whether `listed` names the word, as typed or by its stem.
    static bool is_listed(const std::optional<AnalyzedText::Slot>& form, bool (*listed)(std::string_view)) {
        return form && (listed(form->surface) || (!form->stem.empty() && listed(form->stem)));
    }

    // Words are AND-ed (or OR-ed in the fallback); filters restrict without
    // scoring, OR-ed within one field (category:a category:b) and AND-ed across fields;
    // exclusions remove. A question word (무엇, 누구, 있나요 …) among topic
    // words only dilutes them: left out; a framing word (의미, 용어 …) weighs less.
    Xapian::Query all_of_query(const QueryNode& node) {
        std::vector<Xapian::Query> positives, phrases, excluded;
        std::map<int, std::vector<Xapian::Query>> filters_by_field;
        std::vector<bool> filler(node.children.size(), false), framing(node.children.size(), false);
        std::size_t content_words = 0, framing_words = 0;
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const QueryNode& child = node.children[i];
            const std::optional<AnalyzedText::Slot> form = single_form(child);
            filler[i] = is_listed(form, is_question_filler);
            framing[i] = !filler[i] && is_listed(form, is_question_framing_word);
            if (framing[i]) ++framing_words;
            if (!filler[i] && (child.kind == QueryNode::Kind::word || child.kind == QueryNode::Kind::phrase ||
                               child.kind == QueryNode::Kind::any_of))
                ++content_words;
        }
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const QueryNode& child = node.children[i];
            if (filler[i] && content_words > 0 && !options_.keep_fillers) {
                dropped_fillers_ = true;
                continue;
            }
            switch (child.kind) {
            case QueryNode::Kind::category:
            case QueryNode::Kind::tag:
            case QueryNode::Kind::date_range:
                filters_by_field[static_cast<int>(child.kind)].push_back(node_query(child));
                break;
            case QueryNode::Kind::exclude: {
                const bool was = collecting_excluded_;
                collecting_excluded_ = true;
                Xapian::Query q = node_query(child.children.front());
                collecting_excluded_ = was;
                if (!q.empty()) excluded.push_back(std::move(q));
                break;
            }
            default: {
                Xapian::Query q = node_query(child);
                if (q.empty()) break;
                // A quoted phrase is required even when the other words are OR-ed.
                if (child.kind == QueryNode::Kind::phrase) {
                    phrases.push_back(std::move(q));
                    break;
                }
                if (options_.spacing) {
                    // Either neighbour written together with this word also matches,
                    // unscored: articles spaced as typed rank first. (Measured on dev:
                    // scored at full weight the joined form cost 0.029 MRR@10, at ×0.3
                    // 0.003, unscored nothing.)
                    for (const std::size_t other : {i - 1, i + 1}) {
                        if (other >= node.children.size() || filler[other]) continue;
                        Xapian::Query together = other < i ? joined_words(node.children[other], child)
                                                           : joined_words(child, node.children[other]);
                        if (!together.empty())
                            q = Xapian::Query(Xapian::Query::OP_OR, q,
                                              Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, together, 0.0));
                    }
                }
                if (framing[i] && content_words > framing_words)
                    q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, kFramingWordWeight);
                positives.push_back(std::move(q));
            }
            }
        }
        Xapian::Query query = match_all();
        if (!positives.empty()) {
            const auto op =
                options_.implicit == ImplicitOperator::all_words ? Xapian::Query::OP_AND : Xapian::Query::OP_OR;
            query = Xapian::Query(op, positives.begin(), positives.end());
        }
        if (!phrases.empty()) {
            // Quoted phrases are required; when the other words are OR-ed they only add weight.
            Xapian::Query required(Xapian::Query::OP_AND, phrases.begin(), phrases.end());
            if (positives.empty())
                query = required;
            else if (options_.implicit == ImplicitOperator::all_words)
                query = Xapian::Query(Xapian::Query::OP_AND, required, query);
            else
                query = Xapian::Query(Xapian::Query::OP_AND_MAYBE, required, query);
        }
        for (auto& [field, filters] : filters_by_field) {
            Xapian::Query any_of(Xapian::Query::OP_OR, filters.begin(), filters.end());
            query = Xapian::Query(Xapian::Query::OP_FILTER, query, any_of);
        }
        if (!excluded.empty()) {
            query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                                  Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
        }
        return query;
    }

    const Analyzer& analyzer_;
    const Vocabulary vocabulary_;
    QueryOptions options_;
    bool dropped_fillers_ = false;
    std::vector<MatchTarget> targets_;
    std::size_t positive_words_ = 0;
    bool collecting_excluded_ = false;
    int alternatives_depth_ = 0;  // inside an explicit OR group
    std::vector<PhraseRequirement> phrases_;
};

schema::Date parse_period(const std::string& iso, const std::string& what) {
    auto date = schema::parse_date(iso);
    if (!date) throw InvalidInput(what + ": '" + iso + "' is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)");
    return *date;
}

}  // namespace

BuiltQuery build_query(const QueryNode& root, const Analyzer& analyzer, const Xapian::Database& database,
                       QueryOptions options) {
    return Builder(analyzer, database, options).build(root);
}

double period_start(const std::string& iso, const std::string& what) { return parse_period(iso, what).sort_key(); }

double period_end(const std::string& iso, const std::string& what) {
    const schema::Date start = parse_period(iso, what);
    if (iso.size() > 10) return start.sort_key();  // a full timestamp names an instant
    using namespace std::chrono;
    year_month_day first{year{start.year}, month{static_cast<unsigned>(start.month)},
                         day{static_cast<unsigned>(start.day)}};
    sys_days next;
    if (iso.size() <= 4) {
        next = sys_days{year_month_day{first.year() + years{1}, month{1}, day{1}}};
    } else if (iso.size() <= 7) {
        next = sys_days{year_month_day{first.year(), first.month(), day{1}} + months{1}};
    } else {
        next = sys_days{first} + days{1};
    }
    return static_cast<double>(next.time_since_epoch().count()) * 86400.0 - 1.0;
}

}  // namespace sosik
