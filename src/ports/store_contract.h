// The Store contract as tests, shared by every adapter. Include in exactly one test file of an
// adapter's test binary and instantiate:
//   INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract, testing::Values(StoreFactory{...}));
// The factory returns a fresh, empty store (or skips the test with GTEST_SKIP when unavailable).
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <set>
#include <thread>
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
  ASSERT_TRUE(store_->UpdateBookDetails(book.id, details));
  EXPECT_EQ(store_->FindBook(book.id)->details, details);
  EXPECT_EQ(store_->UpdateBookDetails("no-such-book", details).error().code, ErrorCode::kNotFound);
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
  mine.rating = 4;
  ASSERT_TRUE(store_->UpdateUserBook(mine));
  const auto reread = store_->FindUserBook(mine.id);
  EXPECT_EQ(reread->typed.title, "My own title");
  EXPECT_EQ(reread->status, ReadingStatus::kRead);
  EXPECT_EQ(reread->rating, 4);
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

}  // namespace booklib
