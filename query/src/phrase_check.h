// Exact phrases ("서울시 협약") checked against an article's stored text.
//
// The index keeps no term positions (schema.h: they were most of its size and
// of the indexing time, and ranking did not need them), so Xapian reads a
// phrase as the AND of its words. A match decider then keeps only the
// articles whose title or text, analyzed again by the same analyzer, has the
// words adjacent and in order. It runs only for queries with a phrase, and
// only on the candidates Xapian considers for the page.
#pragma once

#include <sosik/analyzer.h>

#include <xapian.h>

#include <string>
#include <vector>

namespace sosik {

struct PhraseRequirement {
    // Per word, in order: the forms that match it (its surface and stem, as
    // the analyzer gives them; a document word matches through either of its own).
    std::vector<std::vector<std::string>> words;
    bool title_only = false;  // title:"…"
    bool excluded = false;    // -"…": articles holding it are dropped
};

class PhraseDecider : public Xapian::MatchDecider {
public:
    PhraseDecider(const Analyzer& analyzer, std::vector<PhraseRequirement> phrases)
        : analyzer_(analyzer), phrases_(std::move(phrases)) {}

    // Document data as the indexer writes it: JSON with "title", '\n', text.
    bool operator()(const Xapian::Document& doc) const override;

    // The same test on plain strings (tests, and callers without a document).
    bool accepts(const std::string& title, const std::string& text) const;

private:
    const Analyzer& analyzer_;
    std::vector<PhraseRequirement> phrases_;
};

}  // namespace sosik
