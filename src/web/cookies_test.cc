// Signed cookies and CSRF tokens: what verifies, and every way tampering is caught.
#include "web/cookies.h"

#include <gtest/gtest.h>

namespace booklib::web {
namespace {

const CookieSigner kSigner(std::string(40, 's'));

TEST(CookieSigner, ASignedValueVerifiesUnderItsName) {
  const std::string signed_value = kSigner.Sign("booklib_session", "abc123");
  EXPECT_EQ(kSigner.Verify("booklib_session", signed_value), "abc123");
}

TEST(CookieSigner, RejectsTamperedValuesSignaturesAndOtherNames) {
  std::string signed_value = kSigner.Sign("booklib_session", "abc123");
  EXPECT_FALSE(kSigner.Verify("booklib_csrf", signed_value));  // a signature is bound to its cookie
  std::string changed_value = signed_value;
  changed_value[0] = 'x';
  EXPECT_FALSE(kSigner.Verify("booklib_session", changed_value));
  std::string changed_mac = signed_value;
  changed_mac.back() = changed_mac.back() == '0' ? '1' : '0';
  EXPECT_FALSE(kSigner.Verify("booklib_session", changed_mac));
  EXPECT_FALSE(kSigner.Verify("booklib_session", "abc123"));
  EXPECT_FALSE(kSigner.Verify("booklib_session", ""));
  EXPECT_FALSE(CookieSigner(std::string(40, 't')).Verify("booklib_session", signed_value));  // other key
}

TEST(CookieSigner, CsrfTokensAreBoundToTheBrowserAndTheSession) {
  const std::string token = kSigner.CsrfToken("seed-1", "session-1");
  EXPECT_TRUE(kSigner.CheckCsrfToken(token, "seed-1", "session-1"));
  EXPECT_FALSE(kSigner.CheckCsrfToken(token, "seed-2", "session-1"));
  EXPECT_FALSE(kSigner.CheckCsrfToken(token, "seed-1", "session-2"));
  EXPECT_FALSE(kSigner.CheckCsrfToken("", "seed-1", "session-1"));
  EXPECT_FALSE(kSigner.CheckCsrfToken(token, "", "session-1"));
}

TEST(SetCookieValue, CarriesTheSecurityAttributes) {
  EXPECT_EQ(SetCookieValue("a", "b", {}), "a=b; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SetCookieValue("a", "", {.max_age = 0, .secure = true}),
            "a=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0");
}

}  // namespace
}  // namespace booklib::web
