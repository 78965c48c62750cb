// Background tasks on their own thread; see periodic.h.
#include "app/periodic.h"

namespace wegwijs::app {

Periodic::Periodic(std::chrono::milliseconds interval, std::function<void()> task)
    : interval_(interval), task_(std::move(task)), thread_([this] { run(); }) {}

Periodic::~Periodic() {
    {
        std::lock_guard<std::mutex> lk(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void Periodic::wake() {
    {
        std::lock_guard<std::mutex> lk(lock_);
        woken_ = true;
    }
    wake_.notify_all();
}

bool Periodic::stopping() const {
    std::lock_guard<std::mutex> lk(lock_);
    return stopping_;
}

void Periodic::run() {
    std::unique_lock<std::mutex> lk(lock_);
    while (!stopping_) {
        woken_ = false;
        lk.unlock();
        task_();
        lk.lock();
        wake_.wait_for(lk, interval_, [this] { return stopping_ || woken_; });
    }
}

}  // namespace wegwijs::app
