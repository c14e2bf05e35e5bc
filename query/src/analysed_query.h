// Stage 2 of a search: the parsed query analysed once. Every typed word goes
// through the analyzer once; its variants (stems, particle forms, the parts
// a dictionary would split off, compound parts, 초성 words) are computed once
// and the vocabulary counts they need looked up once per query. The plan
// (query_plan.h) builds each matching pass from this without analysing again.
#pragma once

#include "query_parser.h"
#include "vocabulary.h"

#include <sosik/analyzer.h>
#include <sosik/korean_variants.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sosik {

// The analyzer's view of one typed word or phrase: per word position its
// surface and stem; joined forms; bigrams in order.
struct AnalyzedText {
    std::map<std::uint32_t, korean::WordForms> forms_at;
    std::vector<std::string> joined;
    std::vector<std::string> bigrams;
};
AnalyzedText analyze_text(const Analyzer& analyzer, const std::string& text);

// A word typed as 초성 (ㄱㄱㄷㅅ) and the indexed words it stands for.
struct InitialsWords {
    std::string key;                       // compatibility jamo
    std::vector<std::string> title_longer;  // title keys that start with it, most frequent first
    Vocabulary::InitialsWords body;         // body words whose initials are the key, or start with it
};

// One word node, analysed.
struct AnalysedWord {
    std::optional<InitialsWords> initials;  // set: a 초성 query, nothing below applies
    AnalyzedText text;
    // Only for a word of one form (not split by ICU like CJ제일제당):
    std::vector<std::string> compound_bigrams;  // ≥ 2: also matched inside compounds
    std::vector<std::string> shorter_forms;     // 뉴욕시 → 뉴욕, 칩의 → 칩, 항소심서 → 항소심
    std::vector<std::string> particle_forms;    // 굴 → 굴이 … (the forms the index keeps whole)
    // Indexed words that contain it (나무 → 참나무), most frequent first, by their stems.
    std::vector<std::string> containing_words;
    bool containing_as_form = false;  // matched as the word itself, not weighed less
    // With spacing, a word the archive does not hold, cut into words it does
    // (손해배상청구 → 손해배상 + 청구), each analysed as a word of its own.
    std::vector<AnalysedWord> split_parts;
    // The members of its synonym groups (sosik-index --synonyms), each as
    // schema::synonym_key: words separated by a space (코로나19에 → "covid 19").
    std::vector<std::string> synonyms;
    bool filler = false;   // a question word (무엇, 있나요 …), dropped among topic words
    bool framing = false;  // a framing word (의미, 용어 …), weighed less among topic words

    // The forms of a plain word of one form; nullptr for phrases, split words, 초성.
    const korean::WordForms* single_form() const {
        return !initials && text.forms_at.size() == 1 ? &text.forms_at.begin()->second : nullptr;
    }
};

// The query tree with its words analysed, node for node.
struct AnalysedNode {
    const QueryNode* node = nullptr;  // into AnalysedQuery::root
    AnalysedWord word;                // word and phrase nodes
    std::vector<AnalysedNode> children;
    // With spacing, for a word followed by a word: the two written as one
    // (주가 조작 → 주가조작), analysed as one word, when the archive holds
    // that word. Empty otherwise.
    std::optional<AnalysedWord> joined_with_next;
    // For a word followed by a word: the synonyms of the two together, a
    // member of several words typed apart (신종 코로나 → 코로나). Empty otherwise.
    std::vector<std::string> synonyms_with_next;
};

struct AnalysedQuery {
    std::unique_ptr<const QueryNode> root;  // the parsed query, request filters included (the tree points into it)
    AnalysedNode tree;
    bool spacing = false;
};

struct AnalysisOptions {
    // Spacing tolerance from the archive's own vocabulary: adjacent words
    // also match written as one where the archive holds that word, and a
    // word it does not hold is cut into words it does.
    bool spacing = true;
    // Containing words per query word (0: none) and when (RankingParams).
    std::size_t max_containing_words = 0;
    double containing_share = 1.0;
    bool compound_trigrams = true;
};

// The synonyms a query's words were expanded by, readable:
// `코로나19에 → covid 19, 코로나`. Empty when none.
std::string describe_synonyms(const AnalysedQuery& query);

// What spacing tolerance and the lexicon added, readable: `손해배상청구 →
// 손해배상 + 청구; 주가 조작 → 주가조작; 연맹 in 건강도시연맹`.
// Empty when nothing.
std::string describe_spacing(const AnalysedQuery& query);

AnalysedQuery analyse_query(QueryNode root, const Analyzer& analyzer, const Vocabulary& vocabulary,
                            AnalysisOptions options);

}  // namespace sosik
