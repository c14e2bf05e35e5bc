#include "connection_threads.h"

namespace sosik::http {

ConnectionThreads::ConnectionThreads(std::size_t max_threads) : max_threads_(max_threads == 0 ? 1 : max_threads) {}

ConnectionThreads::~ConnectionThreads() { shutdown(); }

void ConnectionThreads::enqueue(std::function<void()> job) {
    {
        const std::lock_guard lock(mutex_);
        jobs_.push_back(std::move(job));
        // A new thread only when the idle ones cannot take every waiting job.
        if (!stopping_ && jobs_.size() > idle_ && threads_.size() < max_threads_)
            threads_.emplace_back([this] { serve(); });
    }
    wake_.notify_one();
}

void ConnectionThreads::shutdown() {
    std::vector<std::thread> threads;
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (std::thread& thread : threads) thread.join();
}

void ConnectionThreads::serve() {
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(mutex_);
            ++idle_;
            wake_.wait(lock, [this] { return !jobs_.empty() || stopping_; });
            --idle_;
            if (jobs_.empty()) return;  // stopping, with nothing left to run
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        job();
    }
}

}  // namespace sosik::http
