// The one place where an exception becomes an HTTP status and a message.
#pragma once

#include <exception>
#include <string>

namespace sosik::http {

struct ErrorReply {
    int status = 500;
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

// {"error":{"code":400,"parameter":"limit","message":"…"}}
std::string error_json(const ErrorReply& reply);

}  // namespace sosik::http
