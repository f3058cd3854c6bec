// ?next= values a browser would follow off this origin are refused; local paths are kept.
#include "web/redirect_target.h"

#include <gtest/gtest.h>

namespace booklib::web {
namespace {

TEST(LocalRedirectTarget, KeepsPathsOnThisOrigin) {
  EXPECT_EQ(LocalRedirectTarget("/books"), "/books");
  EXPECT_EQ(LocalRedirectTarget("/"), "/");
  EXPECT_EQ(LocalRedirectTarget("/edit_book/abc?x=1#top"), "/edit_book/abc?x=1#top");
  EXPECT_EQ(LocalRedirectTarget("/a/../books"), "/a/../books");
  EXPECT_EQ(LocalRedirectTarget("/%09/evil.example"),
            "/%09/evil.example");  // a literal %09 stays in the path
}

TEST(LocalRedirectTarget, NormalisesAsABrowserDoesBeforeJudging) {
  EXPECT_EQ(LocalRedirectTarget("/bo\toks"), "/books");
  EXPECT_EQ(LocalRedirectTarget("  /books "), "/books");
  EXPECT_EQ(LocalRedirectTarget("/a\\b"), "/a/b");
}

TEST(LocalRedirectTarget, RefusesEverythingABrowserWouldTakeOffSite) {
  for (const std::string_view next : {"/\t/evil.example/phish",
                                      "/\n/evil.example",
                                      "/\r/evil.example",
                                      "/\r\n/evil.example",
                                      "/\x01/evil.example",
                                      "/\x7f/evil.example",
                                      "\t//evil.example",
                                      " //evil.example",
                                      "//evil.example",
                                      "\\\\evil.example",
                                      "/\\evil.example",
                                      "\\/evil.example",
                                      "https://evil.example/",
                                      "https:evil.example",
                                      "javascript:alert(1)",
                                      "evil.example",
                                      "",
                                      "   ",
                                      "/.//evil.example",
                                      "/%2e//evil.example",
                                      "/a/..//evil.example",
                                      "/a/%2E%2E//evil.example",
                                      "/%2F/evil.example",
                                      "/%2f/evil.example",
                                      "/%5C/evil.example",
                                      "/books\x80",
                                      "/bo oks"})
    EXPECT_EQ(LocalRedirectTarget(next), std::nullopt) << testing::PrintToString(std::string(next));
}

}  // namespace
}  // namespace booklib::web
