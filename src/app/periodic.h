// A task run on a thread of its own: at once, then after each interval (or
// sooner, when woken), until the Periodic is destroyed. For the background
// work of the service: the retention purge, the mailer, the channels' sender.
//
// Guarantees: one run at a time; an exception from the task is the task's
// to handle (it is not caught here); destruction waits for a run in
// progress, never for a whole interval; a long run may stop early by
// asking stopping().
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace wegwijs::app {

class Periodic {
  public:
    Periodic(std::chrono::milliseconds interval, std::function<void()> task);
    ~Periodic();
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

    void wake();            // run now (or as soon as the run in progress ends)
    bool stopping() const;  // being destroyed

  private:
    void run();

    const std::chrono::milliseconds interval_;
    const std::function<void()> task_;
    mutable std::mutex lock_;
    std::condition_variable wake_;
    bool stopping_ = false;
    bool woken_ = false;
    std::thread thread_;  // last: started once everything above is ready
};

}  // namespace wegwijs::app
