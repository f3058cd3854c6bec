// Tests of hashes, MACs and ids.
#include "crypto/crypto.h"

#include <gtest/gtest.h>

#include "text/codec.h"

namespace booklib::crypto {
namespace {

TEST(Sha256, MatchesTheKnownDigestOfAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(HmacSha256, MatchesRfc4231TestCase2) {
  EXPECT_EQ(text::HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(RandomUuid, IsVersion4AndDiffersEachTime) {
  const std::string a = RandomUuid();
  const std::string b = RandomUuid();
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_NE(a, b);
}

TEST(NameBasedUuid, MatchesRfc4122DnsExampleAndIsStable) {
  // uuid5(NAMESPACE_DNS, "python.org") as published by Python's uuid module documentation.
  EXPECT_EQ(NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_EQ(NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"),
            NameBasedUuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"));
}

TEST(ConstantTimeEquals, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace booklib::crypto
