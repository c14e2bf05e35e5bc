#include "phrase_check.h"

#include <sosik/stored_article.h>


#include <algorithm>
#include <map>
#include <optional>

namespace sosik {

namespace {

// The word forms at each word position of `text`.
using FormsAt = std::map<std::uint32_t, std::vector<std::string>>;

FormsAt forms_at(const Analyzer& analyzer, const std::string& text) {
    FormsAt forms;
    for (Token& token : analyzer.analyze(text)) {
        if (token.layer == Layer::bigram) continue;
        forms[token.position].push_back(std::move(token.text));
    }
    return forms;
}

bool word_matches(const std::vector<std::string>& wanted, const std::vector<std::string>& present) {
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& form) {
        return std::find(present.begin(), present.end(), form) != present.end();
    });
}

bool contains_phrase(const FormsAt& forms, const PhraseRequirement& phrase) {
    if (phrase.words.empty()) return true;
    for (const auto& [position, present] : forms) {
        if (!word_matches(phrase.words.front(), present)) continue;
        bool all = true;
        for (std::size_t k = 1; k < phrase.words.size() && all; ++k) {
            const auto next = forms.find(position + static_cast<std::uint32_t>(k));
            all = next != forms.end() && word_matches(phrase.words[k], next->second);
        }
        if (all) return true;
    }
    return false;
}

}  // namespace

bool PhraseDecider::accepts(const std::string& title, const std::string& text) const {
    // Analyze each field at most once, and only when a phrase asks for it.
    std::optional<FormsAt> title_forms, text_forms;
    for (const PhraseRequirement& phrase : phrases_) {
        if (!title_forms) title_forms = forms_at(analyzer_, title);
        bool found = contains_phrase(*title_forms, phrase);
        if (!found && !phrase.title_only) {
            if (!text_forms) text_forms = forms_at(analyzer_, text);
            found = contains_phrase(*text_forms, phrase);
        }
        if (found == phrase.excluded) return false;
    }
    return true;
}

bool PhraseDecider::operator()(const Xapian::Document& doc) const {
    const schema::StoredArticleReader stored(doc.get_data());
    return accepts(stored.title(), std::string(stored.text()));
}

}  // namespace sosik
