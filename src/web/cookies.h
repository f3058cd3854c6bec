// Signed cookies and CSRF tokens: HMAC-SHA256 with the server's secret key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace booklib::web {

struct CookieOptions {
  long long max_age = -1;  // seconds; -1 = browser session; 0 = delete
  bool http_only = true;
  bool secure = false;  // set when the request came over HTTPS
  std::string same_site = "Lax";
  std::string path = "/";
};

// "name=value; Path=/; HttpOnly; SameSite=Lax[; Secure][; Max-Age=N]".
std::string SetCookieValue(std::string_view name, std::string_view value, const CookieOptions& options);

class CookieSigner {
 public:
  // REQUIRES: secret of at least 32 bytes.
  explicit CookieSigner(std::string secret);

  // "<value>.<hex HMAC of name and value>"; `value` must not contain ';' or spaces.
  std::string Sign(std::string_view name, std::string_view value) const;
  // The value when the signature is valid for that cookie name; nullopt if tampered or malformed.
  std::optional<std::string> Verify(std::string_view name, std::string_view signed_value) const;

  // The token forms and scripts must send back: bound to the browser's CSRF cookie and the session.
  std::string CsrfToken(std::string_view csrf_cookie, std::string_view session_id) const;
  bool CheckCsrfToken(std::string_view token, std::string_view csrf_cookie,
                      std::string_view session_id) const;

 private:
  std::string secret_;
};

}  // namespace booklib::web
