// The one exception hierarchy of Sosik. Libraries throw these; executables map
// them to exit codes and the HTTP front to JSON errors, in one place each.
// It lives in the tokenizer library because every other library depends on it.
#pragma once

#include <stdexcept>
#include <string>

namespace sosik {

// Base of every error Sosik reports to a user. what() is one line a user can act on.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Something the user gave us is wrong: a file, a query, an option. The message names it.
class InvalidInput : public Error {
public:
    using Error::Error;
};

// The database cannot be used: missing, locked by another writer, built by
// another schema or analyzer version, or damaged.
class IndexError : public Error {
public:
    using Error::Error;
};

}  // namespace sosik
