// The Store and Queue contracts on the in-memory fakes, and the transaction a pair of them shares.
#include "ports/queue_contract.h"
#include "ports/store_contract.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"

namespace booklib {
namespace {

using test::ManualClock;
using test::MemoryDatabase;
using test::MemoryQueue;
using test::MemoryStore;

std::shared_ptr<Store> MakeMemoryStore() { return std::make_shared<MemoryStore>(); }

std::shared_ptr<Queue> MakeMemoryQueue(const Clock& clock, std::chrono::seconds visibility) {
  return std::make_shared<MemoryQueue>(std::make_shared<MemoryDatabase>(), clock,
                                       test::MemoryQueueOptions{.visibility_timeout = visibility});
}

INSTANTIATE_TEST_SUITE_P(Memory, StoreContract, testing::Values(StoreFactory{"memory", MakeMemoryStore}));
INSTANTIATE_TEST_SUITE_P(Memory, QueueContract, testing::Values(QueueFactory{"memory", MakeMemoryQueue}));

// A store and a queue on one database, as the core's tests use them.
class MemoryPairTest : public testing::Test {
 protected:
  static User Ghost() { return User{"u1", "ghost", "g@example.com", "h", "2026-01-01T00:00:00Z"}; }

  std::shared_ptr<MemoryDatabase> db_ = std::make_shared<MemoryDatabase>();
  ManualClock clock_;
  MemoryStore store_{db_};
  MemoryQueue queue_{db_, clock_};
};

TEST_F(MemoryPairTest, AFailedTransactionLeavesNeitherTheStoreWritesNorTheMessages) {
  auto failed = store_.RunAtomically([&]() -> Result<void> {
    EXPECT_TRUE(store_.CreateUser(Ghost()));
    EXPECT_TRUE(queue_.Send("lost with the transaction"));
    EXPECT_TRUE(store_.RunAtomically([&] { return queue_.Send("nested, lost too"); }));
    return Fail(ErrorCode::kUnavailable, "the last write failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(store_.FindUserById("u1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(queue_.Stats()->visible, 0);
}

TEST_F(MemoryPairTest, AnotherThreadNeverSeesTheWritesOfATransactionThatFails) {
  std::thread reader;
  auto failed = store_.RunAtomically([&]() -> Result<void> {
    EXPECT_TRUE(store_.CreateUser(Ghost()));
    reader = std::thread([&] { EXPECT_FALSE(store_.FindUserById("u1")) << "read an uncommitted user"; });
    return Fail(ErrorCode::kUnavailable, "the last write failed");
  });
  reader.join();
  EXPECT_FALSE(failed);
}

TEST_F(MemoryPairTest, ASucceededTransactionKeepsEveryWrite) {
  ASSERT_TRUE(store_.RunAtomically([&]() -> Result<void> {
    if (auto created = store_.CreateUser(Ghost()); !created) return created;
    return queue_.Send("kept");
  }));
  EXPECT_EQ(store_.FindUserById("u1")->username, "ghost");
  auto got = queue_.Receive(10, std::chrono::seconds{0});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].body, "kept");
}

TEST_F(MemoryPairTest, AnEmptyReceiveLetsItsWaitPassOnTheClock) {
  auto got = queue_.Receive(10, std::chrono::seconds{20});
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
  EXPECT_EQ(clock_.Slept(), std::chrono::seconds{20});
}

}  // namespace
}  // namespace booklib
