// Use cases of accounts: register, log in, resolve a session, log out.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/domain.h"
#include "core/error.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace booklib {

struct AccountPolicy {
  int password_iterations = 600000;  // PBKDF2-SHA256 rounds for new hashes
  std::int64_t session_seconds = 14 * 24 * 3600;
  // Failed logins for one email before further attempts wait out the window (per process).
  int max_failed_logins = 5;
  std::int64_t failed_login_window_seconds = 15 * 60;
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
  // kAlreadyExists "That username is taken" / "An account with that email already exists".
  Result<User> Register(const Registration& form);

  // A new server-side session. kUnauthenticated "Invalid email or password" for any mismatch,
  // in about the same time whether or not the email exists. kTooManyRequests after
  // max_failed_logins failures for the email within the window, until the window ends.
  Result<Session> Login(std::string_view email, std::string_view password);

  // The user of a live session; kUnauthenticated when missing, expired or logged out.
  Result<User> UserForSession(std::string_view session_id);

  // Ends the session on the server: its cookie no longer logs anyone in.
  Result<void> Logout(std::string_view session_id);

 private:
  struct FailedLogins {
    int count = 0;
    std::int64_t first_at = 0;  // unix seconds of the first failure in the window
  };
  // kTooManyRequests while `email` is locked out; forgets windows that ended.
  Result<void> CheckLoginAllowed(const std::string& email);
  void RecordLogin(const std::string& email, bool succeeded);

  Store& store_;
  const Clock& clock_;
  AccountPolicy policy_;
  std::mutex failed_mutex_;
  std::unordered_map<std::string, FailedLogins> failed_logins_;
};

// "Ada@Example.com " -> "ada@example.com".
std::string NormalizeEmail(std::string_view email);

}  // namespace booklib
