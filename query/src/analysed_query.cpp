#include "analysed_query.h"

#include <sosik/hangul.h>
#include <sosik/index_terms.h>
#include <sosik/schema.h>

#include <algorithm>
#include <cmath>
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
    WordAnalyser(const Analyzer& analyzer, const Vocabulary& vocabulary, const AnalysisOptions& options)
        : analyzer_(analyzer),
          vocabulary_(vocabulary),
          max_containing_words_(options.max_containing_words),
          containing_share_(options.containing_share),
          compound_trigrams_(options.compound_trigrams) {}

    AnalysedWord analyse(const QueryNode& node, bool spacing) { return analyse(node.text, node.title_only, spacing); }

    AnalysedWord analyse(const std::string& typed, bool title_only, bool spacing) {
        AnalysedWord word;
        if (auto key = hangul::as_initials(typed); key && key->size() > 3) {  // two jamo or more
            word.initials = initials_words(*key, title_only);
            return word;
        }
        word.text = analyze_text(analyzer_, typed);
        word.synonyms = synonyms_of(word.text);
        const korean::WordForms* form = word.single_form();
        if (!form) return word;
        word.filler = is_listed(*form, is_question_filler);
        word.framing = !word.filler && is_listed(*form, is_question_framing_word);
        word.compound_bigrams = korean::compound_bigrams(*form, word.text.bigrams);
        if (spacing)
            for (const std::string& part : split_of(*form))
                word.split_parts.push_back(analyse(part, title_only, false));
        const korean::WordCount count = [this](const std::string& w) { return counted(w); };
        const std::string noun = korean::one_syllable_noun(*form, count);
        for (const std::string& shorter : {korean::part_before_bound_noun(form->searched()), noun,
                                           korean::before_contracted_locative(*form, count)})
            if (!shorter.empty()) word.shorter_forms.push_back(shorter);
        for (std::string& particle_form :
             korean::unstemmed_particle_forms(analyzer_, noun.empty() ? form->searched() : noun))
            if (particle_form != form->surface) word.particle_forms.push_back(std::move(particle_form));
        // Without the compound trigrams, a word of 3+ syllables is always
        // looked up inside the words that contain it, as a form of itself.
        word.containing_as_form = !compound_trigrams_ && word.compound_bigrams.size() >= 2;
        word.containing_words = containing_words(form->searched(), word.containing_as_form ? 0 : counted_forms(*form));
        return word;
    }

    // The most frequent indexed words holding `part` inside, each by its stem
    // (참나무가 → 참나무), leaving out the part's own particle forms (나무가).
    // Only for a part seen alone at most `containing_share` times as often
    // as its commonest containing word (0: a part the archive only holds
    // inside other words).
    std::vector<std::string> containing_words(const std::string& part, std::size_t part_count) const {
        std::vector<std::string> words;
        if (max_containing_words_ == 0) return words;
        // Read more than wanted: many of the most frequent are the part with a particle.
        const std::vector<Lexicon::Counted> found_words =
            vocabulary_.words_containing(part, 4 * max_containing_words_ + 8);
        // The commonest found word counts at least as much as the commonest
        // containing one: past it, nothing to analyse.
        if (found_words.empty() ||
            static_cast<double>(part_count) > containing_share_ * static_cast<double>(found_words.front().count))
            return words;
        std::size_t top = 0;
        for (const Lexicon::Counted& found : found_words) {
            const AnalyzedText text = analyze_text(analyzer_, found.word);
            if (text.forms_at.size() != 1) continue;
            const std::string& searched = text.forms_at.begin()->second.searched();
            if (searched.size() <= part.size() || searched.find(part) == std::string::npos) continue;
            top = found.count;
            break;
        }
        if (top == 0 || static_cast<double>(part_count) > containing_share_ * static_cast<double>(top)) return words;
        for (const Lexicon::Counted& found : found_words) {
            const AnalyzedText text = analyze_text(analyzer_, found.word);
            if (text.forms_at.size() != 1) continue;
            const std::string& searched = text.forms_at.begin()->second.searched();
            if (searched.size() <= part.size() || searched.find(part) == std::string::npos) continue;
            add_unique(words, searched);
            if (words.size() == max_containing_words_) break;
        }
        return words;
    }

    AnalyzedText text_of(const QueryNode& node) const { return analyze_text(analyzer_, node.text); }

    // Whether the archive holds the word, as written or by its stem.
    bool holds(const korean::WordForms& form) {
        return counted(form.surface) > 0 || (!form.stem.empty() && counted(form.stem) > 0);
    }

    // The most probable cut of a Hangul word into words the archive holds,
    // each of two syllables or more: the product of their shares of the
    // archive's articles, highest (so fewer, commoner parts win), against the
    // word's own share (`word_count` articles hold it). Empty when the word
    // itself is likelier, or no cut of two parts or more exists. Words longer
    // than kMaxSplitSyllables are not cut: the lookups grow with the square
    // of the length.
    std::size_t counted_forms(const korean::WordForms& form) {
        return counted(form.surface) + (form.stem.empty() ? 0 : counted(form.stem));
    }

    // The word as typed is cut first (햄버거의정의 → 햄버거의 + 정의; its stem
    // 햄버거의정 would give 햄버거 + 의정), then its stem.
    std::vector<std::string> split_of(const korean::WordForms& form) {
        const std::size_t count = counted_forms(form);
        std::vector<std::string> parts = split_into_indexed_words(form.surface, count);
        if (parts.empty() && !form.stem.empty()) parts = split_into_indexed_words(form.stem, count);
        return parts;
    }

    std::vector<std::string> split_into_indexed_words(const std::string& word, std::size_t word_count) {
        constexpr std::size_t kSyllable = 3, kMinSplitSyllables = 4, kMaxSplitSyllables = 12;
        const std::size_t n = word.size() / kSyllable;
        if (n < kMinSplitSyllables || n > kMaxSplitSyllables || hangul::initials_of(word).size() != word.size())
            return {};
        const double documents = std::max<double>(1.0, static_cast<double>(vocabulary_.documents()));
        constexpr double kNone = -1e300;
        std::vector<double> best(n + 1, kNone);
        std::vector<std::size_t> from(n + 1, 0);
        best[0] = 0;
        for (std::size_t end = 2; end <= n; ++end) {
            for (std::size_t start = 0; start + 2 <= end; ++start) {
                if (best[start] == kNone) continue;
                const std::size_t count = counted(word.substr(start * kSyllable, (end - start) * kSyllable));
                if (count == 0) continue;
                const double score = best[start] + std::log(static_cast<double>(count) / documents);
                if (score > best[end]) best[end] = score, from[end] = start;
            }
        }
        if (best[n] == kNone || from[n] == 0) return {};
        // The word itself is the cut of one part: cut only when the parts are
        // the likelier reading (포토샵색상, rare or absent, but not 건강보험).
        if (word_count > 0 && std::log(static_cast<double>(word_count) / documents) > best[n]) return {};
        std::vector<std::string> parts;
        for (std::size_t end = n; end > 0; end = from[end])
            parts.insert(parts.begin(), word.substr(from[end] * kSyllable, (end - from[end]) * kSyllable));
        return parts;
    }

    // Two typed words together, as a member of several words (신종 코로나).
    std::vector<std::string> synonyms_of_pair(const AnalyzedText& first, const AnalyzedText& second) const {
        if (first.forms_at.empty() || second.forms_at.empty()) return {};
        std::vector<korean::WordForms> forms;
        for (const AnalyzedText* text : {&first, &second})
            for (const auto& [position, form] : text->forms_at) forms.push_back(form);
        return synonyms_of(forms);
    }

private:
    std::vector<std::string> synonyms_of(const AnalyzedText& text) const {
        std::vector<korean::WordForms> forms;
        for (const auto& [position, form] : text.forms_at) forms.push_back(form);
        return synonyms_of(forms);
    }

    // The synonym groups of these words, found by their key as typed, or
    // with the last word's particle stripped (코로나가 → 코로나).
    std::vector<std::string> synonyms_of(const std::vector<korean::WordForms>& forms) const {
        if (forms.empty()) return {};
        std::vector<std::string> surfaces, stemmed;
        for (const korean::WordForms& form : forms) {
            surfaces.push_back(form.surface);
            stemmed.push_back(form.surface);
        }
        const std::string& last_stem = forms.back().stem;
        std::vector<std::string> keys{schema::synonym_key(surfaces)};
        if (!last_stem.empty()) {
            stemmed.back() = last_stem;
            keys.push_back(schema::synonym_key(stemmed));
        }
        std::vector<std::string> synonyms;
        for (const std::string& key : keys)
            for (const std::string& synonym : vocabulary_.synonyms(key))
                if (std::find(keys.begin(), keys.end(), synonym) == keys.end()) add_unique(synonyms, synonym);
        return synonyms;
    }

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
    const std::size_t max_containing_words_;
    const double containing_share_;
    const bool compound_trigrams_;
    std::unordered_map<std::string, std::size_t> counts_;
};

// 건강 도시 may be written 건강도시: two plain Hangul words under the same field.
bool may_join(const QueryNode& first, const QueryNode& second) {
    return first.kind == QueryNode::Kind::word && second.kind == QueryNode::Kind::word &&
           first.title_only == second.title_only && !hangul::initials_of(first.text).empty() &&
           !hangul::initials_of(second.text).empty() && !hangul::as_initials(first.text);
}

// Two words typed apart that may together be a member of a synonym group.
bool may_pair(const AnalysedNode& first, const AnalysedNode& second) {
    const auto plain = [](const AnalysedNode& n) {
        return n.node->kind == QueryNode::Kind::word && !n.word.initials && !n.word.filler;
    };
    return plain(first) && plain(second) && first.node->title_only == second.node->title_only;
}

AnalysedNode analyse_node(const QueryNode& node, WordAnalyser& words, bool spacing) {
    AnalysedNode out;
    out.node = &node;
    if (node.kind == QueryNode::Kind::word) out.word = words.analyse(node, spacing);
    if (node.kind == QueryNode::Kind::phrase) out.word.text = words.text_of(node);
    for (const QueryNode& child : node.children) out.children.push_back(analyse_node(child, words, spacing));
    if (node.kind == QueryNode::Kind::all_of)
        for (std::size_t i = 0; i + 1 < out.children.size(); ++i)
            if (may_pair(out.children[i], out.children[i + 1]))
                out.children[i].synonyms_with_next =
                    words.synonyms_of_pair(out.children[i].word.text, out.children[i + 1].word.text);
    if (spacing && node.kind == QueryNode::Kind::all_of) {
        for (std::size_t i = 0; i + 1 < node.children.size(); ++i) {
            if (!may_join(node.children[i], node.children[i + 1])) continue;
            QueryNode joined = node.children[i];
            joined.text += node.children[i + 1].text;
            AnalysedWord together = words.analyse(joined, false);
            const korean::WordForms* form = together.single_form();
            if (form && words.holds(*form)) out.children[i].joined_with_next = std::move(together);
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

namespace {

void describe_spacing(const AnalysedNode& node, std::string& out) {
    const auto add = [&out](const std::string& text) { out += (out.empty() ? "" : "; ") + text; };
    if (!node.word.split_parts.empty()) {
        std::string parts;
        for (const AnalysedWord& part : node.word.split_parts)
            if (const korean::WordForms* form = part.single_form()) parts += (parts.empty() ? "" : " + ") + form->surface;
        add(node.node->text + " → " + parts);
    }
    if (!node.word.containing_words.empty()) {
        std::string words;
        for (const std::string& word : node.word.containing_words) words += (words.empty() ? "" : ", ") + word;
        add(node.node->text + " in " + words);
    }
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        describe_spacing(node.children[i], out);
        if (const auto& joined = node.children[i].joined_with_next; joined && joined->single_form())
            add(node.children[i].node->text + " " + node.children[i + 1].node->text + " → " +
                joined->single_form()->surface);
    }
}

}  // namespace

namespace {

void describe_synonyms(const AnalysedNode& node, std::string& out) {
    if (!node.word.synonyms.empty()) {
        std::string listed;
        for (const std::string& synonym : node.word.synonyms) listed += (listed.empty() ? "" : ", ") + synonym;
        out += (out.empty() ? "" : "; ") + node.node->text + " → " + listed;
    }
    for (std::size_t i = 0; i < node.children.size(); ++i) {
        describe_synonyms(node.children[i], out);
        std::string listed;
        for (const std::string& synonym : node.children[i].synonyms_with_next)
            listed += (listed.empty() ? "" : ", ") + synonym;
        if (!listed.empty())
            out += (out.empty() ? "" : "; ") + node.children[i].node->text + " " + node.children[i + 1].node->text +
                   " → " + listed;
    }
}

}  // namespace

std::string describe_synonyms(const AnalysedQuery& query) {
    std::string out;
    describe_synonyms(query.tree, out);
    return out;
}

std::string describe_spacing(const AnalysedQuery& query) {
    std::string out;
    describe_spacing(query.tree, out);
    return out;
}

AnalysedQuery analyse_query(QueryNode root, const Analyzer& analyzer, const Vocabulary& vocabulary,
                            AnalysisOptions options) {
    AnalysedQuery query;
    query.root = std::make_unique<const QueryNode>(std::move(root));
    query.spacing = options.spacing;
    WordAnalyser words(analyzer, vocabulary, options);
    query.tree = analyse_node(*query.root, words, options.spacing);
    return query;
}

}  // namespace sosik
