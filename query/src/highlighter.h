// Snippets and highlights from the analyzer's offsets — Xapian's own snippet
// generator does not know our terms and cuts Korean into single syllables.
#pragma once

#include "query_plan.h"

#include <sosik/analyzer.h>
#include <sosik/search.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sosik {

class Highlighter {
public:
    Highlighter(const Analyzer& analyzer, const std::vector<MatchTarget>& targets)
        : analyzer_(analyzer), targets_(targets) {}

    // The whole text with every match marked (for titles).
    Highlighted mark_all(const std::string& text) const;

    // The window of about `window_chars` characters holding the most distinct
    // matched query words (then the earliest), cut on character boundaries,
    // '…' where text was cut. Without matches: the start of the text.
    Highlighted best_window(const std::string& text, std::size_t window_chars = 120) const;

private:
    struct Match {
        std::size_t begin, end;
        std::size_t target;
    };
    // Matches in text[begin, end), offsets into the whole text.
    std::vector<Match> find_matches(const std::string& text, std::size_t begin, std::size_t end) const;
    std::vector<Match> find_matches(const std::string& text) const { return find_matches(text, 0, text.size()); }
    // The parts of a long text worth analysing for a snippet, found by plain
    // byte search for the query's forms, sorted and disjoint; nullopt:
    // analyse all of it.
    using Regions = std::vector<std::pair<std::size_t, std::size_t>>;
    std::optional<Regions> snippet_regions(const std::string& text, std::size_t window_chars,
                                           std::size_t context_chars) const;

    const Analyzer& analyzer_;
    const std::vector<MatchTarget>& targets_;
};

}  // namespace sosik
