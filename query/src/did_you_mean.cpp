// "Did you mean": the closest indexed word to a query word that no article
// holds. Candidates come from the index itself, no spelling table: the
// words one jamo (or letter) away, looked up exactly — a typo anywhere, the
// first syllable included — and the words sharing the first syllable (or
// letter) within two jamo, read from the term list. Jamo, not syllables, are
// the unit: 건깅도시 → 건강도시 is one vowel, as a Korean typist sees it.
// Xapian's own spelling table compares bytes and would need the indexer to
// feed it; this works on any Sosik database as it is.
#include "suggest.h"

#include "vocabulary.h"

#include <sosik/hangul.h>
#include <sosik/schema.h>

#include <algorithm>
#include <tuple>

namespace sosik {

namespace {

constexpr std::size_t kMaxTermsRead = 5000;
constexpr std::size_t kMaxDistance = 2;

struct Candidate {
    std::string word;
    std::size_t distance = 0;
    std::size_t count = 0;
    bool better_than(const Candidate& other) const {
        return std::tie(distance, other.count, word) < std::tie(other.distance, count, other.word);
    }
};

std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string first_character(std::string_view s) {
    std::size_t n = 1;
    while (n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) ++n;
    return std::string(s.substr(0, n));
}

std::string closest_word(const Vocabulary& vocabulary, const std::string& word) {
    // No indexed term is that long, nor one character shorter: spare the
    // variants, which grow with the square of the length (a pasted line).
    if (word.size() > schema::kMaxTermBytes + 4) return {};
    Candidate best{{}, kMaxDistance + 1, 0};
    const auto consider = [&](const std::string& candidate, std::size_t count) {
        if (count == 0 || candidate == word) return;
        const std::size_t length = characters(word), other = characters(candidate);
        if (other + 1 < length || length + 1 < other) return;
        // Short words are one jamo from many others: allow only one edit there.
        const std::size_t allowed = length <= 2 ? 1 : kMaxDistance;
        const Candidate c{candidate, hangul::jamo_distance(word, candidate), count};
        if (c.distance <= allowed && c.better_than(best)) best = c;
    };
    for (const std::string& variant : hangul::one_edit_variants(word)) consider(variant, vocabulary.count(variant));
    for (const auto& [candidate, count] : vocabulary.completions({first_character(word), 0, 0}, kMaxTermsRead))
        consider(candidate, count);
    return best.word;
}

void collect_words(const AnalysedNode& node, std::vector<const AnalysedNode*>& words) {
    switch (node.node->kind) {
    case QueryNode::Kind::word:
        words.push_back(&node);
        break;
    case QueryNode::Kind::all_of:
    case QueryNode::Kind::any_of:
        for (const auto& child : node.children) collect_words(child, words);
        break;
    default:
        break;  // phrases are taken as typed; exclusions and filters need no fixing
    }
}

}  // namespace

std::string did_you_mean(const Vocabulary& vocabulary, const AnalysedQuery& query, const std::string& typed) {
    std::vector<const AnalysedNode*> words;
    collect_words(query.tree, words);
    std::string corrected = typed;
    std::size_t search_from = 0;
    bool changed = false;
    for (const AnalysedNode* word : words) {
        const std::string& text = word->node->text;
        if (hangul::as_initials(text)) continue;
        const korean::WordForms* form = word->word.single_form();
        if (!form || vocabulary.count(form->surface) > 0 || (!form->stem.empty() && vocabulary.count(form->stem) > 0))
            continue;
        const std::string replacement = closest_word(vocabulary, form->searched());
        if (replacement.empty()) continue;
        // Replace the word where it was typed; keep a particle that followed the
        // stem (건깅도시를 → 건강도시를).
        const std::size_t at = corrected.find(text, search_from);
        if (at == std::string::npos) continue;
        std::string typed_replacement = replacement;
        if (!form->stem.empty() && text.starts_with(form->stem)) typed_replacement += text.substr(form->stem.size());
        corrected.replace(at, text.size(), typed_replacement);
        search_from = at + typed_replacement.size();
        changed = true;
    }
    return changed ? corrected : std::string();
}

}  // namespace sosik
