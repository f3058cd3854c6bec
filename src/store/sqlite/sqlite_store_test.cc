// The Store contract on SQLite files, plus what only SQLite promises: migrations and atomic groups.
#include "store/sqlite/sqlite_store.h"

#include <filesystem>

#include "ports/store_contract.h"

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

TEST(SqliteDatabase, ReopeningAFileKeepsDataAndSchemaVersion) {
  const std::string path = TempDbPath();
  {
    auto db = sqlite::Database::Open(path);
    ASSERT_TRUE(db);
    SqliteStore store(*db);
    ASSERT_TRUE(store.CreateUser(User{"u1", "keeper", "k@example.com", "h", "2026-01-01T00:00:00Z"}));
  }
  auto db = sqlite::Database::Open(path);
  ASSERT_TRUE(db);
  EXPECT_EQ((*db)->SchemaVersion(), 1);
  EXPECT_EQ(SqliteStore(*db).FindUserById("u1")->username, "keeper");
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
}  // namespace booklib
