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
// - API tokens: each is one item "apitoken#<secret hash>" (item_codec.h), so a Bearer check is one
//   GetItem and PutIfAbsent keeps hashes unique; the user's list item "apitokens#<user id>" (token id
//   -> hash, written with optimistic locking like the shelf list) lets ListApiTokens, DeleteApiToken
//   and TouchApiToken reach a user's tokens without a scan, and keeps ids unique among the user's
//   tokens (ids are random UUIDs; Delete and Touch name a token by user and id, so nothing relies on
//   more). Without transactions the two are written in an order that a crash cannot turn into a
//   live token the user cannot see or revoke:
//     create: 1. add id -> hash to the list; 2. put the token item (if the hash is taken, step 1 is
//             undone and the answer is kAlreadyExists);
//     delete: 1. delete the token item (conditional on its user and id); 2. take it off the list.
//   A crash between the steps leaves a list entry without its item; ListApiTokens skips it (it
//   lists only items whose user, id and hash match the list), Touch answers kNotFound, and a
//   DeleteApiToken of it clears it and answers kNotFound. The secret of a token whose create did not
//   return was never shown to anyone.
//
// RunAtomically runs `work` directly: there are no multi-item transactions. The core writes the
// shelf entry, then sends the queue message; a crash in between leaves a PENDING entry without
// a message, which the user's Retry action (Library::RetryMetadata) queues again.
//
// ListLibrary queries the user-index GSI, which is eventually consistent on AWS: an entry added
// a moment ago may be missing from the list for up to about a second.
//
// QueryLibrary is ApplyQuery (core/library_query.h) over ListLibrary. Its cost: every page view
// reads all of the user's entries through user-index (a Query, paged by 1 MB; eventually
// consistent, so about N/8 read units for N entries of ~1 KB), the shelf list (1 unit), and a
// BatchGetItem of their books (strongly consistent, 100 keys a call, each book rounded up to 4 KB:
// about N read units), then filters, sorts and pages in memory: ~1.1 N read units a page view.
// Measured on the dynalite emulator (a 2-core machine shared with other builds; two runs of three
// page views): 1,000 entries took 213-471 ms a page view (dynamo_store_test.cc,
// DISABLED_QueryLibraryOnAThousandEntries).
// Fine for a few thousand books; a bigger library belongs on SQLite (FTS5) or needs a search index.
//
// Entry size: an entry is one item, and DynamoDB refuses items over 400 KB. The store relies on
// the core's bounds (core/library.cc, in bytes: typed details of at most 500, a cover URL of 2,048,
// a description of 20,000, a review and notes of 20,000 each; at most 200 reads; at most 100
// shelves on an entry, names of at most 100), under which an entry's item stays below ~100 KB.
// AddUserBook and UpdateUserBook answer kTooLarge, writing nothing, for an entry whose item could
// exceed 400 KB (an upper bound: the length of its JSON), so a caller without those bounds gets a
// 413, never DynamoDB's ValidationException (a 500).
//
// Shelves: a user's shelf list is one item "shelves#<user id>" in the users table (item_codec.h;
// like guards and sessions it has no email/username, so the GSIs never see it), at most 1,000
// names (CreateShelf answers kTooLarge beyond). Every change to it is a PutItem conditional on the
// version read (optimistic locking), retried from a fresh read when another write came first, so
// two concurrent creates of one name (ignoring case) cannot both succeed.
// RenameShelf and DeleteShelf then change every entry of the user on that shelf, each with an
// UpdateItem conditional on the entry's revision being as read (item_codec.h; re-read and retried
// when the entry changed meanwhile, skipped when it is gone):
//   1. write the list with the shelf renamed (or gone) and the change recorded as unfinished;
//   2. change the entries (user-index, then one conditional UpdateItem each);
//   3. write the list without the unfinished change.
// A crash between 1 and 3 leaves the list already renamed and some entries still on the old name.
// Meanwhile ListLibrary, QueryLibrary and ListShelves show the entries as they will be (they apply
// the unfinished change when reading); FindUserBook shows the entry as stored. Every shelf
// operation of that user first finishes unfinished changes (step 2 again, then 3), so running the
// same rename (same `from` ignoring case, same `to`) or delete again completes it and succeeds.
// Step 2 finds the entries through user-index, eventually consistent on AWS: an entry put on the
// shelf within about a second before the rename may keep the old name (it then shows in no
// shelf's count; putting it on the shelf again fixes it).
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
  enum class Claim { kClaimed, kTaken, kRetry };

  // Library versions (see LibraryVersion in the .cc): the books-table item that counts catalogue
  // updates (not a book: it has no ISBN, so isbn-index never lists it).
  static constexpr std::string_view kCatalogueVersionItem = "#catalogue-version";
  // ADD 1 to `attribute` of the item; a failure is logged, never the write's failure.
  void CountWrite(const std::string& table, dynamodb::Item key, const char* attribute, bool must_exist);
  // `written`, after counting it in `user_id`'s version when it succeeded.
  Result<void> Counted(std::string_view user_id, Result<void> written);
  std::string OwnerOf(std::string_view user_book_id);

  // Generic item operations; the bool results say whether the condition held.
  Result<std::optional<dynamodb::Item>> GetItem(const std::string& table, dynamodb::Item key);
  Result<bool> PutIfAbsent(const std::string& table, const dynamodb::Item& item,
                           std::string_view key_attribute);
  Result<bool> UpdateExisting(const std::string& table, dynamodb::Item key, std::string_view key_attribute,
                              dynamodb::UpdateExpression update);
  Result<bool> DeleteIf(const std::string& table, dynamodb::Item key, const std::string& condition,
                        nlohmann::json names, nlohmann::json values);
  // The user's entry items (user-index, all pages).
  Result<std::vector<dynamodb::Item>> EntryItemsOf(std::string_view user_id);
  // Every item of a GSI query (all pages).
  Result<std::vector<dynamodb::Item>> QueryIndex(const std::string& table, std::string_view index,
                                                 const std::string& key_condition, nlohmann::json names,
                                                 nlohmann::json values);
  // The items of `table` whose string key `key_attribute` is one of `keys` (BatchGetItem in chunks
  // of 100, strongly consistent, retrying unprocessed keys); missing ones are left out.
  Result<std::vector<dynamodb::Item>> BatchGetItems(const std::string& table, std::string_view key_attribute,
                                                    const std::vector<std::string>& keys);
  // The books with these ids.
  Result<std::vector<Book>> BatchGetBooks(const std::vector<std::string>& book_ids);
  // Puts `item` if the stored item's version is `read_version` (0: if there is none yet).
  Result<bool> PutIfVersion(const dynamodb::Item& item, long long read_version);

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

  // Shelves (see the header comment). What an edit of a shelf list asks for: whether the list was
  // changed (and must be written), and the rename or delete of entries to make after writing it.
  struct ShelfEdit {
    bool write = false;
    std::optional<dynamodb::ShelfChange> change;
  };
  // Changes `list` for one operation, or returns its refusal. `finished` holds the unfinished
  // changes this operation has finished before (a rerun recognises its own).
  using ShelfEditor = std::function<Result<ShelfEdit>(dynamodb::ShelfList& list,
                                                      const std::vector<dynamodb::ShelfChange>& finished)>;
  // Reads the list, finishes its unfinished changes, applies `edit`, writes it if the version
  // still holds (else starts again), then changes the entries and forgets the change.
  Result<void> EditShelfList(std::string_view user_id, const ShelfEditor& edit);
  // The user's shelf list (version 0 and no names when there is none).
  Result<dynamodb::ShelfList> ReadShelfList(std::string_view user_id);
  // Stores `list` as version list.version + 1; false when the stored version is not list.version.
  Result<bool> WriteShelfList(dynamodb::ShelfList list);
  // Applies `change` to every entry of the user on change.from.
  Result<void> ChangeEntries(std::string_view user_id, const dynamodb::ShelfChange& change);
  // Sets the entry's shelves (removes them when empty) if they are still as in `item`.
  Result<bool> ReplaceEntryShelves(const dynamodb::Item& item, const std::vector<std::string>& shelves);
  // Takes `change` off the list of unfinished changes (done when someone else already did).
  Result<void> ForgetChange(std::string_view user_id, const dynamodb::ShelfChange& change);

  // API tokens (see the header comment). The user's token list (version 0, empty when none).
  Result<dynamodb::ApiTokenList> ReadApiTokenList(std::string_view user_id);
  // Reads the list, lets `edit` change it (false: nothing to write) and writes it if its version
  // still holds, else starts again.
  Result<void> EditApiTokenList(std::string_view user_id,
                                const std::function<Result<bool>(dynamodb::ApiTokenList&)>& edit);
  // Takes token `token_id` off the user's list if it is still listed under `secret_hash`.
  Result<void> UnlistApiToken(std::string_view user_id, std::string_view token_id,
                              std::string_view secret_hash);

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
