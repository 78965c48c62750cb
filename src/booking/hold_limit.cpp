// Limits on new holds; see hold_limit.h.
#include "booking/hold_limit.h"

namespace wegwijs::booking {
namespace {
constexpr std::int64_t kWindowMs = 60'000;

void drop_before(std::deque<std::int64_t>& times, std::int64_t cutoff_ms) {
    while (!times.empty() && times.front() <= cutoff_ms) times.pop_front();
}
}  // namespace

HoldLimiter::HoldLimiter(HoldLimits limits) : limits_(limits) {}

void HoldLimiter::forget_before(std::int64_t cutoff_ms) {
    drop_before(all_, cutoff_ms);
    // Clients with no grant in the window are forgotten, once a window.
    if (cutoff_ms - swept_ms_ < kWindowMs) return;
    swept_ms_ = cutoff_ms;
    for (auto it = by_client_.begin(); it != by_client_.end();) {
        drop_before(it->second, cutoff_ms);
        it = it->second.empty() ? by_client_.erase(it) : std::next(it);
    }
}

bool HoldLimiter::take(const std::string& client, std::int64_t now_ms) {
    std::lock_guard<std::mutex> guard(lock_);
    forget_before(now_ms - kWindowMs);
    if (static_cast<int>(all_.size()) >= limits_.in_all) return false;
    auto& mine = by_client_[client];
    drop_before(mine, now_ms - kWindowMs);
    if (static_cast<int>(mine.size()) >= limits_.per_client) return false;
    mine.push_back(now_ms);
    all_.push_back(now_ms);
    return true;
}

}  // namespace wegwijs::booking
