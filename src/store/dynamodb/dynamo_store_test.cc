// DynamoStore against a DynamoDB emulator: the Store contract plus crash recovery, seed data and
// pagination. Start one with `eval "$(scripts/emulators.sh start)"`; without
// AWS_ENDPOINT_URL_DYNAMODB every test here is skipped.
#include "store/dynamodb/dynamo_store.h"

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "core/ids.h"
#include "crypto/crypto.h"
#include "ports/store_contract.h"
#include "tests/support/manual_clock.h"

namespace booklib {
namespace {

using nlohmann::json;

bool EmulatorConfigured() { return aws::ProcessEnvironment("AWS_ENDPOINT_URL_DYNAMODB").has_value(); }

// A client, a clock and a store on three freshly named tables, kept alive together.
struct DynamoFixture {
  explicit DynamoFixture(const aws::AwsConfig& config)
      : client(aws::DynamoDbService(config), config.credentials, config.region),
        clock(std::chrono::system_clock::now()),  // the emulator's TTLs and guards are in real time
        options(FreshTables()),
        store(client, options, clock) {}

  static DynamoStoreOptions FreshTables() {
    const std::string prefix = "booklib-test-" + crypto::RandomHex(4);
    return DynamoStoreOptions{{prefix + "-Users", prefix + "-Books", prefix + "-UserBooks"},
                              std::chrono::seconds{120}};
  }
  const dynamodb::TableNames& tables() const { return options.tables; }

  aws::AwsJsonClient client;
  test::ManualClock clock;
  DynamoStoreOptions options;
  DynamoStore store;
};

// nullptr (the tests skip) without an emulator; a store on newly created tables otherwise.
std::shared_ptr<DynamoFixture> MakeFixture() {
  if (!EmulatorConfigured()) return nullptr;
  auto config = aws::AwsConfigFromEnvironment();
  if (!config) return nullptr;
  auto fixture = std::make_shared<DynamoFixture>(*config);
  auto created = dynamodb::CreateTables(fixture->client, fixture->tables());
  EXPECT_TRUE(created) << created.error().message;
  return created ? fixture : nullptr;
}

// The contract runs on what the composition root builds: MakeDynamoStore from the environment.
std::shared_ptr<Store> MakeContractStore() {
  auto fixture = MakeFixture();  // creates the tables
  if (!fixture) return nullptr;
  static const SystemClock clock;
  return MakeDynamoStore(*aws::AwsConfigFromEnvironment(), fixture->options, clock);
}

INSTANTIATE_TEST_SUITE_P(DynamoDb, StoreContract,
                         testing::Values(StoreFactory{"dynamodb emulator", MakeContractStore}));

class DynamoStoreTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!EmulatorConfigured())
      GTEST_SKIP() << "AWS_ENDPOINT_URL_DYNAMODB is not set; run scripts/emulators.sh start";
    fixture_ = MakeFixture();
    ASSERT_TRUE(fixture_);
  }

  DynamoStore& store() { return fixture_->store; }
  void PutRaw(const std::string& table, const json& item) {
    auto put = fixture_->client.Call("PutItem", {{"TableName", table}, {"Item", item}});
    ASSERT_TRUE(put) << put.error().ToError().message;
  }
  static User NewUser(const std::string& name) {
    const std::string unique = name + crypto::RandomHex(4);
    return User{crypto::RandomUuid(), unique, unique + "@example.com", "pbkdf2:sha256:1$s$00",
                "2026-01-01T00:00:00Z"};
  }

  std::shared_ptr<DynamoFixture> fixture_;
};

TEST_F(DynamoStoreTest, ConcurrentRegistrationsOfOneUsernameCreateExactlyOneUser) {
  const std::string username = "taken" + crypto::RandomHex(4);
  std::atomic<int> created{0};
  std::atomic<int> refused_as_username{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i) {
    threads.emplace_back([&, i] {
      User user = NewUser("racer");
      user.username = i % 2 == 0 ? username : "TAKEN" + username.substr(5);  // same name, other case
      auto result = store().CreateUser(user);
      if (result) ++created;
      if (!result && result.error().code == ErrorCode::kAlreadyExists &&
          result.error().message == "username") {
        ++refused_as_username;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused_as_username.load(), 19);
}

TEST_F(DynamoStoreTest, ARefusedRegistrationLeavesTheOtherValueFree) {
  const User first = NewUser("first");
  ASSERT_TRUE(store().CreateUser(first));
  User clash = NewUser("second");
  clash.email = first.email;
  ASSERT_EQ(store().CreateUser(clash).error().message, "email");
  // The username guard taken before the email clash was released: the name is still available.
  User retry = NewUser("third");
  retry.username = clash.username;
  EXPECT_TRUE(store().CreateUser(retry));
}

TEST_F(DynamoStoreTest, AnAbandonedClaimBlocksItsEmailUntilTheLeaseThenIsTakenOver) {
  const User ghost = NewUser("ghost");  // crashed after claiming its email, before writing itself
  PutRaw(fixture_->tables().users, ToItem(dynamodb::Guard{dynamodb::EmailGuardKey(ghost.email), ghost.id,
                                                          UnixSeconds(fixture_->clock), false}));
  User newcomer = NewUser("newcomer");
  newcomer.email = ghost.email;
  auto early = store().CreateUser(newcomer);
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().message, "email");

  fixture_->clock.Advance(std::chrono::seconds{121});
  ASSERT_TRUE(store().CreateUser(newcomer));
  EXPECT_EQ(store().FindUserByEmail(ghost.email)->id, newcomer.id);
}

TEST_F(DynamoStoreTest, ARegistrationThatCrashedAfterWritingItsUserStillOwnsItsEmail) {
  const User crashed = NewUser("crashed");  // wrote its guards and its user, never committed
  const auto claimed_at = UnixSeconds(fixture_->clock) - 3600;
  PutRaw(fixture_->tables().users,
         ToItem(dynamodb::Guard{dynamodb::EmailGuardKey(crashed.email), crashed.id, claimed_at, false}));
  PutRaw(fixture_->tables().users, ToItem(dynamodb::Guard{dynamodb::UsernameGuardKey(crashed.username),
                                                          crashed.id, claimed_at, false}));
  PutRaw(fixture_->tables().users, dynamodb::ToItem(crashed));

  EXPECT_EQ(store().FindUserByEmail(crashed.email)->id, crashed.id);  // it can log in
  User later = NewUser("later");
  later.email = crashed.email;
  auto refused = store().CreateUser(later);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "email");
  EXPECT_EQ(store().FindUserByEmail(crashed.email)->id, crashed.id);
}

TEST_F(DynamoStoreTest, UsersTheSeedsAppCreatedAreFoundByEmailAndKeepTheirEmail) {
  const User seed_user = NewUser("seed");  // written without guards
  PutRaw(fixture_->tables().users, dynamodb::ToItem(seed_user));
  EXPECT_EQ(store().FindUserByEmail(seed_user.email)->id, seed_user.id);
  User copycat = NewUser("copycat");
  copycat.email = seed_user.email;
  EXPECT_EQ(store().CreateUser(copycat).error().message, "email");
  User same_name = NewUser("other");
  same_name.username = seed_user.username;
  EXPECT_EQ(store().CreateUser(same_name).error().message, "username");
}

TEST_F(DynamoStoreTest, ABookTheSeedsAppCreatedIsReusedForItsIsbn) {
  const Book seed_book{
      crypto::RandomUuid(), "9780316030571", {"Seed title", "", "", "", "", "", "", 0, ""}, "2024-01-01"};
  PutRaw(fixture_->tables().books, dynamodb::ToItem(seed_book));
  EXPECT_EQ(store().FindBookByIsbn("9780316030571")->id, seed_book.id);
  auto book =
      store().GetOrCreateBook(Book{BookIdForIsbn("9780316030571"), "9780316030571", {}, "2026-01-01"});
  ASSERT_TRUE(book);
  EXPECT_EQ(book->id, seed_book.id);
  EXPECT_EQ(book->details.title, "Seed title");
}

TEST_F(DynamoStoreTest, AnEntryTheSeedsAppCreatedPreventsAddingTheSameBookAgain) {
  const User user = NewUser("shelf");
  ASSERT_TRUE(store().CreateUser(user));
  auto book =
      store().GetOrCreateBook(Book{BookIdForIsbn("9781782276340"), "9781782276340", {}, "2026-01-01"});
  ASSERT_TRUE(book);
  UserBook seed_entry;
  seed_entry.id = crypto::RandomUuid();
  seed_entry.user_id = user.id;
  seed_entry.book_id = book->id;
  seed_entry.date_added = "2024-01-01T00:00:00";
  PutRaw(fixture_->tables().user_books, dynamodb::ToItem(seed_entry));

  UserBook again = seed_entry;
  again.id = UserBookIdFor(user.id, book->id);
  EXPECT_EQ(store().AddUserBook(again).error().code, ErrorCode::kAlreadyExists);
}

TEST_F(DynamoStoreTest, IdsThatAreNotTheDeterministicOnesAreRefused) {
  EXPECT_EQ(store().GetOrCreateBook(Book{crypto::RandomUuid(), "9780316030571", {}, ""}).error().code,
            ErrorCode::kInvalidArgument);
  UserBook entry;
  entry.id = crypto::RandomUuid();
  entry.user_id = "u";
  entry.book_id = "b";
  EXPECT_EQ(store().AddUserBook(entry).error().code, ErrorCode::kInvalidArgument);
}

TEST_F(DynamoStoreTest, ALibraryLargerThanOneQueryPageAndOneBatchIsListedWhole) {
  const User reader = NewUser("bookworm");
  ASSERT_TRUE(store().CreateUser(reader));
  constexpr int kBooks = 130;              // more than BatchGetItem's 100 keys
  const std::string long_note(9000, 'x');  // 130 x 9 KB > a 1 MB Query page
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = w; i < kBooks; i += 4) {
        const std::string isbn = "979" + std::to_string(1000000000 + i);
        auto book = store().GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2026-01-01"});
        if (!book) {
          ++failures;
          continue;
        }
        UserBook entry;
        entry.id = UserBookIdFor(reader.id, book->id);
        entry.user_id = reader.id;
        entry.book_id = book->id;
        entry.date_added = "2026-01-01T00:00:" + std::string(i < 10 ? "0" : "") + std::to_string(i % 60);
        entry.typed.description = long_note;
        if (!store().AddUserBook(entry)) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(failures.load(), 0);

  // The emulator really splits this query into pages.
  auto first_page =
      fixture_->client.Call("Query", {{"TableName", fixture_->tables().user_books},
                                      {"IndexName", "user-index"},
                                      {"KeyConditionExpression", "user_id = :u"},
                                      {"ExpressionAttributeValues", {{":u", {{"S", reader.id}}}}}});
  ASSERT_TRUE(first_page);
  EXPECT_TRUE(first_page->contains("LastEvaluatedKey"));
  EXPECT_LT((*first_page)["Items"].size(), static_cast<std::size_t>(kBooks));

  auto library = store().ListLibrary(reader.id);
  ASSERT_TRUE(library) << library.error().message;
  ASSERT_EQ(library->size(), static_cast<std::size_t>(kBooks));
  for (const LibraryEntry& entry : *library) {
    EXPECT_EQ(entry.book.id, entry.user_book.book_id);
    EXPECT_TRUE(entry.book.isbn.starts_with("979"));
    EXPECT_EQ(entry.user_book.typed.description.size(), long_note.size());
  }
  EXPECT_GE((*library)[0].user_book.date_added, (*library)[kBooks - 1].user_book.date_added);
}

TEST_F(DynamoStoreTest, LoggingOutTwiceIsHarmlessAndSessionsKeepTheirExpiry) {
  const User user = NewUser("sess");
  ASSERT_TRUE(store().CreateUser(user));
  const Session session{crypto::RandomHex(32), user.id, 1900000000};
  ASSERT_TRUE(store().CreateSession(session));
  EXPECT_EQ(store().CreateSession(session).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().FindSession(session.id)->expires_at, 1900000000);
  EXPECT_EQ(store().FindUserById("session#" + session.id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteSession(session.id));
  EXPECT_TRUE(store().DeleteSession(session.id));
  EXPECT_EQ(store().FindSession(session.id).error().code, ErrorCode::kNotFound);
}

// --- Shelves and the reading model ---

class DynamoShelfTest : public DynamoStoreTest {
 protected:
  // A user with shelves "favourites" and "Other", and entries: first [favourites], second
  // [favourites, Other], third [].
  void SetUp() override {
    DynamoStoreTest::SetUp();
    if (IsSkipped()) return;
    user_ = NewUser("shelver");
    ASSERT_TRUE(store().CreateUser(user_));
    ASSERT_TRUE(store().CreateShelf(user_.id, "favourites"));
    ASSERT_TRUE(store().CreateShelf(user_.id, "Other"));
    const std::vector<std::vector<std::string>> shelves = {{"favourites"}, {"favourites", "Other"}, {}};
    for (std::size_t i = 0; i < shelves.size(); ++i) {
      const std::string isbn = "979" + std::to_string(2000000000 + i);
      auto book = store().GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2026-01-01"});
      ASSERT_TRUE(book);
      UserBook entry;
      entry.id = UserBookIdFor(user_.id, book->id);
      entry.user_id = user_.id;
      entry.book_id = book->id;
      entry.date_added = "2026-01-0" + std::to_string(i + 1) + "T00:00:00Z";
      entry.shelves = shelves[i];
      ASSERT_TRUE(store().AddUserBook(entry));
      entries_.push_back(entry);
    }
  }

  json RawShelfList() {
    auto got = fixture_->client.Call("GetItem",
                                     {{"TableName", fixture_->tables().users},
                                      {"Key", dynamodb::KeyOf("user_id", dynamodb::ShelfListKey(user_.id))},
                                      {"ConsistentRead", true}});
    EXPECT_TRUE(got);
    return got ? (*got)["Item"] : json();
  }

  // Leaves the store as a crash in the middle of RenameShelf / DeleteShelf would: the shelf list
  // written with `change` recorded as unfinished, and only the first entry changed.
  void InterruptedAfterTheList(const dynamodb::ShelfChange& change) {
    auto list = dynamodb::ShelfListFromItem(RawShelfList());
    ASSERT_TRUE(list);
    std::erase(list->names, change.from);
    if (!change.to.empty()) list->names.push_back(change.to);
    list->unfinished.push_back(change);
    ++list->version;
    PutRaw(fixture_->tables().users, dynamodb::ToItem(*list));
    UserBook first = *store().FindUserBook(entries_[0].id);
    first.shelves = dynamodb::ApplyShelfChange(first.shelves, change);
    ASSERT_TRUE(store().UpdateUserBook(first));
  }

  std::vector<std::string> ShelvesOf(std::size_t entry) {
    return store().FindUserBook(entries_[entry].id)->shelves;
  }

  // The ids of the entries QueryLibrary finds on `shelf`.
  std::vector<std::string> IdsOnShelf(const std::string& shelf) {
    LibraryQuery query;
    query.shelf = shelf;
    const auto page = store().QueryLibrary(user_.id, query);
    std::vector<std::string> ids;
    if (!page) return {"error: " + page.error().message};
    for (const LibraryEntry& entry : page->entries) ids.push_back(entry.user_book.id);
    return ids;
  }

  User user_;
  std::vector<UserBook> entries_;
};

TEST_F(DynamoShelfTest, ConcurrentCreatesOfOneNameIgnoringCaseCreateOneShelf) {
  std::atomic<int> created{0};
  std::atomic<int> refused_as_existing{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto result = store().CreateShelf(user_.id, i % 2 == 0 ? "Book Club" : "BOOK club");
      if (result) ++created;
      if (!result && result.error().code == ErrorCode::kAlreadyExists) ++refused_as_existing;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(refused_as_existing.load(), 15);
  auto shelves = store().ListShelves(user_.id);
  ASSERT_TRUE(shelves);
  EXPECT_EQ(shelves->size(), 3u);
}

TEST_F(DynamoShelfTest, ConcurrentCreatesOfDifferentNamesAllSucceed) {
  std::atomic<int> failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 12; ++i)
    threads.emplace_back([&, i] {
      if (!store().CreateShelf(user_.id, "Shelf " + std::to_string(i))) ++failed;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(store().ListShelves(user_.id)->size(), 14u);
}

TEST_F(DynamoShelfTest, ARenameInterruptedAfterTheListIsCompletedByRunningItAgain) {
  InterruptedAfterTheList({"x1", "favourites", "Loved"});
  EXPECT_EQ(ShelvesOf(1), (std::vector<std::string>{"favourites", "Other"})) << "the crash left it unchanged";
  // Lists already show the entries as the rename will leave them.
  EXPECT_EQ(*store().ListShelves(user_.id), (std::vector<Shelf>{{"Loved", 2}, {"Other", 1}}));
  EXPECT_EQ(IdsOnShelf("loved").size(), 2u);
  EXPECT_TRUE(IdsOnShelf("favourites").empty());

  ASSERT_TRUE(store().RenameShelf(user_.id, "favourites", "Loved")) << "the same rename again succeeds";
  EXPECT_EQ(ShelvesOf(0), std::vector<std::string>{"Loved"});
  EXPECT_EQ(ShelvesOf(1), (std::vector<std::string>{"Loved", "Other"}));
  EXPECT_TRUE(ShelvesOf(2).empty());
  EXPECT_FALSE(RawShelfList().contains("unfinished")) << "nothing is left to finish";
  EXPECT_EQ(*store().ListShelves(user_.id), (std::vector<Shelf>{{"Loved", 2}, {"Other", 1}}));
  EXPECT_EQ(store().RenameShelf(user_.id, "favourites", "Loved").error().code, ErrorCode::kNotFound)
      << "once complete, it is an ordinary rename of a shelf that is gone";
}

TEST_F(DynamoShelfTest, ADeleteInterruptedAfterTheListIsCompletedByRunningItAgain) {
  InterruptedAfterTheList({"x2", "favourites", ""});
  EXPECT_EQ(*store().ListShelves(user_.id), (std::vector<Shelf>{{"Other", 1}}));
  ASSERT_TRUE(store().DeleteShelf(user_.id, "FAVOURITES"));
  EXPECT_TRUE(ShelvesOf(0).empty());
  EXPECT_EQ(ShelvesOf(1), std::vector<std::string>{"Other"});
  EXPECT_FALSE(RawShelfList().contains("unfinished"));
  EXPECT_EQ(store().DeleteShelf(user_.id, "favourites").error().code, ErrorCode::kNotFound);
}

TEST_F(DynamoShelfTest, AnyLaterShelfOperationFinishesAnInterruptedRenameFirst) {
  InterruptedAfterTheList({"x3", "favourites", "Loved"});
  ASSERT_TRUE(store().CreateShelf(user_.id, "favourites")) << "the old name is free again";
  EXPECT_EQ(ShelvesOf(1), (std::vector<std::string>{"Loved", "Other"}));
  EXPECT_EQ(*store().ListShelves(user_.id),
            (std::vector<Shelf>{{"favourites", 0}, {"Loved", 2}, {"Other", 1}}));
  EXPECT_EQ(store().RenameShelf(user_.id, "Loved", "other").error().code, ErrorCode::kAlreadyExists);
}

TEST_F(DynamoShelfTest, DeletingEveryShelfLeavesAnEmptyListThatTakesNewShelves) {
  ASSERT_TRUE(store().DeleteShelf(user_.id, "favourites"));
  ASSERT_TRUE(store().DeleteShelf(user_.id, "other"));
  EXPECT_TRUE(store().ListShelves(user_.id)->empty());
  EXPECT_TRUE(ShelvesOf(1).empty());
  ASSERT_TRUE(store().CreateShelf(user_.id, "Fresh"));
  EXPECT_EQ(*store().ListShelves(user_.id), (std::vector<Shelf>{{"Fresh", 0}}));
}

TEST_F(DynamoShelfTest, AnEntryWrittenWithoutARevisionIsStillRenamed) {
  // As an entry written by another writer of the table looks: shelves, but no revision.
  json item = dynamodb::ToItem(*store().FindUserBook(entries_[1].id));
  ASSERT_FALSE(item.contains("revision"));
  PutRaw(fixture_->tables().user_books, item);
  ASSERT_TRUE(store().RenameShelf(user_.id, "Other", "Elsewhere"));
  EXPECT_EQ(ShelvesOf(1), (std::vector<std::string>{"Elsewhere", "favourites"}));
}

TEST_F(DynamoShelfTest, TheShelfListIsNeitherAUserNorInTheUserIndexes) {
  EXPECT_EQ(store().FindUserById(dynamodb::ShelfListKey(user_.id)).error().code, ErrorCode::kNotFound);
  for (const char* index : {"email-index", "username-index"}) {
    auto scanned =
        fixture_->client.Call("Scan", {{"TableName", fixture_->tables().users}, {"IndexName", index}});
    ASSERT_TRUE(scanned) << scanned.error().ToError().message;
    ASSERT_EQ((*scanned)["Items"].size(), 1u) << index << ": only the user";
    EXPECT_EQ((*scanned)["Items"][0]["user_id"]["S"], user_.id);
  }
}

TEST_F(DynamoShelfTest, AnEntryTooLargeForOneItemIsRefusedAndNothingIsWritten) {
  UserBook entry = *store().FindUserBook(entries_[2].id);
  entry.review = std::string(300 * 1024, 'r');
  entry.notes = std::string(120 * 1024, 'n');
  auto refused = store().UpdateUserBook(entry);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(store().FindUserBook(entry.id)->review, "");
  entry.notes.clear();
  ASSERT_TRUE(store().UpdateUserBook(entry)) << "300 KB fits";
  EXPECT_EQ(store().FindUserBook(entry.id)->review.size(), 300u * 1024);
}

TEST_F(DynamoShelfTest, AnUpdateOfAnEntryDeletedMeanwhileCreatesNothing) {
  UserBook entry = *store().FindUserBook(entries_[0].id);
  ASSERT_TRUE(store().DeleteUserBook(entry.id));
  entry.shelves = {"Other"};
  entry.reads = {{"r", "2026-01-01", "", ReadOutcome::kInProgress}};
  EXPECT_EQ(store().UpdateUserBook(entry).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().RenameShelf(user_.id, "Other", "Else"));
  EXPECT_EQ(store().FindUserBook(entry.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(*store().ListShelves(user_.id), (std::vector<Shelf>{{"Else", 1}, {"favourites", 1}}));
}

TEST_F(DynamoStoreTest, AnEntryTheSeedsAppWroteIsListedWithItsWholeStarRatingAndCanJoinAShelf) {
  const User user = NewUser("seedreader");
  ASSERT_TRUE(store().CreateUser(user));
  auto book =
      store().GetOrCreateBook(Book{BookIdForIsbn("9780441013593"), "9780441013593", {}, "2026-01-01"});
  ASSERT_TRUE(book);
  const std::string id = crypto::RandomUuid();  // the seed's ids are random
  PutRaw(fixture_->tables().user_books, {{"user_book_id", {{"S", id}}},
                                         {"user_id", {{"S", user.id}}},
                                         {"book_id", {{"S", book->id}}},
                                         {"status", {{"S", "read"}}},
                                         {"rating", {{"N", "4"}}},
                                         {"sync_status", {{"S", "SYNCED"}}},
                                         {"date_added", {{"S", "2024-05-01T10:00:00"}}}});
  LibraryQuery query;
  query.rating_stars = 4;
  auto page = store().QueryLibrary(user.id, query);
  ASSERT_TRUE(page);
  ASSERT_EQ(page->entries.size(), 1u);
  EXPECT_EQ(page->entries[0].user_book.rating_halves, 8);
  ASSERT_TRUE(store().CreateShelf(user.id, "Classics"));
  UserBook entry = page->entries[0].user_book;
  entry.shelves = {"Classics"};
  entry.rating_halves = 9;
  ASSERT_TRUE(store().UpdateUserBook(entry));
  ASSERT_TRUE(store().RenameShelf(user.id, "classics", "Old"));
  EXPECT_EQ(store().FindUserBook(id)->shelves, std::vector<std::string>{"Old"});
  EXPECT_EQ(store().FindUserBook(id)->rating_halves, 9);
}

// Not a timed test: run by hand (--gtest_also_run_disabled_tests) to see what a page view costs.
TEST_F(DynamoStoreTest, DISABLED_QueryLibraryOnAThousandEntries) {
  const User reader = NewUser("thousand");
  ASSERT_TRUE(store().CreateUser(reader));
  constexpr int kEntries = 1000;
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {
    writers.emplace_back([&, w] {
      for (int i = w; i < kEntries; i += 8) {
        const std::string isbn = "979" + std::to_string(3000000000 + i);
        Book candidate{BookIdForIsbn(isbn), isbn, {}, "2026-01-01"};
        candidate.details.title = "Title " + std::to_string(i);
        candidate.details.author = "Author " + std::to_string(i % 50);
        auto book = store().GetOrCreateBook(candidate);
        UserBook entry;
        entry.id = UserBookIdFor(reader.id, book ? book->id : "");
        entry.user_id = reader.id;
        entry.book_id = book ? book->id : "";
        entry.date_added = "2026-01-01T00:00:00Z";
        entry.notes = "A note of some length about book " + std::to_string(i);
        entry.shelves = {i % 2 == 0 ? "Even" : "Odd"};
        entry.reads = {{crypto::RandomUuid(), "2025-01-01", "2025-02-01", ReadOutcome::kFinished}};
        if (!book || !store().AddUserBook(entry)) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(failures.load(), 0);
  LibraryQuery query;
  query.terms = SearchTerms("author 7");
  query.sort = LibrarySort::kTitle;
  for (int run = 0; run < 3; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto page = store().QueryLibrary(reader.id, query);
    const auto took =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    ASSERT_TRUE(page) << page.error().message;
    EXPECT_EQ(page->status_counts[0], kEntries);
    std::cout << "QueryLibrary over " << kEntries << " entries: " << took.count() << " ms (" << page->total
              << " matched)\n";
  }
}

TEST_F(DynamoStoreTest, CreatingTheTablesAgainChangesNothing) {
  const User user = NewUser("kept");
  ASSERT_TRUE(store().CreateUser(user));
  ASSERT_TRUE(dynamodb::CreateTables(fixture_->client, fixture_->tables()));
  EXPECT_EQ(store().FindUserById(user.id)->email, user.email);
}

// What a crash between an API token's two writes leaves (dynamo_store.h): the user's list names a
// token whose item is gone, or (a create that lost the hash race) whose hash is another's token.
class DynamoApiTokensTest : public DynamoStoreTest {
 protected:
  ApiToken MakeToken(const User& user, const std::string& name) {
    const ApiToken token{
        crypto::RandomUuid(),   user.id, name, TokenScope::kRead, crypto::Sha256Hex(crypto::RandomHex(32)),
        "2026-01-01T00:00:00Z", ""};
    EXPECT_TRUE(store().CreateApiToken(token));
    return token;
  }
  dynamodb::ApiTokenList RawList(const User& user) {
    auto got = fixture_->client.Call("GetItem",
                                     {{"TableName", fixture_->tables().users},
                                      {"Key", dynamodb::KeyOf("user_id", dynamodb::ApiTokenListKey(user.id))},
                                      {"ConsistentRead", true}});
    EXPECT_TRUE(got);
    return dynamodb::ApiTokenListFromItem(got ? (*got)["Item"] : json()).value_or(dynamodb::ApiTokenList{});
  }
};

TEST_F(DynamoApiTokensTest, AListEntryWithoutItsTokenIsNoTokenAndRevokingItClearsIt) {
  const User user = NewUser("crashed");
  const User other = NewUser("bystander");
  ASSERT_TRUE(store().CreateUser(user));
  ASSERT_TRUE(store().CreateUser(other));
  const ApiToken live = MakeToken(user, "live");
  const ApiToken theirs = MakeToken(other, "theirs");
  dynamodb::ApiTokenList list = RawList(user);
  list.hashes["gone"] = crypto::Sha256Hex("an item never written");
  list.hashes["lost-race"] = theirs.secret_hash;
  list.version += 1;
  PutRaw(fixture_->tables().users, dynamodb::ToItem(list));

  EXPECT_EQ(store().ListApiTokens(user.id).value_or(std::vector<ApiToken>{}), std::vector<ApiToken>{live});
  for (const std::string id : {"gone", "lost-race"}) {
    EXPECT_EQ(store().TouchApiToken(user.id, id, "2026-01-02T00:00:00Z").error().code, ErrorCode::kNotFound)
        << id;
    EXPECT_EQ(store().DeleteApiToken(user.id, id).error().code, ErrorCode::kNotFound) << id;
    EXPECT_FALSE(RawList(user).hashes.contains(id)) << id << " is cleared from the list";
  }
  EXPECT_EQ(store().FindApiTokenByHash(theirs.secret_hash).value_or(ApiToken{}), theirs) << "untouched";
  EXPECT_EQ(store().ListApiTokens(other.id).value_or(std::vector<ApiToken>{}), std::vector<ApiToken>{theirs});
  EXPECT_TRUE(store().DeleteApiToken(user.id, live.id));
  EXPECT_TRUE(RawList(user).hashes.empty());
}

TEST_F(DynamoApiTokensTest, ARefusedHashTakesTheNewTokenOffTheUsersList) {
  const User user = NewUser("loser");
  const User other = NewUser("winner");
  ASSERT_TRUE(store().CreateUser(user));
  ASSERT_TRUE(store().CreateUser(other));
  const ApiToken theirs = MakeToken(other, "theirs");
  ApiToken clash{crypto::RandomUuid(),   user.id, "clash", TokenScope::kRead, theirs.secret_hash,
                 "2026-01-01T00:00:00Z", ""};
  EXPECT_EQ(store().CreateApiToken(clash).error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(RawList(user).hashes.empty());
}

}  // namespace
}  // namespace booklib
