#include "query_plan.h"

#include "initials_query.h"
#include "synonym_query.h"

#include <sosik/error.h>
#include <sosik/index_terms.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

namespace sosik {

namespace {

using schema::Field;
using schema::index_term;

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

// Every indexed term a word can appear as: its forms as whole words, or as
// the stem of a particle-bearing word (서울시 finds 서울시가 through Z서울시).
// A glued ASCII word also matches inside a longer token through the runs the
// index holds of it (lx300usb in lx300usb.gb). Members of one OP_SYNONYM add
// their wdf, so an article with the exact form typed outranks one with only the stem.
std::vector<Xapian::Query> form_terms(Field field, const korean::WordForms& word) {
    std::vector<Xapian::Query> terms{Xapian::Query(index_term(field, Layer::surface, word.surface)),
                                     Xapian::Query(index_term(field, Layer::stem, word.surface))};
    if (!word.stem.empty()) {
        terms.emplace_back(index_term(field, Layer::surface, word.stem));
        terms.emplace_back(index_term(field, Layer::stem, word.stem));
    }
    if (const auto pieces = schema::ascii_pieces(word.surface); pieces.size() >= 2) {
        std::vector<Xapian::Query> runs;
        for (const std::string_view piece : pieces) runs.emplace_back(index_term(field, Layer::surface, piece));
        terms.emplace_back(Xapian::Query::OP_AND, runs.begin(), runs.end());
    }
    return terms;
}

void add_highlight_forms(MatchTarget& target, const korean::WordForms& word) {
    if (!word.surface.empty()) add_unique(target.forms, word.surface);
    if (!word.stem.empty()) add_unique(target.forms, word.stem);
}

// A word inside compounds: the AND of its syllable trigrams (index_terms.h).
Xapian::Query compound_query(Field field, const std::vector<std::string>& bigrams) {
    std::vector<Xapian::Query> terms;
    for (const auto& trigram : schema::compound_terms(bigrams)) terms.emplace_back(index_term(field, Layer::bigram, trigram));
    if (terms.size() == 1) return terms.front();
    return Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end());
}

// Every word of a phrase or of an ICU-split word (CJ제일제당), each matched by
// any of its forms. The index has no positions, so adjacency is checked on
// the stored text (phrase_check.h) where it is required. Inside a synonym
// the forms are OR-ed as synonyms, which match and score alike there (Xapian
// weighs only the outer one), but keep their shape on every shard
// (synonym_query.h); an OP_OR would be merged into one tree per shard.
Xapian::Query all_words_of(Field field, const AnalyzedText& text, bool inside_synonym) {
    std::vector<Xapian::Query> slots;
    for (const auto& [position, word] : text.forms_at) {
        std::vector<Xapian::Query> terms = form_terms(field, word);
        slots.push_back(inside_synonym ? shard_stable_synonym(std::move(terms))
                                       : Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    }
    if (slots.size() == 1) return slots.front();
    return Xapian::Query(Xapian::Query::OP_AND, slots.begin(), slots.end());
}

PhraseRequirement phrase_requirement(const AnalyzedText& text, bool title_only, bool excluded) {
    PhraseRequirement phrase;
    phrase.title_only = title_only;
    phrase.excluded = excluded;
    for (const auto& [position, word] : text.forms_at) {
        std::vector<std::string> forms{word.surface};
        if (!word.stem.empty()) forms.push_back(word.stem);
        phrase.words.push_back(std::move(forms));
    }
    return phrase;
}

// Every document, built afresh: copying Xapian's static Query::MatchAll
// bumps a reference count shared by all threads without atomics, which
// concurrent searches (sosik-serve) corrupt.
Xapian::Query match_all() { return Xapian::Query(std::string()); }

Xapian::Query boolean_term(std::string_view prefix, const std::string& value) {
    return Xapian::Query(std::string(prefix) + schema::filter_value(value));
}

Xapian::Query date_filter(const QueryNode& node) {
    const double from = node.from.empty() ? -1e18 : period_start(node.from, "date");
    const double to = node.to.empty() ? 1e18 : period_end(node.to, "date");
    return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kDateSlot, Xapian::sortable_serialise(from),
                         Xapian::sortable_serialise(to));
}

// A member of a synonym group (schema::synonym_key), each of its words
// matched as a plain query word's forms would be, all of them required.
Xapian::Query synonym_query(Field field, const std::string& synonym, MatchTarget& target) {
    std::vector<Xapian::Query> words;
    for (std::size_t begin = 0; begin < synonym.size();) {
        const std::size_t end = std::min(synonym.find(' ', begin), synonym.size());
        const korean::WordForms form{synonym.substr(begin, end - begin), {}};
        const std::vector<Xapian::Query> terms = form_terms(field, form);
        words.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
        add_unique(target.forms, form.surface);
        begin = end + 1;
    }
    if (words.size() == 1) return words.front();
    return Xapian::Query(Xapian::Query::OP_AND, words.begin(), words.end());
}

class PassBuilder {
public:
    PassBuilder(const AnalysedQuery& query, PassOptions options, const RankingParams& ranking)
        : query_(query), options_(options), ranking_(ranking) {}

    BuiltQuery build() {
        BuiltQuery built;
        built.query = node_query(query_.tree);
        built.targets = std::move(targets_);
        built.positive_words = positive_words_;
        built.dropped_fillers = dropped_fillers_;
        built.phrases = std::move(phrases_);
        return built;
    }

private:
    // A word matches its surface form, its stem, or — inside compounds — its
    // syllable trigrams (건강도시 in 건강도시연맹), and the shorter forms a
    // dictionary analyzer would split off, all scored as one term.
    Xapian::Query word_query(const AnalysedWord& word, bool title_only) {
        if (word.initials) {
            MatchTarget target;
            target.initials = word.initials->key;
            note_positive(std::move(target));
            return initials_query(*word.initials, title_only, ranking_);
        }
        const Field field = title_only ? Field::title : Field::body;
        const AnalyzedText& text = word.text;
        if (text.forms_at.empty() && text.joined.empty()) return {};
        MatchTarget target;
        std::vector<Xapian::Query> alternatives;
        const korean::WordForms* single = word.single_form();
        if (single) {
            for (auto& q : form_terms(field, *single)) alternatives.push_back(std::move(q));
        } else if (!text.forms_at.empty()) {
            alternatives.push_back(all_words_of(field, text, true));  // ICU split the word: its pieces in order
        }
        for (const auto& [position, forms] : text.forms_at) add_highlight_forms(target, forms);
        for (const auto& joined : text.joined) {
            alternatives.emplace_back(index_term(field, Layer::surface, joined));
            add_unique(target.forms, joined);
        }
        // Words of three syllables or more also match inside compounds (a
        // two-syllable word would match inside every compound holding it).
        if (single && word.compound_bigrams.size() >= 2 && ranking_.compound_trigrams != 0) {
            alternatives.push_back(compound_query(field, word.compound_bigrams));
            target.bigrams = word.compound_bigrams;
        }
        if (word.containing_as_form)
            for (const std::string& containing : word.containing_words)
                for (auto& q : form_terms(field, {containing, {}})) alternatives.push_back(std::move(q));
        for (const std::string& shorter : word.shorter_forms) {
            for (auto& q : form_terms(field, {shorter, {}})) alternatives.push_back(std::move(q));
            add_unique(target.forms, shorter);
        }
        for (const std::string& form : word.particle_forms)
            alternatives.emplace_back(index_term(field, Layer::surface, form));
        // Its synonyms count as the word itself (코로나 for COVID-19).
        for (const std::string& synonym : word.synonyms) alternatives.push_back(synonym_query(field, synonym, target));
        note_positive(std::move(target));
        Xapian::Query query = shard_stable_synonym(std::move(alternatives));
        if (single && !single->stem.empty()) {
            const Xapian::Query exact(index_term(field, Layer::surface, single->surface));
            query = Xapian::Query(Xapian::Query::OP_OR, query,
                                  Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, exact, ranking_.exact_form_weight));
        }
        if (!word.containing_words.empty() && !word.containing_as_form)
            query = with_containing_words(query, field, word.containing_words);
        return query;
    }

    // The word or, weighed less, one of the indexed words holding it (나무 →
    // 참나무): one group, so many containing words count as one term.
    Xapian::Query with_containing_words(const Xapian::Query& query, Field field, const std::vector<std::string>& words) {
        std::vector<Xapian::Query> terms;
        for (const std::string& containing : words)
            for (auto& q : form_terms(field, {containing, {}})) terms.push_back(std::move(q));
        const Xapian::Query group(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
        return Xapian::Query(Xapian::Query::OP_OR, query,
                             Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, group, ranking_.containing_word_weight));
    }

    Xapian::Query phrase_query(const AnalysedNode& node) {
        const Field field = node.node->title_only ? Field::title : Field::body;
        const AnalyzedText& text = node.word.text;
        if (text.forms_at.empty()) return {};
        MatchTarget target;
        for (const auto& [position, word] : text.forms_at) add_highlight_forms(target, word);
        const bool checked = text.forms_at.size() > 1 && alternatives_depth_ == 0;
        if (checked) phrases_.push_back(phrase_requirement(text, node.node->title_only, collecting_excluded_));
        // An excluded phrase is left to the decider alone: the AND of its words
        // would also drop articles that hold them apart.
        if (checked && collecting_excluded_) return {};
        note_positive(std::move(target));
        return all_words_of(field, text, false);
    }

    // 건강 도시 written as one word: highlighted, but no word of its own.
    Xapian::Query joined_query(const AnalysedNode& first) {
        if (!first.joined_with_next) return {};
        const std::size_t counted = positive_words_;
        Xapian::Query q = word_query(*first.joined_with_next, first.node->title_only);
        positive_words_ = counted;
        return q;
    }

    void note_positive(MatchTarget target) {
        if (collecting_excluded_) return;
        ++positive_words_;
        targets_.push_back(std::move(target));
    }

    Xapian::Query excluded_query(const AnalysedNode& node) {
        const bool was = collecting_excluded_;
        collecting_excluded_ = true;
        Xapian::Query excluded = node_query(node.children.front());
        collecting_excluded_ = was;
        return excluded;
    }

    Xapian::Query node_query(const AnalysedNode& node) {
        switch (node.node->kind) {
        case QueryNode::Kind::word:
            return word_query(node.word, node.node->title_only);
        case QueryNode::Kind::phrase:
            return phrase_query(node);
        case QueryNode::Kind::category:
            return boolean_term(schema::kCategoryPrefix, node.node->text);
        case QueryNode::Kind::tag:
            return boolean_term(schema::kTagPrefix, node.node->text);
        case QueryNode::Kind::site:
            return boolean_term(schema::kSitePrefix, node.node->text);
        case QueryNode::Kind::date_range:
            return date_filter(*node.node);
        case QueryNode::Kind::exclude:
            return Xapian::Query(Xapian::Query::OP_AND_NOT, match_all(), excluded_query(node));
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

    // A word the archive does not hold, and the words it was cut into
    // (손해배상청구 → 손해배상 + 청구): with every word required, the parts
    // together or the word itself (inside a compound); with any word, each
    // part scores as a word of its own.
    std::vector<Xapian::Query> split_word_queries(const AnalysedNode& child) {
        std::vector<Xapian::Query> parts;
        for (const AnalysedWord& part : child.word.split_parts)
            if (Xapian::Query q = word_query(part, child.node->title_only); !q.empty()) parts.push_back(std::move(q));
        Xapian::Query whole = word_query(child.word, child.node->title_only);
        if (options_.implicit == ImplicitOperator::any_word) {
            if (!whole.empty()) parts.push_back(std::move(whole));
            return parts;
        }
        Xapian::Query together(Xapian::Query::OP_AND, parts.begin(), parts.end());
        return {whole.empty() ? together : Xapian::Query(Xapian::Query::OP_OR, together, whole)};
    }

    // A topic word, with either neighbour written together with it also
    // matching (주가 조작 → 주가조작, where the archive holds it) at
    // joined_form_weight in each, and a framing word weighed less.
    std::vector<Xapian::Query> positive_queries(const AnalysedNode& node, std::size_t i, std::size_t framing_words,
                                                std::size_t content_words) {
        const AnalysedNode& child = node.children[i];
        if (!child.word.split_parts.empty()) return split_word_queries(child);
        Xapian::Query q = node_query(child);
        if (q.empty()) return {};
        if (query_.spacing) {
            for (const std::size_t other : {i - 1, i + 1}) {
                if (other >= node.children.size() || node.children[other].word.filler) continue;
                Xapian::Query together = joined_query(node.children[std::min(i, other)]);
                if (!together.empty())
                    q = Xapian::Query(Xapian::Query::OP_OR, q,
                                      Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, together, ranking_.joined_form_weight));
            }
        }
        if (child.word.framing && content_words > framing_words)
            q = Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, ranking_.framing_word_weight);
        return {q};
    }

    // Two words typed apart that together are a member of a synonym group
    // (신종 코로나): both words, or one of the other members.
    void pair_with_synonyms(const AnalysedNode& node, std::size_t i, std::size_t framing_words,
                            std::size_t content_words, std::vector<Xapian::Query>& positives) {
        std::vector<Xapian::Query> both = positive_queries(node, i, framing_words, content_words);
        for (Xapian::Query& q : positive_queries(node, i + 1, framing_words, content_words)) both.push_back(std::move(q));
        const Field field = node.children[i].node->title_only ? Field::title : Field::body;
        MatchTarget target;
        std::vector<Xapian::Query> members;
        for (const std::string& synonym : node.children[i].synonyms_with_next)
            members.push_back(synonym_query(field, synonym, target));
        if (!collecting_excluded_) targets_.push_back(std::move(target));  // highlighted; the words are counted already
        Xapian::Query others(Xapian::Query::OP_SYNONYM, members.begin(), members.end());
        if (options_.implicit == ImplicitOperator::any_word) {
            positives.insert(positives.end(), both.begin(), both.end());
            positives.push_back(std::move(others));
            return;
        }
        positives.emplace_back(Xapian::Query::OP_OR, Xapian::Query(Xapian::Query::OP_AND, both.begin(), both.end()),
                               others);
    }

    // Words are AND-ed (or OR-ed in the any-word pass); filters restrict without
    // scoring, OR-ed within one field and AND-ed across fields; exclusions
    // remove. A question word among topic words only dilutes them: left out.
    Xapian::Query all_of_query(const AnalysedNode& node) {
        std::vector<Xapian::Query> positives, phrases, excluded;
        std::map<int, std::vector<Xapian::Query>> filters_by_field;
        std::size_t content_words = 0, framing_words = 0;
        for (const AnalysedNode& child : node.children) {
            const QueryNode::Kind kind = child.node->kind;
            if (child.word.framing) ++framing_words;
            if (!child.word.filler && (kind == QueryNode::Kind::word || kind == QueryNode::Kind::phrase ||
                                       kind == QueryNode::Kind::any_of))
                ++content_words;
        }
        for (std::size_t i = 0; i < node.children.size(); ++i) {
            const AnalysedNode& child = node.children[i];
            if (child.word.filler && content_words > 0 && !options_.keep_fillers) {
                dropped_fillers_ = true;
                continue;
            }
            switch (child.node->kind) {
            case QueryNode::Kind::category:
            case QueryNode::Kind::tag:
            case QueryNode::Kind::site:
            case QueryNode::Kind::date_range:
                filters_by_field[static_cast<int>(child.node->kind)].push_back(node_query(child));
                break;
            case QueryNode::Kind::exclude:
                if (Xapian::Query q = excluded_query(child); !q.empty()) excluded.push_back(std::move(q));
                break;
            case QueryNode::Kind::phrase:  // required even when the other words are OR-ed
                if (Xapian::Query q = node_query(child); !q.empty()) phrases.push_back(std::move(q));
                break;
            default:
                if (!child.synonyms_with_next.empty()) {
                    pair_with_synonyms(node, i, framing_words, content_words, positives);
                    ++i;  // the next word is the pair's second
                    break;
                }
                for (Xapian::Query& q : positive_queries(node, i, framing_words, content_words))
                    positives.push_back(std::move(q));
            }
        }
        return combine(positives, phrases, filters_by_field, excluded);
    }

    Xapian::Query combine(const std::vector<Xapian::Query>& positives, const std::vector<Xapian::Query>& phrases,
                          const std::map<int, std::vector<Xapian::Query>>& filters_by_field,
                          const std::vector<Xapian::Query>& excluded) const {
        const bool all_words = options_.implicit == ImplicitOperator::all_words;
        Xapian::Query query = match_all();
        if (!positives.empty())
            query = Xapian::Query(all_words ? Xapian::Query::OP_AND : Xapian::Query::OP_OR, positives.begin(),
                                  positives.end());
        if (!phrases.empty()) {
            // Quoted phrases are required; when the other words are OR-ed they only add weight.
            Xapian::Query required(Xapian::Query::OP_AND, phrases.begin(), phrases.end());
            if (positives.empty())
                query = required;
            else
                query = Xapian::Query(all_words ? Xapian::Query::OP_AND : Xapian::Query::OP_AND_MAYBE, required, query);
        }
        for (const auto& [field, filters] : filters_by_field) {
            Xapian::Query any_of(Xapian::Query::OP_OR, filters.begin(), filters.end());
            query = Xapian::Query(Xapian::Query::OP_FILTER, query, any_of);
        }
        if (!excluded.empty())
            query = Xapian::Query(Xapian::Query::OP_AND_NOT, query,
                                  Xapian::Query(Xapian::Query::OP_OR, excluded.begin(), excluded.end()));
        return query;
    }

    const AnalysedQuery& query_;
    const PassOptions options_;
    const RankingParams& ranking_;
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

BuiltQuery build_pass(const AnalysedQuery& query, PassOptions options, const RankingParams& ranking) {
    return PassBuilder(query, options, ranking).build();
}

QueryPlan::QueryPlan(const AnalysedQuery& query, const RankingParams& ranking)
    : query_(query), ranking_(ranking), built_(build_pass(query, {}, ranking)) {}

bool QueryPlan::advance(const PassOutcome& outcome) {
    if (pass_ == 0 && built_.positive_words > 1 && outcome.lower_bound < ranking_.enough_all_words) {
        pass_ = 1;
        built_ = build_pass(query_, {ImplicitOperator::any_word, false}, ranking_);
        return true;
    }
    if (pass_ < 2 && outcome.upper_bound == 0 && built_.dropped_fillers) {
        pass_ = 2;
        built_ = build_pass(query_, {ImplicitOperator::any_word, true}, ranking_);
        return true;
    }
    return false;
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
