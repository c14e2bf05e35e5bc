#include "request_params.h"

#include <charconv>

namespace sosik::http {

namespace {

constexpr const char* kNotText = "not valid UTF-8 text (or contains a NUL byte)";

std::string too_long_reason(const std::string& name) { return name == "q" ? "query_too_long" : "value_too_long"; }

// The first value of `name`, checked for size and encoding; empty when absent.
std::string single_value(const QueryParams& params, const std::string& name, std::size_t max_bytes) {
    const auto it = params.find(name);
    if (it == params.end()) return {};
    const std::string& value = it->second;
    if (value.size() > max_bytes)
        throw ParameterError(name, too_long_reason(name), "longer than " + std::to_string(max_bytes) + " bytes");
    if (!is_valid_utf8(value)) throw ParameterError(name, "invalid_text", kNotText);
    return value;
}

std::vector<std::string> all_values(const QueryParams& params, const std::string& name) {
    std::vector<std::string> values;
    const auto [first, last] = params.equal_range(name);
    for (auto it = first; it != last; ++it) {
        if (values.size() == kMaxRepeats)
            throw ParameterError(name, "too_many_values", "given more than " + std::to_string(kMaxRepeats) + " times");
        if (it->second.size() > kMaxValueBytes)
            throw ParameterError(name, "value_too_long", "longer than " + std::to_string(kMaxValueBytes) + " bytes");
        if (!is_valid_utf8(it->second)) throw ParameterError(name, "invalid_text", kNotText);
        if (!it->second.empty()) values.push_back(it->second);
    }
    return values;
}

// A whole decimal number in [low, high]: no sign, no exponent, no spaces.
std::size_t bounded_number(const QueryParams& params, const std::string& name, std::size_t fallback,
                           std::size_t low, std::size_t high) {
    const auto it = params.find(name);
    if (it == params.end()) return fallback;
    const std::string& text = it->second;
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw ParameterError(name, "invalid_" + name,
                             "must be a whole number from " + std::to_string(low) + " to " + std::to_string(high));
    return value;
}

// The same words as `sosik-search --sort`. A literal "+" in a URL is a space,
// so "+date" must be sent as %2Bdate — or as "oldest".
SortOrder parse_sort(const std::string& sort) {
    if (sort.empty() || sort == "relevance") return SortOrder::relevance;
    if (sort == "date" || sort == "-date" || sort == "newest") return SortOrder::newest_first;
    if (sort == "+date" || sort == "oldest") return SortOrder::oldest_first;
    throw ParameterError("sort", "invalid_sort", "not one of relevance, date (newest first), +date or oldest (oldest first)");
}

std::vector<std::string> split_commas(const std::string& list) {
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at <= list.size()) {
        const std::size_t comma = std::min(list.find(',', at), list.size());
        if (comma > at) out.push_back(list.substr(at, comma - at));
        at = comma + 1;
    }
    return out;
}

}  // namespace

SearchRequest search_request_from(const QueryParams& params) {
    SearchRequest request;
    request.query = single_value(params, "q", kMaxQueryBytes);
    request.limit = bounded_number(params, "limit", request.limit, 1, kMaxLimit);
    request.offset = bounded_number(params, "offset", 0, 0, kMaxOffset);
    request.sort = parse_sort(single_value(params, "sort", kMaxValueBytes));
    request.categories = all_values(params, "category");
    request.sites = all_values(params, "site");
    request.tags = all_values(params, "tag");
    request.since = single_value(params, "since", kMaxValueBytes);
    request.until = single_value(params, "until", kMaxValueBytes);
    request.facets = split_commas(single_value(params, "facets", kMaxValueBytes));
    const std::string spacing = single_value(params, "spacing", kMaxValueBytes);
    if (!spacing.empty()) {
        if (spacing != "0" && spacing != "1") throw ParameterError("spacing", "invalid_spacing", "must be 1 (on) or 0 (off)");
        request.spacing = spacing == "1";
    }
    return request;
}

SearchRequest typed_request_from(const QueryParams& params) {
    SearchRequest typed;
    const auto readable = [](const std::string& value) { return value.size() <= kMaxValueBytes && is_valid_utf8(value); };
    if (const auto q = params.find("q"); q != params.end() && is_valid_utf8(q->second)) typed.query = q->second;
    for (const auto& [name, value] : params) {
        if (value.empty() || !readable(value)) continue;
        if (name == "category" && typed.categories.size() < kMaxRepeats) typed.categories.push_back(value);
        if (name == "tag" && typed.tags.size() < kMaxRepeats) typed.tags.push_back(value);
    }
    if (const auto sort = params.find("sort"); sort != params.end()) {
        try {
            typed.sort = parse_sort(sort->second);
        } catch (const ParameterError&) {
            // shown as the default order
        }
    }
    return typed;
}

SuggestRequest suggest_request_from(const QueryParams& params) {
    SuggestRequest request;
    request.query = single_value(params, "q", kMaxSuggestQueryBytes);
    request.limit = bounded_number(params, "limit", request.limit, 1, kMaxSuggestions);
    return request;
}

AnalyzeRequest analyze_request_from(const QueryParams& params) {
    AnalyzeRequest request;
    const std::string mode = single_value(params, "query", kMaxValueBytes);
    if (!mode.empty() && mode != "0" && mode != "1") throw ParameterError("query", "invalid_mode", "must be 1 (a query) or 0 (a text)");
    request.as_query = mode == "1";
    request.text = single_value(params, "text", request.as_query ? kMaxQueryBytes : kMaxAnalyzeTextBytes);
    if (params.find("text") == params.end()) throw ParameterError("text", "missing_text", "missing (the text to analyze)");
    const std::string field = single_value(params, "field", kMaxValueBytes);
    if (!field.empty() && field != "body" && field != "title")
        throw ParameterError("field", "invalid_field", "must be body or title");
    request.as_title = field == "title";
    if (request.as_query) {
        if (request.as_title) throw ParameterError("field", "invalid_field", "applies to a text, not to query=1");
        QueryParams as_search{{"q", request.text}};
        if (const auto spacing = params.find("spacing"); spacing != params.end()) as_search.insert(*spacing);
        request.query = search_request_from(as_search);
    }
    return request;
}

std::string_view sort_parameter(SortOrder order) {
    switch (order) {
    case SortOrder::newest_first: return "date";
    case SortOrder::oldest_first: return "oldest";
    case SortOrder::relevance: break;
    }
    return "relevance";
}

bool is_valid_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto lead = static_cast<unsigned char>(text[i]);
        if (lead == 0) return false;
        if (lead < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        char32_t code = 0, smallest = 0;
        if ((lead & 0xE0) == 0xC0) length = 2, code = lead & 0x1F, smallest = 0x80;
        else if ((lead & 0xF0) == 0xE0) length = 3, code = lead & 0x0F, smallest = 0x800;
        else if ((lead & 0xF8) == 0xF0) length = 4, code = lead & 0x07, smallest = 0x10000;
        else return false;
        if (i + length > text.size()) return false;
        for (std::size_t k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xC0) != 0x80) return false;
            code = (code << 6) | (next & 0x3F);
        }
        if (code < smallest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
        i += length;
    }
    return true;
}

}  // namespace sosik::http
