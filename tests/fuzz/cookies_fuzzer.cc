// Fuzz target: the Cookie header (web/form.h ParseCookies) and signed cookies and CSRF tokens
// (web/cookies.h). Only what Sign made verifies, and it verifies to what was signed; a token
// checks only for the cookie and session it was made for.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "web/cookies.h"
#include "web/form.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "cookies_fuzzer: %s\n", what);
  std::abort();
}

const booklib::web::CookieSigner& Signer() {
  static const booklib::web::CookieSigner signer("fuzzing-secret-key-of-at-least-32-bytes");
  return signer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string header(reinterpret_cast<const char*>(data), size);
  const auto& signer = Signer();
  const auto cookies = booklib::web::ParseCookies(header);
  for (const auto& [name, value] : cookies) {
    if (name.empty() || name.find_first_of(";=") != std::string::npos || name.front() == ' ')
      Die("a cookie name that is empty or holds ';', '=' or a leading space");
    if (value.find(';') != std::string::npos) Die("a cookie value holding ';'");
    // A fuzzed value verifies only if it is exactly what Sign makes of its value part.
    if (const auto verified = signer.Verify(name, value)) {
      if (signer.Sign(name, *verified) != value) Die("Verify accepted what Sign did not make");
    }
    // What Sign makes verifies, to the value signed, under that name only.
    const std::string signed_value = signer.Sign(name, value);
    const auto back = signer.Verify(name, signed_value);
    if (!back || *back != value) Die("a signed cookie does not verify to its value");
    if (signer.Verify(name + "x", signed_value)) Die("a signed cookie verifies under another name");
    // CSRF tokens: bound to both the cookie seed and the session.
    const std::string token = signer.CsrfToken(value, name);
    if (!value.empty() && !signer.CheckCsrfToken(token, value, name)) Die("a CSRF token does not check");
    if (signer.CheckCsrfToken(token, value + "x", name) || signer.CheckCsrfToken(token, value, name + "x"))
      Die("a CSRF token checks for another cookie or session");
    if (signer.CheckCsrfToken(header, value, name) && header != token) Die("a fuzzed token checks");
  }
  // The whole header as one signed value: never crashes, verifies only if signed.
  if (const auto verified = signer.Verify("booklib_session", header))
    if (signer.Sign("booklib_session", *verified) != header) Die("Verify accepted a foreign value");
  return 0;
}
