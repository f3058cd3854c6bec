// How users, sessions, API tokens, books and shelf entries are laid out as items of the seed's three tables.
//
// users table (key user_id) holds six kinds of item:
//   a user:    user_id=<uuid>, username, email, password_hash, created_at (the seed's layout);
//   a guard:   user_id="email#<email>" or "username#<lower-case username>", item_type="guard",
//              owner_id, claimed_at (unix s), committed (bool) — see dynamo_store.h;
//   a session: user_id="session#<id>", item_type="session", session_user_id, expires_at (unix s,
//              usable as the table's TTL attribute);
//   a shelf list: user_id="shelves#<user id>", item_type="shelves", names (M: lower-cased name ->
//              S name as spelled), unfinished (L of M {id, from, to}: renames and deletes whose
//              entries may not all be changed yet; absent when none), version (N).
//   an API token: user_id="apitoken#<secret hash>", item_type="apitoken", token_user_id, token_id,
//              name, scope ("read" | "read-write"), created_at, last_used_at (absent: never used);
//   an API token list: user_id="apitokens#<user id>", item_type="apitokens", tokens (M: token id ->
//              S secret hash; absent when none), version (N): how a user's tokens are listed,
//              deleted and touched without a scan (dynamo_store.h).
//   Guards, sessions, shelf lists and API token items carry no email/username attribute, so the
//   email-index and username-index GSIs only ever contain users.
// books table (key book_id): isbn, title, author, genre, cover_image_url, description, publisher,
//   published_date, page_count (N), language, series, series_index, created_at.
// user_books table (key user_book_id): user_id, book_id, status, rating, sync_status,
//   sync_error, date_added, what the user typed as typed_<detail>, and the reading model:
//   rating   N in stars with halves ("4", "4.5"); the seed's N "4" or S "5" read as 8 / 10 halves;
//            anything else (out of 0.5..5, not a half step) reads as no rating;
//   review, notes  S;
//   owned    BOOL (absent reads as false);
//   shelves  L of S in the entry's order (not SS: a set is unordered and cannot be empty);
//   progress M {unit: S "page" | "percent", value: N}; absent when there is none;
//   reads    L of M {id, started_on, finished_on (S, absent when unknown), outcome}, oldest first;
//   revision S, a random token DynamoStore writes anew with every write of an entry's shelves
//            (AddUserBook, UpdateUserBook, a shelf rename or delete), so that a shelf change
//            updates an entry only if it is unchanged since read. (DynamoDB could compare the
//            list itself with "=", but the dynalite emulator cannot compare lists.)
// Empty strings, lists and absent progress are never stored (keys may not be empty); a missing
// attribute reads back as "" / empty / none.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "store/dynamodb/attribute_values.h"
#include "store/dynamodb/shelf_list.h"
#include "store/dynamodb/update_expression.h"

namespace booklib::dynamodb {

inline constexpr std::string_view kUserIdAttribute = "user_id";
inline constexpr std::string_view kBookIdAttribute = "book_id";
inline constexpr std::string_view kUserBookIdAttribute = "user_book_id";
inline constexpr std::string_view kTypedPrefix = "typed_";
inline constexpr std::string_view kRevisionAttribute = "revision";

std::string EmailGuardKey(std::string_view email);
// Usernames are unique regardless of ASCII case ("Ada" and "ada" are one name).
std::string UsernameGuardKey(std::string_view username);
std::string SessionKey(std::string_view session_id);
std::string ShelfListKey(std::string_view user_id);
std::string ApiTokenKey(std::string_view secret_hash);
std::string ApiTokenListKey(std::string_view user_id);

// A rating in half stars (1..10) as the rating attribute's number: "0.5" .. "4.5", "5".
std::string RatingText(int halves);
// The half stars of a stored rating ("4" -> 8, "4.5" -> 9, the seed's "5" -> 10); nullopt for
// anything that is not 0.5..5 in half steps.
std::optional<int> RatingHalvesFromText(std::string_view text);

// A claim on a unique value, written before the user item it protects.
struct Guard {
  std::string key;       // EmailGuardKey(...) or UsernameGuardKey(...)
  std::string owner_id;  // the user id that claimed it
  long long claimed_at = 0;
  bool committed = false;  // true once the owner's user item is written
};

Item ToItem(const User& user);
Item ToItem(const Session& session);
// Which API tokens a user has, and under which hash each is stored.
struct ApiTokenList {
  std::string user_id;
  std::map<std::string, std::string> hashes;  // token id -> secret hash
  long long version = 0;                      // 0: not stored yet; every write stores version + 1
};

Item ToItem(const Guard& guard);
Item ToItem(const Book& book);
Item ToItem(const UserBook& user_book);
Item ToItem(const ShelfList& shelf_list);  // stores shelf_list.version as it is
Item ToItem(const ApiToken& token);
Item ToItem(const ApiTokenList& token_list);  // stores token_list.version as it is

// nullopt when the item is of another kind (a guard or session in the users table).
std::optional<User> UserFromItem(const Item& item);
std::optional<Session> SessionFromItem(const Item& item);
std::optional<Guard> GuardFromItem(const Item& item);
Book BookFromItem(const Item& item);
// Unknown status text (older writers) reads as to-read / PENDING.
UserBook UserBookFromItem(const Item& item);
// nullopt when the item is not a shelf list.
std::optional<ShelfList> ShelfListFromItem(const Item& item);
// nullopt when the item is not an API token (or API token list). An unknown scope reads as read.
std::optional<ApiToken> ApiTokenFromItem(const Item& item);
std::optional<ApiTokenList> ApiTokenListFromItem(const Item& item);

// The typed values of an entry's reading-model attributes (see the header comment).
nlohmann::json ReadsValue(const std::vector<Read>& reads);
nlohmann::json ProgressValue(const Progress& progress);

// An upper bound of the item's size as DynamoDB counts it (names and values in bytes): the length
// of its JSON, whose type wrappers and quotes only add to it.
std::size_t ItemSizeUpperBound(const Item& item);

// SET (or REMOVE when empty) every detail attribute, names prefixed with `prefix`.
void SetDetails(UpdateExpression& update, const BookDetails& details, std::string_view prefix);
// SET (or REMOVE when empty or none) every attribute of an entry that UpdateUserBook replaces:
// status, rating, typed details, sync status and error, review, notes, owned, shelves, progress, reads.
void SetEntry(UpdateExpression& update, const UserBook& user_book);

}  // namespace booklib::dynamodb
