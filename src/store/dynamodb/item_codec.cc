// Items of the three tables (see item_codec.h).
#include "store/dynamodb/item_codec.h"

#include <algorithm>
#include <cctype>

#include "core/library_query.h"
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
  PutString(item, Prefixed(prefix, "series"), details.series);
  PutString(item, Prefixed(prefix, "series_index"), details.series_index);
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
  details.series = GetString(item, Prefixed(prefix, "series"));
  details.series_index = GetString(item, Prefixed(prefix, "series_index"));
  return details;
}

Read ReadFromValue(const nlohmann::json& value) {
  const Item fields =
      value.is_object() && value.contains("M") && value["M"].is_object() ? value["M"] : Item::object();
  return Read{GetString(fields, "id"), GetString(fields, "started_on"), GetString(fields, "finished_on"),
              ParseReadOutcome(GetString(fields, "outcome")).value_or(ReadOutcome::kInProgress)};
}

Progress ProgressFromItem(const Item& item) {
  const Item fields = GetMap(item, "progress");
  const auto unit = ParseProgressUnit(GetString(fields, "unit"));
  const auto value = GetNumber(fields, "value");
  if (!unit || *unit == ProgressUnit::kNone || !value) return Progress{};
  return Progress{*unit, static_cast<int>(*value)};
}

nlohmann::json ShelfChangeValue(const ShelfChange& change) {
  Item fields = Item::object();
  PutString(fields, "id", change.id);
  PutString(fields, "from", change.from);
  PutString(fields, "to", change.to);
  return {{"M", std::move(fields)}};
}

ShelfChange ShelfChangeFromValue(const nlohmann::json& value) {
  const Item fields =
      value.is_object() && value.contains("M") && value["M"].is_object() ? value["M"] : Item::object();
  return ShelfChange{GetString(fields, "id"), GetString(fields, "from"), GetString(fields, "to")};
}

}  // namespace

std::string EmailGuardKey(std::string_view email) { return "email#" + std::string(email); }

std::string UsernameGuardKey(std::string_view username) { return "username#" + text::AsciiLower(username); }

std::string SessionKey(std::string_view session_id) { return "session#" + std::string(session_id); }

std::string ShelfListKey(std::string_view user_id) { return "shelves#" + std::string(user_id); }

std::string ApiTokenKey(std::string_view secret_hash) { return "apitoken#" + std::string(secret_hash); }

std::string ApiTokenListKey(std::string_view user_id) { return "apitokens#" + std::string(user_id); }

std::string RatingText(int halves) { return std::to_string(halves / 2) + (halves % 2 == 1 ? ".5" : ""); }

std::optional<int> RatingHalvesFromText(std::string_view text) {
  const bool whole = text.size() == 1;
  const bool half = text.size() == 3 && text[1] == '.' && (text[2] == '5' || text[2] == '0');
  if ((!whole && !half) || text[0] < '0' || text[0] > '5') return std::nullopt;
  const int halves = (text[0] - '0') * 2 + (half && text[2] == '5' ? 1 : 0);
  if (halves < 1 || halves > 10) return std::nullopt;
  return halves;
}

nlohmann::json ReadsValue(const std::vector<Read>& reads) {
  nlohmann::json list = nlohmann::json::array();
  for (const Read& read : reads) {
    Item fields = Item::object();
    PutString(fields, "id", read.id);
    PutString(fields, "started_on", read.started_on);
    PutString(fields, "finished_on", read.finished_on);
    PutString(fields, "outcome", ReadOutcomeName(read.outcome));
    list.push_back({{"M", std::move(fields)}});
  }
  return {{"L", std::move(list)}};
}

nlohmann::json ProgressValue(const Progress& progress) {
  return {{"M",
           {{"unit", StringValue(ProgressUnitName(progress.unit))}, {"value", NumberValue(progress.value)}}}};
}

std::size_t ItemSizeUpperBound(const Item& item) {
  return item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
}

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
  PutString(item, "details_source", book.details_source);
  return item;
}

Item ToItem(const UserBook& user_book) {
  Item item = Item::object();
  PutString(item, kUserBookIdAttribute, user_book.id);
  PutString(item, "user_id", user_book.user_id);
  PutString(item, "book_id", user_book.book_id);
  PutString(item, "status", ReadingStatusName(user_book.status));
  if (user_book.rating_halves) item["rating"] = DecimalValue(RatingText(*user_book.rating_halves));
  PutString(item, "sync_status", SyncStatusName(user_book.sync_status));
  PutString(item, "sync_error", user_book.sync_error);
  PutString(item, "date_added", user_book.date_added);
  PutDetails(item, user_book.typed, kTypedPrefix);
  PutString(item, "review", user_book.review);
  PutString(item, "notes", user_book.notes);
  item["owned"] = BoolValue(user_book.owned);
  if (!user_book.shelves.empty()) item["shelves"] = StringListValue(user_book.shelves);
  if (user_book.progress.unit != ProgressUnit::kNone) item["progress"] = ProgressValue(user_book.progress);
  if (!user_book.reads.empty()) item["reads"] = ReadsValue(user_book.reads);
  return item;
}

Item ToItem(const ShelfList& shelf_list) {
  Item item = KeyOf(kUserIdAttribute, ShelfListKey(shelf_list.user_id));
  item[std::string(kItemType)] = StringValue("shelves");
  Item names = Item::object();
  for (const std::string& name : shelf_list.names) names[text::AsciiLower(name)] = StringValue(name);
  item["names"] = {{"M", std::move(names)}};
  if (!shelf_list.unfinished.empty()) {
    nlohmann::json changes = nlohmann::json::array();
    for (const ShelfChange& change : shelf_list.unfinished) changes.push_back(ShelfChangeValue(change));
    item["unfinished"] = {{"L", std::move(changes)}};
  }
  item["version"] = NumberValue(shelf_list.version);
  return item;
}

Item ToItem(const ApiToken& token) {
  Item item = KeyOf(kUserIdAttribute, ApiTokenKey(token.secret_hash));
  item[std::string(kItemType)] = StringValue("apitoken");
  PutString(item, "token_user_id", token.user_id);
  PutString(item, "token_id", token.id);
  PutString(item, "name", token.name);
  PutString(item, "scope", TokenScopeName(token.scope));
  PutString(item, "created_at", token.created_at);
  PutString(item, "last_used_at", token.last_used_at);
  return item;
}

Item ToItem(const ApiTokenList& token_list) {
  Item item = KeyOf(kUserIdAttribute, ApiTokenListKey(token_list.user_id));
  item[std::string(kItemType)] = StringValue("apitokens");
  if (!token_list.hashes.empty()) {
    Item hashes = Item::object();
    for (const auto& [id, hash] : token_list.hashes) hashes[id] = StringValue(hash);
    item["tokens"] = {{"M", std::move(hashes)}};
  }
  item["version"] = NumberValue(token_list.version);
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
              GetString(item, "created_at"), GetString(item, "details_source")};
}

UserBook UserBookFromItem(const Item& item) {
  UserBook user_book;
  user_book.id = GetString(item, kUserBookIdAttribute);
  user_book.user_id = GetString(item, "user_id");
  user_book.book_id = GetString(item, "book_id");
  user_book.status = ParseReadingStatus(GetString(item, "status")).value_or(ReadingStatus::kToRead);
  user_book.rating_halves = RatingHalvesFromText(GetNumberText(item, "rating"));
  user_book.sync_status = ParseSyncStatus(GetString(item, "sync_status")).value_or(SyncStatus::kPending);
  user_book.sync_error = GetString(item, "sync_error");
  user_book.date_added = GetString(item, "date_added");
  user_book.typed = DetailsFromItem(item, kTypedPrefix);
  user_book.review = GetString(item, "review");
  user_book.notes = GetString(item, "notes");
  user_book.owned = GetBool(item, "owned");
  user_book.shelves = GetStringList(item, "shelves");
  user_book.progress = ProgressFromItem(item);
  for (const nlohmann::json& read : GetList(item, "reads")) user_book.reads.push_back(ReadFromValue(read));
  return user_book;
}

std::optional<ShelfList> ShelfListFromItem(const Item& item) {
  const std::string key = GetString(item, kUserIdAttribute);
  if (GetString(item, kItemType) != "shelves" || !key.starts_with("shelves#")) return std::nullopt;
  ShelfList shelf_list;
  shelf_list.user_id = key.substr(8);
  const Item names = GetMap(item, "names");
  for (const auto& [lower, name] : names.items()) {
    if (name.is_object() && name.contains("S") && name["S"].is_string())
      shelf_list.names.push_back(name["S"]);
  }
  SortShelfNames(shelf_list.names);
  for (const nlohmann::json& change : GetList(item, "unfinished"))
    shelf_list.unfinished.push_back(ShelfChangeFromValue(change));
  shelf_list.version = GetNumber(item, "version").value_or(0);
  return shelf_list;
}

std::optional<ApiToken> ApiTokenFromItem(const Item& item) {
  constexpr std::string_view kPrefix = "apitoken#";
  const std::string key = GetString(item, kUserIdAttribute);
  if (GetString(item, kItemType) != "apitoken" || !key.starts_with(kPrefix)) return std::nullopt;
  return ApiToken{
      GetString(item, "token_id"),    GetString(item, "token_user_id"),
      GetString(item, "name"),        ParseTokenScope(GetString(item, "scope")).value_or(TokenScope::kRead),
      key.substr(kPrefix.size()),     GetString(item, "created_at"),
      GetString(item, "last_used_at")};
}

std::optional<ApiTokenList> ApiTokenListFromItem(const Item& item) {
  constexpr std::string_view kPrefix = "apitokens#";
  const std::string key = GetString(item, kUserIdAttribute);
  if (GetString(item, kItemType) != "apitokens" || !key.starts_with(kPrefix)) return std::nullopt;
  ApiTokenList token_list;
  token_list.user_id = key.substr(kPrefix.size());
  const Item hashes = GetMap(item, "tokens");
  for (const auto& [id, hash] : hashes.items()) {
    if (hash.is_object() && hash.contains("S") && hash["S"].is_string()) token_list.hashes[id] = hash["S"];
  }
  token_list.version = GetNumber(item, "version").value_or(0);
  return token_list;
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
  update.SetOrRemove(Prefixed(prefix, "series"), details.series);
  update.SetOrRemove(Prefixed(prefix, "series_index"), details.series_index);
}

void SetEntry(UpdateExpression& update, const UserBook& user_book) {
  update.Set("status", StringValue(ReadingStatusName(user_book.status)));
  if (user_book.rating_halves) {
    update.Set("rating", DecimalValue(RatingText(*user_book.rating_halves)));
  } else {
    update.Remove("rating");
  }
  SetDetails(update, user_book.typed, kTypedPrefix);
  update.Set("sync_status", StringValue(SyncStatusName(user_book.sync_status)));
  update.SetOrRemove("sync_error", user_book.sync_error);
  update.SetOrRemove("review", user_book.review);
  update.SetOrRemove("notes", user_book.notes);
  update.Set("owned", BoolValue(user_book.owned));
  if (user_book.shelves.empty()) {
    update.Remove("shelves");
  } else {
    update.Set("shelves", StringListValue(user_book.shelves));
  }
  if (user_book.progress.unit == ProgressUnit::kNone) {
    update.Remove("progress");
  } else {
    update.Set("progress", ProgressValue(user_book.progress));
  }
  if (user_book.reads.empty()) {
    update.Remove("reads");
  } else {
    update.Set("reads", ReadsValue(user_book.reads));
  }
}

}  // namespace booklib::dynamodb
