// When a login may be tried again after failures: a rule on the times of
// recent failures, kept by the staff store per account name and per address.
//
// The rule, and why: guessing is slowed per account and per address, but no
// one can lock a clerk out for long by failing on purpose under their name.
// - Per account: 5 failures within 15 minutes are free; after that each try
//   waits 2^(n-5) seconds after the last failure, at most 60 seconds. So an
//   attacker gets at most one guess a minute per account, and a clerk whose
//   name is being tried waits at most a minute.
// - Per address: 20 failures within 15 minutes; then that address waits
//   until the oldest of them is 15 minutes old (others are not affected).
#pragma once

#include <cstdint>
#include <vector>

namespace wegwijs::staff {

struct LoginThrottle {
    std::int64_t window_ms = 15 * 60 * 1000;
    int account_free = 5;
    std::int64_t account_max_wait_ms = 60 * 1000;
    int address_free = 20;
};

// Milliseconds to wait before the next try, 0 when it may be tried now.
// The failure times are those within the window, oldest first.
std::int64_t login_wait_ms(const LoginThrottle& rule,
                           const std::vector<std::int64_t>& account_failures,
                           const std::vector<std::int64_t>& address_failures, std::int64_t now_ms);

}  // namespace wegwijs::staff
