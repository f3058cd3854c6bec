// Provider text made presentable, and the HTTP rules shared by the providers.
#include "metadata/text_cleanup.h"

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>

#include "metadata/provider_http.h"

namespace booklib::metadata {
namespace {

using namespace std::chrono_literals;

// One behaviour of PlainTextFromHtml a row; the row's name is the test's name.
struct HtmlToText {
  const char* behaviour;
  std::string_view html;
  std::string_view text;

  friend void PrintTo(const HtmlToText& row, std::ostream* out) { *out << '"' << row.html << '"'; }
};

class PlainTextFromHtmlTest : public ::testing::TestWithParam<HtmlToText> {};

TEST_P(PlainTextFromHtmlTest, GivesTheTextAReaderShouldSee) {
  EXPECT_EQ(PlainTextFromHtml(GetParam().html), GetParam().text);
}

INSTANTIATE_TEST_SUITE_P(
    , PlainTextFromHtmlTest,
    ::testing::Values(HtmlToText{"TagsAreDroppedLineBreaksKeptAndParagraphsSetOffByAnEmptyLine",
                                 "<b>Bold</b> and <i>italic</i><br>next line<p>para</p>\n<p>another</p>",
                                 "Bold and italic\nnext line\n\npara\n\nanother"},
                      HtmlToText{
                          "CharacterReferencesAreDecoded",
                          "Tom &amp; Jerry &lt;3 &quot;hi&quot; &#39;x&#39; &#x2014; &mdash; caf&#233;",
                          "Tom & Jerry <3 \"hi\" 'x' \u2014 \u2014 caf\u00e9"},
                      HtmlToText{"UnknownReferencesAndLoneAmpersandsStayAsWritten", "R&D &unknown; AT&T",
                                 "R&D &unknown; AT&T"},
                      HtmlToText{"ALessThanSignThatOpensNoTagIsKept", "if a < b and 3<4", "if a < b and 3<4"},
                      HtmlToText{"BlanksCollapseAndAtMostOneEmptyLineRemains",
                                 "  one   two\t three \n\n\n\n four  ", "one two three\n\nfour"},
                      HtmlToText{"AnUnterminatedTagDropsTheRest", "text <span class=\"x", "text"},
                      HtmlToText{"PlainTextPassesThrough", "宇宙の話をしよう。", "宇宙の話をしよう。"}),
    [](const ::testing::TestParamInfo<HtmlToText>& row) { return std::string(row.param.behaviour); });

TEST(HttpsUrlTest, HttpBecomesHttpsAndOthersAreUnchanged) {
  EXPECT_EQ(HttpsUrl("http://books.google.com/x?a=1"), "https://books.google.com/x?a=1");
  EXPECT_EQ(HttpsUrl("HTTP://example.org/"), "https://example.org/");
  EXPECT_EQ(HttpsUrl("https://covers.openlibrary.org/b/id/1-L.jpg"),
            "https://covers.openlibrary.org/b/id/1-L.jpg");
  EXPECT_EQ(HttpsUrl(""), "");
}

TEST(JoinNonEmptyTest, SkipsEmptyParts) {
  EXPECT_EQ(JoinNonEmpty({"a", "", "b"}, ", "), "a, b");
  EXPECT_EQ(JoinNonEmpty({"", ""}, ", "), "");
}

TEST(ParseRetryAfterTest, SecondsAreReadAndCappedAtOneDay) {
  EXPECT_EQ(ParseRetryAfter("120"), 120s);
  EXPECT_EQ(ParseRetryAfter(" 0 "), 0s);
  EXPECT_EQ(ParseRetryAfter("999999"), 86400s);
  EXPECT_EQ(ParseRetryAfter("99999999999999999999999"), 86400s);
}

TEST(ParseRetryAfterTest, DatesNegativesAndGarbageGiveNothing) {
  EXPECT_FALSE(ParseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT").has_value());
  EXPECT_FALSE(ParseRetryAfter("-5").has_value());
  EXPECT_FALSE(ParseRetryAfter("12abc").has_value());
  EXPECT_FALSE(ParseRetryAfter("").has_value());
}

}  // namespace
}  // namespace booklib::metadata
