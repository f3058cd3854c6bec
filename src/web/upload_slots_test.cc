// UploadSlots on its own: a reader's slots run out, come back when handles are dropped, and one
// reader's uploads never take another's.
#include "web/upload_slots.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace booklib::web {
namespace {

TEST(UploadSlots, AReadersSlotsRunOutAndComeBackWhenDropped) {
  auto slots = UploadSlots::Make(2);
  auto first = slots->TryTake("ada");
  auto second = slots->TryTake("ada");
  ASSERT_TRUE(first);
  ASSERT_TRUE(second);
  EXPECT_FALSE(slots->TryTake("ada")) << "both of ada's slots are in use";
  EXPECT_TRUE(slots->TryTake("bob")) << "bob has his own";
  EXPECT_EQ(slots->InUse("ada"), 2);
  first.reset();
  EXPECT_EQ(slots->InUse("ada"), 1);
  EXPECT_TRUE(slots->TryTake("ada"));
}

TEST(UploadSlots, AHandleMayOutliveTheSlotsOwner) {
  std::shared_ptr<void> handle;
  {
    auto slots = UploadSlots::Make(1);
    handle = slots->TryTake("ada");
    ASSERT_TRUE(handle);
  }
  handle.reset();  // gives the slot back to slots that only the handle kept alive
  SUCCEED();
}

TEST(UploadSlots, ManyThreadsNeverHoldMoreThanTheLimit) {
  auto slots = UploadSlots::Make(3);
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (auto slot = slots->TryTake("ada")) {
          const int now = slots->InUse("ada");
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
        }
      }
    });
  for (auto& thread : threads) thread.join();
  EXPECT_LE(most.load(), 3);
  EXPECT_GE(most.load(), 1);
  EXPECT_EQ(slots->InUse("ada"), 0);
}

}  // namespace
}  // namespace booklib::web
