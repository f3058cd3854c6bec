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
#include "core/library_query.h"

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

  // Personal API tokens. kAlreadyExists when token.id or token.secret_hash is taken.
  virtual Result<void> CreateApiToken(const ApiToken& token) = 0;
  // The user's tokens, oldest first (by created_at, then id).
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::string_view user_id) = 0;
  // kNotFound when no token has this hash (never made, or revoked).
  virtual Result<ApiToken> FindApiTokenByHash(std::string_view secret_hash) = 0;
  // Revokes: FindApiTokenByHash no longer finds it. kNotFound when `user_id` has no token
  // `token_id` (someone else's token included).
  virtual Result<void> DeleteApiToken(std::string_view user_id, std::string_view token_id) = 0;
  // Sets last_used_at. kNotFound when `user_id` has no token `token_id` (a revoked one included).
  virtual Result<void> TouchApiToken(std::string_view user_id, std::string_view token_id,
                                     std::string_view used_at) = 0;

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
  // The catalogue's details as `source` (a provider's name) filled them; Book::details_source.
  virtual Result<void> UpdateBookDetails(std::string_view book_id, const BookDetails& details,
                                         std::string_view source) = 0;

  // Shelf entries. AddUserBook returns kAlreadyExists when the user already has that book.
  // REQUIRES: user_book.id == UserBookIdFor(user_id, book_id) (core/ids.h).
  virtual Result<void> AddUserBook(const UserBook& user_book) = 0;
  // kNotFound when there is no such entry.
  virtual Result<UserBook> FindUserBook(std::string_view user_book_id) = 0;
  // All of a user's entries with their books, newest first; empty (not kNotFound) for a user
  // without entries or without an account.
  virtual Result<std::vector<LibraryEntry>> ListLibrary(std::string_view user_id) = 0;
  // One page of a user's entries as `query` asks (core/library_query.h says what each part
  // means; every adapter answers exactly as ApplyQuery over ListLibrary would). An empty page
  // (not kNotFound) for a user without entries.
  virtual Result<LibraryPage> QueryLibrary(std::string_view user_id, const LibraryQuery& query) = 0;
  // Replaces everything of an existing entry but its id, user_id, book_id and date_added: status,
  // rating, typed details, sync_status and sync_error, review, notes, owned, shelves, progress
  // and reads, all at once (a reader of the entry never sees half of an update).
  // kNotFound when there is no entry user_book.id, and nothing is written: an update never
  // creates an entry (a shelf entry deleted meanwhile stays deleted). The entry's shelves need
  // not be in the user's shelf list (the core creates them first); ListShelves counts them anyway.
  virtual Result<void> UpdateUserBook(const UserBook& user_book) = 0;
  // Sets only sync_status and sync_error (the metadata worker's write). kNotFound when there is
  // no such entry.
  virtual Result<void> SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                     std::string_view error) = 0;
  // kNotFound when there is no such entry.
  virtual Result<void> DeleteUserBook(std::string_view user_book_id) = 0;

  // Shelves: a user's own names for sets of entries. Names are compared ignoring ASCII case
  // ("Favourites" and "favourites" are one shelf); the spelling kept is the one created (or
  // renamed to). REQUIRES: names are non-empty, trimmed, at most 100 bytes (the core checks).
  // The user's shelves sorted by SortKey of the name, each with the number of their entries on
  // it; empty for a user without shelves.
  virtual Result<std::vector<Shelf>> ListShelves(std::string_view user_id) = 0;
  // kAlreadyExists when the user has a shelf of that name.
  virtual Result<void> CreateShelf(std::string_view user_id, std::string_view name) = 0;
  // Renames the shelf and every entry's membership of it. kNotFound when there is no shelf
  // `from`; kAlreadyExists when another shelf is called `to` (a change of case only is a rename).
  virtual Result<void> RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) = 0;
  // Deletes the shelf and takes every entry off it; the entries stay. kNotFound when there is none.
  virtual Result<void> DeleteShelf(std::string_view user_id, std::string_view name) = 0;

  // A token that changes whenever what `user_id` sees of their library may have changed: any
  // write to their entries (reads, shelves and progress included), their shelves, or the catalogue
  // record of a book they have. Opaque; equal tokens mean nothing they see changed. It may also
  // change when nothing did (an adapter may count every catalogue update). Read consistently: a
  // write that returned is visible to the next call. The pages' ETag (web/app.cc) is built on it.
  virtual Result<std::string> LibraryVersion(std::string_view user_id) = 0;

  // Runs `work` so that every write it makes through this store, and through a queue adapter
  // sharing this store's database, commits together or not at all. Adapters without
  // multi-item transactions run `work` directly (see docs/ARCHITECTURE.md for the crash story).
  virtual Result<void> RunAtomically(const std::function<Result<void>()>& work) = 0;
};

}  // namespace booklib
