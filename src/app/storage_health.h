// Whether the storage takes writes, as the health check and the log tell it.
//
// A write that fails for the storage itself (disk full, I/O error, read-only,
// locked) is reported here by whoever met it; the service then answers 503
// storage_unavailable, and /healthz says "degraded" with the reason. While
// degraded, status() tries a small write at most every few seconds, and the
// first one that commits makes the service healthy again.
//
// Guarantees: the log gets one line when the storage fails and one when it
// recovers, never one per request, and never a request's content. Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>

#include "app/assistant.h"
#include "store/session_store.h"
#include "store/sqlite.h"

namespace wegwijs::app {

class StorageHealth {
  public:
    StorageHealth(store::SessionStore& store, std::ostream& log, Clock clock);

    // A write failed for the storage; `error` says why.
    void failed(const store::SqliteError& error);

    struct Status {
        bool ok = true;
        std::string reason;  // empty when ok: "disk full", "read-only", ...
    };
    Status status();

    // The reason in words a log or a health answer can show.
    static std::string reason_of(const store::SqliteError& error);

  private:
    store::SessionStore& store_;
    std::ostream& log_;
    Clock clock_;
    std::mutex lock_;
    std::string reason_;          // empty: healthy
    std::int64_t probed_ms_ = 0;  // the last test write while degraded
};

}  // namespace wegwijs::app
