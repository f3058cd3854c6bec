// Login throttling per client address and per account that slows guessing but never locks an
// account's owner out.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "ports/clock.h"

namespace booklib {

struct LoginThrottlePolicy {
  int free_failures_per_address = 5;   // wrong passwords from one address before it must wait
  int free_failures_per_account = 10;  // wrong passwords for one email, from anywhere, before it slows
  std::int64_t max_delay_seconds = 15 * 60;
  std::int64_t forget_after_seconds = 60 * 60;  // a record is dropped this long after its last failure
  std::size_t max_records = 50000;              // per table (addresses, emails)
};

// The rule (n = failures recorded, free = the policy's free failures, delay(n) = 2^(n - free)
// seconds, capped at max_delay):
//   - An address with n >= free failures (for any emails) is refused until delay(n) after its last
//     failure. This is what stops one client from guessing quickly.
//   - An email with n >= free failures (from any addresses) refuses, until delay(n) after its last
//     failure, only addresses that have failures of their own on record. An address with none is
//     never refused: its password is checked, so the owner's correct password from an address
//     that has not been failing always logs in (and a wrong one is recorded like any other). A
//     botnet thus gets one guess per fresh address, then waits like everyone else who failed.
//   - A correct password clears the email's record, not the address's (or an attacker could reset
//     his address by logging in to an account of his own between guesses).
//   - Refused attempts are neither checked nor recorded, so hammering during a wait does not
//     lengthen it.
// Memory is bounded: records are forgotten forget_after_seconds after their last failure, and a
// table that reaches max_records drops its expired records, then its older half, so rotating
// addresses or made-up emails cannot grow it. Keys are cut to 320 bytes.
// Thread-safe. Per process: several servers each keep their own tables.
class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, LoginThrottlePolicy policy = {});

  // ok when this attempt may be checked now; kTooManyRequests with retry_after_seconds (>= 1) and
  // a message saying how long to wait otherwise.
  Result<void> Check(std::string_view address, std::string_view email);
  void RecordFailure(std::string_view address, std::string_view email);
  void RecordSuccess(std::string_view email);

  // Records held in both tables (for tests of the memory bound).
  std::size_t RecordCount() const;

 private:
  struct Failures {
    int count = 0;
    std::int64_t last_at = 0;  // unix seconds
  };
  using Table = std::unordered_map<std::string, Failures>;

  // Seconds until `key` may try again (0: now). REQUIRES: mutex_ held.
  std::int64_t WaitFor(const Table& table, const std::string& key, int free_failures, std::int64_t now) const;
  // Counts a failure of `key` at `now`, pruning the table when it is full. REQUIRES: mutex_ held.
  void Add(Table& table, std::string_view key, std::int64_t now);
  // Drops expired records, then the older half, never `kept`. REQUIRES: mutex_ held.
  void Prune(Table& table, std::int64_t now, const std::string& kept);

  const Clock& clock_;
  LoginThrottlePolicy policy_;
  mutable std::mutex mutex_;
  Table addresses_;  // REQUIRES: mutex_ held
  Table emails_;     // REQUIRES: mutex_ held
};

}  // namespace booklib
