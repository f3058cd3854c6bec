// The Queue contract on the SQLite queue, plus its shared transaction with the store.
#include "queue/sqlite_queue.h"

#include <filesystem>

#include "crypto/crypto.h"
#include "ports/queue_contract.h"
#include "tests/support/manual_clock.h"

namespace booklib {
namespace {

std::string TempDbPath() {
  return (std::filesystem::temp_directory_path() / ("booklib-queue-" + crypto::RandomHex(6) + ".db"))
      .string();
}

// A poll interval longer than any wait: only a Send may end a waiting Receive early.
std::shared_ptr<Queue> MakeSqliteQueue(const Clock& clock, std::chrono::seconds visibility) {
  auto db = sqlite::Database::Open(TempDbPath());
  if (!db) return nullptr;
  return std::make_shared<SqliteQueue>(
      *db, clock,
      SqliteQueueOptions{.visibility_timeout = visibility, .poll_interval = std::chrono::seconds{30}});
}

INSTANTIATE_TEST_SUITE_P(Sqlite, QueueContract, testing::Values(QueueFactory{"sqlite", MakeSqliteQueue}));

TEST(SqliteQueue, AMessageSentInAFailedStoreTransactionIsNeverDelivered) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  const test::ManualClock clock;
  SqliteQueue queue(*db, clock);
  // What SqliteStore::RunAtomically does: one transaction on the shared database.
  auto failed = (*db)->Atomically([&]() -> Result<void> {
    EXPECT_TRUE(queue.Send("lost with the transaction"));
    return Fail(ErrorCode::kInternal, "the store write failed");
  });
  EXPECT_FALSE(failed);
  EXPECT_EQ(queue.Stats()->visible, 0);
}

}  // namespace
}  // namespace booklib
