// SessionCache: freshness, the session's own expiry, the bound, and logout winning a race.
#include "core/session_cache.h"

#include <gtest/gtest.h>

namespace booklib {
namespace {

using namespace std::chrono_literals;
const SessionCache::Clock::time_point t0{};

User Reader(const std::string& id) {
  User user;
  user.id = id;
  user.username = "reader-" + id;
  return user;
}

TEST(SessionCache, AnswersUntilItsTimeOrTheSessionsExpiry) {
  SessionCache cache(30s, 10);
  cache.Put("s1", Reader("u1"), /*session_expires_at=*/1000, t0);
  ASSERT_TRUE(cache.Find("s1", 999, t0 + 29s));
  EXPECT_EQ(cache.Find("s1", 999, t0 + 29s)->id, "u1");
  EXPECT_FALSE(cache.Find("s1", 1000, t0 + 1s)) << "the session itself expired";
  cache.Put("s2", Reader("u2"), 5000, t0);
  EXPECT_FALSE(cache.Find("s2", 10, t0 + 30s)) << "cached 30 s at most";
  EXPECT_FALSE(cache.Find("unknown", 10, t0));
}

TEST(SessionCache, KeepsAtMostItsCapacityDroppingTheLeastRecentlyUsed) {
  SessionCache cache(30s, 2);
  cache.Put("a", Reader("a"), 5000, t0);
  cache.Put("b", Reader("b"), 5000, t0);
  ASSERT_TRUE(cache.Find("a", 1, t0));  // a is now the most recent
  cache.Put("c", Reader("c"), 5000, t0);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.Find("a", 1, t0));
  EXPECT_FALSE(cache.Find("b", 1, t0));
  EXPECT_TRUE(cache.Find("c", 1, t0));
}

TEST(SessionCache, ALogoutIsNotUndoneByALookupThatReadTheStoreBeforeIt) {
  SessionCache cache(30s, 10);
  cache.Put("s", Reader("u"), 5000, t0);
  cache.Forget("s", t0 + 1s);
  EXPECT_FALSE(cache.Find("s", 1, t0 + 1s));
  cache.Put("s", Reader("u"), 5000, t0 + 2s);  // a racing lookup's result, arriving late
  EXPECT_FALSE(cache.Find("s", 1, t0 + 2s));
  // Once the mark has run its time a new lookup may be cached (a store read would be needed to
  // get here, and the store has no such session any more).
  cache.Put("s", Reader("u"), 5000, t0 + 32s);
  EXPECT_TRUE(cache.Find("s", 1, t0 + 32s));
}

TEST(SessionCache, ZeroTimeKeepsNothing) {
  SessionCache cache(0s, 10);
  cache.Put("s", Reader("u"), 5000, t0);
  EXPECT_FALSE(cache.Find("s", 1, t0));
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace booklib
