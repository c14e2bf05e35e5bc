#include <sosik/search.h>

#include <sosik/index_terms.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <initializer_list>
#include <string_view>

namespace sosik {

namespace {

void append_html_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

template <typename Append>
std::string render_marks(const Highlighted& h, std::string_view open, std::string_view close, Append append) {
    std::string out;
    std::size_t at = 0;
    for (const auto& [begin, end] : h.marks) {
        if (begin < at || end > h.text.size()) continue;  // defensive: marks are sorted and in range
        append(out, std::string_view(h.text).substr(at, begin - at));
        out += open;
        append(out, std::string_view(h.text).substr(begin, end - begin));
        out += close;
        at = end;
    }
    append(out, std::string_view(h.text).substr(at));
    return out;
}

// The JSON's two date fields from the stored date, which the indexer wrote as
// 2024-09-02, 2024-09-02T10:00:00 or 2024-09-02T10:00:00+09:00:
// "date" is always the calendar day, "datetime" the RFC 3339 instant, only
// when the source gave both a time and its UTC offset (none is guessed).
struct JsonDates {
    std::string date;
    std::string datetime;
};

bool digits_at(std::string_view s, std::initializer_list<std::size_t> positions) {
    for (std::size_t at : positions)
        if (at >= s.size() || s[at] < '0' || s[at] > '9') return false;
    return true;
}

JsonDates json_dates(std::string_view stored) {
    JsonDates out;
    if (stored.size() < 10 || !digits_at(stored, {0, 1, 2, 3, 5, 6, 8, 9}) || stored[4] != '-' || stored[7] != '-')
        return out;  // undated (or not a date an indexer writes): both empty
    out.date = stored.substr(0, 10);
    // YYYY-MM-DDTHH:MM:SS±HH:MM
    if (stored.size() == 25 && stored[10] == 'T' && digits_at(stored, {11, 12, 14, 15, 17, 18, 20, 21, 23, 24}) &&
        stored[13] == ':' && stored[16] == ':' && (stored[19] == '+' || stored[19] == '-') && stored[22] == ':')
        out.datetime = stored;
    return out;
}

}  // namespace

std::string marked_html(const Highlighted& highlighted) {
    return render_marks(highlighted, "<mark>", "</mark>", append_html_escaped);
}

std::string marked_text(const Highlighted& highlighted, std::string_view open, std::string_view close) {
    return render_marks(highlighted, open, close, [](std::string& out, std::string_view s) { out += s; });
}

std::string to_json(const SearchResult& result, bool pretty) {
    nlohmann::json hits = nlohmann::json::array();
    for (const Hit& hit : result.hits) {
        const JsonDates dates = json_dates(hit.date);
        nlohmann::json h = {
            {"id", hit.id},
            {"url", hit.url},
            {"title", hit.title},
            {"title_html", marked_html(hit.title_highlight.text.empty() ? Highlighted{hit.title, {}}
                                                                        : hit.title_highlight)},
            {"date", dates.date},
            {"categories", hit.categories},
            {"tags", hit.tags},
            {"score", std::round(hit.score * 10000.0) / 10000.0},
            {"snippet", marked_html(hit.snippet)},
        };
        if (!dates.datetime.empty()) h["datetime"] = dates.datetime;
        if (!hit.explanation.empty()) h["explain"] = hit.explanation;
        hits.push_back(std::move(h));
    }
    nlohmann::json facets = nlohmann::json::object();
    for (const auto& [name, counts] : result.facets) {
        nlohmann::json values = nlohmann::json::array();
        for (const auto& c : counts) values.push_back({{"value", c.value}, {"count", c.count}});
        facets[name] = std::move(values);
    }
    nlohmann::json out = {
        {"query", result.query},
        {"parsed", result.parsed},
        {"offset", result.offset},
        {"limit", result.limit},
        {"total", result.total},
        {"total_exact", result.total_exact},
        {"took_ms", std::round(result.took_ms * 1000.0) / 1000.0},
        {"hits", std::move(hits)},
        {"facets", std::move(facets)},
    };
    if (!result.explained_query.empty()) out["explain"] = result.explained_query;
    if (result.partial) {
        out["partial"] = true;
        out["missing_shards"] = result.missing_shards;
    }
    if (!result.did_you_mean.empty()) out["did_you_mean"] = result.did_you_mean;
    if (result.notice) out["notice"] = {{"reason", result.notice->reason}, {"message", result.notice->message}};
    // Replace, never throw, on invalid UTF-8 that came from a query or an old index.
    return out.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_json(const QueryAnalysis& analysis, bool pretty) {
    auto words = nlohmann::ordered_json::array();
    for (const QueryWordAnalysis& word : analysis.words) {
        nlohmann::ordered_json out = {{"word", word.word}, {"searched", word.searched}};
        const auto add_list = [&](const char* key, const std::vector<std::string>& list) {
            if (!list.empty()) out[key] = list;
        };
        add_list("shorter_forms", word.shorter_forms);
        add_list("particle_forms", word.particle_forms);
        add_list("compound_parts", word.compound_parts);
        add_list("split_into", word.split_into);
        if (!word.joined_with_next.empty()) out["joined_with_next"] = word.joined_with_next;
        add_list("initials_words", word.initials_words);
        add_list("synonyms", word.synonyms);
        add_list("synonyms_with_next", word.synonyms_with_next);
        words.push_back(std::move(out));
    }
    const nlohmann::ordered_json out = {{"query", analysis.query},
                                        {"parsed", analysis.parsed},
                                        {"words", std::move(words)},
                                        {"xapian_query", analysis.xapian_query}};
    return out.dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string index_terms_json(const std::string& text, bool as_title, bool pretty) {
    thread_local const Analyzer analyzer;  // ICU break iterators: built once per thread
    auto terms = nlohmann::ordered_json::array();
    for (const schema::ShownTerm& t : schema::shown_terms(analyzer, text, as_title ? schema::Field::title : schema::Field::body))
        terms.push_back({{"term", t.term},
                         {"layer", t.layer},
                         {"wdf", t.wdf},
                         {"start_offset", t.begin},
                         {"end_offset", t.end},
                         {"source", text.substr(t.begin, t.end - t.begin)}});
    const nlohmann::ordered_json out = {
        {"text", text}, {"field", as_title ? "title" : "body"}, {"terms", std::move(terms)}};
    // The text may hold invalid UTF-8 (sosik-analyze reads any input): replace it rather than throw.
    return out.dump(pretty ? 2 : -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sosik
