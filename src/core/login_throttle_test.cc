// The throttle's rule on a ManualClock: doubling delays, a cap, forgetting, bounded memory.
#include "core/login_throttle.h"

#include <gtest/gtest.h>

#include "metrics/metrics.h"
#include "tests/support/manual_clock.h"

namespace booklib {
namespace {

using std::chrono::seconds;

class LoginThrottleTest : public testing::Test {
 protected:
  std::int64_t RetryAfter(std::string_view address, std::string_view email = "ada@example.com") {
    const auto verdict = throttle_.Check(address, email);
    return verdict ? 0 : verdict.error().retry_after_seconds;
  }

  test::ManualClock clock_;
  LoginThrottle throttle_{clock_, LoginThrottlePolicy{.free_failures_per_address = 3,
                                                      .free_failures_per_account = 5,
                                                      .max_delay_seconds = 60,
                                                      .forget_after_seconds = 600,
                                                      .max_records = 100}};
};

TEST_F(LoginThrottleTest, EachFailureAfterTheFreeOnesDoublesTheWaitUpToTheCap) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(RetryAfter("a", "x" + std::to_string(i) + "@example.com"), 0);
    throttle_.RecordFailure("a", "x" + std::to_string(i) + "@example.com");
  }
  std::vector<std::int64_t> waits;
  for (int i = 0; i < 8; ++i) {
    const std::int64_t wait = RetryAfter("a", "y@example.com");
    waits.push_back(wait);
    clock_.Advance(seconds{wait});
    ASSERT_EQ(RetryAfter("a", "y@example.com"), 0);
    throttle_.RecordFailure("a", "y" + std::to_string(i) + "@example.com");
  }
  EXPECT_EQ(waits, (std::vector<std::int64_t>{1, 2, 4, 8, 16, 32, 60, 60}));
}

TEST_F(LoginThrottleTest, AttemptsDuringAWaitDoNotLengthenIt) {
  for (int i = 0; i < 3; ++i) throttle_.RecordFailure("a", "ada@example.com");
  EXPECT_EQ(RetryAfter("a"), 1);
  EXPECT_EQ(RetryAfter("a"), 1);
  clock_.Advance(seconds{1});
  EXPECT_EQ(RetryAfter("a"), 0);
}

TEST_F(LoginThrottleTest, FailuresAreForgottenAfterAQuietPeriod) {
  for (int i = 0; i < 10; ++i) throttle_.RecordFailure("a", "ada@example.com");
  EXPECT_GT(RetryAfter("a"), 0);
  clock_.Advance(seconds{600});
  EXPECT_EQ(RetryAfter("a"), 0);
  throttle_.RecordFailure("a", "ada@example.com");  // counting starts again from one
  EXPECT_EQ(RetryAfter("a"), 0);
}

TEST_F(LoginThrottleTest, TheAccountLimitNeverRefusesAnAddressWithoutFailures) {
  for (int bot = 0; bot < 20; ++bot) throttle_.RecordFailure("bot" + std::to_string(bot), "ada@example.com");
  EXPECT_GT(RetryAfter("bot0"), 0);
  EXPECT_EQ(RetryAfter("ada-at-home"), 0);
  throttle_.RecordSuccess("ada@example.com");
  EXPECT_EQ(RetryAfter("bot0"), 0);
}

TEST_F(LoginThrottleTest, RefusalsAreCountedByWhoseFailuresCausedThem) {
  auto& throttled = metrics::Registry::Default().AddCounter("booklib_login_throttled_total", "", {"scope"});
  const double by_address = throttled.WithLabels({"address"}).Value();
  const double by_account = throttled.WithLabels({"account"}).Value();
  for (int i = 0; i < 3; ++i) throttle_.RecordFailure("guesser", "x" + std::to_string(i) + "@example.com");
  EXPECT_GT(RetryAfter("guesser", "y@example.com"), 0);
  for (int bot = 0; bot < 6; ++bot) throttle_.RecordFailure("bot" + std::to_string(bot), "ada@example.com");
  EXPECT_GT(RetryAfter("bot0"), 0);
  EXPECT_EQ(RetryAfter("ada-at-home"), 0);
  EXPECT_EQ(throttled.WithLabels({"address"}).Value() - by_address, 1);
  EXPECT_EQ(throttled.WithLabels({"account"}).Value() - by_account, 1);
}

TEST_F(LoginThrottleTest, RotatingAddressesAndEmailsCannotGrowMemoryWithoutBound) {
  for (int i = 0; i < 10000; ++i) {
    throttle_.RecordFailure("198.51.100." + std::to_string(i),
                            "made-up-" + std::to_string(i) + "@example.com");
    if (i % 100 == 0) clock_.Advance(seconds{1});
  }
  EXPECT_LE(throttle_.RecordCount(), 2 * 101u);
  // The newest records survive pruning: the latest address is still counted.
  for (int i = 0; i < 3; ++i) throttle_.RecordFailure("198.51.100.9999", "z@example.com");
  EXPECT_GT(RetryAfter("198.51.100.9999", "z@example.com"), 0);
}

TEST_F(LoginThrottleTest, HugeKeysAreCutSoTheyCannotBloatMemory) {
  const std::string huge(100000, 'e');
  for (int i = 0; i < 3; ++i) throttle_.RecordFailure(huge, huge);
  EXPECT_GT(RetryAfter(huge, huge), 0);
  EXPECT_GT(RetryAfter(huge.substr(0, 320), "other"), 0);  // the same record
}

}  // namespace
}  // namespace booklib
