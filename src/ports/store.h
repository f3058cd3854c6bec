// Port: where users, books, shelf entries and sessions live. Adapters: store/sqlite, store/dynamodb.
//
// Contract for every adapter (the suite in ports/store_contract.h runs against each):
// - Uniqueness is enforced atomically by the adapter, never check-then-put: username, email,
//   book ISBN, and (user_id, book_id) of a user_book. A violation returns kAlreadyExists
//   (for CreateUser with message "username" or "email"; "username" when both are taken).
// - Lookups and changes of missing things return kNotFound (each method says what it returns).
//   Nothing throws.
// - Methods are safe to call from many threads at once.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/error.h"

namespace booklib {

class Store {
 public:
  virtual ~Store() = default;

  // Users. REQUIRES: user.id, username, email (lower-case), password_hash set.
  // kAlreadyExists with message "username" or "email" naming the taken value; "username" when
  // both are taken. Usernames are compared without regard to ASCII case.
  virtual Result<void> CreateUser(const User& user) = 0;
  // kNotFound when there is no such user.
  virtual Result<User> FindUserById(std::string_view user_id) = 0;
  virtual Result<User> FindUserByEmail(std::string_view email) = 0;

  // Sessions. kNotFound when there is no such session.
  virtual Result<void> CreateSession(const Session& session) = 0;
  virtual Result<Session> FindSession(std::string_view session_id) = 0;
  // Succeeds also when the session is already gone.
  virtual Result<void> DeleteSession(std::string_view session_id) = 0;

  // Books. Returns the catalogue record for candidate.isbn, creating it from `candidate` when
  // none exists. Concurrent calls for one ISBN all return the same record.
  // REQUIRES: candidate.isbn is a canonical ISBN-13; candidate.id == BookIdForIsbn(isbn) (core/ids.h).
  // The returned id may differ when a record written by the seed's app already holds the ISBN.
  virtual Result<Book> GetOrCreateBook(const Book& candidate) = 0;
  // Creates a record without an ISBN (a book typed by hand). REQUIRES: book.isbn empty.
  virtual Result<void> CreateBook(const Book& book) = 0;
  // kNotFound when there is no such book (for UpdateBookDetails too: it creates nothing).
  virtual Result<Book> FindBook(std::string_view book_id) = 0;
  virtual Result<Book> FindBookByIsbn(std::string_view isbn) = 0;
  virtual Result<void> UpdateBookDetails(std::string_view book_id, const BookDetails& details) = 0;

  // Shelf entries. AddUserBook returns kAlreadyExists when the user already has that book.
  // REQUIRES: user_book.id == UserBookIdFor(user_id, book_id) (core/ids.h).
  virtual Result<void> AddUserBook(const UserBook& user_book) = 0;
  // kNotFound when there is no such entry.
  virtual Result<UserBook> FindUserBook(std::string_view user_book_id) = 0;
  // All of a user's entries with their books, newest first; empty (not kNotFound) for a user
  // without entries or without an account.
  virtual Result<std::vector<LibraryEntry>> ListLibrary(std::string_view user_id) = 0;
  // Replaces status, rating, typed details, sync_status and sync_error of an existing entry.
  // kNotFound when there is no entry user_book.id, and nothing is written: an update never
  // creates an entry (a shelf entry deleted meanwhile stays deleted).
  virtual Result<void> UpdateUserBook(const UserBook& user_book) = 0;
  // Sets only sync_status and sync_error (the metadata worker's write). kNotFound when there is
  // no such entry.
  virtual Result<void> SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                     std::string_view error) = 0;
  // kNotFound when there is no such entry.
  virtual Result<void> DeleteUserBook(std::string_view user_book_id) = 0;

  // Runs `work` so that every write it makes through this store, and through a queue adapter
  // sharing this store's database, commits together or not at all. Adapters without
  // multi-item transactions run `work` directly (see docs/ARCHITECTURE.md for the crash story).
  virtual Result<void> RunAtomically(const std::function<Result<void>()>& work) = 0;
};

}  // namespace booklib
