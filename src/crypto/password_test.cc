// Tests that Werkzeug hashes from the seed's Flask app verify, and that new hashes are strong.
#include "crypto/password.h"

#include <gtest/gtest.h>

namespace booklib::crypto {
namespace {

// Made with python3-werkzeug 2.2.2 (Debian 12): generate_password_hash(pw, method="pbkdf2:sha256").
constexpr const char* kWerkzeug1000 =
    "pbkdf2:sha256:1000$lW4lNpRZSz4IQmlU$80b2af7f7e4561f69aa87afe2ef8398205bb2292f9ce994580dc1f77175bda49";
constexpr const char* kWerkzeug260000 =
    "pbkdf2:sha256:260000$tVpTSbEU2n8tv9Ll$bd7ac590ab4b5fafe5874fec0c33ab5236a59e263d7580bff04c1a0a9a216a32";

TEST(VerifyPassword, AcceptsAWerkzeugHashFromTheSeedApp) {
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", kWerkzeug1000));
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", kWerkzeug260000));
}

TEST(VerifyPassword, RejectsAWrongPassword) {
  EXPECT_FALSE(VerifyPassword("correct horse battery stapler", kWerkzeug1000));
}

TEST(VerifyPassword, RejectsMalformedAndForeignHashes) {
  EXPECT_FALSE(VerifyPassword("x", ""));
  EXPECT_FALSE(VerifyPassword("x", "pbkdf2:sha256:abc$salt$00"));
  EXPECT_FALSE(VerifyPassword("x", "scrypt:32768:8:1$salt$00"));
  EXPECT_FALSE(VerifyPassword("x", "pbkdf2:sha256:999999999$salt$00"));
}

TEST(HashPassword, UsesAtLeast600000IterationsAndARandomSalt) {
  const std::string a = HashPassword("s3cret-pass", 1000);
  const std::string b = HashPassword("s3cret-pass", 1000);
  EXPECT_NE(a, b);
  EXPECT_TRUE(VerifyPassword("s3cret-pass", a));
  EXPECT_TRUE(HashPassword("pw").starts_with("pbkdf2:sha256:600000$"));
}

}  // namespace
}  // namespace booklib::crypto
