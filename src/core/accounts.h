// Use cases of accounts: register, log in, resolve a session, log out.
#pragma once

#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/error.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace booklib {

struct AccountPolicy {
  int password_iterations = 600000;  // PBKDF2-SHA256 rounds for new hashes
  std::int64_t session_seconds = 14 * 24 * 3600;
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
  // in about the same time whether or not the email exists.
  Result<Session> Login(std::string_view email, std::string_view password);

  // The user of a live session; kUnauthenticated when missing, expired or logged out.
  Result<User> UserForSession(std::string_view session_id);

  // Ends the session on the server: its cookie no longer logs anyone in.
  Result<void> Logout(std::string_view session_id);

 private:
  Store& store_;
  const Clock& clock_;
  AccountPolicy policy_;
};

// "Ada@Example.com " -> "ada@example.com".
std::string NormalizeEmail(std::string_view email);

}  // namespace booklib
