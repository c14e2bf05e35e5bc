#include "error_reply.h"

#include "request_params.h"
#include "searcher_pool.h"

#include <sosik/error.h>

#include <nlohmann/json.hpp>

#include <array>
#include <string_view>

namespace sosik::http {

namespace {

// The library's InvalidInput messages start with the name of the request
// field at fault ("since: '2024-13' is not a date"); map it to the HTTP
// parameter. Anything else came from the query text itself.
std::string parameter_named_in(std::string_view message) {
    static constexpr std::array<std::string_view, 8> kNames = {"limit", "offset", "sort",  "category",
                                                               "tag",   "since",  "until", "facets"};
    const std::size_t colon = message.find(':');
    if (colon != std::string_view::npos)
        for (std::string_view name : kNames)
            if (message.substr(0, colon) == name) return std::string(name);
    return "q";
}

// Every reason an error can carry, and what the search page says for it. The
// JSON API's reasons are these; query/http/README.md lists the same table.
struct ReasonText {
    std::string_view reason;
    std::string_view korean;
};
constexpr std::array<ReasonText, 25> kReasons = {{
    {"query_too_long", "검색어가 너무 깁니다. 1,000바이트(한글 약 330자) 안으로 줄여 주세요."},
    {"invalid_text", "읽을 수 없는 글자가 들어 있습니다(UTF-8 글자가 아닙니다). 다시 입력해 주세요."},
    {"value_too_long", "검색 조건의 값이 너무 깁니다."},
    {"too_many_values", "같은 검색 조건이 너무 많습니다. 10개까지 쓸 수 있습니다."},
    {"invalid_limit", "한 페이지의 결과 수는 1에서 100 사이여야 합니다."},
    {"invalid_offset", "결과 위치(offset)는 0에서 10,000 사이여야 합니다."},
    {"invalid_sort", "정렬 방식은 관련도순, 최신순, 오래된순 가운데 하나여야 합니다."},
    {"invalid_spacing", "띄어쓰기 보정(spacing)은 1(켬) 또는 0(끔)이어야 합니다."},
    {"invalid_date", "날짜를 읽을 수 없습니다. 2024, 2024-05, 2024-05-01처럼 써 주세요."},
    {"invalid_facet", "집계 항목은 category, tag, year, month 가운데서 고를 수 있습니다."},
    {"empty_filter", "title:, category:, tag: 뒤에 찾을 말을 붙여 써 주세요. 예: category:건강"},
    {"invalid_mode", "query는 1(검색어) 또는 0(글)이어야 합니다."},
    {"missing_text", "분석할 글(text)이 없습니다."},
    {"invalid_field", "field는 body 또는 title이어야 하고, 글(query=0)에만 씁니다."},
    {"invalid_input", "검색 조건을 확인해 주세요."},
    {"bad_request", "잘못된 요청입니다."},
    {"not_found", "페이지를 찾을 수 없습니다."},
    {"method_not_allowed", "허용되지 않는 요청 방식입니다."},
    {"request_too_large", "요청이 너무 큽니다."},
    {"uri_too_long", "주소가 너무 깁니다. 검색어를 줄여 주세요."},
    {"overloaded", "지금 검색이 몰려 있습니다. 잠시 후 다시 시도해 주세요."},
    {"index_unavailable", "지금은 검색 색인을 사용할 수 없습니다. 잠시 후 다시 시도해 주세요."},
    {"internal_error", "검색 중 오류가 발생했습니다."},
    {"http_error", "요청을 처리할 수 없습니다."},
    {"no_words", "검색할 낱말이 없습니다. 문장부호나 기호만으로는 찾을 수 없으니 낱말을 입력해 주세요."},
}};

}  // namespace

std::string_view korean_text(std::string_view reason) {
    for (const ReasonText& known : kReasons)
        if (known.reason == reason) return known.korean;
    return korean_text("internal_error");
}

ErrorReply error_reply(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const ParameterError& e) {
        return {400, e.reason(), e.parameter(), e.what(), {}, 0};
    } catch (const InvalidRequest& e) {
        return {400, e.reason(), parameter_named_in(e.what()), e.what(), {}, 0};
    } catch (const InvalidInput& e) {
        return {400, "invalid_input", parameter_named_in(e.what()), e.what(), {}, 0};
    } catch (const Overloaded&) {
        // No detail to log: the access log's 503 says it, one line a request under overload.
        return {503, "overloaded", {}, "too many searches at once: try again in a second", {}, 1};
    } catch (const IndexError& e) {
        // The message may name server paths: log it, tell the client less.
        return {503, "index_unavailable", {}, "the search index is not available right now", e.what(), 0};
    } catch (const std::exception& e) {
        return {500, "internal_error", {}, "internal error", e.what(), 0};
    } catch (...) {
        return {500, "internal_error", {}, "internal error", "unknown exception", 0};
    }
}

ErrorReply status_reply(int status) {
    switch (status) {
    case 404: return {404, "not_found", {}, "not found", {}, 0};
    case 405: return {405, "method_not_allowed", {}, "method not allowed: use GET", {}, 0};
    case 413: return {413, "request_too_large", {}, "request too large", {}, 0};
    case 414: return {414, "uri_too_long", {}, "URI too long", {}, 0};
    case 400: return {400, "bad_request", {}, "bad request", {}, 0};
    default: return {status, "http_error", {}, "error " + std::to_string(status), {}, 0};
    }
}

std::string error_json(const ErrorReply& reply) {
    // message_ko: the page's Korean words for the reason, so a widget on a Korean site need not translate.
    nlohmann::json error = {{"code", reply.status},
                            {"reason", reply.reason},
                            {"message", reply.message},
                            {"message_ko", korean_text(reply.reason)}};
    if (!reply.parameter.empty()) error["parameter"] = reply.parameter;
    return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sosik::http
