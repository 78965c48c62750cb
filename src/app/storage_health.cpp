// The storage's health; see storage_health.h.
#include "app/storage_health.h"

namespace wegwijs::app {
namespace {
constexpr std::int64_t kProbeEveryMs = 2000;
}

StorageHealth::StorageHealth(store::SessionStore& store, std::ostream& log, Clock clock)
    : store_(store), log_(log), clock_(std::move(clock)) {}

std::string StorageHealth::reason_of(const store::SqliteError& error) {
    switch (error.code) {
        case SQLITE_FULL:
            return "disk full";
        case SQLITE_READONLY:
            return "read-only";
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return "database locked";
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            return "database damaged";
        case SQLITE_CANTOPEN:
            return "cannot open the database";
        default:
            return "storage error";  // SQLITE_IOERR and the rest
    }
}

void StorageHealth::failed(const store::SqliteError& error) {
    const std::string reason = reason_of(error);
    std::lock_guard<std::mutex> guard(lock_);
    probed_ms_ = clock_();
    if (reason_ == reason) return;
    reason_ = reason;
    log_ << "storage unavailable: " << reason << " (" << error.what()
         << "); answering 503 until a write succeeds\n"
         << std::flush;
}

StorageHealth::Status StorageHealth::status() {
    std::lock_guard<std::mutex> guard(lock_);
    if (reason_.empty()) return {};
    const std::int64_t now = clock_();
    if (now - probed_ms_ >= kProbeEveryMs) {
        probed_ms_ = now;
        try {
            store_.check_writable(now);
            log_ << "storage available again (was: " << reason_ << ")\n" << std::flush;
            reason_.clear();
            return {};
        } catch (const store::SqliteError& e) {
            reason_ = reason_of(e);
        }
    }
    return {false, reason_};
}

}  // namespace wegwijs::app
