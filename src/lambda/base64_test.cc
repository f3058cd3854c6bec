// Tests of the base64 codec used for API Gateway bodies.
#include "lambda/base64.h"

#include <gtest/gtest.h>

#include <string>

namespace booklib::lambda {
namespace {

TEST(Base64Test, EncodesTheRfc4648TestVectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64Test, DecodingGivesBackEveryByteForEveryLength) {
  std::string bytes;
  for (int length = 0; length < 64; ++length) {
    ASSERT_EQ(Base64Decode(Base64Encode(bytes)).value(), bytes) << "length " << length;
    bytes.push_back(static_cast<char>(length * 37 + 200));
  }
}

TEST(Base64Test, DecodingIgnoresSurroundingWhitespace) {
  EXPECT_EQ(Base64Decode("  Zm9vYg==\n").value(), "foob");
}

TEST(Base64Test, DecodingRejectsMalformedText) {
  for (const char* bad : {"Zm9", "Zm9v!A==", "Zg=a", "Z===", "Zm 9v", "=Zm9"}) {
    const auto decoded = Base64Decode(bad);
    ASSERT_FALSE(decoded.has_value()) << bad;
    EXPECT_EQ(decoded.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace booklib::lambda
