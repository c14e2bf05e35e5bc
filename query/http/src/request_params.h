// Query-string parameters of /api/search and of the search page, checked and
// turned into a SearchRequest. Knows nothing of HTTP beyond name=value pairs.
#pragma once

#include <sosik/error.h>
#include <sosik/search.h>

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace sosik::http {

// Decoded query parameters; a name may repeat (category=a&category=b).
// The same type as httplib::Params, so requests need no copying.
using QueryParams = std::multimap<std::string, std::string>;

// Bounds on what one request may ask, so a request's cost stays small.
using sosik::kMaxQueryBytes;  // sosik/search.h: the CLI's bound too
inline constexpr std::size_t kMaxLimit = kMaxSearchLimit;  // sosik/search.h: the CLI's bounds too
inline constexpr std::size_t kMaxOffset = kMaxSearchOffset;
inline constexpr std::size_t kMaxValueBytes = 200;  // any other parameter's value
inline constexpr std::size_t kMaxRepeats = 10;      // category=…&category=… and the like

// A parameter that cannot be used; what() starts with its name, reason() is
// one of those README.md lists ("invalid_limit", "invalid_text" …).
class ParameterError : public InvalidRequest {
public:
    ParameterError(std::string parameter, std::string reason, const std::string& problem)
        : InvalidRequest(std::move(reason), parameter + ": " + problem), parameter_(std::move(parameter)) {}
    const std::string& parameter() const { return parameter_; }

private:
    std::string parameter_;
};

// q, limit, offset, sort, category, tag, since, until, facets, spacing → a request.
// Unknown parameters are ignored, as a web search box would; of a repeated
// single-valued parameter (q=a&q=b) the first counts. Throws
// ParameterError; dates and facet names are checked by Searcher::search().
SearchRequest search_request_from(const QueryParams& params);

// What can be read of a request that search_request_from() refused, to show
// it again: the query and filters that are UTF-8, the sort when it is one.
// Never throws; the query is kept even when too long, so it can be shortened.
SearchRequest typed_request_from(const QueryParams& params);

// q and limit of /api/suggest (a search box's text as it is being typed).
inline constexpr std::size_t kMaxSuggestQueryBytes = 200;
inline constexpr std::size_t kMaxSuggestions = 20;
SuggestRequest suggest_request_from(const QueryParams& params);

// text, field (body or title) and query (0 or 1; with spacing) of /api/analyze.
// With query=1 the text is a query and is bounded as q is.
inline constexpr std::size_t kMaxAnalyzeTextBytes = 10000;
struct AnalyzeRequest {
    std::string text;
    bool as_title = false;
    bool as_query = false;
    SearchRequest query;  // with as_query
};
AnalyzeRequest analyze_request_from(const QueryParams& params);

// The `sort` value that asks for `order` (inverse of what the parser accepts).
std::string_view sort_parameter(SortOrder order);

// True when `text` is well-formed UTF-8 (no overlong forms, surrogates or NUL).
bool is_valid_utf8(std::string_view text);

}  // namespace sosik::http
