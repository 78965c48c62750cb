// Transcripts and bookings are personal data: the Purger deletes sessions
// (and their turns) idle for longer than the retention, sessions that never
// got past their first turn once they are idle for longer than the idle
// timeout, and bookings whose appointment ended longer ago than their own
// retention; once at start and then at every interval, on a thread of its
// own that stops when the Purger is destroyed.
//
// Guarantees: a failing purge is reported to the log and retried at the next
// interval; destruction waits for a purge in progress and never for a whole
// interval. The log gets counts only, never content.
#pragma once

#include <chrono>
#include <mutex>
#include <ostream>

#include "app/assistant.h"
#include "app/periodic.h"
#include "store/personal_data_store.h"
#include "store/session_store.h"

namespace wegwijs::app {

struct Retention {
    std::chrono::hours transcripts{24 * 30};  // --retention-days
    std::chrono::minutes idle_timeout{30};    // --idle-minutes
    std::chrono::hours bookings{24 * 90};     // --booking-retention-days, after the appointment
};

class Purger {
  public:
    // `bookings` may be null: bookings are then not purged.
    Purger(store::SessionStore& store, store::PersonalDataStore* bookings, Retention retention,
           std::chrono::milliseconds interval, std::ostream& log, Clock clock = system_clock_ms);
    ~Purger();
    Purger(const Purger&) = delete;
    Purger& operator=(const Purger&) = delete;

    int purged() const;  // sessions deleted so far

  private:
    void purge_once();

    store::SessionStore& store_;
    store::PersonalDataStore* bookings_;
    const Retention retention_;
    std::ostream& log_;
    Clock clock_;
    mutable std::mutex lock_;
    int purged_ = 0;
    Periodic worker_;  // last: started once everything above is ready
};

}  // namespace wegwijs::app
