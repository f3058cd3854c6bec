// DynamoStore against a DynamoDB emulator: the Store contract plus crash recovery, seed data and
// pagination. Start one with `eval "$(scripts/emulators.sh start)"`; without
// AWS_ENDPOINT_URL_DYNAMODB every test here is skipped.
#include "store/dynamodb/dynamo_store.h"

#include <atomic>
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

TEST_F(DynamoStoreTest, CreatingTheTablesAgainChangesNothing) {
  const User user = NewUser("kept");
  ASSERT_TRUE(store().CreateUser(user));
  ASSERT_TRUE(dynamodb::CreateTables(fixture_->client, fixture_->tables()));
  EXPECT_EQ(store().FindUserById(user.id)->email, user.email);
}

}  // namespace
}  // namespace booklib
