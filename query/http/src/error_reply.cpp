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

}  // namespace

ErrorReply error_reply(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const ParameterError& e) {
        return {400, e.parameter(), e.what(), {}, 0};
    } catch (const InvalidInput& e) {
        return {400, parameter_named_in(e.what()), e.what(), {}, 0};
    } catch (const Overloaded&) {
        // No detail to log: the access log's 503 says it, one line a request under overload.
        return {503, {}, "too many searches at once: try again in a second", {}, 1};
    } catch (const IndexError& e) {
        // The message may name server paths: log it, tell the client less.
        return {503, {}, "the search index is not available right now", e.what(), 0};
    } catch (const std::exception& e) {
        return {500, {}, "internal error", e.what(), 0};
    } catch (...) {
        return {500, {}, "internal error", "unknown exception", 0};
    }
}

ErrorReply status_reply(int status) {
    switch (status) {
    case 404: return {404, {}, "not found", {}, 0};
    case 405: return {405, {}, "method not allowed: use GET", {}, 0};
    case 413: return {413, {}, "request too large", {}, 0};
    case 414: return {414, {}, "URI too long", {}, 0};
    case 400: return {400, {}, "bad request", {}, 0};
    default: return {status, {}, "error " + std::to_string(status), {}, 0};
    }
}

std::string error_json(const ErrorReply& reply) {
    nlohmann::json error = {{"code", reply.status}, {"message", reply.message}};
    if (!reply.parameter.empty()) error["parameter"] = reply.parameter;
    return nlohmann::json{{"error", std::move(error)}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace sosik::http
