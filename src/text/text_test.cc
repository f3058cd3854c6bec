// Tests of the text helpers: trimming, case folding, and hex, percent, base64 and base64url (RFC 4648
// vectors).
#include <gtest/gtest.h>

#include <string>

#include "text/ascii.h"
#include "text/codec.h"
#include "text/utf8.h"

namespace booklib::text {
namespace {

TEST(HexTest, EncodesLowerCaseAndDecodesEitherCase) {
  EXPECT_EQ(HexEncode(std::string("\x00\x1f\xab\xff", 4)), "001fabff");
  EXPECT_EQ(HexDecode("001FabFF").value(), std::string("\x00\x1f\xab\xff", 4));
  EXPECT_EQ(HexDecode("").value(), "");
}

TEST(HexTest, DecodingRejectsOddLengthsAndNonHexDigits) {
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
  EXPECT_FALSE(HexDecode("0g"));
}

TEST(PercentTest, OnlyUnreservedCharactersStayAsTheyAre) {
  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b&c=d/+*"), "a%20b%26c%3Dd%2F%2B%2A");
  EXPECT_EQ(PercentEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
  EXPECT_EQ(PercentEncode("\xE1\x88\xB4"), "%E1%88%B4");
}

TEST(PercentTest, DecodingUndoesEncodingAndPlusMeansSpaceOnlyInForms) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc+d", false).value(), "a b/c+d");
  EXPECT_EQ(PercentDecode("a%20b%2fc+d", true).value(), "a b/c d");
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_EQ(PercentDecode(PercentEncode(all), false).value(), all);
}

TEST(PercentTest, DecodingRejectsBrokenEscapes) {
  for (const char* bad : {"%", "%2", "%zz", "abc%4"}) EXPECT_FALSE(PercentDecode(bad, true)) << bad;
}

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
  for (const char* bad : {"Zm9", "Zm9v!A==", "Zg=a", "Z===", "Zm 9v", "=Zm9"})
    EXPECT_FALSE(Base64Decode(bad)) << bad;
}

TEST(Base64UrlTest, EncodesTheRfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64UrlEncode(""), "");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(Base64UrlEncode("foo"), "Zm9v");
  EXPECT_EQ(Base64UrlEncode("foobar"), "Zm9vYmFy");
}

TEST(Base64UrlTest, UsesDashAndUnderscoreWhereBase64HasPlusAndSlash) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(Base64UrlEncode(std::string(32, '\xff')), "__________________________________________8");
}

TEST(AsciiTest, TrimmingDropsSpacesTabsAndLineBreaksAtBothEnds) {
  EXPECT_EQ(TrimWhitespace(" \t a b \r\n"), "a b");
  EXPECT_EQ(TrimWhitespace(" \n\t "), "");
  EXPECT_EQ(TrimWhitespace(""), "");
}

TEST(AsciiTest, CaseFoldingTouchesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Content-Type: ÉTÉ"), "content-type: ÉtÉ");  // É is two UTF-8 bytes, kept
  EXPECT_EQ(AsciiUpper("get é"), "GET é");
  EXPECT_TRUE(EqualsIgnoringCase("100-Continue", "100-continue"));
  EXPECT_FALSE(EqualsIgnoringCase("abc", "abd"));
  EXPECT_FALSE(EqualsIgnoringCase("abc", "abcd"));
}

TEST(FirstCharacterTest, IsTheWholeFirstCharacterInAnyScriptNotItsFirstByte) {
  EXPECT_EQ(FirstCharacter("Émile"), "É");
  EXPECT_EQ(FirstCharacter("村上春樹"), "村");
  EXPECT_EQ(FirstCharacter("Война и мир"), "В");
  EXPECT_EQ(FirstCharacter("𝔉raktur"), "𝔉");  // four bytes
  EXPECT_EQ(FirstCharacter("dune"), "D");     // ASCII letters upper-cased, others kept as written
  EXPECT_EQ(FirstCharacter("ßtraße"), "ß");
}

TEST(FirstCharacterTest, KeepsCombiningMarksAndJoinedEmojiWithTheirCharacter) {
  EXPECT_EQ(FirstCharacter("E\u0301mile"), "E\u0301");  // E + combining acute
  EXPECT_EQ(FirstCharacter("\U0001F469\u200D\U0001F4BB code"),
            "\U0001F469\u200D\U0001F4BB");                         // woman technologist
  EXPECT_EQ(FirstCharacter("\u2764\uFE0F love"), "\u2764\uFE0F");  // heart + variation selector
}

TEST(FirstCharacterTest, SkipsLeadingSpacesAndPunctuationAndIsEmptyWithoutACharacter) {
  EXPECT_EQ(FirstCharacter("  \"Dune\""), "D");
  EXPECT_EQ(FirstCharacter("(1984)"), "1");
  EXPECT_EQ(FirstCharacter(""), "");
  EXPECT_EQ(FirstCharacter(" ...!"), "");
  EXPECT_EQ(FirstCharacter("\xC3"), "");  // a truncated sequence
  EXPECT_EQ(FirstCharacter("\xFF"
                           "abc"),
            "");                            // not UTF-8
  EXPECT_EQ(FirstCharacter("A\xFF"), "A");  // what follows the first character does not matter
}

}  // namespace
}  // namespace booklib::text
