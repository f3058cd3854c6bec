// Cookie signing with HMAC-SHA256 and constant-time checks.
#include "web/cookies.h"

#include "crypto/crypto.h"
#include "text/codec.h"

namespace booklib::web {

std::string SetCookieValue(std::string_view name, std::string_view value, const CookieOptions& options) {
  std::string out = std::string(name) + "=" + std::string(value) + "; Path=" + options.path;
  if (options.http_only) out += "; HttpOnly";
  if (!options.same_site.empty()) out += "; SameSite=" + options.same_site;
  if (options.secure) out += "; Secure";
  if (options.max_age >= 0) out += "; Max-Age=" + std::to_string(options.max_age);
  return out;
}

CookieSigner::CookieSigner(std::string secret) : secret_(std::move(secret)) {}

std::string CookieSigner::Sign(std::string_view name, std::string_view value) const {
  const std::string mac =
      text::HexEncode(crypto::HmacSha256(secret_, std::string(name) + "=" + std::string(value)));
  return std::string(value) + "." + mac;
}

std::optional<std::string> CookieSigner::Verify(std::string_view name, std::string_view signed_value) const {
  const auto dot = signed_value.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view value = signed_value.substr(0, dot);
  if (!crypto::ConstantTimeEquals(Sign(name, value), signed_value)) return std::nullopt;
  return std::string(value);
}

std::string CookieSigner::CsrfToken(std::string_view csrf_cookie, std::string_view session_id) const {
  return text::HexEncode(
      crypto::HmacSha256(secret_, "csrf|" + std::string(csrf_cookie) + "|" + std::string(session_id)));
}

bool CookieSigner::CheckCsrfToken(std::string_view token, std::string_view csrf_cookie,
                                  std::string_view session_id) const {
  if (csrf_cookie.empty() || token.empty()) return false;
  return crypto::ConstantTimeEquals(CsrfToken(csrf_cookie, session_id), token);
}

}  // namespace booklib::web
