// PageCache: hits by ETag, the byte budget with the least recently used page dropped first, and
// pages too large for it never kept.
#include "web/page_cache.h"

#include <gtest/gtest.h>

namespace booklib::web {
namespace {

TEST(PageCache, AnswersByEtagAndDropsTheLeastRecentlyUsedPastItsBudget) {
  PageCache cache(8000);  // one page may take 1,000 bytes
  cache.Put("W/\"a\"", std::string(900, 'a'));
  cache.Put("W/\"b\"", std::string(900, 'b'));
  ASSERT_NE(cache.Find("W/\"a\""), nullptr);
  EXPECT_EQ(*cache.Find("W/\"a\""), std::string(900, 'a'));
  EXPECT_EQ(cache.Find("W/\"c\""), nullptr);
  for (int i = 0; i < 7; ++i) cache.Put("W/\"n" + std::to_string(i) + "\"", std::string(900, 'n'));
  EXPECT_LE(cache.bytes(), 8000u);
  EXPECT_EQ(cache.Find("W/\"b\""), nullptr) << "the least recently used went first";
  EXPECT_NE(cache.Find("W/\"n6\""), nullptr);
}

TEST(PageCache, APageOverAnEighthOfTheBudgetOrAZeroBudgetKeepsNothing) {
  PageCache cache(8000);
  cache.Put("W/\"big\"", std::string(1001, 'x'));
  EXPECT_EQ(cache.Find("W/\"big\""), nullptr);
  PageCache off(0);
  off.Put("W/\"a\"", "x");
  EXPECT_EQ(off.Find("W/\"a\""), nullptr);
  EXPECT_EQ(off.bytes(), 0u);
}

}  // namespace
}  // namespace booklib::web
