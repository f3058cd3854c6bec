// Parsing what browsers send: urlencoded bodies, cookies, multipart uploads.
#include "web/form.h"

#include <gtest/gtest.h>

#include "web/multipart.h"

namespace booklib::web {
namespace {

TEST(ParseUrlEncoded, DecodesPlusAndPercentEscapes) {
  const auto fields = ParseUrlEncoded("title=The+Fifth%20Season&author=N.+K.+Jemisin&empty=&flag");
  ASSERT_TRUE(fields);
  EXPECT_EQ(Field(*fields, "title"), "The Fifth Season");
  EXPECT_EQ(Field(*fields, "author"), "N. K. Jemisin");
  EXPECT_EQ(Field(*fields, "empty"), "");
  EXPECT_TRUE(fields->contains("flag"));
  EXPECT_EQ(Field(*fields, "missing"), "");
}

TEST(ParseUrlEncoded, KeepsUtf8AndTheFirstOfRepeatedFields) {
  const auto fields = ParseUrlEncoded("title=%E6%9C%AC&title=second");
  ASSERT_TRUE(fields);
  EXPECT_EQ(Field(*fields, "title"), "\xE6\x9C\xAC");
}

TEST(ParseUrlEncoded, RejectsBrokenEscapesBinaryAndFloods) {
  EXPECT_FALSE(ParseUrlEncoded("title=%G1"));
  EXPECT_FALSE(ParseUrlEncoded("title=%4"));
  EXPECT_FALSE(ParseUrlEncoded("title=%FF%FE"));  // not UTF-8
  EXPECT_FALSE(ParseUrlEncoded("title=a%00b"));   // NUL byte
  std::string flood;
  for (int i = 0; i < 500; ++i) flood += "f" + std::to_string(i) + "=1&";
  EXPECT_FALSE(ParseUrlEncoded(flood));
}

TEST(ParseCookies, SplitsPairsAndSkipsJunk) {
  const auto cookies = ParseCookies("a=1; b=two;junk; =x; c=");
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("b"), "two");
  EXPECT_EQ(cookies.at("c"), "");
  EXPECT_FALSE(cookies.contains("junk"));
}

TEST(ParseMultipart, FindsTheImageFieldAndItsBytes) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"b.jpg\"\r\n"
      "Content-Type: image/jpeg\r\n\r\n\xFF\xD8\r\nbinary\r\n--XyZ--\r\n";
  const auto parts = ParseMultipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "csrf_token");
  EXPECT_EQ((*parts)[0].body, "tok");
  EXPECT_EQ((*parts)[1].filename, "b.jpg");
  EXPECT_EQ((*parts)[1].content_type, "image/jpeg");
  EXPECT_EQ((*parts)[1].body, "\xFF\xD8\r\nbinary");
}

TEST(ParseMultipart, RejectsMissingBoundariesAndTruncatedBodies) {
  EXPECT_FALSE(ParseMultipart("multipart/form-data", "--x\r\n"));
  EXPECT_FALSE(ParseMultipart("multipart/form-data; boundary=x", "no delimiter here"));
  EXPECT_FALSE(ParseMultipart("multipart/form-data; boundary=x",
                              "--x\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nunterminated"));
}

}  // namespace
}  // namespace booklib::web
