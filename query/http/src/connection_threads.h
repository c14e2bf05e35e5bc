// The threads that serve connections: started as connections need them, up
// to a bound, and then kept. httplib's own pool starts every thread at once,
// and its idle threads take turns at new connections, so over hours each of
// --connections threads (128) ends up holding its own malloc caches and stack
// pages: RSS kept growing under a steady 32-connection load. Here an idle
// thread is reused before another starts, so the threads, and their memory,
// follow the load actually seen.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sosik::http {

class ConnectionThreads : public httplib::TaskQueue {
public:
    explicit ConnectionThreads(std::size_t max_threads);
    ~ConnectionThreads() override;

    void enqueue(std::function<void()> job) override;
    void shutdown() override;  // runs the queued jobs, then joins every thread

private:
    void serve();

    const std::size_t max_threads_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> jobs_;
    std::vector<std::thread> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace sosik::http
