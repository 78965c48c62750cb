// The elastic task queue of thread_pool.h.
#include "webhook/thread_pool.h"

#include <chrono>
#include <thread>

namespace wegwijs::webhook {
namespace {
constexpr auto kIdleEnd = std::chrono::seconds(60);  // an extra thread without work ends
}

ElasticThreadPool::ElasticThreadPool(std::size_t max_threads, std::size_t keep_threads)
    : max_threads_(max_threads < 1 ? 1 : max_threads),
      keep_threads_(keep_threads < max_threads_ ? keep_threads : max_threads_) {
    std::lock_guard<std::mutex> guard(lock_);
    while (threads_ < keep_threads_) start_thread();
}

ElasticThreadPool::~ElasticThreadPool() {
    shutdown();
}

void ElasticThreadPool::start_thread() {
    ++threads_;
    if (threads_ > most_) most_ = threads_;
    // Detached: shutdown() waits for the count of running threads instead.
    std::thread([this] { work(); }).detach();
}

void ElasticThreadPool::enqueue(std::function<void()> fn) {
    std::lock_guard<std::mutex> guard(lock_);
    tasks_.push_back(std::move(fn));
    // Invariant: each queued task has an idle thread about to take it, or
    // waits because max_threads_ are running.
    if (tasks_.size() > idle_ && threads_ < max_threads_) start_thread();
    work_ready_.notify_one();
}

void ElasticThreadPool::work() {
    std::unique_lock<std::mutex> lk(lock_);
    while (true) {
        ++idle_;
        const bool woken =
            work_ready_.wait_for(lk, kIdleEnd, [this] { return !tasks_.empty() || stopping_; });
        --idle_;
        if (tasks_.empty() && (stopping_ || (!woken && threads_ > keep_threads_))) break;
        if (tasks_.empty()) continue;
        std::function<void()> task = std::move(tasks_.front());
        tasks_.pop_front();
        lk.unlock();
        try {
            task();
        } catch (...) {
            // httplib's connection task handles its own errors; a task that
            // throws all the same must not end the process (std::terminate).
        }
        lk.lock();
    }
    if (--threads_ == 0) all_ended_.notify_all();
}

void ElasticThreadPool::shutdown() {
    std::unique_lock<std::mutex> lk(lock_);
    stopping_ = true;
    work_ready_.notify_all();
    all_ended_.wait(lk, [this] { return threads_ == 0; });
}

ElasticThreadPool::Counts ElasticThreadPool::counts() const {
    std::lock_guard<std::mutex> guard(lock_);
    return {threads_, threads_ - idle_, tasks_.size(), most_};
}

}  // namespace wegwijs::webhook
