// How many new holds may be made per minute: from one client (an address, as
// the channel names it) and in all. A hold keeps seats from everyone else for
// minutes, so without a limit one client could hold the whole calendar again
// and again (seen: 604 holds in 40 s from one anonymous client).
//
// Guarantees: in any 60 seconds, at most per_client holds are granted to one
// client key and at most in_all to all clients together; a refused request
// takes nothing from either budget. Memory holds only the grants of the last
// minute. Kept in this process (several instances each keep their own).
// Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace wegwijs::booking {

struct HoldLimits {
    int per_client = 10;  // new holds per minute from one client
    int in_all = 300;     // new holds per minute from all clients
};

class HoldLimiter {
  public:
    explicit HoldLimiter(HoldLimits limits);

    // Grants one hold to `client` at now_ms, or refuses (false).
    bool take(const std::string& client, std::int64_t now_ms);

  private:
    void forget_before(std::int64_t cutoff_ms);  // lock_ held

    const HoldLimits limits_;
    std::mutex lock_;
    std::deque<std::int64_t> all_;  // grant times, oldest first
    std::unordered_map<std::string, std::deque<std::int64_t>> by_client_;
    std::int64_t swept_ms_ = 0;
};

}  // namespace wegwijs::booking
