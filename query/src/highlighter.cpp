#include "highlighter.h"

#include "ascii_fold.h"

#include <sosik/hangul.h>

#include <algorithm>
#include <set>

namespace sosik {

namespace {

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t advance_chars(const std::string& text, std::size_t from, std::size_t chars) {
    std::size_t i = from;
    while (i < text.size() && chars > 0) {
        ++i;
        while (i < text.size() && is_continuation_byte(text[i])) ++i;
        --chars;
    }
    return i;
}

std::size_t retreat_chars(const std::string& text, std::size_t from, std::size_t chars) {
    std::size_t i = from;
    while (i > 0 && chars > 0) {
        --i;
        while (i > 0 && is_continuation_byte(text[i])) --i;
        --chars;
    }
    return i;
}

// Marks sorted by begin, overlapping or touching ones merged.
std::vector<std::pair<std::size_t, std::size_t>> merge_spans(std::vector<std::pair<std::size_t, std::size_t>> spans) {
    std::sort(spans.begin(), spans.end());
    std::vector<std::pair<std::size_t, std::size_t>> merged;
    for (const auto& span : spans) {
        if (!merged.empty() && span.first <= merged.back().second) {
            merged.back().second = std::max(merged.back().second, span.second);
        } else {
            merged.push_back(span);
        }
    }
    return merged;
}

// Newlines (paragraph breaks) read as spaces in a one-line snippet; same byte length.
std::string one_line(std::string text) {
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
}

}  // namespace

std::vector<Highlighter::Match> Highlighter::find_matches(const std::string& text, std::size_t offset,
                                                         std::size_t end) const {
    std::vector<Match> matches;
    if (targets_.empty() || offset >= end) return matches;
    std::vector<Token> tokens = analyzer_.analyze(std::string_view(text).substr(offset, end - offset));
    for (Token& token : tokens) {
        token.begin += offset;
        token.end += offset;
    }
    std::vector<const Token*> bigrams;
    // A stem covers only part of its word (서울시 of 서울시는); the mark covers the word as written.
    const Token* surface = nullptr;
    for (const Token& token : tokens) {
        if (token.layer == Layer::bigram) {
            bigrams.push_back(&token);
            continue;
        }
        if (token.layer == Layer::surface) surface = &token;
        const bool stem_of_surface = token.layer == Layer::stem && surface && surface->position == token.position;
        const std::size_t begin = stem_of_surface ? surface->begin : token.begin;
        const std::size_t end = stem_of_surface ? surface->end : token.end;
        for (std::size_t t = 0; t < targets_.size(); ++t) {
            const auto& forms = targets_[t].forms;
            const std::string& initials = targets_[t].initials;
            if (std::find(forms.begin(), forms.end(), token.text) != forms.end() ||
                (!initials.empty() && token.layer != Layer::joined &&
                 hangul::initials_of(token.text).starts_with(initials))) {
                matches.push_back({begin, end, t});
                break;
            }
        }
    }
    // A compound part matched by its bigram phrase: a run of consecutive bigram positions.
    for (std::size_t t = 0; t < targets_.size(); ++t) {
        const auto& wanted = targets_[t].bigrams;
        if (wanted.empty()) continue;
        for (std::size_t i = 0; i + wanted.size() <= bigrams.size(); ++i) {
            bool run = true;
            for (std::size_t k = 0; k < wanted.size() && run; ++k) {
                const Token& b = *bigrams[i + k];
                run = b.text == wanted[k] && b.position == bigrams[i]->position + k;
            }
            if (run) matches.push_back({bigrams[i]->begin, bigrams[i + wanted.size() - 1]->end, t});
        }
    }
    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.begin < b.begin; });
    return matches;
}

Highlighted Highlighter::mark_all(const std::string& text) const {
    Highlighted out;
    out.text = one_line(text);
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (const Match& m : find_matches(text)) spans.emplace_back(m.begin, m.end);
    out.marks = merge_spans(std::move(spans));
    return out;
}

std::optional<Highlighter::Regions> Highlighter::snippet_regions(const std::string& text, std::size_t window_chars,
                                                                 std::size_t context_chars) const {
    // Analysing a whole article for each hit was most of a query's CPU. Korean
    // particles and endings are suffixes, so a matched word's form (or its
    // bigram) is a substring of the text as written: analyse only around the
    // places where one occurs, far enough on each side that every window
    // best_window can pick from them is analysed whole, which gives the same
    // snippet as analysing everything. Initials queries, and texts where no
    // form occurs as written (Hanja, full-width letters), are analysed whole.
    constexpr std::size_t kShortText = 1024;  // bytes: cheap enough to analyse whole
    constexpr std::size_t kMargin = 8;        // characters, for the word a region's edge falls in
    constexpr std::size_t kSnapBytes = 48;    // how far to look for a space to cut at
    if (text.size() <= kShortText) return std::nullopt;
    for (const MatchTarget& target : targets_)
        if (!target.initials.empty()) return std::nullopt;
    const std::string lowered = ascii_lowered(text);  // forms are lower-case

    std::vector<std::size_t> found;
    const auto search = [&](const std::string& needle) {
        if (needle.empty()) return;
        for (std::size_t at = lowered.find(needle); at != std::string::npos; at = lowered.find(needle, at + 1))
            found.push_back(at);
    };
    for (const MatchTarget& target : targets_) {
        for (const std::string& form : target.forms) search(form);
        for (const std::string& bigram : target.bigrams) search(bigram);
    }
    if (found.empty()) return std::nullopt;
    std::sort(found.begin(), found.end());

    Regions regions;
    for (const std::size_t at : found) {
        std::size_t begin = retreat_chars(text, at, context_chars + kMargin);
        std::size_t end = advance_chars(text, at, window_chars + kMargin);
        // Cut at a space near each end so that no word is analysed in part.
        if (begin > 0) {
            const std::size_t space = text.find_last_of(" \n", begin);
            if (space != std::string::npos && begin - space <= kSnapBytes) begin = space + 1;
        }
        const std::size_t space = text.find_first_of(" \n", end);
        if (space != std::string::npos && space - end <= kSnapBytes) end = space;
        else if (text.size() - end <= kSnapBytes) end = text.size();
        if (!regions.empty() && begin <= regions.back().second) regions.back().second = std::max(end, regions.back().second);
        else regions.emplace_back(begin, end);
    }
    return regions;
}

Highlighted Highlighter::best_window(const std::string& text, std::size_t window_chars) const {
    constexpr std::size_t kContextBefore = 20;  // characters shown before the first match
    std::vector<Match> matches;
    if (const auto regions = snippet_regions(text, window_chars, kContextBefore)) {
        for (const auto& [begin, end] : *regions) {
            std::vector<Match> here = find_matches(text, begin, end);
            matches.insert(matches.end(), here.begin(), here.end());
        }
    }
    if (matches.empty()) matches = find_matches(text);  // no regions, or the bytes matched but the words did not

    std::size_t best_start = 0, best_distinct = 0;
    for (const Match& anchor : matches) {
        const std::size_t start = retreat_chars(text, anchor.begin, kContextBefore);
        const std::size_t end = advance_chars(text, start, window_chars);
        std::set<std::size_t> distinct;
        for (const Match& m : matches)
            if (m.begin >= start && m.end <= end) distinct.insert(m.target);
        if (distinct.size() > best_distinct) {
            best_distinct = distinct.size();
            best_start = start;
        }
    }
    // Start at a word boundary when one is near, rather than mid-word.
    if (best_start > 0) {
        const std::size_t space = text.find_first_of(" \n", best_start);
        const std::size_t first_match_in_window = [&] {
            for (const Match& m : matches)
                if (m.begin >= best_start) return m.begin;
            return text.size();
        }();
        if (space != std::string::npos && space + 1 <= first_match_in_window) best_start = space + 1;
    }
    const std::size_t best_end = advance_chars(text, best_start, window_chars);

    Highlighted out;
    const std::string prefix = best_start > 0 ? "…" : "";
    out.text = prefix + one_line(text.substr(best_start, best_end - best_start));
    if (best_end < text.size()) out.text += "…";
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    for (const Match& m : matches) {
        if (m.begin >= best_start && m.end <= best_end)
            spans.emplace_back(m.begin - best_start + prefix.size(), m.end - best_start + prefix.size());
    }
    out.marks = merge_spans(std::move(spans));
    return out;
}

}  // namespace sosik
