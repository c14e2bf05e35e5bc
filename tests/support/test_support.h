// Helpers for black-box tests: temporary folders and running our executables.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace sosik::test {

// Whether this is a sanitized build (ASan or TSan; the tests are built the
// same way as our executables). Sanitizers hold memory by design (ASan's
// quarantine, shadow memory) and slow everything down.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

// How many times slower our executables run in a sanitized build: a test that
// must give a server time to reach a state before acting scales its wait by
// it. Polls with a deadline need not.
inline constexpr int kSanitizerSlowdown = kSanitized ? 10 : 1;

// A fresh folder under the system temp dir, removed with everything in it.
class TempDir {
public:
    TempDir() {
        std::string pattern = (std::filesystem::temp_directory_path() / "sosik-test-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return path_; }
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string shell_quote(const std::string& arg) {
    std::string quoted = "'";
    for (char c : arg) {
        if (c == '\'') quoted += "'\\''";
        else quoted += c;
    }
    return quoted + "'";
}

inline std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

inline void write_file(const std::filesystem::path& file, const std::string& content) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream out(file, std::ios::binary);
    out << content;
}

// Runs argv[0] with the arguments, capturing stdout and stderr.
inline CommandResult run(const std::vector<std::string>& argv, const std::string& environment = "") {
    TempDir scratch;
    std::string command = environment.empty() ? "" : environment + " ";
    for (const auto& arg : argv) command += shell_quote(arg) + " ";
    command += "2>" + shell_quote((scratch / "stderr").string()) + " </dev/null";
    CommandResult result;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) throw std::runtime_error("popen failed");
    char buffer[65536];
    std::size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.err = read_file(scratch / "stderr");
    return result;
}

inline std::filesystem::path source_dir() { return SOSIK_SOURCE_DIR; }
inline std::filesystem::path shared_dir() { return source_dir() / ".." / "shared"; }

}  // namespace sosik::test
