// Account rules: validation messages users can act on, hashing, sessions.
#include "core/accounts.h"

#include <algorithm>
#include <cctype>

#include "core/common_passwords.h"
#include "crypto/crypto.h"
#include "crypto/password.h"
#include "text/ascii.h"

namespace booklib {
namespace {

constexpr std::size_t kMinPassword = 8;
constexpr std::size_t kMaxPassword = 1024;  // bounds hashing cost of hostile input

Result<void> CheckUsername(const std::string& username) {
  if (username.size() < 3 || username.size() > 32)
    return Fail(ErrorCode::kInvalidArgument, "Username must be 3 to 32 characters long");
  for (unsigned char c : username)
    if (!std::isalnum(c) && c != '_' && c != '-' && c != '.')
      return Fail(ErrorCode::kInvalidArgument, "Username may contain only letters, digits, '.', '-' and '_'");
  return {};
}

Result<void> CheckEmail(const std::string& email) {
  const auto at = email.find('@');
  if (email.size() > 254 || at == std::string::npos || at == 0 || email.find('.', at) == std::string::npos ||
      email.back() == '.' || email.find_first_of(" \t<>\"") != std::string::npos)
    return Fail(ErrorCode::kInvalidArgument, "Enter a valid email address, like name@example.com");
  return {};
}

Result<void> CheckPassword(const Registration& form, const std::string& username, const std::string& email) {
  if (form.password != form.confirm_password)
    return Fail(ErrorCode::kInvalidArgument, "Passwords do not match");
  if (form.password.size() < kMinPassword)
    return Fail(ErrorCode::kInvalidArgument, "Password must be at least 8 characters long");
  if (form.password.size() > kMaxPassword)
    return Fail(ErrorCode::kInvalidArgument, "Password must be at most 1024 characters long");
  const std::string lowered = text::AsciiLower(form.password);
  const bool one_char = std::ranges::all_of(form.password, [&](char c) { return c == form.password[0]; });
  if (one_char || IsCommonPassword(lowered) || lowered == text::AsciiLower(username) || lowered == email)
    return Fail(ErrorCode::kInvalidArgument,
                "That password is too easy to guess; choose a longer or less common one");
  return {};
}

}  // namespace

std::string StoredSessionId(std::string_view session_id) { return crypto::Sha256Hex(session_id); }

std::string NormalizeEmail(std::string_view email) { return text::AsciiLower(text::TrimWhitespace(email)); }

Accounts::Accounts(Store& store, const Clock& clock, AccountPolicy policy)
    : store_(store),
      clock_(clock),
      policy_(policy),
      throttle_(clock, policy.login_throttle),
      hashing_(policy.hashing_threads, policy.hashing_max_queued),
      sessions_(policy.session_cache_ttl, policy.session_cache_entries) {}

Result<User> Accounts::Register(const Registration& form) {
  User user;
  user.username = text::TrimWhitespace(form.username);
  user.email = NormalizeEmail(form.email);
  if (auto ok = CheckUsername(user.username); !ok) return std::unexpected(ok.error());
  if (auto ok = CheckEmail(user.email); !ok) return std::unexpected(ok.error());
  if (auto ok = CheckPassword(form, user.username, user.email); !ok) return std::unexpected(ok.error());
  user.id = crypto::RandomUuid();
  auto hashed = hashing_.Run(
      [&] { user.password_hash = crypto::HashPassword(form.password, policy_.password_iterations); });
  if (!hashed) return std::unexpected(hashed.error());
  user.created_at = IsoTimestamp(clock_.Now());
  if (auto created = store_.CreateUser(user); !created) {
    if (created.error().code != ErrorCode::kAlreadyExists) return std::unexpected(created.error());
    return Fail(ErrorCode::kAlreadyExists, created.error().message == "email"
                                               ? "An account with that email already exists"
                                               : "That username is taken");
  }
  return user;
}

Result<Session> Accounts::Login(std::string_view email, std::string_view password,
                                std::string_view client_address) {
  const std::string normalized = NormalizeEmail(email);
  if (auto allowed = throttle_.Check(client_address, normalized); !allowed)
    return std::unexpected(allowed.error());
  auto user = store_.FindUserByEmail(normalized);
  if (!user && user.error().code != ErrorCode::kNotFound) return std::unexpected(user.error());
  if (password.size() > kMaxPassword) return Fail(ErrorCode::kUnauthenticated, "Invalid email or password");
  bool matches = false;
  auto verified = hashing_.Run([&] {
    // Without an account, verify against a throwaway hash so timing does not reveal which emails exist.
    std::call_once(decoy_once_, [&] {
      decoy_hash_ = crypto::HashPassword("decoy password", policy_.password_iterations);
    });
    matches = crypto::VerifyPassword(password, user ? user->password_hash : decoy_hash_);
  });
  if (!verified) return std::unexpected(verified.error());
  if (!user || !matches) {
    throttle_.RecordFailure(client_address, normalized);
    return Fail(ErrorCode::kUnauthenticated, "Invalid email or password");
  }
  throttle_.RecordSuccess(normalized);
  Session session{crypto::RandomHex(32), user->id, UnixSeconds(clock_) + policy_.session_seconds};
  Session stored = session;
  stored.id = StoredSessionId(session.id);
  if (auto created = store_.CreateSession(stored); !created) return std::unexpected(created.error());
  return session;
}

Result<User> Accounts::UserForSession(std::string_view session_id) {
  const std::string stored_id = StoredSessionId(session_id);
  if (auto cached = sessions_.Find(stored_id, UnixSeconds(clock_))) return *std::move(cached);
  auto session = store_.FindSession(stored_id);
  if (!session) {
    if (session.error().code == ErrorCode::kNotFound)
      return Fail(ErrorCode::kUnauthenticated, "Please log in");
    return std::unexpected(session.error());
  }
  if (session->expires_at <= UnixSeconds(clock_)) {
    (void)store_.DeleteSession(stored_id);
    return Fail(ErrorCode::kUnauthenticated, "Your session has expired; please log in again");
  }
  auto user = store_.FindUserById(session->user_id);
  if (!user && user.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kUnauthenticated, "Please log in");
  if (user) sessions_.Put(stored_id, *user, session->expires_at);
  return user;
}

Result<void> Accounts::Logout(std::string_view session_id) {
  const std::string stored_id = StoredSessionId(session_id);
  sessions_.Forget(stored_id);
  return store_.DeleteSession(stored_id);
}

}  // namespace booklib
