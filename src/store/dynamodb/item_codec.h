// How users, sessions, books and shelf entries are laid out as items of the seed's three tables.
//
// users table (key user_id) holds three kinds of item:
//   a user:    user_id=<uuid>, username, email, password_hash, created_at (the seed's layout);
//   a guard:   user_id="email#<email>" or "username#<lower-case username>", item_type="guard",
//              owner_id, claimed_at (unix s), committed (bool) — see dynamo_store.h;
//   a session: user_id="session#<id>", item_type="session", session_user_id, expires_at (unix s,
//              usable as the table's TTL attribute).
//   Guards and sessions carry no email/username attribute, so the email-index and
//   username-index GSIs only ever contain users.
// books table (key book_id): isbn, title, author, genre, cover_image_url, description, publisher,
//   published_date, page_count (N), language, created_at.
// user_books table (key user_book_id): user_id, book_id, status, rating (N), sync_status,
//   sync_error, date_added, and what the user typed as typed_<detail>.
// Empty strings are never stored (keys may not be empty); a missing attribute reads back as "".
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"
#include "store/dynamodb/attribute_values.h"
#include "store/dynamodb/update_expression.h"

namespace booklib::dynamodb {

inline constexpr std::string_view kUserIdAttribute = "user_id";
inline constexpr std::string_view kBookIdAttribute = "book_id";
inline constexpr std::string_view kUserBookIdAttribute = "user_book_id";
inline constexpr std::string_view kTypedPrefix = "typed_";

std::string EmailGuardKey(std::string_view email);
// Usernames are unique regardless of ASCII case ("Ada" and "ada" are one name).
std::string UsernameGuardKey(std::string_view username);
std::string SessionKey(std::string_view session_id);

// A claim on a unique value, written before the user item it protects.
struct Guard {
  std::string key;       // EmailGuardKey(...) or UsernameGuardKey(...)
  std::string owner_id;  // the user id that claimed it
  long long claimed_at = 0;
  bool committed = false;  // true once the owner's user item is written
};

Item ToItem(const User& user);
Item ToItem(const Session& session);
Item ToItem(const Guard& guard);
Item ToItem(const Book& book);
Item ToItem(const UserBook& user_book);

// nullopt when the item is of another kind (a guard or session in the users table).
std::optional<User> UserFromItem(const Item& item);
std::optional<Session> SessionFromItem(const Item& item);
std::optional<Guard> GuardFromItem(const Item& item);
Book BookFromItem(const Item& item);
// Unknown status text (older writers) reads as to-read / PENDING.
UserBook UserBookFromItem(const Item& item);

// SET (or REMOVE when empty) every detail attribute, names prefixed with `prefix`.
void SetDetails(UpdateExpression& update, const BookDetails& details, std::string_view prefix);

}  // namespace booklib::dynamodb
