// The retention purge of transcripts; see purger.h.
#include "app/purger.h"

namespace wegwijs::app {

Purger::Purger(store::SessionStore& store, store::PersonalDataStore* bookings, Retention retention,
               std::chrono::milliseconds interval, std::ostream& log, Clock clock)
    : store_(store),
      bookings_(bookings),
      retention_(retention),
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
    const auto ms = [](auto d) { return std::chrono::duration_cast<milliseconds>(d).count(); };
    const store::PurgeCutoffs cutoffs{now - ms(retention_.transcripts),
                                      now - ms(retention_.idle_timeout)};
    int n = 0;
    try {
        n = store_.purge(cutoffs);
        if (n > 0) log_ << "purged " << n << " idle sessions\n" << std::flush;
    } catch (const std::exception& e) {
        log_ << "purge failed: " << e.what() << "\n" << std::flush;
    }
    try {
        const int b = bookings_ ? bookings_->purge_bookings(now - ms(retention_.bookings)) : 0;
        if (b > 0) log_ << "purged " << b << " past bookings\n" << std::flush;
    } catch (const std::exception& e) {
        log_ << "booking purge failed: " << e.what() << "\n" << std::flush;
    }
    std::lock_guard<std::mutex> lk(lock_);
    purged_ += n;
}

}  // namespace wegwijs::app
