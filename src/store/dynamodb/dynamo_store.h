// DynamoStore: the Store port on the seed's three DynamoDB tables, with single conditional writes.
//
// Item layout: store/dynamodb/item_codec.h. Every read by key is strongly consistent.
//
// Uniqueness without transactions (the dynalite emulator has no TransactWriteItems):
// - Books and shelf entries have deterministic ids (core/ids.h: BookIdForIsbn,
//   UserBookIdFor), so a PutItem with attribute_not_exists(<key>) is the whole uniqueness check.
//   REQUIRES (else kInvalidArgument): GetOrCreateBook's candidate.id == BookIdForIsbn(isbn) and
//   AddUserBook's user_book.id == UserBookIdFor(user_id, book_id).
// - A user's email and username are claimed with guard items in the users table
//   ("email#<email>", "username#<lower-case name>") before the user item is written:
//     1. claim the username guard, then the email guard (conditional puts, owner = the new id);
//     2. put the user item;
//     3. commit both guards (conditional on still owning them).
//   A failed claim releases the guards already taken and returns kAlreadyExists "username" /
//   "email". A crash leaves an uncommitted guard:
//     - before step 2: nobody can take that name or email until the guard is older than
//       `guard_lease`; after that the next registration takes the guard over (a conditional
//       put that only succeeds on the exact stale guard, so only one taker wins);
//     - after step 2: the user exists; the next registration that meets the guard sees the
//       owner's user item, commits the guard on its behalf and is refused.
//   If a registration stalls longer than the lease and loses its guard, its commit fails and it
//   deletes its own user item again: exactly one user per email and username in every order.
//   Users created by the seed's app have no guards; CreateUser also checks the email-index
//   and username-index GSIs for them, and FindUserByEmail falls back to email-index.
// - Sessions are items "session#<id>" in the users table (item_codec.h), expires_at doubling as
//   the TTL attribute.
//
// RunAtomically runs `work` directly: there are no multi-item transactions. The core writes the
// shelf entry, then sends the queue message; a crash in between leaves a PENDING entry without
// a message, which the user's Retry action (Library::RetryMetadata) queues again.
//
// ListLibrary queries the user-index GSI, which is eventually consistent on AWS: an entry added
// a moment ago may be missing from the list for up to about a second.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_json_client.h"
#include "ports/clock.h"
#include "ports/store.h"
#include "store/dynamodb/dynamo_tables.h"
#include "store/dynamodb/item_codec.h"

namespace booklib {

struct DynamoStoreOptions {
  dynamodb::TableNames tables;
  // How long an uncommitted guard (a registration in progress, or one that crashed before
  // writing its user) blocks its email/username before another registration may take it over.
  std::chrono::seconds guard_lease{120};
};

class DynamoStore final : public Store {
 public:
  // `dynamodb` and `clock` must outlive the store.
  DynamoStore(aws::AwsJsonClient& dynamodb, DynamoStoreOptions options, const Clock& clock);

  Result<void> CreateUser(const User& user) override;
  Result<User> FindUserById(std::string_view user_id) override;
  Result<User> FindUserByEmail(std::string_view email) override;

  Result<void> CreateSession(const Session& session) override;
  Result<Session> FindSession(std::string_view session_id) override;
  // Deleting a session that does not exist succeeds (logging out twice is harmless).
  Result<void> DeleteSession(std::string_view session_id) override;

  Result<Book> GetOrCreateBook(const Book& candidate) override;
  Result<void> CreateBook(const Book& book) override;
  Result<Book> FindBook(std::string_view book_id) override;
  Result<Book> FindBookByIsbn(std::string_view isbn) override;
  Result<void> UpdateBookDetails(std::string_view book_id, const BookDetails& details) override;

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

  Result<void> RunAtomically(const std::function<Result<void>()>& work) override;

 private:
  enum class Claim { kClaimed, kTaken, kRetry };

  // Generic item operations; the bool results say whether the condition held.
  Result<std::optional<dynamodb::Item>> GetItem(const std::string& table, dynamodb::Item key);
  Result<bool> PutIfAbsent(const std::string& table, const dynamodb::Item& item,
                           std::string_view key_attribute);
  Result<bool> UpdateExisting(const std::string& table, dynamodb::Item key, std::string_view key_attribute,
                              dynamodb::UpdateExpression update);
  Result<bool> DeleteIf(const std::string& table, dynamodb::Item key, const std::string& condition,
                        nlohmann::json names, nlohmann::json values);
  // Every item of a GSI query (all pages).
  Result<std::vector<dynamodb::Item>> QueryIndex(const std::string& table, std::string_view index,
                                                 const std::string& key_condition, nlohmann::json names,
                                                 nlohmann::json values);
  // The books with these ids (BatchGetItem in chunks of 100, retrying unprocessed keys).
  Result<std::vector<Book>> BatchGetBooks(const std::vector<std::string>& book_ids);

  // Guards (see the header comment).
  Result<Claim> ClaimGuard(const std::string& key, const std::string& owner_id);
  Result<Claim> ResolveExistingGuard(const dynamodb::Guard& guard, const std::string& owner_id);
  Result<bool> CommitGuard(const std::string& key, const std::string& owner_id);
  void ReleaseGuards(const std::vector<std::string>& keys, const std::string& owner_id);
  Result<bool> UserItemExists(const std::string& user_id);
  // Another user with this value among the users the seed's app wrote (no guards).
  Result<bool> LegacyUserHas(std::string_view index, std::string_view attribute, const std::string& value,
                             const std::string& except_user_id);
  Result<void> FinishRegistration(const User& user, const std::vector<std::string>& guard_keys);

  Result<std::optional<Book>> FindBookByLegacyIsbn(std::string_view isbn);
  long long NowSeconds() const;

  aws::AwsJsonClient& dynamodb_;
  const DynamoStoreOptions options_;
  const Clock& clock_;
};

// A DynamoStore that owns its client (built from `config`), for the composition root.
// `clock` must outlive the store.
std::shared_ptr<Store> MakeDynamoStore(const aws::AwsConfig& config, DynamoStoreOptions options,
                                       const Clock& clock);

}  // namespace booklib
