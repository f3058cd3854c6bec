// The hashing pool never runs more jobs than its threads and refuses callers beyond its bound.
#include "core/hashing_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "metrics/metrics.h"

namespace booklib {
namespace {

TEST(HashingPool, RunsTheJobAndReturnsWhenItIsDone) {
  HashingPool pool(1, 0);
  int result = 0;
  ASSERT_TRUE(pool.Run([&] { result = 42; }));
  EXPECT_EQ(result, 42);
}

TEST(HashingPool, RefusesCallersBeyondItsBoundAtOnceWithRetryAfter) {
  HashingPool pool(/*threads=*/2, /*max_queued=*/0);
  std::latch release(1);
  std::atomic<int> started{0};
  std::vector<std::jthread> callers;
  for (int i = 0; i < 2; ++i)
    callers.emplace_back([&] {
      EXPECT_TRUE(pool.Run([&] {
        ++started;
        release.wait();
      }));
    });
  while (started.load() < 2) std::this_thread::yield();
  auto& refusals = metrics::Registry::Default().AddCounter("booklib_password_hashing_refused_total", "");
  const double refused_before = refusals.WithLabels({}).Value();
  const auto refused = pool.Run([] { ADD_FAILURE() << "a refused job ran"; });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refusals.WithLabels({}).Value() - refused_before, 1);  // counted for /metrics
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().retry_after_seconds, 1);
  release.count_down();
  callers.clear();
  EXPECT_TRUE(pool.Run([] {}));  // room again once they finished
  EXPECT_EQ(pool.PeakRunning(), 2);
}

TEST(HashingPool, ManyConcurrentCallersEitherRunOrAreRefusedNeverMoreThanTheThreadsAtOnce) {
  HashingPool pool(/*threads=*/2, /*max_queued=*/2);
  std::atomic<int> ran{0};
  std::atomic<int> refused{0};
  std::vector<std::jthread> callers;
  for (int i = 0; i < 16; ++i)
    callers.emplace_back([&] {
      for (int j = 0; j < 50; ++j) {
        auto done = pool.Run([&] { ++ran; });
        if (!done) ++refused;
      }
    });
  callers.clear();
  EXPECT_EQ(ran.load() + refused.load(), 16 * 50);
  EXPECT_LE(pool.PeakRunning(), 2);
}

}  // namespace
}  // namespace booklib
