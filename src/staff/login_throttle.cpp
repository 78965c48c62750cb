// The login throttle's rule; see login_throttle.h.
#include "staff/login_throttle.h"

#include <algorithm>

namespace wegwijs::staff {

std::int64_t login_wait_ms(const LoginThrottle& rule,
                           const std::vector<std::int64_t>& account_failures,
                           const std::vector<std::int64_t>& address_failures, std::int64_t now_ms) {
    std::int64_t wait = 0;
    const int n = static_cast<int>(account_failures.size());
    if (n >= rule.account_free) {
        const int doublings = std::min(n - rule.account_free, 20);
        const std::int64_t pause =
            std::min<std::int64_t>(1000LL << doublings, rule.account_max_wait_ms);
        wait = std::max(wait, account_failures.back() + pause - now_ms);
    }
    const int m = static_cast<int>(address_failures.size());
    if (m >= rule.address_free)
        wait = std::max(wait, address_failures[m - rule.address_free] + rule.window_ms - now_ms);
    return std::max<std::int64_t>(wait, 0);
}

}  // namespace wegwijs::staff
