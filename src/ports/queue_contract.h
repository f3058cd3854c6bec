// The Queue contract as tests, shared by every adapter. Include in one test file of an adapter's
// test binary and instantiate with a QueueFactory.
//
// Time passes only on the clock the suite gives the queue: a ManualClock
// (tests/support/manual_clock.h), so the tests run without waiting, unless the queue keeps its
// own time (a server's); then the system clock and real waits. One test needs a real wait and
// makes its queue on the system clock.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "ports/clock.h"
#include "ports/queue.h"
#include "tests/support/manual_clock.h"

namespace booklib {

struct QueueFactory {
  std::string name;
  // A fresh, empty queue that keeps its time on `clock` (which outlives it), hides a received
  // message for `visibility` and moves a message to the dead letters after 3 receives; nullptr
  // skips the test.
  std::function<std::shared_ptr<Queue>(const Clock& clock, std::chrono::seconds visibility)> make;
  // The queue ignores `clock` and keeps its server's time (SQS).
  bool keeps_own_time = false;
};
inline std::ostream& operator<<(std::ostream& out, const QueueFactory& f) { return out << f.name; }

class QueueContract : public testing::TestWithParam<QueueFactory> {
 protected:
  void SetUp() override {
    if (GetParam().keeps_own_time) {
      clock_ = std::make_shared<SystemClock>();
    } else {
      clock_ = std::make_shared<test::ManualClock>();
    }
    queue_ = GetParam().make(*clock_, Visibility());
    if (!queue_) GTEST_SKIP() << GetParam().name << " is not available here";
  }
  // Receives until `count` messages arrived or `wait` passed on the queue's clock.
  std::vector<QueueMessage> ReceiveAll(std::size_t count, std::chrono::seconds wait) {
    std::vector<QueueMessage> all;
    const auto deadline = clock_->Now() + wait;
    // Each Receive returns messages or lets a second pass; the bound only stops a queue that
    // breaks that promise from spinning here forever.
    const auto most_receives = count + static_cast<std::size_t>(wait.count()) + 2;
    for (std::size_t i = 0; i < most_receives && all.size() < count && clock_->Now() < deadline; ++i) {
      auto batch = queue_->Receive(10, std::chrono::seconds{1});
      EXPECT_TRUE(batch);
      if (batch) all.insert(all.end(), batch->begin(), batch->end());
    }
    return all;
  }
  // Short where the waits are real. On a ManualClock every sleeper moves the time for all, so it
  // is longer than the 24 s the concurrent-receivers test may let pass with messages in flight.
  std::chrono::seconds Visibility() const { return std::chrono::seconds{GetParam().keeps_own_time ? 1 : 60}; }
  void LetVisibilityTimeoutPass() const { clock_->SleepFor(Visibility() + std::chrono::milliseconds{300}); }

  std::shared_ptr<const Clock> clock_;  // declared first: it outlives the queue that reads it
  std::shared_ptr<Queue> queue_;
};

TEST_P(QueueContract, ASentMessageIsReceivedWithItsBodyAndDeletedForGood) {
  ASSERT_TRUE(queue_->Send(R"({"user_book_id":"abc"})"));
  auto got = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, R"({"user_book_id":"abc"})");
  EXPECT_EQ(got[0].receive_count, 1);
  ASSERT_TRUE(queue_->Delete(got[0]));
  LetVisibilityTimeoutPass();
  auto again = queue_->Receive(10, std::chrono::seconds{1});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
}

// On the system clock: what is tested is a real wait that a Send ends early.
TEST_P(QueueContract, AWaitingReceiverGetsAMessageAsSoonAsItIsSent) {
  const SystemClock real;
  const auto queue = GetParam().make(real, Visibility());
  ASSERT_TRUE(queue);
  std::thread sender([&] {
    real.SleepFor(std::chrono::milliseconds{500});
    EXPECT_TRUE(queue->Send("wake up"));
  });
  const auto start = std::chrono::steady_clock::now();
  auto got = queue->Receive(10, std::chrono::seconds{15});
  const auto waited = std::chrono::steady_clock::now() - start;
  sender.join();
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "wake up");
  EXPECT_LT(waited, std::chrono::seconds{5});
}

TEST_P(QueueContract, BatchesHoldAtMostTenMessages) {
  for (int i = 0; i < 15; ++i) ASSERT_TRUE(queue_->Send("m" + std::to_string(i)));
  auto first = queue_->Receive(10, std::chrono::seconds{2});
  ASSERT_TRUE(first);
  EXPECT_LE(first->size(), 10u);
  EXPECT_GE(first->size(), 1u);
  auto rest = ReceiveAll(15 - first->size(), std::chrono::seconds{5});
  std::set<std::string> bodies;
  for (const auto& m : *first) bodies.insert(m.body);
  for (const auto& m : rest) bodies.insert(m.body);
  EXPECT_EQ(bodies.size(), 15u);
}

TEST_P(QueueContract, AReceivedMessageIsHiddenUntilItsVisibilityTimeoutEnds) {
  ASSERT_TRUE(queue_->Send("hidden"));
  auto got = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(got.size(), 1u);
  auto during = queue_->Receive(10, std::chrono::seconds{0});
  ASSERT_TRUE(during);
  EXPECT_TRUE(during->empty());
  auto after = ReceiveAll(1, Visibility() + std::chrono::seconds{5});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].body, "hidden");
  EXPECT_EQ(after[0].receive_count, 2);
}

// SQS documents this ("the request succeeds, but the message will not be deleted"); the SQLite
// queue deletes only with the receipt of the latest delivery.
TEST_P(QueueContract, DeletingWithAStaleReceiptSucceedsAndLeavesTheMessageWithItsNewReceiver) {
  ASSERT_TRUE(queue_->Send("twice"));
  auto first = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(first.size(), 1u);
  LetVisibilityTimeoutPass();
  auto second = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].receive_count, 2);
  ASSERT_TRUE(queue_->Delete(first[0]));
  LetVisibilityTimeoutPass();
  auto third = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].body, "twice");
  ASSERT_TRUE(queue_->Delete(third[0]));
  EXPECT_TRUE(queue_->Delete(third[0])) << "deleting a deleted message succeeds too";
}

TEST_P(QueueContract, RetryLaterRedeliversAfterTheDelay) {
  ASSERT_TRUE(queue_->Send("retry me"));
  auto got = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(got.size(), 1u);
  ASSERT_TRUE(queue_->RetryLater(got[0], std::chrono::seconds{0}, "timed out"));
  auto again = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].body, "retry me");
}

TEST_P(QueueContract, AMessageReceivedThreeTimesBecomesADeadLetterAndCanBeRedriven) {
  ASSERT_TRUE(queue_->Send("poison"));
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto got = ReceiveAll(1, Visibility() + std::chrono::seconds{5});
    ASSERT_EQ(got.size(), 1u) << "attempt " << attempt;
    ASSERT_TRUE(queue_->RetryLater(got[0], std::chrono::seconds{0}, "boom"));
  }
  auto none = ReceiveAll(1, std::chrono::seconds{2});
  EXPECT_TRUE(none.empty());
  auto stats = queue_->Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->dead_letters, 1);
  auto moved = queue_->Redrive();
  ASSERT_TRUE(moved);
  EXPECT_EQ(*moved, 1);
  auto back = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].body, "poison");
}

TEST_P(QueueContract, ConcurrentReceiversNeverGetTheSameMessage) {
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(queue_->Send("c" + std::to_string(i)));
  std::mutex mutex;
  std::multiset<std::string> seen;
  std::vector<std::thread> receivers;
  for (int r = 0; r < 4; ++r)
    receivers.emplace_back([&] {
      for (int i = 0; i < 6; ++i) {
        auto batch = queue_->Receive(10, std::chrono::seconds{1});
        if (!batch) continue;
        const std::lock_guard lock(mutex);
        for (const auto& m : *batch) {
          seen.insert(m.body);
          (void)queue_->Delete(m);
        }
      }
    });
  for (auto& t : receivers) t.join();
  EXPECT_EQ(seen.size(), 30u);
  for (const auto& body : seen) EXPECT_EQ(seen.count(body), 1u) << body;
}

}  // namespace booklib
