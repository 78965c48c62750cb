// The retention purge of transcripts; see purger.h.
#include "app/purger.h"

namespace wegwijs::app {

Purger::Purger(store::SessionStore& store, std::chrono::hours retention,
               std::chrono::minutes idle_timeout, std::chrono::milliseconds interval,
               std::ostream& log, Clock clock)
    : store_(store),
      retention_(retention),
      idle_timeout_(idle_timeout),
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
        using std::chrono::milliseconds;
        const std::int64_t now = clock_();
        const store::PurgeCutoffs cutoffs{
            now - std::chrono::duration_cast<milliseconds>(retention_).count(),
            now - std::chrono::duration_cast<milliseconds>(idle_timeout_).count()};
        lk.unlock();
        int n = 0;
        try {
            n = store_.purge(cutoffs);
            if (n > 0) log_ << "purged " << n << " idle sessions\n" << std::flush;
        } catch (const std::exception& e) {
            log_ << "purge failed: " << e.what() << "\n" << std::flush;
        }
        lk.lock();
        purged_ += n;
    } while (!wake_.wait_for(lk, interval_, [this] { return stopping_; }));
}

}  // namespace wegwijs::app
