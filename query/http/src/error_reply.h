// The one place where an exception becomes an HTTP status and a message.
#pragma once

#include <exception>
#include <string>
#include <string_view>

namespace sosik::http {

struct ErrorReply {
    int status = 500;
    std::string reason;     // stable, for programs: "invalid_limit" … (README.md lists them all)
    std::string parameter;  // the request parameter at fault, if any
    std::string message;    // one line, safe to show to the client
    std::string detail;     // for the server's log only (paths, library errors); may be empty
    int retry_after = 0;    // seconds for a Retry-After header; 0: none
};

// InvalidInput → 400 (naming the parameter), IndexError → 503, Overloaded →
// 503 with Retry-After, anything else → 500.
ErrorReply error_reply(std::exception_ptr error);

// A reply for a status httplib produced itself (404, 405, 413, 414 …).
ErrorReply status_reply(int status);

// {"error":{"code":400,"reason":"invalid_limit","parameter":"limit","message":"…"}}
std::string error_json(const ErrorReply& reply);

// What the search page says for `reason`, in Korean (README.md lists each).
std::string_view korean_text(std::string_view reason);

}  // namespace sosik::http
