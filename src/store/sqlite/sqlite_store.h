// Store adapter on a SQLite file (the default, one machine). See ports/store.h for the contract.
//
// The library page (QueryLibrary) is answered in SQL: filters on user_books' columns, search on the
// FTS5 table library_search (one SearchDocument per entry, tokenize='ascii': the document is
// already folded words, each term a quoted prefix), sorts on the key columns sort_title,
// sort_author and last_finished_on, each with an index in its order. Documents and keys are
// computed in C++ from the LibraryEntry (core/library_query.h) in the same transaction as every
// write that changes them: AddUserBook, UpdateUserBook, UpdateBookDetails (every entry of the
// book), RenameShelf and DeleteShelf (every entry on the shelf); DeleteUserBook's cascade and a
// trigger remove them. Entries written before the index existed are indexed on the first query.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "ports/store.h"
#include "sqlite/database.h"

namespace booklib {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::shared_ptr<sqlite::Database> db) : db_(std::move(db)) {}

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

  // The statement QueryLibrary runs for the ids of one page of `query` (for EXPLAIN QUERY PLAN):
  // its parameters are the filters' values in order, then LIMIT and OFFSET.
  static std::string LibraryPageSql(const LibraryQuery& query);

 private:
  // Indexes every entry without a library document (rows of a file from before the index), once
  // per process, outside any caller's transaction. An error leaves them for the next call.
  Result<void> IndexEntriesWrittenBeforeTheIndex();

  std::shared_ptr<sqlite::Database> db_;
  std::mutex index_mutex_;  // held while IndexEntriesWrittenBeforeTheIndex runs
  std::atomic<bool> indexed_{false};
};

}  // namespace booklib
