// MetadataWorker over the in-memory queue and store: batches are synced and acknowledged, and a
// broken queue is polled again only after a back-off on the clock.
#include "core/metadata_worker.h"

#include <gtest/gtest.h>

#include "core/library.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"
#include "tests/support/scripted_metadata_provider.h"

namespace booklib {
namespace {

// A queue whose every call fails, as when its database or server is unreachable.
class UnreachableQueue final : public Queue {
 public:
  Result<void> Send(std::string_view) override { return Down(); }
  Result<std::vector<QueueMessage>> Receive(int, std::chrono::seconds) override { return Down(); }
  Result<void> Delete(const QueueMessage&) override { return Down(); }
  Result<void> RetryLater(const QueueMessage&, std::chrono::seconds, std::string_view) override {
    return Down();
  }
  Result<QueueStats> Stats() override { return Down(); }
  Result<long long> Redrive() override { return Down(); }

 private:
  static std::unexpected<Error> Down() { return Fail(ErrorCode::kUnavailable, "queue unreachable"); }
};

class MetadataWorkerTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
  }

  test::ManualClock clock_;
  std::shared_ptr<test::MemoryDatabase> db_ = std::make_shared<test::MemoryDatabase>();
  test::MemoryStore store_{db_};
  test::MemoryQueue queue_{db_, clock_};
  test::ScriptedMetadataProvider provider_;
  MetadataSync sync_{store_, provider_};
};

TEST_F(MetadataWorkerTest, ABatchOfAddedBooksIsSyncedAndAcknowledged) {
  provider_.Answer("9781782276340", test::ScriptedMetadataProvider::Found("The Fifth Season"));
  provider_.Answer("9780316030571", test::ScriptedMetadataProvider::Found("The Hunger Games"));
  Library library(store_, queue_, clock_);
  std::vector<std::string> ids;
  for (const std::string isbn : {"9781782276340", "9780316030571"}) {
    auto entry = library.AddBook("u1", BookForm{.isbn = isbn});
    ASSERT_TRUE(entry);
    ids.push_back(entry->user_book.id);
  }
  MetadataWorker worker(queue_, sync_, clock_);
  EXPECT_EQ(worker.RunOnce(std::chrono::seconds{0}), 2);
  for (const std::string& id : ids) EXPECT_EQ(store_.FindUserBook(id)->sync_status, SyncStatus::kSynced);
  const auto stats = queue_.Stats();
  EXPECT_EQ(stats->visible + stats->in_flight, 0);
}

TEST_F(MetadataWorkerTest, AFailedReceiveBacksOffASecondBeforeTheNextPoll) {
  UnreachableQueue unreachable;
  MetadataWorker worker(unreachable, sync_, clock_);
  EXPECT_EQ(worker.RunOnce(std::chrono::seconds{20}), 0);
  EXPECT_EQ(clock_.Slept(), std::chrono::seconds{1});
}

}  // namespace
}  // namespace booklib
