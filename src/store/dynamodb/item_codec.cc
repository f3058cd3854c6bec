// Items of the three tables (see item_codec.h).
#include "store/dynamodb/item_codec.h"

#include <algorithm>
#include <cctype>

#include "text/ascii.h"

namespace booklib::dynamodb {
namespace {

constexpr std::string_view kItemType = "item_type";

std::string Prefixed(std::string_view prefix, std::string_view name) {
  return std::string(prefix) + std::string(name);
}

void PutDetails(Item& item, const BookDetails& details, std::string_view prefix) {
  PutString(item, Prefixed(prefix, "title"), details.title);
  PutString(item, Prefixed(prefix, "author"), details.author);
  PutString(item, Prefixed(prefix, "genre"), details.genre);
  PutString(item, Prefixed(prefix, "cover_image_url"), details.cover_image_url);
  PutString(item, Prefixed(prefix, "description"), details.description);
  PutString(item, Prefixed(prefix, "publisher"), details.publisher);
  PutString(item, Prefixed(prefix, "published_date"), details.published_date);
  if (details.page_count > 0) item[Prefixed(prefix, "page_count")] = NumberValue(details.page_count);
  PutString(item, Prefixed(prefix, "language"), details.language);
}

BookDetails DetailsFromItem(const Item& item, std::string_view prefix) {
  BookDetails details;
  details.title = GetString(item, Prefixed(prefix, "title"));
  details.author = GetString(item, Prefixed(prefix, "author"));
  details.genre = GetString(item, Prefixed(prefix, "genre"));
  details.cover_image_url = GetString(item, Prefixed(prefix, "cover_image_url"));
  details.description = GetString(item, Prefixed(prefix, "description"));
  details.publisher = GetString(item, Prefixed(prefix, "publisher"));
  details.published_date = GetString(item, Prefixed(prefix, "published_date"));
  details.page_count = static_cast<int>(GetNumber(item, Prefixed(prefix, "page_count")).value_or(0));
  details.language = GetString(item, Prefixed(prefix, "language"));
  return details;
}

}  // namespace

std::string EmailGuardKey(std::string_view email) { return "email#" + std::string(email); }

std::string UsernameGuardKey(std::string_view username) { return "username#" + text::AsciiLower(username); }

std::string SessionKey(std::string_view session_id) { return "session#" + std::string(session_id); }

Item ToItem(const User& user) {
  Item item = Item::object();
  PutString(item, kUserIdAttribute, user.id);
  PutString(item, "username", user.username);
  PutString(item, "email", user.email);
  PutString(item, "password_hash", user.password_hash);
  PutString(item, "created_at", user.created_at);
  return item;
}

Item ToItem(const Session& session) {
  Item item = KeyOf(kUserIdAttribute, SessionKey(session.id));
  item[std::string(kItemType)] = StringValue("session");
  PutString(item, "session_user_id", session.user_id);
  item["expires_at"] = NumberValue(session.expires_at);
  return item;
}

Item ToItem(const Guard& guard) {
  Item item = KeyOf(kUserIdAttribute, guard.key);
  item[std::string(kItemType)] = StringValue("guard");
  PutString(item, "owner_id", guard.owner_id);
  item["claimed_at"] = NumberValue(guard.claimed_at);
  item["committed"] = BoolValue(guard.committed);
  return item;
}

Item ToItem(const Book& book) {
  Item item = Item::object();
  PutString(item, kBookIdAttribute, book.id);
  PutString(item, "isbn", book.isbn);
  PutDetails(item, book.details, "");
  PutString(item, "created_at", book.created_at);
  return item;
}

Item ToItem(const UserBook& user_book) {
  Item item = Item::object();
  PutString(item, kUserBookIdAttribute, user_book.id);
  PutString(item, "user_id", user_book.user_id);
  PutString(item, "book_id", user_book.book_id);
  PutString(item, "status", ReadingStatusName(user_book.status));
  if (user_book.rating_halves) item["rating"] = NumberValue(*user_book.rating_halves / 2);  // TODO(library)
  PutString(item, "sync_status", SyncStatusName(user_book.sync_status));
  PutString(item, "sync_error", user_book.sync_error);
  PutString(item, "date_added", user_book.date_added);
  PutDetails(item, user_book.typed, kTypedPrefix);
  return item;
}

std::optional<User> UserFromItem(const Item& item) {
  if (item.contains(kItemType) || GetString(item, "username").empty()) return std::nullopt;
  return User{GetString(item, kUserIdAttribute), GetString(item, "username"), GetString(item, "email"),
              GetString(item, "password_hash"), GetString(item, "created_at")};
}

std::optional<Session> SessionFromItem(const Item& item) {
  const std::string key = GetString(item, kUserIdAttribute);
  if (GetString(item, kItemType) != "session" || !key.starts_with("session#")) return std::nullopt;
  return Session{key.substr(8), GetString(item, "session_user_id"),
                 GetNumber(item, "expires_at").value_or(0)};
}

std::optional<Guard> GuardFromItem(const Item& item) {
  if (GetString(item, kItemType) != "guard") return std::nullopt;
  return Guard{GetString(item, kUserIdAttribute), GetString(item, "owner_id"),
               GetNumber(item, "claimed_at").value_or(0), GetBool(item, "committed")};
}

Book BookFromItem(const Item& item) {
  return Book{GetString(item, kBookIdAttribute), GetString(item, "isbn"), DetailsFromItem(item, ""),
              GetString(item, "created_at")};
}

UserBook UserBookFromItem(const Item& item) {
  UserBook user_book;
  user_book.id = GetString(item, kUserBookIdAttribute);
  user_book.user_id = GetString(item, "user_id");
  user_book.book_id = GetString(item, "book_id");
  user_book.status = ParseReadingStatus(GetString(item, "status")).value_or(ReadingStatus::kToRead);
  if (auto rating = GetNumber(item, "rating"); rating && *rating >= 1 && *rating <= 5) {
    user_book.rating_halves = static_cast<int>(*rating) * 2;
  }
  user_book.sync_status = ParseSyncStatus(GetString(item, "sync_status")).value_or(SyncStatus::kPending);
  user_book.sync_error = GetString(item, "sync_error");
  user_book.date_added = GetString(item, "date_added");
  user_book.typed = DetailsFromItem(item, kTypedPrefix);
  return user_book;
}

void SetDetails(UpdateExpression& update, const BookDetails& details, std::string_view prefix) {
  update.SetOrRemove(Prefixed(prefix, "title"), details.title);
  update.SetOrRemove(Prefixed(prefix, "author"), details.author);
  update.SetOrRemove(Prefixed(prefix, "genre"), details.genre);
  update.SetOrRemove(Prefixed(prefix, "cover_image_url"), details.cover_image_url);
  update.SetOrRemove(Prefixed(prefix, "description"), details.description);
  update.SetOrRemove(Prefixed(prefix, "publisher"), details.publisher);
  update.SetOrRemove(Prefixed(prefix, "published_date"), details.published_date);
  if (details.page_count > 0) {
    update.Set(Prefixed(prefix, "page_count"), NumberValue(details.page_count));
  } else {
    update.Remove(Prefixed(prefix, "page_count"));
  }
  update.SetOrRemove(Prefixed(prefix, "language"), details.language);
}

}  // namespace booklib::dynamodb
