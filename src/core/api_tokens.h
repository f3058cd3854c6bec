// Use cases of personal API tokens: make one (its secret shown once), list, revoke, and the
// Authorization: Bearer check of every API request.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "ports/clock.h"
#include "ports/store.h"

namespace booklib {

constexpr int kMaxApiTokensPerUser = 25;

// A token just made: the record as stored, and the secret, which exists nowhere else after this.
struct NewApiToken {
  ApiToken token;
  std::string secret;  // "bkl_" + 43 base64url characters (32 random bytes)
};

// Who a Bearer secret speaks for.
struct TokenGrant {
  User user;
  ApiToken token;
};

class ApiTokens {
 public:
  ApiTokens(Store& store, const Clock& clock);

  // `name`: trimmed, 1..100 bytes, no control characters ("Name your token" when empty);
  // `scope`: "read" | "read-write" ("Scope must be read or read-write"). At most
  // kMaxApiTokensPerUser per user (kInvalidArgument "You have 25 tokens; revoke one first").
  Result<NewApiToken> Create(std::string_view user_id, std::string_view name, std::string_view scope);

  // The user's tokens, oldest first; secret_hash is cleared (no caller needs it).
  Result<std::vector<ApiToken>> List(std::string_view user_id);

  // kNotFound "No such token" when the user has no token with this id.
  Result<void> Revoke(std::string_view user_id, std::string_view token_id);

  // The grant of a secret as sent after "Bearer ". kUnauthenticated "Invalid or revoked token"
  // for anything that is not a live token (malformed, unknown, revoked, its user gone); store
  // failures as they come. Records the use (last_used_at) at most once a minute per token.
  Result<TokenGrant> Authenticate(std::string_view secret);

 private:
  Store& store_;
  const Clock& clock_;
};

}  // namespace booklib
