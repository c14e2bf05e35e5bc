// The server-rendered search page (GET /): a form, hits with highlighted
// snippets, category facets and paging — plain links and a GET form, so it
// works with JavaScript turned off. Every piece of user or article text is
// HTML-escaped; snippets and titles come escaped from marked_html().
#pragma once

#include "error_reply.h"

#include <sosik/search.h>

#include <string>

namespace sosik::http {

struct PageContext {
    std::string base_path;  // prefix of our own links: "" or "/search"
    std::string site_url;   // prefix of site-relative article links, may be empty
};

// The page for `request`; `result` is null when nothing was searched yet (empty query).
std::string render_search_page(const PageContext& context, const SearchRequest& request, const SearchResult* result);

// The page with a message in Korean saying what went wrong, and the form
// holding what the user typed (`typed`: its query and filters, as far as they
// could be read), so that it can be corrected rather than typed again.
std::string render_error_page(const PageContext& context, const ErrorReply& error, const SearchRequest& typed);

}  // namespace sosik::http
