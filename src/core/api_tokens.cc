// Personal API token rules: what a name and a scope may be, the per-user limit, the secret's form,
// and the Bearer check.
#include "core/api_tokens.h"

#include <algorithm>
#include <chrono>

#include "core/log.h"
#include "crypto/crypto.h"
#include "text/ascii.h"
#include "text/codec.h"
#include "text/utf8.h"

namespace booklib {
namespace {

constexpr std::string_view kSecretPrefix = "bkl_";
constexpr std::size_t kSecretBytes = 32;
constexpr std::size_t kSecretLength = kSecretPrefix.size() + 43;  // 32 bytes in unpadded base64url
constexpr std::size_t kMaxNameBytes = 100;
constexpr auto kTouchInterval = std::chrono::seconds{60};

// C0 controls, DEL, and C1 controls (U+0080..U+009F, in UTF-8 0xC2 0x80..0x9F).
bool HasControlCharacter(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7F) return true;
    if (byte == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F) return true;
  }
  return false;
}

Result<void> CheckName(std::string_view name) {
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "Name your token");
  if (name.size() > kMaxNameBytes)
    return Fail(ErrorCode::kInvalidArgument, "A token's name must be at most 100 bytes long");
  if (!text::IsValidUtf8(name) || HasControlCharacter(name))
    return Fail(ErrorCode::kInvalidArgument, "A token's name may not contain control characters");
  return {};
}

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// True for what Create could have made: the prefix, then 43 base64url characters.
bool IsWellFormedSecret(std::string_view secret) {
  return secret.size() == kSecretLength && secret.starts_with(kSecretPrefix) &&
         std::ranges::all_of(secret.substr(kSecretPrefix.size()), IsBase64UrlCharacter);
}

std::unexpected<Error> InvalidToken() {
  return Fail(ErrorCode::kUnauthenticated, "Invalid or revoked token");
}

}  // namespace

ApiTokens::ApiTokens(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<NewApiToken> ApiTokens::Create(std::string_view user_id, std::string_view name,
                                      std::string_view scope) {
  const std::string_view trimmed = text::TrimWhitespace(name);
  if (auto ok = CheckName(trimmed); !ok) return std::unexpected(ok.error());
  const std::optional<TokenScope> parsed_scope = ParseTokenScope(scope);
  if (!parsed_scope) return Fail(ErrorCode::kInvalidArgument, "Scope must be read or read-write");
  // Two creates at once may both pass this count; the limit is a courtesy, not a security bound.
  auto existing = store_.ListApiTokens(user_id);
  if (!existing) return std::unexpected(existing.error());
  if (existing->size() >= static_cast<std::size_t>(kMaxApiTokensPerUser))
    return Fail(ErrorCode::kInvalidArgument,
                "You have " + std::to_string(kMaxApiTokensPerUser) + " tokens; revoke one first");

  NewApiToken made;
  made.secret = std::string(kSecretPrefix) + text::Base64UrlEncode(crypto::RandomBytes(kSecretBytes));
  made.token = ApiToken{crypto::RandomUuid(),
                        std::string(user_id),
                        std::string(trimmed),
                        *parsed_scope,
                        crypto::Sha256Hex(made.secret),
                        IsoTimestamp(clock_.Now()),
                        ""};
  if (auto created = store_.CreateApiToken(made.token); !created) return std::unexpected(created.error());
  return made;
}

Result<std::vector<ApiToken>> ApiTokens::List(std::string_view user_id) {
  auto tokens = store_.ListApiTokens(user_id);
  if (!tokens) return std::unexpected(tokens.error());
  for (ApiToken& token : *tokens) token.secret_hash.clear();
  return tokens;
}

Result<void> ApiTokens::Revoke(std::string_view user_id, std::string_view token_id) {
  auto deleted = store_.DeleteApiToken(user_id, token_id);
  if (!deleted && deleted.error().code == ErrorCode::kNotFound)
    return Fail(ErrorCode::kNotFound, "No such token");
  return deleted;
}

Result<TokenGrant> ApiTokens::Authenticate(std::string_view secret) {
  if (!IsWellFormedSecret(secret)) return InvalidToken();  // no store read for noise
  auto token = store_.FindApiTokenByHash(crypto::Sha256Hex(secret));
  if (!token) {
    if (token.error().code == ErrorCode::kNotFound) return InvalidToken();
    return std::unexpected(token.error());
  }
  auto user = store_.FindUserById(token->user_id);
  if (!user) {
    if (user.error().code == ErrorCode::kNotFound) return InvalidToken();
    return std::unexpected(user.error());
  }
  // The last use is recorded at most once a minute, so a busy script costs one write a minute.
  // ISO-8601 UTC times of one format compare as text in time order.
  const auto now = clock_.Now();
  if (token->last_used_at.empty() || token->last_used_at <= IsoTimestamp(now - kTouchInterval)) {
    const std::string used_at = IsoTimestamp(now);
    auto touched = store_.TouchApiToken(token->user_id, token->id, used_at);
    if (!touched && touched.error().code == ErrorCode::kNotFound) return InvalidToken();  // revoked meanwhile
    // Any other failure only loses the record of this use; the request it authenticates goes on.
    if (!touched)
      Log(LogLevel::kWarn, "recording an API token's use failed",
          {{"error", touched.error().message}, {"token_id", token->id}});
    else
      token->last_used_at = used_at;
  }
  return TokenGrant{*std::move(user), *std::move(token)};
}

}  // namespace booklib
