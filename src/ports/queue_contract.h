// The Queue contract as tests, shared by every adapter. Include in one test file of an adapter's
// test binary and instantiate with a QueueFactory whose queue is fresh and empty, has a
// visibility timeout of `visibility` and moves a message to the dead letters after 3 receives.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <thread>

#include "ports/queue.h"

namespace booklib {

struct QueueFactory {
  std::string name;
  std::function<std::shared_ptr<Queue>()> make;
  std::chrono::seconds visibility{1};
};
inline std::ostream& operator<<(std::ostream& out, const QueueFactory& f) { return out << f.name; }

class QueueContract : public testing::TestWithParam<QueueFactory> {
 protected:
  void SetUp() override {
    queue_ = GetParam().make();
    if (!queue_) GTEST_SKIP() << GetParam().name << " is not available here";
  }
  // Receives until `count` messages arrived or `wait` passed.
  std::vector<QueueMessage> ReceiveAll(std::size_t count, std::chrono::seconds wait) {
    std::vector<QueueMessage> all;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (all.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto batch = queue_->Receive(10, std::chrono::seconds{1});
      EXPECT_TRUE(batch);
      if (batch) all.insert(all.end(), batch->begin(), batch->end());
    }
    return all;
  }
  std::chrono::seconds Visibility() const { return GetParam().visibility; }

  std::shared_ptr<Queue> queue_;
};

TEST_P(QueueContract, ASentMessageIsReceivedWithItsBodyAndDeletedForGood) {
  ASSERT_TRUE(queue_->Send(R"({"user_book_id":"abc"})"));
  auto got = ReceiveAll(1, std::chrono::seconds{5});
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].body, R"({"user_book_id":"abc"})");
  EXPECT_EQ(got[0].receive_count, 1);
  ASSERT_TRUE(queue_->Delete(got[0]));
  std::this_thread::sleep_for(Visibility() + std::chrono::milliseconds{300});
  auto again = queue_->Receive(10, std::chrono::seconds{1});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
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
