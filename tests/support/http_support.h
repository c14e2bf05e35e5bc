// sosik-serve in a child process and raw loopback sockets, for the black-box
// HTTP tests. The including test defines SOSIK_SERVE_EXE (tests/http/CMakeLists.txt).
#pragma once

#include "test_support.h"

#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace sosik::test {

// The sample archive in data/ indexed once per test executable (by the
// including test's SOSIK_INDEX_EXE), for the read-only server tests.
struct IndexedSample {
    TempDir dir;
    std::filesystem::path db = dir / "db";
    IndexedSample() {
        const auto indexing = run({SOSIK_INDEX_EXE, "--db", db.string(), (source_dir() / "data").string()});
        BOOST_TEST_REQUIRE(indexing.exit_code == 0, indexing.err);
    }
};

inline IndexedSample& indexed_sample() {
    static IndexedSample instance;
    return instance;
}

inline std::string url_encoded(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

// sosik-serve in a child process, listening on a free loopback port.
// Its stderr (the access log) is collected line by line.
class ServeProcess {
public:
    explicit ServeProcess(const std::vector<std::string>& args) {
        int err_pipe[2];
        BOOST_TEST_REQUIRE(pipe2(err_pipe, O_CLOEXEC) == 0);
        std::vector<std::string> argv = {SOSIK_SERVE_EXE, "--listen", "127.0.0.1:0", "--threads", "2"};
        argv.insert(argv.end(), args.begin(), args.end());
        pid_ = fork();
        BOOST_TEST_REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            dup2(err_pipe[1], STDERR_FILENO);
            std::vector<char*> raw;
            for (auto& arg : argv) raw.push_back(arg.data());
            raw.push_back(nullptr);
            execv(raw[0], raw.data());
            _exit(127);
        }
        close(err_pipe[1]);
        reader_ = std::thread([this, fd = err_pipe[0]] { read_lines(fd); });
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (port_ == 0 && std::chrono::steady_clock::now() < deadline && !ended_)
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        BOOST_TEST_REQUIRE(port_ > 0, "sosik-serve did not start: " << stderr_text());
    }

    ~ServeProcess() {
        if (pid_ > 0) stop();
        if (reader_.joinable()) reader_.join();
    }

    int port() const { return port_; }
    pid_t pid() const { return pid_; }

    httplib::Client client() const {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(20);
        return client;
    }

    // SIGTERM, then the exit status (128+signal when killed).
    int stop() {
        kill(pid_, SIGTERM);
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        if (reader_.joinable()) reader_.join();
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }

    std::vector<std::string> stderr_lines() {
        std::lock_guard lock(mutex_);
        return lines_;
    }

    std::string stderr_text() {
        std::string text;
        for (const auto& line : stderr_lines()) text += line + "\n";
        return text;
    }

private:
    void read_lines(int fd) {
        std::string pending;
        char buffer[4096];
        ssize_t n;
        while ((n = read(fd, buffer, sizeof buffer)) > 0) {
            pending.append(buffer, static_cast<std::size_t>(n));
            for (std::size_t eol; (eol = pending.find('\n')) != std::string::npos; pending.erase(0, eol + 1)) {
                const std::string line = pending.substr(0, eol);
                const std::size_t at = line.find("listening on http://127.0.0.1:");
                if (at != std::string::npos) port_ = std::atoi(line.c_str() + at + 30);
                std::lock_guard lock(mutex_);
                lines_.push_back(line);
            }
        }
        close(fd);
        ended_ = true;
    }

    pid_t pid_ = -1;
    std::atomic<int> port_ = 0;
    std::atomic<bool> ended_ = false;
    std::thread reader_;
    std::mutex mutex_;
    std::vector<std::string> lines_;
};

// Bytes straight onto a socket, for requests httplib::Client would not send.
class RawConnection {
public:
    explicit RawConnection(int port) {
        fd_ = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        BOOST_TEST_REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        timeval timeout{10, 0};
        setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~RawConnection() { close(fd_); }
    void send_text(const std::string& bytes) { BOOST_TEST_REQUIRE(send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())); }
    // Everything until the server closes the connection.
    std::string receive_all() {
        std::string out;
        char buffer[4096];
        ssize_t n;
        while ((n = recv(fd_, buffer, sizeof buffer, 0)) > 0) out.append(buffer, static_cast<std::size_t>(n));
        return out;
    }

private:
    int fd_ = -1;
};

inline int status_of(const std::string& raw_response) {
    return raw_response.starts_with("HTTP/1.1 ") ? std::atoi(raw_response.c_str() + 9) : 0;
}

// Resident memory of a process in kilobytes (VmRSS of /proc/PID/status), 0 when gone.
inline long resident_kilobytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmRSS:")) return std::atol(line.c_str() + 6);
    return 0;
}

}  // namespace sosik::test
