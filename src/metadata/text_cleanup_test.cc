// Provider text made presentable, and the HTTP rules shared by the providers.
#include "metadata/text_cleanup.h"

#include <gtest/gtest.h>

#include "metadata/provider_http.h"

namespace booklib::metadata {
namespace {

using namespace std::chrono_literals;

TEST(PlainTextFromHtmlTest, TagsAreDroppedLineBreaksKeptAndParagraphsSetOffByAnEmptyLine) {
  EXPECT_EQ(PlainTextFromHtml("<b>Bold</b> and <i>italic</i><br>next line<p>para</p>\n<p>another</p>"),
            "Bold and italic\nnext line\n\npara\n\nanother");
}

TEST(PlainTextFromHtmlTest, CharacterReferencesAreDecoded) {
  EXPECT_EQ(PlainTextFromHtml("Tom &amp; Jerry &lt;3 &quot;hi&quot; &#39;x&#39; &#x2014; &mdash; caf&#233;"),
            "Tom & Jerry <3 \"hi\" 'x' \u2014 \u2014 caf\u00e9");
}

TEST(PlainTextFromHtmlTest, UnknownReferencesAndLoneAmpersandsStayAsWritten) {
  EXPECT_EQ(PlainTextFromHtml("R&D &unknown; AT&T"), "R&D &unknown; AT&T");
}

TEST(PlainTextFromHtmlTest, ALessThanSignThatOpensNoTagIsKept) {
  EXPECT_EQ(PlainTextFromHtml("if a < b and 3<4"), "if a < b and 3<4");
}

TEST(PlainTextFromHtmlTest, BlanksCollapseAndAtMostOneEmptyLineRemains) {
  EXPECT_EQ(PlainTextFromHtml("  one   two\t three \n\n\n\n four  "), "one two three\n\nfour");
}

TEST(PlainTextFromHtmlTest, AnUnterminatedTagDropsTheRest) {
  EXPECT_EQ(PlainTextFromHtml("text <span class=\"x"), "text");
}

TEST(PlainTextFromHtmlTest, PlainTextPassesThrough) {
  EXPECT_EQ(PlainTextFromHtml("宇宙の話をしよう。"), "宇宙の話をしよう。");
}

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
