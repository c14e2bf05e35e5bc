#include "analysed_query.h"

#include <sosik/hangul.h>
#include <sosik/schema.h>

#include <algorithm>
#include <unordered_map>

namespace sosik {

namespace {

// A short key like ㄱㄱ has thousands of extensions in a large archive: the
// most frequent ones are enough.
constexpr std::size_t kMaxInitialsExpansion = 50;
// Title keys read for a prefix: a bound on the time for a key of two letters
// in a large archive, never reached by longer ones.
constexpr std::size_t kMaxInitialsTermsRead = 20000;

void add_unique(std::vector<std::string>& list, const std::string& value) {
    if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

class WordAnalyser {
public:
    WordAnalyser(const Analyzer& analyzer, const Vocabulary& vocabulary) : analyzer_(analyzer), vocabulary_(vocabulary) {}

    AnalysedWord analyse(const QueryNode& node, bool spacing) {
        AnalysedWord word;
        if (auto key = hangul::as_initials(node.text); key && key->size() > 3) {  // two jamo or more
            word.initials = initials_words(*key, node.title_only);
            return word;
        }
        word.text = analyze_text(analyzer_, node.text);
        const korean::WordForms* form = word.single_form();
        if (!form) return word;
        word.filler = is_listed(*form, is_question_filler);
        word.framing = !word.filler && is_listed(*form, is_question_framing_word);
        word.compound_bigrams = korean::compound_bigrams(*form, word.text.bigrams);
        if (spacing) word.spaced_splits = korean::two_part_splits(form->searched());
        const korean::WordCount count = [this](const std::string& w) { return counted(w); };
        const std::string noun = korean::one_syllable_noun(*form, count);
        for (const std::string& shorter : {korean::part_before_bound_noun(form->searched()), noun,
                                           korean::before_contracted_locative(*form, count)})
            if (!shorter.empty()) word.shorter_forms.push_back(shorter);
        for (std::string& particle_form :
             korean::unstemmed_particle_forms(analyzer_, noun.empty() ? form->searched() : noun))
            if (particle_form != form->surface) word.particle_forms.push_back(std::move(particle_form));
        return word;
    }

    AnalyzedText text_of(const QueryNode& node) const { return analyze_text(analyzer_, node.text); }

private:
    // Whether `listed` names the word, as typed or by its stem.
    static bool is_listed(const korean::WordForms& form, bool (*listed)(std::string_view)) {
        return listed(form.surface) || (!form.stem.empty() && listed(form.stem));
    }

    // Vocabulary counts, each looked up once per query.
    std::size_t counted(const std::string& word) {
        const auto [at, added] = counts_.try_emplace(word, 0);
        if (added) at->second = vocabulary_.count(word);
        return at->second;
    }

    InitialsWords initials_words(const std::string& key, bool title_only) const {
        InitialsWords words;
        words.key = key;
        words.title_longer = vocabulary_.most_frequent_terms(std::string(schema::kTitleInitialsPrefix) + key,
                                                             kMaxInitialsExpansion, kMaxInitialsTermsRead);
        if (title_only) return words;
        Vocabulary::InitialsLimits limits;
        limits.max_words = kMaxInitialsExpansion;
        words.body = vocabulary_.words_with_initials(key, limits);
        return words;
    }

    const Analyzer& analyzer_;
    const Vocabulary& vocabulary_;
    std::unordered_map<std::string, std::size_t> counts_;
};

// 건강 도시 may be written 건강도시: two plain Hangul words under the same field.
bool may_join(const QueryNode& first, const QueryNode& second) {
    return first.kind == QueryNode::Kind::word && second.kind == QueryNode::Kind::word &&
           first.title_only == second.title_only && !hangul::initials_of(first.text).empty() &&
           !hangul::initials_of(second.text).empty() && !hangul::as_initials(first.text);
}

AnalysedNode analyse_node(const QueryNode& node, WordAnalyser& words, bool spacing) {
    AnalysedNode out;
    out.node = &node;
    if (node.kind == QueryNode::Kind::word) out.word = words.analyse(node, spacing);
    if (node.kind == QueryNode::Kind::phrase) out.word.text = words.text_of(node);
    for (const QueryNode& child : node.children) out.children.push_back(analyse_node(child, words, spacing));
    if (spacing && node.kind == QueryNode::Kind::all_of) {
        for (std::size_t i = 0; i + 1 < node.children.size(); ++i) {
            if (!may_join(node.children[i], node.children[i + 1])) continue;
            QueryNode joined = node.children[i];
            joined.text += node.children[i + 1].text;
            out.children[i].joined_with_next = words.analyse(joined, false);
        }
    }
    return out;
}

}  // namespace

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

AnalysedQuery analyse_query(QueryNode root, const Analyzer& analyzer, const Vocabulary& vocabulary,
                            AnalysisOptions options) {
    AnalysedQuery query;
    query.root = std::make_unique<const QueryNode>(std::move(root));
    query.spacing = options.spacing;
    WordAnalyser words(analyzer, vocabulary);
    query.tree = analyse_node(*query.root, words, options.spacing);
    return query;
}

}  // namespace sosik
