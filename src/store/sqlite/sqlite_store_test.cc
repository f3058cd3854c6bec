// The Store contract on SQLite files, plus what only SQLite promises: migrations and atomic groups.
#include "store/sqlite/sqlite_store.h"

#include <filesystem>
#include <functional>

#include "ports/store_contract.h"
#include "sqlite/schema.h"

namespace booklib {
namespace {

std::string TempDbPath() {
  return (std::filesystem::temp_directory_path() / ("booklib-store-" + crypto::RandomHex(6) + ".db"))
      .string();
}

std::shared_ptr<Store> MakeSqliteStore() {
  auto db = sqlite::Database::Open(TempDbPath());
  if (!db) return nullptr;
  return std::make_shared<SqliteStore>(*db);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, testing::Values(StoreFactory{"sqlite", MakeSqliteStore}));

// Writes a database file at `path` holding user u1 ("keeper"), then `also`, and closes it again.
void WriteFileWithKeeper(const std::string& path,
                         const std::function<void(sqlite::Database&, SqliteStore&)>& also = {}) {
  auto db = sqlite::Database::Open(path);
  ASSERT_TRUE(db);
  SqliteStore store(*db);
  ASSERT_TRUE(store.CreateUser(User{"u1", "keeper", "k@example.com", "h", "2026-01-01T00:00:00Z"}));
  if (also) also(**db, store);
}

TEST(SqliteDatabase, ReopeningAFileKeepsDataAndSchemaVersion) {
  const std::string path = TempDbPath();
  WriteFileWithKeeper(path);
  auto db = sqlite::Database::Open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ((*db)->SchemaVersion(), static_cast<int>(sqlite::Migrations().size()));
  EXPECT_EQ(SqliteStore(*db).FindUserById("u1")->username, "keeper");
}

TEST(SqliteDatabase, SessionsStoredBeforeTheyWereHashedAreDroppedByTheMigration) {
  const std::string path = TempDbPath();
  WriteFileWithKeeper(path, [](sqlite::Database& db, SqliteStore& store) {
    ASSERT_TRUE(store.CreateSession(Session{"plain-id", "u1", 4102444800}));
    // As a database of the release before: schema version 1, sessions under their plain id.
    auto connection = db.Acquire();
    ASSERT_TRUE(connection);
    ASSERT_TRUE((*connection)->Execute("PRAGMA user_version=1"));
  });
  auto db = sqlite::Database::Open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(SqliteStore(*db).FindSession("plain-id").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(SqliteStore(*db).FindUserById("u1"));  // accounts stay; their readers log in again
}

TEST(SqliteStore, RunAtomicallyRollsBackEveryWriteWhenWorkFails) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  SqliteStore store(*db);
  auto result = store.RunAtomically([&]() -> Result<void> {
    EXPECT_TRUE(store.CreateUser(User{"u2", "ghost", "g@example.com", "h", "2026-01-01T00:00:00Z"}));
    return Fail(ErrorCode::kUnavailable, "queue down");
  });
  EXPECT_FALSE(result);
  EXPECT_EQ(store.FindUserById("u2").error().code, ErrorCode::kNotFound);
}

}  // namespace
TEST(SqliteStorageFailures, AReadOnlyDatabaseIsUnavailableWithItsCauseAndRecovers) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  SqliteStore store(*db);
  ASSERT_TRUE((*db)->ApplyToEveryConnection("PRAGMA query_only=1"));
  const auto refused = store.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().detail, ErrorDetail::kStorageReadOnly);
  EXPECT_GT(refused.error().retry_after_seconds, 0);
  EXPECT_EQ((*db)->CheckWritable().error().detail, ErrorDetail::kStorageReadOnly);
  EXPECT_EQ(store.FindUserById("u1").error().code, ErrorCode::kNotFound);  // reads still work
  ASSERT_TRUE((*db)->ApplyToEveryConnection("PRAGMA query_only=0"));
  EXPECT_TRUE((*db)->CheckWritable());
  EXPECT_TRUE(store.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
}

TEST(SqliteStorageFailures, AFullDatabaseIsUnavailableWithItsCauseAndRecovers) {
  auto db = sqlite::Database::Open(TempDbPath());
  ASSERT_TRUE(db);
  SqliteStore store(*db);
  ASSERT_TRUE((*db)->ApplyToEveryConnection("PRAGMA max_page_count=1"));  // no more than it has now
  EXPECT_EQ((*db)->CheckWritable().error().detail, ErrorDetail::kStorageFull);
  const std::string big_hash(20000, 'h');  // needs overflow pages the file may not grow to
  const auto refused =
      store.CreateUser(User{"u1", "reader", "r@example.com", big_hash, "2026-01-01T00:00:00Z"});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(refused.error().detail, ErrorDetail::kStorageFull);
  ASSERT_TRUE((*db)->ApplyToEveryConnection("PRAGMA max_page_count=1073741823"));
  EXPECT_TRUE((*db)->CheckWritable());
  EXPECT_TRUE(store.CreateUser(User{"u1", "reader", "r@example.com", big_hash, "2026-01-01T00:00:00Z"}));
}

}  // namespace booklib
