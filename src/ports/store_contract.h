// The Store contract as tests, shared by every adapter. Include in exactly one test file of an
// adapter's test binary and instantiate:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, testing::Values(StoreFactory{...}));
// The factory returns a fresh, empty store (or skips the test with GTEST_SKIP when unavailable).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <tuple>
#include <vector>

#include "core/ids.h"
#include "crypto/crypto.h"
#include "ports/store.h"

namespace booklib {

struct StoreFactory {
  std::string name;
  std::function<std::shared_ptr<Store>()> make;
};
inline std::ostream& operator<<(std::ostream& out, const StoreFactory& f) { return out << f.name; }

class StoreContract : public testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override {
    store_ = GetParam().make();
    if (!store_) GTEST_SKIP() << GetParam().name << " is not available here";
  }

  User MakeUser(const std::string& name) {
    return User{crypto::RandomUuid(), name, name + "@example.com", "pbkdf2:sha256:1$s$00",
                "2026-01-01T00:00:00Z"};
  }
  User AddUser(const std::string& name) {
    User user = MakeUser(name + crypto::RandomHex(4));
    EXPECT_TRUE(store_->CreateUser(user));
    return user;
  }
  Book AddBook(const std::string& isbn) {
    auto book = store_->GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2026-01-01T00:00:00Z"});
    EXPECT_TRUE(book);
    return book.value_or(Book{});
  }
  UserBook Entry(const User& user, const Book& book, const std::string& added = "2026-01-02T00:00:00Z") {
    UserBook ub;
    ub.id = UserBookIdFor(user.id, book.id);
    ub.user_id = user.id;
    ub.book_id = book.id;
    ub.date_added = added;
    return ub;
  }

  ApiToken Token(const User& user, const std::string& name, const std::string& created_at) {
    return ApiToken{
        crypto::RandomUuid(), user.id, name, TokenScope::kRead, crypto::Sha256Hex(crypto::RandomHex(32)),
        created_at,           ""};
  }

  std::shared_ptr<Store> store_;
};

TEST_P(StoreContract, ACreatedUserIsFoundByIdAndByEmail) {
  const User user = AddUser("ada");
  EXPECT_EQ(store_->FindUserById(user.id)->username, user.username);
  EXPECT_EQ(store_->FindUserByEmail(user.email)->id, user.id);
  EXPECT_EQ(store_->FindUserByEmail("nobody@example.com").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, ATakenUsernameOrEmailIsRefusedAndNamed) {
  const User first = AddUser("grace");
  User same_email = MakeUser("other" + crypto::RandomHex(4));
  same_email.email = first.email;
  auto refused = store_->CreateUser(same_email);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(refused.error().message, "email");
  User same_name = MakeUser(first.username);
  same_name.email = "fresh" + crypto::RandomHex(4) + "@example.com";
  refused = store_->CreateUser(same_name);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message, "username");
}

TEST_P(StoreContract, AUsernameAndEmailBothTakenAreRefusedAsTheUsername) {
  const User first = AddUser("hopper");
  User both = MakeUser(first.username);
  both.email = first.email;
  auto refused = store_->CreateUser(both);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(refused.error().message, "username");
  EXPECT_EQ(store_->FindUserByEmail(first.email)->id, first.id);
}

TEST_P(StoreContract, ConcurrentRegistrationsOfOneEmailCreateExactlyOneUser) {
  const std::string email = "race" + crypto::RandomHex(4) + "@example.com";
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 20; ++i)
    threads.emplace_back([&, i] {
      User user = MakeUser("racer" + std::to_string(i) + crypto::RandomHex(3));
      user.email = email;
      if (store_->CreateUser(user)) ++created;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(created.load(), 1);
}

TEST_P(StoreContract, SessionsCanBeFoundAndDeleted) {
  const User user = AddUser("sam");
  const Session session{crypto::RandomHex(16), user.id, 4102444800};
  ASSERT_TRUE(store_->CreateSession(session));
  EXPECT_EQ(store_->FindSession(session.id)->user_id, user.id);
  ASSERT_TRUE(store_->DeleteSession(session.id));
  EXPECT_EQ(store_->FindSession(session.id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store_->DeleteSession(session.id)) << "logging out twice is harmless";
  EXPECT_TRUE(store_->DeleteSession("no-such-session"));
}

TEST_P(StoreContract, AnApiTokenIsFoundByItsHashAndListedWithItsUsersOthersOldestFirst) {
  const User user = AddUser("tokens");
  const User other = AddUser("others");
  ApiToken newer = Token(user, "phone", "2026-03-01T00:00:00Z");
  newer.scope = TokenScope::kReadWrite;
  ApiToken older = Token(user, "laptop", "2026-02-01T00:00:00Z");
  // Same time: the id decides, so a list never reorders between calls.
  ApiToken same_time_a = Token(user, "a", "2026-03-01T00:00:00Z");
  ApiToken same_time_b = Token(user, "b", "2026-03-01T00:00:00Z");
  if (same_time_b.id < same_time_a.id) std::swap(same_time_a.id, same_time_b.id);
  const ApiToken theirs = Token(other, "theirs", "2026-01-01T00:00:00Z");
  for (const ApiToken& token : {newer, older, same_time_b, same_time_a, theirs})
    ASSERT_TRUE(store_->CreateApiToken(token)) << token.name;

  EXPECT_EQ(store_->FindApiTokenByHash(newer.secret_hash).value_or(ApiToken{}), newer);
  EXPECT_EQ(store_->FindApiTokenByHash(theirs.secret_hash).value_or(ApiToken{}), theirs);
  const auto listed = store_->ListApiTokens(user.id);
  ASSERT_TRUE(listed);
  std::vector<ApiToken> expected{older, newer, same_time_a, same_time_b};
  std::ranges::sort(expected, {}, [](const ApiToken& t) { return std::tie(t.created_at, t.id); });
  EXPECT_EQ(*listed, expected);
  EXPECT_TRUE(store_->ListApiTokens(AddUser("tokenless").id)->empty());
  EXPECT_EQ(store_->FindApiTokenByHash(crypto::Sha256Hex("never made")).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreContract, TouchingAnApiTokenRecordsWhenItWasLastUsed) {
  const User user = AddUser("toucher");
  const ApiToken token = Token(user, "cli", "2026-01-01T00:00:00Z");
  ASSERT_TRUE(store_->CreateApiToken(token));
  ASSERT_TRUE(store_->TouchApiToken(user.id, token.id, "2026-01-02T03:04:05Z"));
  EXPECT_EQ(store_->FindApiTokenByHash(token.secret_hash)->last_used_at, "2026-01-02T03:04:05Z");
  ASSERT_TRUE(store_->TouchApiToken(user.id, token.id, "2026-01-03T00:00:00Z"));
  const auto listed = store_->ListApiTokens(user.id);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1U);
  EXPECT_EQ(listed->front().last_used_at, "2026-01-03T00:00:00Z");
  EXPECT_EQ(listed->front().name, "cli");
}

TEST_P(StoreContract, ATakenApiTokenHashOrIdIsRefused) {
  const User user = AddUser("dupes");
  const User other = AddUser("dupes-other");
  const ApiToken first = Token(user, "first", "2026-01-01T00:00:00Z");
  ASSERT_TRUE(store_->CreateApiToken(first));
  ApiToken same_hash = Token(other, "same hash", "2026-01-02T00:00:00Z");
  same_hash.secret_hash = first.secret_hash;
  EXPECT_EQ(store_->CreateApiToken(same_hash).error().code, ErrorCode::kAlreadyExists);
  ApiToken same_id = Token(user, "same id", "2026-01-02T00:00:00Z");
  same_id.id = first.id;
  EXPECT_EQ(store_->CreateApiToken(same_id).error().code, ErrorCode::kAlreadyExists);
  // Neither refusal left anything behind: the first token is unchanged and the only one.
  EXPECT_EQ(store_->FindApiTokenByHash(first.secret_hash).value_or(ApiToken{}), first);
  EXPECT_EQ(store_->FindApiTokenByHash(same_id.secret_hash).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->ListApiTokens(user.id).value_or(std::vector<ApiToken>{}), std::vector<ApiToken>{first});
  EXPECT_TRUE(store_->ListApiTokens(other.id)->empty());
}

TEST_P(StoreContract, ARevokedApiTokenIsNeitherFoundNorTouchedNorRevokedAgain) {
  const User user = AddUser("revoker");
  const ApiToken kept = Token(user, "kept", "2026-01-01T00:00:00Z");
  const ApiToken revoked = Token(user, "revoked", "2026-01-02T00:00:00Z");
  ASSERT_TRUE(store_->CreateApiToken(kept));
  ASSERT_TRUE(store_->CreateApiToken(revoked));
  ASSERT_TRUE(store_->DeleteApiToken(user.id, revoked.id));
  EXPECT_EQ(store_->FindApiTokenByHash(revoked.secret_hash).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->TouchApiToken(user.id, revoked.id, "2026-01-03T00:00:00Z").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteApiToken(user.id, revoked.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindApiTokenByHash(kept.secret_hash).value_or(ApiToken{}), kept);
  EXPECT_EQ(store_->ListApiTokens(user.id).value_or(std::vector<ApiToken>{}), std::vector<ApiToken>{kept});
}

TEST_P(StoreContract, AnotherUsersApiTokenIsNotFoundForDeleteOrTouch) {
  const User owner = AddUser("owner");
  const User intruder = AddUser("intruder");
  const ApiToken token = Token(owner, "mine", "2026-01-01T00:00:00Z");
  ASSERT_TRUE(store_->CreateApiToken(token));
  EXPECT_EQ(store_->DeleteApiToken(intruder.id, token.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->TouchApiToken(intruder.id, token.id, "2026-01-02T00:00:00Z").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteApiToken(owner.id, "no-such-token").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->TouchApiToken(owner.id, "no-such-token", "2026-01-02T00:00:00Z").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindApiTokenByHash(token.secret_hash).value_or(ApiToken{}), token) << "untouched";
}

TEST_P(StoreContract, LookupsAndChangesOfMissingThingsAreNotFound) {
  const User user = AddUser("ghost");
  const Book book = AddBook("9780441013593");
  const UserBook never_added = Entry(user, book);
  EXPECT_EQ(store_->FindUserById("no-such-user").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindSession("no-such-session").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindBook("no-such-book").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindBookByIsbn("9780000000002").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindUserBook(never_added.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->UpdateUserBook(never_added).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetSyncStatus(never_added.id, SyncStatus::kSynced, "").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store_->DeleteUserBook(never_added.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindUserBook(never_added.id).error().code, ErrorCode::kNotFound) << "nothing was created";
  EXPECT_TRUE(store_->ListLibrary(user.id)->empty());
}

TEST_P(StoreContract, ConcurrentAddsOfOneIsbnShareOneCatalogueRecord) {
  const std::string isbn = "978" + std::to_string(100000000 + std::rand() % 899999999);
  std::vector<std::thread> threads;
  std::mutex mutex;
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i)
    threads.emplace_back([&] {
      auto book = store_->GetOrCreateBook(Book{BookIdForIsbn(isbn), isbn, {}, "2026-01-01T00:00:00Z"});
      ASSERT_TRUE(book) << book.error().message;
      const std::lock_guard lock(mutex);
      ids.insert(book->id);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(store_->FindBookByIsbn(isbn)->id, *ids.begin());
}

TEST_P(StoreContract, BookDetailsUpdateIsVisibleToEveryReader) {
  const Book book = AddBook("9781782276340");
  BookDetails details;
  details.title = "The Fifth Season";
  details.page_count = 468;
  EXPECT_EQ(store_->FindBook(book.id)->details_source, "");  // nobody has filled it yet
  ASSERT_TRUE(store_->UpdateBookDetails(book.id, details, "Open Library"));
  EXPECT_EQ(store_->FindBook(book.id)->details, details);
  EXPECT_EQ(store_->FindBook(book.id)->details_source, "Open Library");
  EXPECT_EQ(store_->FindBookByIsbn(book.isbn)->details_source, "Open Library");
  // A reader's entry carries the record with the provider that filled it.
  const User reader = AddUser("source-reader");
  ASSERT_TRUE(store_->AddUserBook(Entry(reader, book)));
  const auto listed = store_->ListLibrary(reader.id);
  ASSERT_TRUE(listed && listed->size() == 1);
  EXPECT_EQ(listed->front().book.details_source, "Open Library");
  const auto page = store_->QueryLibrary(reader.id, LibraryQuery{});
  ASSERT_TRUE(page && page->entries.size() == 1);
  EXPECT_EQ(page->entries.front().book.details_source, "Open Library");
  // Filled again by another provider: the record names the last one.
  ASSERT_TRUE(store_->UpdateBookDetails(book.id, details, "Google Books"));
  EXPECT_EQ(store_->FindBook(book.id)->details_source, "Google Books");
  EXPECT_EQ(store_->UpdateBookDetails("no-such-book", details, "Google Books").error().code,
            ErrorCode::kNotFound);
}

// The pages' ETag: every write a reader would see moves their version on; reading leaves it.
TEST_P(StoreContract, LibraryVersionMovesWithEveryWriteTheReaderSees) {
  const User reader = AddUser("versioned");
  const Book book = AddBook("9780765326355");
  const Book other = AddBook("9780765326362");
  std::string last = store_->LibraryVersion(reader.id).value();
  const auto expect_moved = [&](const char* what) {
    const std::string now = store_->LibraryVersion(reader.id).value();
    EXPECT_NE(now, last) << what;
    last = now;
  };
  UserBook entry = Entry(reader, book);
  ASSERT_TRUE(store_->AddUserBook(entry));
  expect_moved("AddUserBook");
  // Reads of every kind change nothing.
  ASSERT_TRUE(store_->ListLibrary(reader.id));
  ASSERT_TRUE(store_->QueryLibrary(reader.id, LibraryQuery{}));
  ASSERT_TRUE(store_->FindUserBook(entry.id));
  ASSERT_TRUE(store_->ListShelves(reader.id));
  EXPECT_EQ(store_->LibraryVersion(reader.id).value(), last) << "after reads";
  EXPECT_EQ(store_->LibraryVersion(reader.id).value(), last) << "asked twice";

  entry.status = ReadingStatus::kRead;
  entry.reads.push_back(Read{"read-1", "2026-01-02", "2026-01-20", ReadOutcome::kFinished});
  ASSERT_TRUE(store_->UpdateUserBook(entry));
  expect_moved("UpdateUserBook");
  ASSERT_TRUE(store_->SetSyncStatus(entry.id, SyncStatus::kFailed, "not found"));
  expect_moved("SetSyncStatus");
  BookDetails details;
  details.title = "The Way of Kings";
  ASSERT_TRUE(store_->UpdateBookDetails(book.id, details, "Google Books"));
  expect_moved("UpdateBookDetails of a book on the reader's shelves");
  ASSERT_TRUE(store_->CreateShelf(reader.id, "Epic"));
  expect_moved("CreateShelf");
  entry.shelves = {"Epic"};
  ASSERT_TRUE(store_->UpdateUserBook(entry));
  expect_moved("UpdateUserBook onto a shelf");
  ASSERT_TRUE(store_->RenameShelf(reader.id, "Epic", "Epic fantasy"));
  expect_moved("RenameShelf");
  ASSERT_TRUE(store_->DeleteShelf(reader.id, "Epic fantasy"));
  expect_moved("DeleteShelf");
  ASSERT_TRUE(store_->DeleteUserBook(entry.id));
  expect_moved("DeleteUserBook");
  // Another reader's entry is not this reader's write (adapters may still count it: allowed, not
  // required), and their own version moves.
  const User neighbour = AddUser("neighbour");
  const std::string neighbour_before = store_->LibraryVersion(neighbour.id).value();
  ASSERT_TRUE(store_->AddUserBook(Entry(neighbour, other)));
  EXPECT_NE(store_->LibraryVersion(neighbour.id).value(), neighbour_before);
  // A reader without an account or entries has a version too (nothing to see yet).
  EXPECT_TRUE(store_->LibraryVersion("no-such-user"));
}

TEST_P(StoreContract, ABookWithoutIsbnCanBeCreatedManyTimes) {
  Book a{crypto::RandomUuid(), "", {}, "2026-01-01T00:00:00Z"};
  a.details.title = "Handwritten notes";
  Book b{crypto::RandomUuid(), "", {}, "2026-01-01T00:00:00Z"};
  ASSERT_TRUE(store_->CreateBook(a));
  ASSERT_TRUE(store_->CreateBook(b));
  EXPECT_EQ(store_->FindBook(a.id)->details.title, "Handwritten notes");
}

TEST_P(StoreContract, AUserHasOneEntryPerBook) {
  const User user = AddUser("lin");
  const Book book = AddBook("9780316030571");
  ASSERT_TRUE(store_->AddUserBook(Entry(user, book)));
  EXPECT_EQ(store_->AddUserBook(Entry(user, book)).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreContract, ListLibraryShowsOnlyThatUsersBooksNewestFirst) {
  const User reader = AddUser("reader");
  const User other = AddUser("other");
  const Book older = AddBook("9780316030571");
  const Book newer = AddBook("9781782276340");
  ASSERT_TRUE(store_->AddUserBook(Entry(reader, older, "2026-01-01T00:00:00Z")));
  ASSERT_TRUE(store_->AddUserBook(Entry(reader, newer, "2026-02-01T00:00:00Z")));
  ASSERT_TRUE(store_->AddUserBook(Entry(other, older)));
  auto list = store_->ListLibrary(reader.id);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].book.id, newer.id);
  EXPECT_EQ((*list)[1].book.isbn, "9780316030571");
  EXPECT_EQ(store_->ListLibrary(other.id)->size(), 1u);
}

TEST_P(StoreContract, UpdatingAnEntryKeepsTypedFieldsPerUser) {
  const User a = AddUser("alice");
  const User b = AddUser("bob");
  const Book book = AddBook("9784815602666");
  UserBook mine = Entry(a, book);
  ASSERT_TRUE(store_->AddUserBook(mine));
  ASSERT_TRUE(store_->AddUserBook(Entry(b, book)));
  mine.typed.title = "My own title";
  mine.status = ReadingStatus::kRead;
  mine.rating_halves = 8;
  ASSERT_TRUE(store_->UpdateUserBook(mine));
  const auto reread = store_->FindUserBook(mine.id);
  EXPECT_EQ(reread->typed.title, "My own title");
  EXPECT_EQ(reread->status, ReadingStatus::kRead);
  EXPECT_EQ(reread->rating_halves, 8);
  EXPECT_EQ(store_->FindUserBook(UserBookIdFor(b.id, book.id))->typed.title, "");
}

TEST_P(StoreContract, SyncStatusAndDeleteOfEntries) {
  const User user = AddUser("kim");
  const Book book = AddBook("9780804429573");
  const UserBook entry = Entry(user, book);
  ASSERT_TRUE(store_->AddUserBook(entry));
  ASSERT_TRUE(store_->SetSyncStatus(entry.id, SyncStatus::kFailed, "not found"));
  EXPECT_EQ(store_->FindUserBook(entry.id)->sync_status, SyncStatus::kFailed);
  EXPECT_EQ(store_->FindUserBook(entry.id)->sync_error, "not found");
  ASSERT_TRUE(store_->DeleteUserBook(entry.id));
  EXPECT_EQ(store_->FindUserBook(entry.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->SetSyncStatus(entry.id, SyncStatus::kSynced, "").error().code, ErrorCode::kNotFound);
}

// --- The reading model and the library page (PRODUCT.md) ---

TEST_P(StoreContract, AnEntryKeepsEveryPartOfTheReadingModel) {
  const User user = AddUser("model");
  const Book book = AddBook("9780441013593");
  UserBook entry = Entry(user, book);
  ASSERT_TRUE(store_->AddUserBook(entry));
  EXPECT_EQ(store_->FindUserBook(entry.id)->reads, std::vector<Read>{}) << "a new entry has no reads";
  ASSERT_TRUE(store_->CreateShelf(user.id, "Sci-Fi"));
  ASSERT_TRUE(store_->CreateShelf(user.id, "Ünread pile"));
  entry.status = ReadingStatus::kDidNotFinish;
  entry.rating_halves = 7;
  entry.review = "Line one,\nline \"two\" — ✓";
  entry.notes = "Lent to Ana";
  entry.owned = true;
  entry.shelves = {"Sci-Fi", "Ünread pile"};
  entry.progress = {ProgressUnit::kPage, 120};
  entry.typed.series = "Dune Chronicles";
  entry.typed.series_index = "1.5";
  entry.typed.publisher = "Ace";
  entry.typed.page_count = 412;
  entry.reads = {{crypto::RandomUuid(), "", "2019-04-02", ReadOutcome::kFinished},
                 {crypto::RandomUuid(), "2024-01-05", "2024-02-01", ReadOutcome::kFinished},
                 {crypto::RandomUuid(), "2026-03-01", "2026-03-09", ReadOutcome::kDidNotFinish}};
  ASSERT_TRUE(store_->UpdateUserBook(entry));
  auto found = store_->FindUserBook(entry.id);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->status, ReadingStatus::kDidNotFinish);
  EXPECT_EQ(found->rating_halves, 7);
  EXPECT_EQ(found->review, entry.review);
  EXPECT_EQ(found->notes, entry.notes);
  EXPECT_TRUE(found->owned);
  EXPECT_EQ(found->shelves, entry.shelves);
  EXPECT_EQ(found->progress, entry.progress);
  EXPECT_EQ(found->typed, entry.typed);
  EXPECT_EQ(found->reads, entry.reads);
  auto listed = store_->ListLibrary(user.id);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].user_book.reads, entry.reads);
  EXPECT_EQ((*listed)[0].user_book.shelves, entry.shelves);

  // Everything can be taken away again.
  entry.rating_halves.reset();
  entry.review.clear();
  entry.notes.clear();
  entry.owned = false;
  entry.shelves.clear();
  entry.progress = {};
  entry.reads.clear();
  ASSERT_TRUE(store_->UpdateUserBook(entry));
  found = store_->FindUserBook(entry.id);
  EXPECT_FALSE(found->rating_halves.has_value());
  EXPECT_EQ(found->review, "");
  EXPECT_FALSE(found->owned);
  EXPECT_TRUE(found->shelves.empty());
  EXPECT_EQ(found->progress, Progress{});
  EXPECT_TRUE(found->reads.empty());
}

TEST_P(StoreContract, RatingsTakeHalfStarsAndTheSeedsWholeStars) {
  const User user = AddUser("stars");
  for (int halves : {1, 2, 9, 10}) {
    const Book book = AddBook(halves == 1   ? "9780316030571"
                              : halves == 2 ? "9781782276340"
                              : halves == 9 ? "9780804429573"
                                            : "9784815602666");
    UserBook entry = Entry(user, book);
    entry.rating_halves = halves;
    ASSERT_TRUE(store_->AddUserBook(entry));
    EXPECT_EQ(store_->FindUserBook(entry.id)->rating_halves, halves);
  }
}

TEST_P(StoreContract, CatalogueSeriesAreKept) {
  const Book book = AddBook("9780575081505");
  BookDetails details;
  details.title = "Dune";
  details.series = "Dune";
  details.series_index = "1";
  ASSERT_TRUE(store_->UpdateBookDetails(book.id, details, "Google Books"));
  EXPECT_EQ(store_->FindBook(book.id)->details, details);
}

TEST_P(StoreContract, ShelvesAreCreatedListedRenamedAndDeleted) {
  const User user = AddUser("shelver");
  const User other = AddUser("neighbour");
  ASSERT_TRUE(store_->CreateShelf(user.id, "favourites"));
  ASSERT_TRUE(store_->CreateShelf(user.id, "Book club"));
  ASSERT_TRUE(store_->CreateShelf(user.id, "Émigré novels"));
  ASSERT_TRUE(store_->CreateShelf(other.id, "favourites")) << "each user has their own names";
  EXPECT_EQ(store_->CreateShelf(user.id, "Favourites").error().code, ErrorCode::kAlreadyExists);

  const Book a = AddBook("9780316030571");
  const Book b = AddBook("9781782276340");
  UserBook first = Entry(user, a);
  first.shelves = {"Book club", "favourites"};
  UserBook second = Entry(user, b);
  second.shelves = {"favourites"};
  ASSERT_TRUE(store_->AddUserBook(first));
  ASSERT_TRUE(store_->AddUserBook(second));
  EXPECT_EQ(*store_->ListShelves(user.id),
            (std::vector<Shelf>{{"Book club", 1}, {"Émigré novels", 0}, {"favourites", 2}}));
  EXPECT_EQ(*store_->ListShelves(other.id), (std::vector<Shelf>{{"favourites", 0}}));

  EXPECT_EQ(store_->RenameShelf(user.id, "favourites", "book CLUB").error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->RenameShelf(user.id, "no such shelf", "x").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store_->RenameShelf(user.id, "FAVOURITES", "Loved"));
  EXPECT_EQ(store_->FindUserBook(first.id)->shelves, (std::vector<std::string>{"Book club", "Loved"}));
  EXPECT_EQ(store_->FindUserBook(second.id)->shelves, std::vector<std::string>{"Loved"});
  ASSERT_TRUE(store_->RenameShelf(user.id, "Loved", "LOVED")) << "a change of case is a rename";
  EXPECT_EQ(store_->FindUserBook(second.id)->shelves, std::vector<std::string>{"LOVED"});
  EXPECT_EQ(*store_->ListShelves(other.id), (std::vector<Shelf>{{"favourites", 0}})) << "untouched";

  ASSERT_TRUE(store_->DeleteShelf(user.id, "book club"));
  EXPECT_EQ(store_->DeleteShelf(user.id, "book club").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store_->FindUserBook(first.id)->shelves, std::vector<std::string>{"LOVED"});
  EXPECT_EQ(*store_->ListShelves(user.id), (std::vector<Shelf>{{"Émigré novels", 0}, {"LOVED", 2}}));
  ASSERT_TRUE(store_->DeleteUserBook(second.id));
  EXPECT_EQ(*store_->ListShelves(user.id), (std::vector<Shelf>{{"Émigré novels", 0}, {"LOVED", 1}}));
}

// A library of varied entries for the query tests: titles, authors, statuses, ratings, shelves,
// notes, ownership, sync states, reads, typed details over the catalogue's.
class LibraryFixture {
 public:
  struct Spec {
    const char* isbn;
    const char* title;  // the catalogue's
    const char* author;
    const char* typed_title;
    ReadingStatus status;
    std::optional<int> rating_halves;
    std::vector<std::string> shelves;
    const char* notes;
    bool owned;
    SyncStatus sync;
    const char* finished_on;
  };
  static std::vector<Spec> Specs() {
    using RS = ReadingStatus;
    using SS = SyncStatus;
    return {
        {"9780441013593",
         "Dune",
         "Frank Herbert",
         "",
         RS::kRead,
         10,
         {"Sci-Fi"},
         "",
         true,
         SS::kSynced,
         "2019-04-02"},
        {"9780441172719",
         "Dune Messiah",
         "Frank Herbert",
         "",
         RS::kDidNotFinish,
         5,
         {"Sci-Fi"},
         "",
         false,
         SS::kSynced,
         ""},
        {"9780316030571",
         "Les Misérables",
         "Victor Hugo",
         "",
         RS::kToRead,
         {},
         {"Classics"},
         "Lent to Ana",
         true,
         SS::kSynced,
         ""},
        {"9781782276340",
         "The Fifth Season",
         "N. K. Jemisin",
         "",
         RS::kReading,
         {},
         {},
         "",
         false,
         SS::kSynced,
         ""},
        {"9780804429573", "", "", "", RS::kToRead, {}, {}, "", false, SS::kPending, ""},
        {"9784815602666",
         "Catalogue name",
         "Émile Zola",
         "Germinal",
         RS::kRead,
         9,
         {"Classics", "Sci-Fi"},
         "",
         false,
         SS::kSynced,
         "2025-12-24"},
        {"9780261102217",
         "The Hobbit",
         "J. R. R. Tolkien",
         "",
         RS::kRead,
         8,
         {},
         "Read aloud to Sam",
         true,
         SS::kFailed,
         "2021-06-30"},
        {"9782070360024", "L'Étranger", "Albert Camus", "", RS::kToRead, 2, {}, "", false, SS::kSynced, ""},
    };
  }

  // Adds the specs' entries for `user`, one day apart in list order (the last is the newest).
  static void Fill(Store& store, const User& user) {
    int day = 1;
    const std::vector<Spec> specs = Specs();
    for (const std::string shelf : {"Sci-Fi", "Classics"}) ASSERT_TRUE(store.CreateShelf(user.id, shelf));
    for (const Spec& spec : specs) {
      auto book =
          store.GetOrCreateBook(Book{BookIdForIsbn(spec.isbn), spec.isbn, {}, "2026-01-01T00:00:00Z"});
      ASSERT_TRUE(book);
      BookDetails details;
      details.title = spec.title;
      details.author = spec.author;
      ASSERT_TRUE(store.UpdateBookDetails(book->id, details, "Google Books"));
      UserBook entry;
      entry.id = UserBookIdFor(user.id, book->id);
      entry.user_id = user.id;
      entry.book_id = book->id;
      entry.date_added = "2026-01-" + std::string(day < 10 ? "0" : "") + std::to_string(day) + "T00:00:00Z";
      ++day;
      entry.typed.title = spec.typed_title;
      entry.status = spec.status;
      entry.rating_halves = spec.rating_halves;
      entry.shelves = spec.shelves;
      entry.notes = spec.notes;
      entry.owned = spec.owned;
      entry.sync_status = spec.sync;
      if (*spec.finished_on)
        entry.reads = {{crypto::RandomUuid(), "", spec.finished_on, ReadOutcome::kFinished}};
      ASSERT_TRUE(store.AddUserBook(entry));
    }
  }
};

std::vector<std::string> TitlesOf(const Result<LibraryPage>& page) {
  std::vector<std::string> titles;
  if (!page) return {"error: " + page.error().message};
  for (const LibraryEntry& entry : page->entries) titles.push_back(entry.Shown().title);
  return titles;
}

TEST_P(StoreContract, LibrarySearchMatchesTitleAuthorIsbnShelvesAndNotesIgnoringCaseAndAccents) {
  const User user = AddUser("searcher");
  const User other = AddUser("bystander");
  LibraryFixture::Fill(*store_, user);
  LibraryFixture::Fill(*store_, other);
  auto search = [&](std::string_view text) {
    LibraryQuery query;
    query.terms = SearchTerms(text);
    query.sort = LibrarySort::kTitle;
    return TitlesOf(store_->QueryLibrary(user.id, query));
  };
  EXPECT_EQ(search("dune"), (std::vector<std::string>{"Dune", "Dune Messiah"}));
  EXPECT_EQ(search("DUNE mess"), std::vector<std::string>{"Dune Messiah"});
  EXPECT_EQ(search("herb"), (std::vector<std::string>{"Dune", "Dune Messiah"}));
  EXPECT_EQ(search("miserables"), std::vector<std::string>{"Les Misérables"});
  EXPECT_EQ(search("emile"), std::vector<std::string>{"Germinal"});
  EXPECT_EQ(search("ÉTRANGER"), std::vector<std::string>{"L'Étranger"});
  EXPECT_EQ(search("germinal"), std::vector<std::string>{"Germinal"}) << "the typed title is searched";
  EXPECT_EQ(search("catalogue"), std::vector<std::string>{}) << "not the catalogue's, which it hides";
  EXPECT_EQ(search("978-0-261-10221-7"), std::vector<std::string>{"The Hobbit"});
  EXPECT_EQ(search("0261102214"), std::vector<std::string>{"The Hobbit"}) << "ISBN-10 too";
  EXPECT_EQ(search("classics"), (std::vector<std::string>{"Germinal", "Les Misérables"}));
  EXPECT_EQ(search("sci-fi dune"), (std::vector<std::string>{"Dune", "Dune Messiah"}));
  EXPECT_EQ(search("ana"), std::vector<std::string>{"Les Misérables"}) << "notes";
  EXPECT_EQ(search("tolkien sam"), std::vector<std::string>{"The Hobbit"});
  EXPECT_EQ(search("nothing like it"), std::vector<std::string>{});
  EXPECT_EQ(search("vict").size(), 1u);

  // A catalogue update is searchable at once, and a typed title change too.
  const Book pending = *store_->FindBookByIsbn("9780804429573");
  BookDetails filled;
  filled.title = "Kindred";
  filled.author = "Octavia E. Butler";
  ASSERT_TRUE(store_->UpdateBookDetails(pending.id, filled, "Google Books"));
  EXPECT_EQ(search("octavia"), std::vector<std::string>{"Kindred"});
  UserBook entry = *store_->FindUserBook(UserBookIdFor(user.id, pending.id));
  entry.typed.title = "Kindred (graphic novel)";
  entry.notes = "Borrowed from the library";
  ASSERT_TRUE(store_->UpdateUserBook(entry));
  EXPECT_EQ(search("graphic borrowed"), std::vector<std::string>{"Kindred (graphic novel)"});
  // Shelf renames are searchable at once too.
  ASSERT_TRUE(store_->RenameShelf(user.id, "Classics", "Old favourites"));
  EXPECT_EQ(search("favourites"), (std::vector<std::string>{"Germinal", "Les Misérables"}));
  EXPECT_EQ(search("classics"), std::vector<std::string>{});
  ASSERT_TRUE(store_->DeleteUserBook(entry.id));
  EXPECT_EQ(search("octavia"), std::vector<std::string>{});
}

TEST_P(StoreContract, LibraryFiltersSortsPagesAndCounts) {
  const User user = AddUser("filterer");
  LibraryFixture::Fill(*store_, user);
  LibraryFixture::Fill(*store_, AddUser("noise"));
  auto titles = [&](const LibraryQuery& query) { return TitlesOf(store_->QueryLibrary(user.id, query)); };
  LibraryQuery query;
  EXPECT_EQ(titles(query),
            (std::vector<std::string>{"L'Étranger", "The Hobbit", "Germinal", "", "The Fifth Season",
                                      "Les Misérables", "Dune Messiah", "Dune"}));
  query.sort = LibrarySort::kTitle;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"Dune", "Dune Messiah", "The Fifth Season", "Germinal",
                                                     "The Hobbit", "L'Étranger", "Les Misérables", ""}));
  query.sort = LibrarySort::kAuthor;
  EXPECT_EQ(titles(query),
            (std::vector<std::string>{"L'Étranger", "Germinal", "Dune Messiah", "Dune", "The Hobbit",
                                      "The Fifth Season", "Les Misérables", ""}));
  query.sort = LibrarySort::kRating;
  EXPECT_EQ(titles(query),
            (std::vector<std::string>{"Dune", "Germinal", "The Hobbit", "Dune Messiah", "L'Étranger", "",
                                      "The Fifth Season", "Les Misérables"}));
  query.sort = LibrarySort::kDateFinished;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"Germinal", "The Hobbit", "Dune", "L'Étranger", "",
                                                     "The Fifth Season", "Les Misérables", "Dune Messiah"}));

  query = LibraryQuery{};
  query.status = ReadingStatus::kRead;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"The Hobbit", "Germinal", "Dune"}));
  query.status = ReadingStatus::kDidNotFinish;
  EXPECT_EQ(titles(query), std::vector<std::string>{"Dune Messiah"});
  query = LibraryQuery{};
  query.shelf = "sci-fi";
  EXPECT_EQ(titles(query), (std::vector<std::string>{"Germinal", "Dune Messiah", "Dune"}));
  query = LibraryQuery{};
  query.rating_stars = 4;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"The Hobbit", "Germinal"}));
  query.rating_stars = 0;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"", "The Fifth Season", "Les Misérables"}));
  query = LibraryQuery{};
  query.sync = SyncStatus::kFailed;
  EXPECT_EQ(titles(query), std::vector<std::string>{"The Hobbit"});
  query.sync = SyncStatus::kPending;
  EXPECT_EQ(titles(query), std::vector<std::string>{""});
  query = LibraryQuery{};
  query.owned = true;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"The Hobbit", "Les Misérables", "Dune"}));
  query.owned = false;
  query.status = ReadingStatus::kToRead;
  query.terms = SearchTerms("camus");
  EXPECT_EQ(titles(query), std::vector<std::string>{"L'Étranger"}) << "filters combine";

  query = LibraryQuery{};
  query.limit = 3;
  query.offset = 3;
  auto page = store_->QueryLibrary(user.id, query);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 8);
  EXPECT_EQ(TitlesOf(page), (std::vector<std::string>{"", "The Fifth Season", "Les Misérables"}));
  EXPECT_EQ(page->status_counts, (std::array<int, 4>{3, 1, 3, 1}));
  query.offset = 6;
  EXPECT_EQ(titles(query), (std::vector<std::string>{"Dune Messiah", "Dune"}));
  query.offset = 8;
  page = store_->QueryLibrary(user.id, query);
  EXPECT_TRUE(page->entries.empty());
  EXPECT_EQ(page->total, 8);
  query = LibraryQuery{};
  query.limit = 0;
  query.status = ReadingStatus::kRead;
  page = store_->QueryLibrary(user.id, query);
  EXPECT_TRUE(page->entries.empty());
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->status_counts, (std::array<int, 4>{3, 1, 3, 1})) << "counts ignore the filters";

  page = store_->QueryLibrary("no-such-user", LibraryQuery{});
  ASSERT_TRUE(page);
  EXPECT_EQ(page->total, 0);
}

TEST_P(StoreContract, QueryLibraryAnswersAsApplyQueryDoes) {
  const User user = AddUser("agreer");
  LibraryFixture::Fill(*store_, user);
  auto all = store_->ListLibrary(user.id);
  ASSERT_TRUE(all);
  std::vector<LibraryQuery> queries;
  for (LibrarySort sort : {LibrarySort::kDateAdded, LibrarySort::kTitle, LibrarySort::kAuthor,
                           LibrarySort::kRating, LibrarySort::kDateFinished}) {
    for (const char* text : {"", "dune", "e", "l", "classics sci"}) {
      for (int offset : {0, 2, 5}) {
        LibraryQuery query;
        query.sort = sort;
        query.terms = SearchTerms(text);
        query.offset = offset;
        query.limit = 3;
        queries.push_back(query);
        query.owned = offset == 2;
        query.rating_stars = offset == 5 ? std::optional<int>(0) : std::nullopt;
        queries.push_back(query);
      }
    }
  }
  for (const LibraryQuery& query : queries) {
    const LibraryPage expected = ApplyQuery(*all, query);
    auto got = store_->QueryLibrary(user.id, query);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->total, expected.total) << LibrarySortName(query.sort) << " " << query.offset;
    std::vector<std::string> expected_ids;
    std::vector<std::string> got_ids;
    for (const LibraryEntry& entry : expected.entries) expected_ids.push_back(entry.user_book.id);
    for (const LibraryEntry& entry : got->entries) got_ids.push_back(entry.user_book.id);
    EXPECT_EQ(got_ids, expected_ids) << LibrarySortName(query.sort) << " offset " << query.offset;
  }
}

}  // namespace booklib
