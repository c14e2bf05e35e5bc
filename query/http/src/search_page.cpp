#include "search_page.h"

#include "html.h"
#include "request_params.h"

#include <algorithm>
#include <cstdio>

namespace sosik::http {

namespace {

constexpr std::string_view kCategoryFacet = "category";

// A link back to this page asking for `request` (only what differs from the defaults).
std::string page_link(const PageContext& context, const SearchRequest& request) {
    std::vector<std::pair<std::string_view, std::string>> params = {{"q", request.query}};
    for (const auto& category : request.categories) params.emplace_back("category", category);
    for (const auto& tag : request.tags) params.emplace_back("tag", tag);
    params.emplace_back("since", request.since);
    params.emplace_back("until", request.until);
    if (request.sort != SortOrder::relevance) params.emplace_back("sort", std::string(sort_parameter(request.sort)));
    if (request.offset > 0) params.emplace_back("offset", std::to_string(request.offset));
    if (request.limit != SearchRequest{}.limit) params.emplace_back("limit", std::to_string(request.limit));
    if (request.spacing != SearchRequest{}.spacing) params.emplace_back("spacing", request.spacing ? "1" : "0");
    return context.base_path + "/" + query_string(params);
}

// The same search narrowed to one category, from the first page.
std::string category_link(const PageContext& context, SearchRequest request, const std::string& category) {
    request.categories = {category};
    request.offset = 0;
    return page_link(context, request);
}

// 52361 → "52,361"
std::string with_thousands(std::size_t n) {
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// "2024-09-02T10:00:00+09:00" → "2024.09.02"
std::string display_date(const std::string& iso) {
    std::string day = iso.substr(0, 10);
    std::replace(day.begin(), day.end(), '-', '.');
    return day;
}

std::string format_ms(double ms) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, ms < 10 ? "%.1fms" : "%.0fms", ms);
    return buffer;
}

void open_page(std::string& out, const PageContext& context, const SearchRequest& request) {
    const std::string base = escaped(context.base_path);
    out += "<!doctype html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>";
    if (!request.query.empty()) out += escaped(request.query) + " - ";
    out += "소식 검색</title>\n<link rel=\"stylesheet\" href=\"" + base + "/sosik.css\">\n"
           "<link rel=\"icon\" href=\"data:,\">\n</head>\n<body>\n<header class=\"masthead\">\n"
           "<a class=\"brand\" href=\"" + base + "/\">소식<span> 검색</span></a>\n"
           "<form class=\"searchbox\" action=\"" + base + "/\" method=\"get\" role=\"search\">\n"
           "<input type=\"search\" name=\"q\" value=\"" + escaped(request.query) +
           "\" placeholder=\"검색어를 입력하세요\" aria-label=\"검색어\" autocomplete=\"off\"" +
           (request.query.empty() ? " autofocus" : "") + ">\n"
           "<button type=\"submit\">검색</button>\n<label class=\"sort\">정렬 <select name=\"sort\">";
    const std::pair<SortOrder, const char*> orders[] = {
        {SortOrder::relevance, "관련도순"}, {SortOrder::newest_first, "최신순"}, {SortOrder::oldest_first, "오래된순"}};
    for (const auto& [order, label] : orders) {
        out += "<option value=\"" + std::string(sort_parameter(order)) + "\"";
        if (order == request.sort) out += " selected";
        out += ">" + std::string(label) + "</option>";
    }
    out += "</select></label>\n";
    // A new search stays within the chosen filters; the chips below remove them.
    for (const auto& category : request.categories)
        out += "<input type=\"hidden\" name=\"category\" value=\"" + escaped(category) + "\">\n";
    for (const auto& tag : request.tags) out += "<input type=\"hidden\" name=\"tag\" value=\"" + escaped(tag) + "\">\n";
    out += "</form>\n</header>\n<main>\n";
}

void close_page(std::string& out, const PageContext& context) {
    const std::string base = escaped(context.base_path);
    out += "</main>\n<footer class=\"colophon\"><a href=\"" + base +
           "/widget-demo.html\">내 사이트에 검색창 달기</a> · <a href=\"" + base +
           "/api/stats\">색인 정보</a></footer>\n</body>\n</html>\n";
}

void render_active_filters(std::string& out, const PageContext& context, const SearchRequest& request) {
    if (request.categories.empty() && request.tags.empty()) return;
    out += "<p class=\"filters\">";
    for (const auto& category : request.categories) {
        SearchRequest without = request;
        std::erase(without.categories, category);
        without.offset = 0;
        out += "<a class=\"chip\" href=\"" + escaped(page_link(context, without)) + "\" title=\"필터 해제\">카테고리: " +
               escaped(category) + " <span aria-hidden=\"true\">×</span></a> ";
    }
    for (const auto& tag : request.tags) {
        SearchRequest without = request;
        std::erase(without.tags, tag);
        without.offset = 0;
        out += "<a class=\"chip\" href=\"" + escaped(page_link(context, without)) + "\" title=\"필터 해제\">태그: " +
               escaped(tag) + " <span aria-hidden=\"true\">×</span></a> ";
    }
    out += "</p>\n";
}

void render_facets(std::string& out, const PageContext& context, const SearchRequest& request,
                   const SearchResult& result) {
    const auto facet = result.facets.find(std::string(kCategoryFacet));
    if (facet == result.facets.end() || facet->second.empty()) return;
    out += "<aside class=\"facets\" aria-labelledby=\"facets-title\">\n<h2 id=\"facets-title\">카테고리</h2>\n<ul>\n";
    for (const FacetCount& count : facet->second) {
        const bool active = std::find(request.categories.begin(), request.categories.end(), count.value) !=
                            request.categories.end();
        out += "<li><a href=\"" + escaped(category_link(context, request, count.value)) + "\"";
        if (active) out += " aria-current=\"true\"";
        out += ">" + escaped(count.value) + " <span class=\"count\">" + with_thousands(count.count) +
               "</span></a></li>\n";
    }
    out += "</ul>\n</aside>\n";
}

void render_hit(std::string& out, const PageContext& context, const SearchRequest& request, const Hit& hit) {
    const std::string title = hit.title_highlight.text.empty() ? escaped(hit.title) : marked_html(hit.title_highlight);
    const std::string link = safe_link(hit.url, context.site_url);
    out += "<li class=\"hit\">\n<h3>";
    if (!link.empty()) out += "<a href=\"" + escaped(link) + "\">";
    out += title.empty() ? "(제목 없음)" : title;
    if (!link.empty()) out += "</a>";
    out += "</h3>\n<p class=\"meta\">";
    if (!hit.date.empty())
        out += "<time datetime=\"" + escaped(hit.date.substr(0, 10)) + "\">" + escaped(display_date(hit.date)) + "</time>";
    for (const auto& category : hit.categories)
        out += " <a class=\"category\" href=\"" + escaped(category_link(context, request, category)) + "\">" +
               escaped(category) + "</a>";
    out += "</p>\n";
    if (!hit.snippet.text.empty()) out += "<p class=\"snippet\">" + marked_html(hit.snippet) + "</p>\n";
    out += "</li>\n";
}

// "1 / 7" is the page shown of the pages there are; past the last page there
// is no such number, and "이전" leads back to the last page.
void render_pager(std::string& out, const PageContext& context, const SearchRequest& request,
                  const SearchResult& result) {
    const bool past_the_end = request.offset >= result.total;
    const bool has_previous = request.offset > 0 && result.total > 0;
    const bool has_next = !past_the_end && request.offset + request.limit < result.total &&
                          request.offset + request.limit <= kMaxOffset;
    if (!has_previous && !has_next) return;
    const std::size_t pages = (result.total + request.limit - 1) / request.limit;
    out += "<nav class=\"pager\" aria-label=\"페이지\">";
    SearchRequest page = request;
    if (has_previous) {
        page.offset = past_the_end ? (pages - 1) * request.limit
                                   : (request.offset > request.limit ? request.offset - request.limit : 0);
        out += "<a rel=\"prev\" href=\"" + escaped(page_link(context, page)) + "\">" +
               (past_the_end ? "← 마지막 페이지" : "← 이전") + "</a>";
    } else {
        out += "<span class=\"disabled\">← 이전</span>";
    }
    if (!past_the_end)
        out += "<span class=\"page\">" + with_thousands(request.offset / request.limit + 1) + " / " +
               (result.total_exact ? "" : "약 ") + with_thousands(pages) + "</span>";
    if (has_next) {
        page.offset = request.offset + request.limit;
        out += "<a rel=\"next\" href=\"" + escaped(page_link(context, page)) + "\">다음 →</a>";
    } else {
        out += "<span class=\"disabled\">다음 →</span>";
    }
    out += "</nav>\n";
}

void render_results(std::string& out, const PageContext& context, const SearchRequest& request,
                    const SearchResult& result) {
    render_active_filters(out, context, request);
    if (result.notice) {
        out += "<p class=\"notice\" role=\"status\">" + escaped(korean_text(result.notice->reason)) + "</p>\n";
        return;
    }
    if (!result.did_you_mean.empty()) {
        SearchRequest corrected = request;
        corrected.query = result.did_you_mean;
        corrected.offset = 0;
        out += "<p class=\"did-you-mean\">이것을 찾으셨나요? <a href=\"" + escaped(page_link(context, corrected)) + "\">" +
               escaped(result.did_you_mean) + "</a></p>\n";
    }
    const std::string total = std::string(result.total_exact ? "" : "약 ") + with_thousands(result.total);
    if (result.total == 0) {
        out += "<p class=\"summary\">‘" + escaped(request.query) + "’에 대한 검색 결과가 없습니다.</p>\n";
        return;
    }
    if (result.hits.empty()) {  // paged past the end: the results exist, this page has none of them
        out += "<p class=\"summary\">결과 <strong>" + total + "</strong>건 · 이 페이지(" +
               with_thousands(request.offset + 1) + "번째부터)에는 결과가 없습니다.</p>\n";
        render_pager(out, context, request, result);
        return;
    }
    out += "<p class=\"summary\">결과 <strong>" + total + "</strong>건 <span class=\"took\">(" +
           format_ms(result.took_ms) + ")</span></p>\n";
    out += "<div class=\"results\">\n";
    render_facets(out, context, request, result);
    out += "<ol class=\"hits\" start=\"" + std::to_string(request.offset + 1) + "\">\n";
    for (const Hit& hit : result.hits) render_hit(out, context, request, hit);
    out += "</ol>\n</div>\n";
    render_pager(out, context, request, result);
}

}  // namespace

std::string render_search_page(const PageContext& context, const SearchRequest& request, const SearchResult* result) {
    std::string out;
    out.reserve(16 * 1024);
    open_page(out, context, request);
    if (result) {
        render_results(out, context, request, *result);
    } else {
        out += "<p class=\"hint\">기사 제목과 본문에서 찾습니다. <code>\"정확한 구절\"</code>, <code>-제외할말</code>, "
               "<code>A OR B</code>, <code>category:건강</code>, <code>date:2024-05</code>처럼 쓸 수도 있습니다.</p>\n";
    }
    close_page(out, context);
    return out;
}

std::string render_error_page(const PageContext& context, const ErrorReply& error, const SearchRequest& typed) {
    std::string out;
    open_page(out, context, typed);
    out += "<p class=\"notice\" role=\"alert\">" + escaped(korean_text(error.reason)) + " <small lang=\"en\">(" +
           escaped(error.message) + ")</small></p>\n";
    close_page(out, context);
    return out;
}

}  // namespace sosik::http
