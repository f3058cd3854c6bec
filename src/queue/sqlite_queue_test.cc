// The Queue contract on the SQLite queue, plus its shared transaction with the store.
#include "queue/sqlite_queue.h"

#include <filesystem>

#include "crypto/crypto.h"
#include "ports/queue_contract.h"

namespace booklib {
namespace {

std::string TempDbPath() {
  return (std::filesystem::temp_directory_path() / ("booklib-queue-" + crypto::RandomHex(6) + ".db"))
      .string();
}

std::shared_ptr<Queue> MakeSqliteQueue() {
  auto db = sqlite::Database::Open(TempDbPath());
  if (!db) return nullptr;
  return std::make_shared<SqliteQueue>(*db,
                                       SqliteQueueOptions{.visibility_timeout = std::chrono::seconds{1}});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, QueueContract, testing::Values(QueueFactory{"sqlite", MakeSqliteQueue}));

TEST(SqliteQueue, AMessageSentInAFailedStoreTransactionIsNeverDelivered) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  SqliteQueue queue(*db);
  // What SqliteStore::RunAtomically does: one transaction on the shared database.
  auto failed = (*db)->Atomically([&]() -> Result<void> {
    EXPECT_TRUE(queue.Send("lost with the transaction"));
    return Fail(ErrorCode::kInternal, "the store write failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(queue.Stats()->visible, 0);
}

TEST(SqliteQueue, AWaitingReceiverWakesAsSoonAsAMessageIsSent) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  SqliteQueue queue(*db, SqliteQueueOptions{.poll_interval = std::chrono::milliseconds{5000}});
  std::thread sender([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds{200});
    EXPECT_TRUE(queue.Send("wake up"));
  });
  const auto start = std::chrono::steady_clock::now();
  auto got = queue.Receive(10, std::chrono::seconds{10});
  const auto waited = std::chrono::steady_clock::now() - start;
  sender.join();
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  EXPECT_LT(waited, std::chrono::seconds{3});  // far below both the 5 s poll interval and the 10 s wait
}

}  // namespace
}  // namespace booklib
