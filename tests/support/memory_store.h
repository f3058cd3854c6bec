// MemoryStore: the Store port in memory, for tests of the core without files or servers.
//
// Keeps every promise of ports/store.h. Beyond the port:
// - RunAtomically is all-or-nothing for every write through this store and through any
//   MemoryQueue on the same MemoryDatabase (see memory_database.h for the isolation).
// - Usernames are unique regardless of ASCII case (as in SQLite and DynamoDB); emails exactly.
// - QueryLibrary is ApplyQuery over ListLibrary (core/library_query.h).
// - No referential checks: a session, API token or shelf entry may name a user or book that does not exist
//   (ListLibrary leaves out entries whose book is missing, as the SQLite join does).
// Thread-safe.
#pragma once

#include <memory>

#include "ports/store.h"
#include "tests/support/memory_database.h"

namespace booklib::test {

class MemoryStore final : public Store {
 public:
  explicit MemoryStore(std::shared_ptr<MemoryDatabase> db = std::make_shared<MemoryDatabase>())
      : db_(std::move(db)) {}

  Result<void> CreateUser(const User& user) override;
  Result<User> FindUserById(std::string_view user_id) override;
  Result<User> FindUserByEmail(std::string_view email) override;

  Result<void> CreateSession(const Session& session) override;
  Result<Session> FindSession(std::string_view session_id) override;
  Result<void> DeleteSession(std::string_view session_id) override;

  Result<void> CreateApiToken(const ApiToken& token) override;
  Result<std::vector<ApiToken>> ListApiTokens(std::string_view user_id) override;
  Result<ApiToken> FindApiTokenByHash(std::string_view secret_hash) override;
  Result<void> DeleteApiToken(std::string_view user_id, std::string_view token_id) override;
  Result<void> TouchApiToken(std::string_view user_id, std::string_view token_id,
                             std::string_view used_at) override;

  Result<Book> GetOrCreateBook(const Book& candidate) override;
  Result<void> CreateBook(const Book& book) override;
  Result<Book> FindBook(std::string_view book_id) override;
  Result<Book> FindBookByIsbn(std::string_view isbn) override;
  Result<void> UpdateBookDetails(std::string_view book_id, const BookDetails& details,
                                 std::string_view source) override;

  Result<void> AddUserBook(const UserBook& user_book) override;
  Result<UserBook> FindUserBook(std::string_view user_book_id) override;
  Result<std::vector<LibraryEntry>> ListLibrary(std::string_view user_id) override;
  Result<LibraryPage> QueryLibrary(std::string_view user_id, const LibraryQuery& query) override;
  Result<void> UpdateUserBook(const UserBook& user_book) override;
  Result<void> SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                             std::string_view error) override;
  Result<void> DeleteUserBook(std::string_view user_book_id) override;

  Result<std::vector<Shelf>> ListShelves(std::string_view user_id) override;
  Result<void> CreateShelf(std::string_view user_id, std::string_view name) override;
  Result<void> RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) override;
  Result<void> DeleteShelf(std::string_view user_id, std::string_view name) override;
  Result<std::string> LibraryVersion(std::string_view user_id) override;

  Result<void> RunAtomically(const std::function<Result<void>()>& work) override;

 private:
  std::shared_ptr<MemoryDatabase> db_;
};

}  // namespace booklib::test
