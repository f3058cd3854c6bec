// Use cases of accounts: register, log in, resolve a session, log out.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/error.h"
#include "core/hashing_pool.h"
#include "core/login_throttle.h"
#include "core/session_cache.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace booklib {

struct AccountPolicy {
  int password_iterations = 600000;  // PBKDF2-SHA256 rounds for new hashes
  std::int64_t session_seconds = 14 * 24 * 3600;
  LoginThrottlePolicy login_throttle;  // per process; the rule is in core/login_throttle.h
  // Register and Login hash on a HashingPool of this many threads, admitting at most
  // hashing_threads + hashing_max_queued hashes at once (core/hashing_pool.h says why).
  int hashing_threads = 1;
  int hashing_max_queued = 2;
  // UserForSession answers from a SessionCache for this long after a store read (0: always
  // reads), for up to this many sessions. Logout through this Accounts forgets at once; through
  // another process (DynamoDB with several instances) it takes effect here within this time.
  std::chrono::milliseconds session_cache_ttl{30000};
  std::size_t session_cache_entries = 10000;
};

struct Registration {
  std::string username;
  std::string email;
  std::string password;
  std::string confirm_password;
};

class Accounts {
 public:
  Accounts(Store& store, const Clock& clock, AccountPolicy policy = {});

  // kInvalidArgument naming the field and the rule ("Passwords do not match", ...);
  // kAlreadyExists "That username is taken" / "An account with that email already exists";
  // kUnavailable (retry_after_seconds 1) when the hashing pool is full.
  Result<User> Register(const Registration& form);

  // A new server-side session; the returned id goes in the cookie, the store keeps only
  // StoredSessionId(id), so a copy of the store's sessions logs nobody in. kUnauthenticated "Invalid email or
  // password" for any mismatch, in about the same time whether or not the email exists. kTooManyRequests
  // (with retry_after_seconds) when LoginThrottle says `client_address` must wait: after repeated failures
  // from that address, or for an email under attack from an address that has failed too. The owner's correct
  // password from an address without failures is never refused. kUnavailable (retry_after_seconds 1) when the
  // hashing pool is full; not counted as a failure.
  Result<Session> Login(std::string_view email, std::string_view password, std::string_view client_address);

  // The user of a live session; kUnauthenticated when missing, expired or logged out.
  Result<User> UserForSession(std::string_view session_id);

  // Ends the session on the server: its cookie no longer logs anyone in.
  Result<void> Logout(std::string_view session_id);

 private:
  Store& store_;
  const Clock& clock_;
  AccountPolicy policy_;
  LoginThrottle throttle_;
  HashingPool hashing_;
  SessionCache sessions_;
  std::once_flag decoy_once_;
  std::string decoy_hash_;  // verified against when the email has no account; set once, on first use
};

// The key a session is stored under: SHA-256 of the cookie's id, 64 lower-case hex digits.
std::string StoredSessionId(std::string_view session_id);

// "Ada@Example.com " -> "ada@example.com".
std::string NormalizeEmail(std::string_view email);

}  // namespace booklib
