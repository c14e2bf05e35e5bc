// What every Sosik executable shares on its command line: the exit statuses
// README.md documents for all of them, and the database used when no --db is
// given. (sosik-index adds its own: some failed, interrupted.)
#pragma once

#include <cstdlib>
#include <string>

namespace sosik::command_line {

inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

// $SOSIK_DB, else ./sosik-db.
inline std::string default_database() {
    const char* env = std::getenv("SOSIK_DB");
    return env && *env ? env : "sosik-db";
}

}  // namespace sosik::command_line
