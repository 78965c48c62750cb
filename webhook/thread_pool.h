// The task queue the HTTP server serves its connections on: cpp-httplib's
// documented extension point (Server::new_task_queue), in place of its fixed
// ThreadPool.
//
// Why: httplib serves a keep-alive connection on one thread from its first
// byte to its close, so with a fixed pool of N threads, N idle or slow
// clients (a slowloris sends a header byte every few seconds) leave every
// other client, /healthz included, waiting in the queue. This pool starts a
// thread whenever every thread is busy, up to `max_threads`, and lets the
// extra ones end after a minute without work; `keep_threads` stay. An idle
// connection costs a sleeping thread (its stack is reserved, barely touched)
// until httplib's keep-alive or read timeout closes it.
//
// Guarantees: a task never waits while fewer than max_threads run; past
// that, tasks wait in arrival order. shutdown() runs every queued task and
// returns once every thread has ended.
#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace wegwijs::webhook {

class ElasticThreadPool final : public httplib::TaskQueue {
  public:
    ElasticThreadPool(std::size_t max_threads, std::size_t keep_threads);
    ~ElasticThreadPool() override;
    ElasticThreadPool(const ElasticThreadPool&) = delete;
    ElasticThreadPool& operator=(const ElasticThreadPool&) = delete;

    void enqueue(std::function<void()> fn) override;
    void shutdown() override;

    struct Counts {
        std::size_t threads = 0;  // running now
        std::size_t busy = 0;     // serving a task now
        std::size_t queued = 0;   // waiting for a thread
        std::size_t most = 0;     // the most threads that ran at once
    };
    Counts counts() const;

  private:
    void start_thread();  // lock_ held
    void work();

    const std::size_t max_threads_;
    const std::size_t keep_threads_;
    mutable std::mutex lock_;
    std::condition_variable work_ready_;
    std::condition_variable all_ended_;
    std::deque<std::function<void()>> tasks_;
    std::size_t threads_ = 0;
    std::size_t idle_ = 0;
    std::size_t most_ = 0;
    bool stopping_ = false;
};

}  // namespace wegwijs::webhook
