// The retention purge of transcripts; see purger.h.
#include "app/purger.h"

namespace wegwijs::app {

Purger::Purger(store::SessionStore& store, std::chrono::hours retention,
               std::chrono::milliseconds interval, std::ostream& log, Clock clock)
    : store_(store),
      retention_(retention),
      interval_(interval),
      log_(log),
      clock_(std::move(clock)),
      thread_([this] { run(); }) {}

Purger::~Purger() {
    {
        std::lock_guard<std::mutex> lk(lock_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

int Purger::purged() const {
    std::lock_guard<std::mutex> lk(lock_);
    return purged_;
}

void Purger::run() {
    std::unique_lock<std::mutex> lk(lock_);
    do {
        const std::int64_t cutoff =
            clock_() - std::chrono::duration_cast<std::chrono::milliseconds>(retention_).count();
        lk.unlock();
        int n = 0;
        try {
            n = store_.purge_idle_before(cutoff);
            if (n > 0) log_ << "purged " << n << " idle sessions\n" << std::flush;
        } catch (const std::exception& e) {
            log_ << "purge failed: " << e.what() << "\n" << std::flush;
        }
        lk.lock();
        purged_ += n;
    } while (!wake_.wait_for(lk, interval_, [this] { return stopping_; }));
}

}  // namespace wegwijs::app
