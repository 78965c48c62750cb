// The retention purge of transcripts; see purger.h.
#include "app/purger.h"

namespace wegwijs::app {

Purger::Purger(store::SessionStore& store, std::chrono::hours retention,
               std::chrono::minutes idle_timeout, std::chrono::milliseconds interval,
               std::ostream& log, Clock clock)
    : store_(store),
      retention_(retention),
      idle_timeout_(idle_timeout),
      log_(log),
      clock_(std::move(clock)),
      worker_(interval, [this] { purge_once(); }) {}

Purger::~Purger() = default;

int Purger::purged() const {
    std::lock_guard<std::mutex> lk(lock_);
    return purged_;
}

void Purger::purge_once() {
    using std::chrono::milliseconds;
    const std::int64_t now = clock_();
    const store::PurgeCutoffs cutoffs{
        now - std::chrono::duration_cast<milliseconds>(retention_).count(),
        now - std::chrono::duration_cast<milliseconds>(idle_timeout_).count()};
    int n = 0;
    try {
        n = store_.purge(cutoffs);
        if (n > 0) log_ << "purged " << n << " idle sessions\n" << std::flush;
    } catch (const std::exception& e) {
        log_ << "purge failed: " << e.what() << "\n" << std::flush;
    }
    std::lock_guard<std::mutex> lk(lock_);
    purged_ += n;
}

}  // namespace wegwijs::app
