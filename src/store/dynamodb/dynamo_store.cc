// DynamoStore: the Store port on DynamoDB (see dynamo_store.h for the uniqueness and crash story).
#include "store/dynamodb/dynamo_store.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "core/ids.h"
#include "core/log.h"
#include "crypto/crypto.h"
#include "text/ascii.h"

namespace booklib {
namespace {

using dynamodb::Guard;
using dynamodb::Item;
using dynamodb::KeyOf;
using dynamodb::kUserIdAttribute;
using dynamodb::ShelfChange;
using dynamodb::ShelfList;
using dynamodb::ToItem;
using nlohmann::json;

constexpr std::size_t kBatchGetLimit = 100;  // BatchGetItem's maximum keys per call
constexpr int kClaimRounds = 5;
// Rounds of read-and-conditional-write before giving up (kUnavailable): each lost round means
// another writer's round won, so these only run out under a flood of writes to one user's shelves.
constexpr int kShelfListRounds = 100;
constexpr int kEntryRounds = 20;
constexpr int kTokenListRounds = 100;               // as kShelfListRounds, for a user's API token list
constexpr std::size_t kMaxEntryBytes = 400 * 1024;  // DynamoDB's item size limit
constexpr std::size_t kMaxShelves = 1000;           // a user's, all in one item of the users table

std::unexpected<Error> Unexpected(const aws::AwsError& error) { return std::unexpected(error.ToError()); }

// A member of a JSON object, or null when `object` is not an object or lacks it.
json Member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? json(nullptr) : *it;
}

// Runs a write whose condition may fail: true when written, false when the condition did not hold.
Result<bool> ConditionalWrite(aws::AwsJsonClient& dynamodb, std::string_view operation, const json& input) {
  auto out = dynamodb.Call(operation, input);
  if (out) return true;
  if (out.error().IsConditionalCheckFailed()) return false;
  return Unexpected(out.error());
}

// A conditional write's answer as the port states it: written -> success; the condition did not
// hold -> `refusal` naming `what` (kAlreadyExists for a put of a new item, kNotFound for a change to
// an existing one).
Result<void> Written(const Result<bool>& written, ErrorCode refusal, std::string_view what) {
  if (!written) return std::unexpected(written.error());
  if (!*written) return Fail(refusal, std::string(what));
  return {};
}

// The item a GetItem found; kNotFound naming `what` when there was none.
Result<Item> Found(Result<std::optional<Item>> item, std::string_view what) {
  if (!item) return std::unexpected(item.error());
  std::optional<Item>& found = *item;
  if (!found) return Fail(ErrorCode::kNotFound, std::string(what));
  return std::move(*found);
}

// kTooLarge when the entry's item could exceed DynamoDB's item size limit (dynamo_store.h).
Result<void> FitsInAnItem(const UserBook& user_book) {
  if (dynamodb::ItemSizeUpperBound(ToItem(user_book)) <= kMaxEntryBytes) return {};
  return Fail(ErrorCode::kTooLarge,
              "this book's entry is too large to store (reads, shelves, review and notes)");
}

// A fresh value for an entry's revision attribute (item_codec.h).
std::string NewRevision() { return crypto::RandomHex(8); }

// An entry's shelves as they are once the list's unfinished renames and deletes are done.
void ShowFinished(const ShelfList& shelf_list, std::vector<std::string>& shelves) {
  for (const ShelfChange& change : shelf_list.unfinished)
    shelves = dynamodb::ApplyShelfChange(shelves, change);
}

bool NewestFirst(const LibraryEntry& a, const LibraryEntry& b) {
  if (a.user_book.date_added != b.user_book.date_added)
    return a.user_book.date_added > b.user_book.date_added;
  return a.user_book.id < b.user_book.id;
}

}  // namespace

DynamoStore::DynamoStore(aws::AwsJsonClient& dynamodb, DynamoStoreOptions options, const Clock& clock)
    : dynamodb_(dynamodb), options_(std::move(options)), clock_(clock) {}

long long DynamoStore::NowSeconds() const { return UnixSeconds(clock_); }

// ---- Generic item operations ----

Result<std::optional<Item>> DynamoStore::GetItem(const std::string& table, Item key) {
  auto out =
      dynamodb_.Call("GetItem", {{"TableName", table}, {"Key", std::move(key)}, {"ConsistentRead", true}});
  if (!out) return Unexpected(out.error());
  json item = Member(*out, "Item");
  if (!item.is_object()) return std::optional<Item>();
  return std::optional<Item>(std::move(item));
}

Result<bool> DynamoStore::PutIfAbsent(const std::string& table, const Item& item,
                                      std::string_view key_attribute) {
  const json input = {{"TableName", table},
                      {"Item", item},
                      {"ConditionExpression", "attribute_not_exists(#key)"},
                      {"ExpressionAttributeNames", {{"#key", key_attribute}}}};
  return ConditionalWrite(dynamodb_, "PutItem", input);
}

Result<bool> DynamoStore::UpdateExisting(const std::string& table, Item key, std::string_view key_attribute,
                                         dynamodb::UpdateExpression update) {
  update.RequireExisting(key_attribute);
  json input = {{"TableName", table}, {"Key", std::move(key)}};
  update.AddTo(input);
  return ConditionalWrite(dynamodb_, "UpdateItem", input);
}

Result<bool> DynamoStore::DeleteIf(const std::string& table, Item key, const std::string& condition,
                                   json names, json values) {
  json input = {{"TableName", table}, {"Key", std::move(key)}};
  if (!condition.empty()) {
    input["ConditionExpression"] = condition;
    input["ExpressionAttributeNames"] = std::move(names);
    if (!values.empty()) input["ExpressionAttributeValues"] = std::move(values);
  }
  return ConditionalWrite(dynamodb_, "DeleteItem", input);
}

Result<std::vector<Item>> DynamoStore::QueryIndex(const std::string& table, std::string_view index,
                                                  const std::string& key_condition, json names, json values) {
  std::vector<Item> items;
  json start_key = nullptr;
  do {
    json input = {{"TableName", table},
                  {"IndexName", index},
                  {"KeyConditionExpression", key_condition},
                  {"ExpressionAttributeNames", names},
                  {"ExpressionAttributeValues", values}};
    if (!start_key.is_null()) input["ExclusiveStartKey"] = start_key;
    auto out = dynamodb_.Call("Query", input);
    if (!out) return Unexpected(out.error());
    for (const json& item : Member(*out, "Items")) items.push_back(item);
    start_key = Member(*out, "LastEvaluatedKey");
  } while (start_key.is_object() && !start_key.empty());
  return items;
}

Result<std::vector<Item>> DynamoStore::BatchGetItems(const std::string& table, std::string_view key_attribute,
                                                     const std::vector<std::string>& keys) {
  const std::set<std::string> distinct(keys.begin(), keys.end());
  const std::vector<std::string> unique(distinct.begin(), distinct.end());
  thread_local std::mt19937_64 random{std::random_device{}()};
  std::vector<Item> items;
  for (std::size_t first = 0; first < unique.size(); first += kBatchGetLimit) {
    json chunk = json::array();
    for (std::size_t i = first; i < std::min(unique.size(), first + kBatchGetLimit); ++i) {
      chunk.push_back(KeyOf(key_attribute, unique[i]));
    }
    for (int retry = 0; !chunk.empty(); ++retry) {
      if (retry > 0) {
        if (retry >= dynamodb_.retry_policy().max_attempts) {
          return Fail(ErrorCode::kUnavailable, "BatchGetItem kept returning unprocessed keys (throttled)");
        }
        std::this_thread::sleep_for(aws::BackoffDelay(dynamodb_.retry_policy(), retry - 1, random));
      }
      auto out = dynamodb_.Call("BatchGetItem",
                                {{"RequestItems", {{table, {{"Keys", chunk}, {"ConsistentRead", true}}}}}});
      if (!out) return Unexpected(out.error());
      for (const json& item : Member(Member(*out, "Responses"), table)) items.push_back(item);
      chunk = Member(Member(Member(*out, "UnprocessedKeys"), table), "Keys");
      if (!chunk.is_array()) chunk = json::array();
    }
  }
  return items;
}

Result<std::vector<Book>> DynamoStore::BatchGetBooks(const std::vector<std::string>& book_ids) {
  auto items = BatchGetItems(options_.tables.books, dynamodb::kBookIdAttribute, book_ids);
  if (!items) return std::unexpected(items.error());
  std::vector<Book> books;
  books.reserve(items->size());
  for (const Item& item : *items) books.push_back(dynamodb::BookFromItem(item));
  return books;
}

Result<bool> DynamoStore::PutIfVersion(const Item& item, long long read_version) {
  json input = {{"TableName", options_.tables.users}, {"Item", item}};
  if (read_version == 0) {
    input["ConditionExpression"] = "attribute_not_exists(#k)";
    input["ExpressionAttributeNames"] = {{"#k", kUserIdAttribute}};
  } else {
    input["ConditionExpression"] = "#v = :v";
    input["ExpressionAttributeNames"] = {{"#v", "version"}};
    input["ExpressionAttributeValues"] = {{":v", dynamodb::NumberValue(read_version)}};
  }
  return ConditionalWrite(dynamodb_, "PutItem", input);
}

// ---- Guards ----

Result<bool> DynamoStore::UserItemExists(const std::string& user_id) {
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, user_id));
  if (!item) return std::unexpected(item.error());
  const std::optional<Item>& found = *item;
  return found.has_value() && dynamodb::UserFromItem(*found).has_value();
}

Result<DynamoStore::Claim> DynamoStore::ClaimGuard(const std::string& key, const std::string& owner_id) {
  for (int round = 0; round < kClaimRounds; ++round) {
    auto put = PutIfAbsent(options_.tables.users, ToItem(Guard{key, owner_id, NowSeconds(), false}),
                           kUserIdAttribute);
    if (!put) return std::unexpected(put.error());
    if (*put) return Claim::kClaimed;
    auto existing = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, key));
    if (!existing) return std::unexpected(existing.error());
    const std::optional<Item>& found = *existing;
    if (!found) continue;  // released in the meantime: claim again
    auto guard = dynamodb::GuardFromItem(*found);
    if (!guard) return Fail(ErrorCode::kInternal, "users table item " + key + " is not a guard");
    auto resolved = ResolveExistingGuard(*guard, owner_id);
    if (!resolved || *resolved != Claim::kRetry) return resolved;
  }
  return Claim::kTaken;  // kept changing under us: someone else is registering this value right now
}

// Decides what an existing guard means for `owner_id`: ours, someone else's, or an abandoned
// claim that we take over. kRetry when it changed while we looked.
Result<DynamoStore::Claim> DynamoStore::ResolveExistingGuard(const Guard& guard,
                                                             const std::string& owner_id) {
  if (guard.owner_id == owner_id) return Claim::kClaimed;  // our own put, retried after a lost answer
  if (guard.committed) return Claim::kTaken;
  auto owner_exists = UserItemExists(guard.owner_id);
  if (!owner_exists) return std::unexpected(owner_exists.error());
  if (*owner_exists) {
    // Its registration wrote the user and then stopped (or is about to commit): finish it.
    (void)CommitGuard(guard.key, guard.owner_id);
    return Claim::kTaken;
  }
  if (NowSeconds() - guard.claimed_at < options_.guard_lease.count()) return Claim::kTaken;  // in progress

  // Abandoned before its user was written: replace exactly that stale claim, so one taker wins.
  const json input = {
      {"TableName", options_.tables.users},
      {"Item", ToItem(Guard{guard.key, owner_id, NowSeconds(), false})},
      {"ConditionExpression", "#owner = :owner AND #claimed = :claimed AND #committed = :false"},
      {"ExpressionAttributeNames",
       {{"#owner", "owner_id"}, {"#claimed", "claimed_at"}, {"#committed", "committed"}}},
      {"ExpressionAttributeValues",
       {{":owner", dynamodb::StringValue(guard.owner_id)},
        {":claimed", dynamodb::NumberValue(guard.claimed_at)},
        {":false", dynamodb::BoolValue(false)}}}};
  auto taken_over = ConditionalWrite(dynamodb_, "PutItem", input);
  if (!taken_over) return std::unexpected(taken_over.error());
  if (!*taken_over) return Claim::kRetry;
  Log(LogLevel::kInfo, "took over an abandoned registration claim",
      {{"guard", guard.key}, {"abandoned_by", guard.owner_id}});
  return Claim::kClaimed;
}

Result<bool> DynamoStore::CommitGuard(const std::string& key, const std::string& owner_id) {
  const json input = {{"TableName", options_.tables.users},
                      {"Key", KeyOf(kUserIdAttribute, key)},
                      {"UpdateExpression", "SET #committed = :true"},
                      {"ConditionExpression", "#owner = :owner"},
                      {"ExpressionAttributeNames", {{"#committed", "committed"}, {"#owner", "owner_id"}}},
                      {"ExpressionAttributeValues",
                       {{":true", dynamodb::BoolValue(true)}, {":owner", dynamodb::StringValue(owner_id)}}}};
  return ConditionalWrite(dynamodb_, "UpdateItem", input);
}

void DynamoStore::ReleaseGuards(const std::vector<std::string>& keys, const std::string& owner_id) {
  for (const std::string& key : keys) {
    auto released = DeleteIf(options_.tables.users, KeyOf(kUserIdAttribute, key), "#owner = :owner",
                             {{"#owner", "owner_id"}}, {{":owner", dynamodb::StringValue(owner_id)}});
    if (!released) {
      // Harmless: the claim expires after the lease and is taken over.
      Log(LogLevel::kWarn, "could not release a registration claim",
          {{"guard", key}, {"error", released.error().message}});
    }
  }
}

Result<bool> DynamoStore::LegacyUserHas(std::string_view index, std::string_view attribute,
                                        const std::string& value, const std::string& except_user_id) {
  auto items = QueryIndex(options_.tables.users, index, "#a = :v", {{"#a", attribute}},
                          {{":v", dynamodb::StringValue(value)}});
  if (!items) return std::unexpected(items.error());
  return std::any_of(items->begin(), items->end(), [&](const Item& item) {
    auto user = dynamodb::UserFromItem(item);
    return user && user->id != except_user_id;
  });
}

// Steps 2 and 3 of a registration: the user item, then committing its guards.
Result<void> DynamoStore::FinishRegistration(const User& user, const std::vector<std::string>& guard_keys) {
  const std::string& users = options_.tables.users;
  auto put = PutIfAbsent(users, ToItem(user), kUserIdAttribute);
  // On an error the guards stay: whoever meets them next finds out whether the user was written.
  if (!put) return std::unexpected(put.error());
  if (!*put) {
    auto stored = FindUserById(user.id);
    const bool ours = stored && stored->email == user.email && stored->username == user.username;
    if (!ours) {  // a retried put of ours would be identical; anything else is an id clash
      ReleaseGuards(guard_keys, user.id);
      return Fail(ErrorCode::kAlreadyExists, "id");
    }
  }
  for (const std::string& key : guard_keys) {
    auto committed = CommitGuard(key, user.id);
    if (!committed) return std::unexpected(committed.error());
    if (*committed) continue;
    // We stalled past the lease and another registration took this value: undo ours.
    (void)DeleteIf(users, KeyOf(kUserIdAttribute, user.id), "", nullptr, nullptr);
    ReleaseGuards(guard_keys, user.id);
    return Fail(ErrorCode::kAlreadyExists, key.starts_with("email#") ? "email" : "username");
  }
  return {};
}

// ---- Users ----

Result<void> DynamoStore::CreateUser(const User& user) {
  if (user.id.empty() || user.username.empty() || user.email.empty() || user.password_hash.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a user needs an id, username, email and password hash");
  }
  if (user.id.find('#') != std::string::npos)
    return Fail(ErrorCode::kInvalidArgument, "a user id may not contain '#'");
  const std::string username_key = dynamodb::UsernameGuardKey(user.username);
  const std::string email_key = dynamodb::EmailGuardKey(user.email);

  auto username_claim = ClaimGuard(username_key, user.id);
  if (!username_claim) return std::unexpected(username_claim.error());
  if (*username_claim == Claim::kTaken) return Fail(ErrorCode::kAlreadyExists, "username");
  auto email_claim = ClaimGuard(email_key, user.id);
  if (!email_claim || *email_claim == Claim::kTaken) {
    ReleaseGuards({username_key}, user.id);
    if (!email_claim) return std::unexpected(email_claim.error());
    return Fail(ErrorCode::kAlreadyExists, "email");
  }
  const std::vector<std::string> guard_keys = {username_key, email_key};

  const struct {
    std::string_view index, attribute, field;
    const std::string& value;
  } legacy_checks[] = {{dynamodb::kUsernameIndex, "username", "username", user.username},
                       {dynamodb::kEmailIndex, "email", "email", user.email}};
  for (const auto& check : legacy_checks) {
    auto taken = LegacyUserHas(check.index, check.attribute, check.value, user.id);
    if (!taken || *taken) ReleaseGuards(guard_keys, user.id);
    if (!taken) return std::unexpected(taken.error());
    if (*taken) return Fail(ErrorCode::kAlreadyExists, std::string(check.field));
  }
  return FinishRegistration(user, guard_keys);
}

Result<User> DynamoStore::FindUserById(std::string_view user_id) {
  if (user_id.empty() || user_id.find('#') != std::string_view::npos)
    return Fail(ErrorCode::kNotFound, "user");
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, user_id));
  if (!item) return std::unexpected(item.error());
  const std::optional<Item>& found = *item;
  auto user = found ? dynamodb::UserFromItem(*found) : std::nullopt;
  if (!user) return Fail(ErrorCode::kNotFound, "user");
  return *user;
}

Result<User> DynamoStore::FindUserByEmail(std::string_view email) {
  // The guard is read consistently, so a user can log in right after registering.
  auto guard_item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::EmailGuardKey(email)));
  if (!guard_item) return std::unexpected(guard_item.error());
  const std::optional<Item>& guard_found = *guard_item;
  if (auto guard = guard_found ? dynamodb::GuardFromItem(*guard_found) : std::nullopt) {
    auto user = FindUserById(guard->owner_id);
    if (user && user->email == email) return user;
    if (!user && user.error().code != ErrorCode::kNotFound) return user;
  }
  // Users the seed's app created have no guard.
  auto items = QueryIndex(options_.tables.users, dynamodb::kEmailIndex, "#e = :e", {{"#e", "email"}},
                          {{":e", dynamodb::StringValue(email)}});
  if (!items) return std::unexpected(items.error());
  for (const Item& item : *items) {
    if (auto user = dynamodb::UserFromItem(item)) return *user;
  }
  return Fail(ErrorCode::kNotFound, "user");
}

// ---- Sessions ----

Result<void> DynamoStore::CreateSession(const Session& session) {
  if (session.id.empty() || session.user_id.empty())
    return Fail(ErrorCode::kInvalidArgument, "a session needs an id and a user");
  return Written(PutIfAbsent(options_.tables.users, ToItem(session), kUserIdAttribute),
                 ErrorCode::kAlreadyExists, "session");
}

Result<Session> DynamoStore::FindSession(std::string_view session_id) {
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::SessionKey(session_id)));
  if (!item) return std::unexpected(item.error());
  const std::optional<Item>& found = *item;
  auto session = found ? dynamodb::SessionFromItem(*found) : std::nullopt;
  if (!session) return Fail(ErrorCode::kNotFound, "session");
  return *session;
}

Result<void> DynamoStore::DeleteSession(std::string_view session_id) {
  auto deleted = DeleteIf(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::SessionKey(session_id)),
                          "", nullptr, nullptr);
  if (!deleted) return std::unexpected(deleted.error());
  return {};
}

// ---- Personal API tokens ----

Result<dynamodb::ApiTokenList> DynamoStore::ReadApiTokenList(std::string_view user_id) {
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::ApiTokenListKey(user_id)));
  if (!item) return std::unexpected(item.error());
  if (const std::optional<Item>& found = *item; found) {
    if (auto token_list = dynamodb::ApiTokenListFromItem(*found)) return *token_list;
  }
  return dynamodb::ApiTokenList{std::string(user_id), {}, 0};
}

Result<void> DynamoStore::EditApiTokenList(std::string_view user_id,
                                           const std::function<Result<bool>(dynamodb::ApiTokenList&)>& edit) {
  for (int round = 0; round < kTokenListRounds; ++round) {
    auto token_list = ReadApiTokenList(user_id);
    if (!token_list) return std::unexpected(token_list.error());
    auto edited = edit(*token_list);
    if (!edited) return std::unexpected(edited.error());
    if (!*edited) return {};
    const long long read_version = token_list->version;
    token_list->version = read_version + 1;
    auto written = PutIfVersion(ToItem(*token_list), read_version);
    if (!written) return std::unexpected(written.error());
    if (*written) return {};
  }
  return Fail(ErrorCode::kUnavailable, "the API token list kept changing; try again");
}

Result<void> DynamoStore::UnlistApiToken(std::string_view user_id, std::string_view token_id,
                                         std::string_view secret_hash) {
  return EditApiTokenList(user_id, [&](dynamodb::ApiTokenList& token_list) -> Result<bool> {
    const auto it = token_list.hashes.find(std::string(token_id));
    if (it == token_list.hashes.end() || it->second != secret_hash) return false;
    token_list.hashes.erase(it);
    return true;
  });
}

Result<void> DynamoStore::CreateApiToken(const ApiToken& token) {
  if (token.id.empty() || token.user_id.empty() || token.secret_hash.empty())
    return Fail(ErrorCode::kInvalidArgument, "an API token needs an id, a user and a secret hash");
  auto listed = EditApiTokenList(token.user_id, [&](dynamodb::ApiTokenList& token_list) -> Result<bool> {
    if (!token_list.hashes.emplace(token.id, token.secret_hash).second)
      return Fail(ErrorCode::kAlreadyExists, "api token");
    return true;
  });
  if (!listed) return listed;
  auto put = PutIfAbsent(options_.tables.users, ToItem(token), kUserIdAttribute);
  // A failed call may have written the item after all: the list entry stays (see the header).
  if (!put) return std::unexpected(put.error());
  if (*put) return {};
  if (auto unlisted = UnlistApiToken(token.user_id, token.id, token.secret_hash); !unlisted) return unlisted;
  return Fail(ErrorCode::kAlreadyExists, "api token");
}

Result<std::vector<ApiToken>> DynamoStore::ListApiTokens(std::string_view user_id) {
  auto token_list = ReadApiTokenList(user_id);
  if (!token_list) return std::unexpected(token_list.error());
  std::vector<std::string> keys;
  for (const auto& [id, hash] : token_list->hashes) keys.push_back(dynamodb::ApiTokenKey(hash));
  auto items = BatchGetItems(options_.tables.users, kUserIdAttribute, keys);
  if (!items) return std::unexpected(items.error());
  std::vector<ApiToken> tokens;
  for (const Item& item : *items) {
    auto token = dynamodb::ApiTokenFromItem(item);
    if (!token || token->user_id != user_id) continue;
    // An entry whose item is gone or another's (an interrupted create or delete) is no token.
    const auto listed = token_list->hashes.find(token->id);
    if (listed != token_list->hashes.end() && listed->second == token->secret_hash)
      tokens.push_back(*std::move(token));
  }
  std::ranges::sort(tokens, {}, [](const ApiToken& t) { return std::tie(t.created_at, t.id); });
  return tokens;
}

Result<ApiToken> DynamoStore::FindApiTokenByHash(std::string_view secret_hash) {
  if (secret_hash.empty()) return Fail(ErrorCode::kNotFound, "api token");
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::ApiTokenKey(secret_hash)));
  if (!item) return std::unexpected(item.error());
  const std::optional<Item>& found = *item;
  auto token = found ? dynamodb::ApiTokenFromItem(*found) : std::nullopt;
  if (!token) return Fail(ErrorCode::kNotFound, "api token");
  return *token;
}

Result<void> DynamoStore::DeleteApiToken(std::string_view user_id, std::string_view token_id) {
  auto token_list = ReadApiTokenList(user_id);
  if (!token_list) return std::unexpected(token_list.error());
  const auto listed = token_list->hashes.find(std::string(token_id));
  if (listed == token_list->hashes.end()) return Fail(ErrorCode::kNotFound, "api token");
  const std::string secret_hash = listed->second;
  auto deleted = DeleteIf(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::ApiTokenKey(secret_hash)),
                          "#u = :u AND #t = :t", {{"#u", "token_user_id"}, {"#t", "token_id"}},
                          {{":u", dynamodb::StringValue(user_id)}, {":t", dynamodb::StringValue(token_id)}});
  if (!deleted) return std::unexpected(deleted.error());
  if (auto unlisted = UnlistApiToken(user_id, token_id, secret_hash); !unlisted) return unlisted;
  if (!*deleted) return Fail(ErrorCode::kNotFound, "api token");  // an entry without its item
  return {};
}

Result<void> DynamoStore::TouchApiToken(std::string_view user_id, std::string_view token_id,
                                        std::string_view used_at) {
  auto token_list = ReadApiTokenList(user_id);
  if (!token_list) return std::unexpected(token_list.error());
  const auto listed = token_list->hashes.find(std::string(token_id));
  if (listed == token_list->hashes.end()) return Fail(ErrorCode::kNotFound, "api token");
  dynamodb::UpdateExpression update;
  update.SetOrRemove("last_used_at", used_at)
      .RequireRevision(kUserIdAttribute, "token_user_id", user_id)
      .AlsoRequire("token_id", token_id);
  json input = {{"TableName", options_.tables.users},
                {"Key", KeyOf(kUserIdAttribute, dynamodb::ApiTokenKey(listed->second))}};
  update.AddTo(input);
  return Written(ConditionalWrite(dynamodb_, "UpdateItem", input), ErrorCode::kNotFound, "api token");
}

// ---- Books ----

Result<std::optional<Book>> DynamoStore::FindBookByLegacyIsbn(std::string_view isbn) {
  auto items = QueryIndex(options_.tables.books, dynamodb::kIsbnIndex, "#i = :i", {{"#i", "isbn"}},
                          {{":i", dynamodb::StringValue(isbn)}});
  if (!items) return std::unexpected(items.error());
  if (items->empty()) return std::optional<Book>();
  return std::optional<Book>(dynamodb::BookFromItem(items->front()));
}

Result<Book> DynamoStore::GetOrCreateBook(const Book& candidate) {
  if (candidate.isbn.empty()) return Fail(ErrorCode::kInvalidArgument, "GetOrCreateBook needs an ISBN");
  if (candidate.id != BookIdForIsbn(candidate.isbn)) {
    return Fail(ErrorCode::kInvalidArgument, "DynamoStore needs book id == BookIdForIsbn(isbn)");
  }
  if (auto found = FindBook(candidate.id); found || found.error().code != ErrorCode::kNotFound) return found;
  auto legacy = FindBookByLegacyIsbn(candidate.isbn);
  if (!legacy) return std::unexpected(legacy.error());
  if (const std::optional<Book>& found = *legacy; found) return *found;

  auto put = PutIfAbsent(options_.tables.books, ToItem(candidate), dynamodb::kBookIdAttribute);
  if (!put) return std::unexpected(put.error());
  if (*put) return candidate;
  return FindBook(candidate.id);  // a concurrent add won: everyone gets its record
}

Result<void> DynamoStore::CreateBook(const Book& book) {
  if (book.id.empty() || !book.isbn.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "CreateBook is for books without an ISBN, with an id");
  }
  return Written(PutIfAbsent(options_.tables.books, ToItem(book), dynamodb::kBookIdAttribute),
                 ErrorCode::kAlreadyExists, "book");
}

Result<Book> DynamoStore::FindBook(std::string_view book_id) {
  if (book_id.empty()) return Fail(ErrorCode::kNotFound, "book");
  auto item = Found(GetItem(options_.tables.books, KeyOf(dynamodb::kBookIdAttribute, book_id)), "book");
  if (!item) return std::unexpected(item.error());
  return dynamodb::BookFromItem(*item);
}

Result<Book> DynamoStore::FindBookByIsbn(std::string_view isbn) {
  if (isbn.empty()) return Fail(ErrorCode::kNotFound, "book");
  if (auto found = FindBook(BookIdForIsbn(isbn)); found || found.error().code != ErrorCode::kNotFound)
    return found;
  auto legacy = FindBookByLegacyIsbn(isbn);
  if (!legacy) return std::unexpected(legacy.error());
  const std::optional<Book>& found = *legacy;
  if (!found) return Fail(ErrorCode::kNotFound, "book");
  return *found;
}

// ---- Library versions ----
// A reader's version is a counter on their user item; catalogue updates count on one item of the
// books table (a book may be on any number of shelves, and no index leads from a book to its
// readers), so a catalogue update moves every reader's version: more page refetches, never a stale
// one. Counted after the write: a reader between the two sees the new data under the old version,
// which the count then retires.

Result<std::string> DynamoStore::LibraryVersion(std::string_view user_id) {
  if (user_id.empty()) return std::string("0.0");
  auto user = GetItem(options_.tables.users, KeyOf(dynamodb::kUserIdAttribute, user_id));
  if (!user) return std::unexpected(user.error());
  auto catalogue = GetItem(options_.tables.books, KeyOf(dynamodb::kBookIdAttribute, kCatalogueVersionItem));
  if (!catalogue) return std::unexpected(catalogue.error());
  const auto count = [](const std::optional<Item>& item, const char* attribute) {
    if (!item) return std::string("0");
    const json value = Member(Member(*item, attribute), "N");
    return value.is_string() ? value.get<std::string>() : std::string("0");
  };
  return count(*user, "library_version") + "." + count(*catalogue, "catalogue_version");
}

void DynamoStore::CountWrite(const std::string& table, Item key, const char* attribute, bool must_exist) {
  json input = {{"TableName", table},
                {"Key", std::move(key)},
                {"UpdateExpression", "ADD #v :one"},
                {"ExpressionAttributeNames", {{"#v", attribute}}},
                {"ExpressionAttributeValues", {{":one", dynamodb::NumberValue(1)}}}};
  if (must_exist) {  // never create a user item for a user that has none
    input["ConditionExpression"] = "attribute_exists(#k)";
    input["ExpressionAttributeNames"]["#k"] = dynamodb::kUserIdAttribute;
  }
  auto counted = ConditionalWrite(dynamodb_, "UpdateItem", input);
  // The write itself stands; a page may then be revalidated as unchanged until the next write.
  if (!counted)
    Log(LogLevel::kError, "could not count a library write (pages may show it late)",
        {{"table", table}, {"error", counted.error().message}});
}

Result<void> DynamoStore::Counted(std::string_view user_id, Result<void> written) {
  if (written && !user_id.empty())
    CountWrite(options_.tables.users, KeyOf(dynamodb::kUserIdAttribute, user_id), "library_version", true);
  return written;
}

// The user of an entry, for counting a write to it by id; "" when there is no such entry.
std::string DynamoStore::OwnerOf(std::string_view user_book_id) {
  auto entry = FindUserBook(user_book_id);
  return entry ? entry->user_id : std::string();
}

Result<void> DynamoStore::UpdateBookDetails(std::string_view book_id, const BookDetails& details,
                                            std::string_view source) {
  if (book_id.empty()) return Fail(ErrorCode::kNotFound, "book");
  dynamodb::UpdateExpression update;
  dynamodb::SetDetails(update, details, "");
  update.SetOrRemove("details_source", source);
  auto written = Written(UpdateExisting(options_.tables.books, KeyOf(dynamodb::kBookIdAttribute, book_id),
                                        dynamodb::kBookIdAttribute, std::move(update)),
                         ErrorCode::kNotFound, "book");
  if (written)
    CountWrite(options_.tables.books, KeyOf(dynamodb::kBookIdAttribute, kCatalogueVersionItem),
               "catalogue_version", false);
  return written;
}

// ---- Shelf entries ----

Result<void> DynamoStore::AddUserBook(const UserBook& user_book) {
  if (user_book.user_id.empty() || user_book.book_id.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "a shelf entry needs a user and a book");
  }
  if (user_book.id != UserBookIdFor(user_book.user_id, user_book.book_id)) {
    return Fail(ErrorCode::kInvalidArgument,
                "DynamoStore needs user_book id == UserBookIdFor(user_id, book_id)");
  }
  if (auto fits = FitsInAnItem(user_book); !fits) return fits;
  // Entries the seed's app wrote have random ids: find them through user-book-index.
  auto legacy = QueryIndex(
      options_.tables.user_books, dynamodb::kUserBookIndex, "#u = :u AND #b = :b",
      {{"#u", "user_id"}, {"#b", "book_id"}},
      {{":u", dynamodb::StringValue(user_book.user_id)}, {":b", dynamodb::StringValue(user_book.book_id)}});
  if (!legacy) return std::unexpected(legacy.error());
  if (!legacy->empty()) return Fail(ErrorCode::kAlreadyExists, "user book");

  Item item = ToItem(user_book);
  item[std::string(dynamodb::kRevisionAttribute)] = dynamodb::StringValue(NewRevision());
  return Counted(user_book.user_id,
                 Written(PutIfAbsent(options_.tables.user_books, item, dynamodb::kUserBookIdAttribute),
                         ErrorCode::kAlreadyExists, "user book"));
}

Result<UserBook> DynamoStore::FindUserBook(std::string_view user_book_id) {
  if (user_book_id.empty()) return Fail(ErrorCode::kNotFound, "user book");
  auto item = Found(GetItem(options_.tables.user_books, KeyOf(dynamodb::kUserBookIdAttribute, user_book_id)),
                    "user book");
  if (!item) return std::unexpected(item.error());
  return dynamodb::UserBookFromItem(*item);
}

Result<std::vector<Item>> DynamoStore::EntryItemsOf(std::string_view user_id) {
  return QueryIndex(options_.tables.user_books, dynamodb::kUserIndex, "#u = :u", {{"#u", "user_id"}},
                    {{":u", dynamodb::StringValue(user_id)}});
}

Result<std::vector<LibraryEntry>> DynamoStore::ListLibrary(std::string_view user_id) {
  auto items = EntryItemsOf(user_id);
  if (!items) return std::unexpected(items.error());
  std::vector<LibraryEntry> entries;
  if (items->empty()) return entries;
  auto shelf_list = ReadShelfList(user_id);
  if (!shelf_list) return std::unexpected(shelf_list.error());
  std::vector<std::string> book_ids;
  for (const Item& item : *items) {
    entries.push_back(LibraryEntry{dynamodb::UserBookFromItem(item), Book{}});
    ShowFinished(*shelf_list, entries.back().user_book.shelves);
    book_ids.push_back(entries.back().user_book.book_id);
  }
  auto books = BatchGetBooks(book_ids);
  if (!books) return std::unexpected(books.error());
  std::map<std::string, Book, std::less<>> by_id;
  for (Book& book : *books) by_id.emplace(book.id, std::move(book));
  for (LibraryEntry& entry : entries) {
    const auto it = by_id.find(entry.user_book.book_id);
    // A missing catalogue record leaves only what the user typed to show.
    entry.book = it != by_id.end() ? it->second : Book{entry.user_book.book_id, "", {}, ""};
  }
  std::sort(entries.begin(), entries.end(), NewestFirst);
  return entries;
}

Result<LibraryPage> DynamoStore::QueryLibrary(std::string_view user_id, const LibraryQuery& query) {
  auto entries = ListLibrary(user_id);
  if (!entries) return std::unexpected(entries.error());
  return ApplyQuery(*entries, query);
}

Result<void> DynamoStore::UpdateUserBook(const UserBook& user_book) {
  if (user_book.id.empty()) return Fail(ErrorCode::kNotFound, "user book");
  if (auto fits = FitsInAnItem(user_book); !fits) return fits;
  dynamodb::UpdateExpression update;
  dynamodb::SetEntry(update, user_book);
  update.Set(dynamodb::kRevisionAttribute, dynamodb::StringValue(NewRevision()));
  auto written =
      Written(UpdateExisting(options_.tables.user_books, KeyOf(dynamodb::kUserBookIdAttribute, user_book.id),
                             dynamodb::kUserBookIdAttribute, std::move(update)),
              ErrorCode::kNotFound, "user book");
  return Counted(user_book.user_id.empty() && written ? OwnerOf(user_book.id) : user_book.user_id, written);
}

Result<void> DynamoStore::SetSyncStatus(std::string_view user_book_id, SyncStatus status,
                                        std::string_view error) {
  if (user_book_id.empty()) return Fail(ErrorCode::kNotFound, "user book");
  dynamodb::UpdateExpression update;
  update.Set("sync_status", dynamodb::StringValue(SyncStatusName(status)));
  update.SetOrRemove("sync_error", error);
  auto written =
      Written(UpdateExisting(options_.tables.user_books, KeyOf(dynamodb::kUserBookIdAttribute, user_book_id),
                             dynamodb::kUserBookIdAttribute, std::move(update)),
              ErrorCode::kNotFound, "user book");
  return Counted(written ? OwnerOf(user_book_id) : std::string(), written);
}

Result<void> DynamoStore::DeleteUserBook(std::string_view user_book_id) {
  if (user_book_id.empty()) return Fail(ErrorCode::kNotFound, "user book");
  const std::string owner = OwnerOf(user_book_id);  // read first: the entry's user never changes
  auto deleted = DeleteIf(options_.tables.user_books, KeyOf(dynamodb::kUserBookIdAttribute, user_book_id),
                          "attribute_exists(#k)", {{"#k", dynamodb::kUserBookIdAttribute}}, nullptr);
  return Counted(owner, Written(deleted, ErrorCode::kNotFound, "user book"));
}

Result<void> DynamoStore::RunAtomically(const std::function<Result<void>()>& work) { return work(); }

namespace {

// The client and the store using it, released together.
struct OwningDynamoStore {
  OwningDynamoStore(const aws::AwsConfig& config, DynamoStoreOptions options, const Clock& clock)
      : client(aws::DynamoDbService(config), config.credentials, config.region),
        store(client, std::move(options), clock) {}
  aws::AwsJsonClient client;
  DynamoStore store;
};

}  // namespace

std::shared_ptr<Store> MakeDynamoStore(const aws::AwsConfig& config, DynamoStoreOptions options,
                                       const Clock& clock) {
  auto owner = std::make_shared<OwningDynamoStore>(config, std::move(options), clock);
  return std::shared_ptr<Store>(owner, &owner->store);
}

// ---- Shelves ----

Result<ShelfList> DynamoStore::ReadShelfList(std::string_view user_id) {
  auto item = GetItem(options_.tables.users, KeyOf(kUserIdAttribute, dynamodb::ShelfListKey(user_id)));
  if (!item) return std::unexpected(item.error());
  if (const std::optional<Item>& found = *item; found) {
    if (auto shelf_list = dynamodb::ShelfListFromItem(*found)) return *shelf_list;
  }
  return ShelfList{std::string(user_id), {}, {}, 0};
}

Result<bool> DynamoStore::WriteShelfList(ShelfList shelf_list) {
  const long long read_version = shelf_list.version;
  shelf_list.version = read_version + 1;
  return PutIfVersion(ToItem(shelf_list), read_version);
}

Result<bool> DynamoStore::ReplaceEntryShelves(const Item& item, const std::vector<std::string>& shelves) {
  dynamodb::UpdateExpression update;
  if (shelves.empty()) {
    update.Remove("shelves");
  } else {
    update.Set("shelves", dynamodb::StringListValue(shelves));
  }
  update.Set(dynamodb::kRevisionAttribute, dynamodb::StringValue(NewRevision()));
  update.RequireRevision(dynamodb::kUserBookIdAttribute, dynamodb::kRevisionAttribute,
                         dynamodb::GetString(item, dynamodb::kRevisionAttribute));
  json input = {{"TableName", options_.tables.user_books},
                {"Key", KeyOf(dynamodb::kUserBookIdAttribute,
                              dynamodb::GetString(item, dynamodb::kUserBookIdAttribute))}};
  update.AddTo(input);
  return ConditionalWrite(dynamodb_, "UpdateItem", input);
}

Result<void> DynamoStore::ChangeEntries(std::string_view user_id, const ShelfChange& change) {
  auto items = EntryItemsOf(user_id);
  if (!items) return std::unexpected(items.error());
  for (Item& item : *items) {
    for (int round = 0;; ++round) {
      const std::vector<std::string> shelves = dynamodb::GetStringList(item, "shelves");
      if (!dynamodb::HasShelf(shelves, change.from)) break;
      if (round == kEntryRounds)
        return Fail(ErrorCode::kUnavailable, "a shelf entry kept changing during a shelf change; try again");
      auto written = ReplaceEntryShelves(item, dynamodb::ApplyShelfChange(shelves, change));
      if (!written) return std::unexpected(written.error());
      if (*written) break;
      // The entry changed since it was read (or the index was behind): read it again.
      auto fresh = GetItem(
          options_.tables.user_books,
          KeyOf(dynamodb::kUserBookIdAttribute, dynamodb::GetString(item, dynamodb::kUserBookIdAttribute)));
      if (!fresh) return std::unexpected(fresh.error());
      std::optional<Item>& fresh_item = *fresh;
      if (!fresh_item) break;  // deleted meanwhile
      item = std::move(*fresh_item);
    }
  }
  return {};
}

Result<void> DynamoStore::ForgetChange(std::string_view user_id, const ShelfChange& change) {
  for (int round = 0; round < kShelfListRounds; ++round) {
    auto shelf_list = ReadShelfList(user_id);
    if (!shelf_list) return std::unexpected(shelf_list.error());
    if (std::erase(shelf_list->unfinished, change) == 0) return {};  // someone else finished it
    auto written = WriteShelfList(*shelf_list);
    if (!written) return std::unexpected(written.error());
    if (*written) return {};
  }
  return Fail(ErrorCode::kUnavailable, "the shelf list kept changing; try again");
}

Result<void> DynamoStore::EditShelfList(std::string_view user_id, const ShelfEditor& edit) {
  std::vector<ShelfChange> finished;  // unfinished changes this call finished (a rerun's own)
  for (int round = 0; round < kShelfListRounds; ++round) {
    auto shelf_list = ReadShelfList(user_id);
    if (!shelf_list) return std::unexpected(shelf_list.error());
    if (!shelf_list->unfinished.empty()) {  // an earlier rename or delete still running, or crashed
      for (const ShelfChange& change : shelf_list->unfinished) {
        if (auto changed = ChangeEntries(user_id, change); !changed) return changed;
        finished.push_back(change);
      }
      shelf_list->unfinished.clear();
      auto written = WriteShelfList(*shelf_list);
      if (!written) return std::unexpected(written.error());
      continue;  // read the list as it is now
    }
    auto edited = edit(*shelf_list, finished);
    if (!edited) return std::unexpected(edited.error());
    auto& result = *edited;
    if (!result.write) return {};
    if (result.change) {
      result.change->id = std::to_string(shelf_list->version + 1);  // the version this write stores
      shelf_list->unfinished.push_back(*result.change);
    }
    auto written = WriteShelfList(*shelf_list);
    if (!written) return std::unexpected(written.error());
    if (!*written) continue;  // another write came first: start again from what it wrote
    if (!result.change) return {};
    // A failure from here on leaves the change unfinished for the next shelf operation to finish.
    if (auto changed = ChangeEntries(user_id, *result.change); !changed) return changed;
    return ForgetChange(user_id, *result.change);
  }
  return Fail(ErrorCode::kUnavailable, "the shelf list kept changing; try again");
}

Result<std::vector<Shelf>> DynamoStore::ListShelves(std::string_view user_id) {
  auto shelf_list = ReadShelfList(user_id);
  if (!shelf_list) return std::unexpected(shelf_list.error());
  std::vector<Shelf> shelves;
  if (shelf_list->names.empty()) return shelves;
  auto items = EntryItemsOf(user_id);
  if (!items) return std::unexpected(items.error());
  std::map<std::string, int> counts;  // lower-cased name -> entries on it
  for (const Item& item : *items) {
    std::vector<std::string> on = dynamodb::GetStringList(item, "shelves");
    ShowFinished(*shelf_list, on);
    std::set<std::string> distinct;
    for (const std::string& name : on) distinct.insert(text::AsciiLower(name));
    for (const std::string& name : distinct) ++counts[name];
  }
  for (const std::string& name : shelf_list->names)
    shelves.push_back(Shelf{name, counts[text::AsciiLower(name)]});
  return shelves;
}

Result<void> DynamoStore::CreateShelf(std::string_view user_id, std::string_view name) {
  return Counted(
      user_id, EditShelfList(
                   user_id, [&](ShelfList& shelf_list, const std::vector<ShelfChange>&) -> Result<ShelfEdit> {
                     if (shelf_list.Find(name) != nullptr)
                       return Fail(ErrorCode::kAlreadyExists, "shelf exists");
                     if (shelf_list.names.size() >= kMaxShelves)
                       return Fail(ErrorCode::kTooLarge,
                                   "at most " + std::to_string(kMaxShelves) + " shelves");
                     shelf_list.names.emplace_back(name);
                     return ShelfEdit{true, std::nullopt};
                   }));
}

Result<void> DynamoStore::RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) {
  return Counted(
      user_id,
      EditShelfList(
          user_id, [&](ShelfList& shelf_list, const std::vector<ShelfChange>& finished) -> Result<ShelfEdit> {
            const std::string* shelf = shelf_list.Find(from);
            if (shelf == nullptr) {
              const bool rerun = std::ranges::any_of(finished, [&](const ShelfChange& change) {
                return text::EqualsIgnoringCase(change.from, from) && change.to == to;
              });
              if (rerun) return ShelfEdit{};  // this rename, interrupted before, is now complete
              return Fail(ErrorCode::kNotFound, "shelf not found");
            }
            const std::string* other = shelf_list.Find(to);
            if (other != nullptr && other != shelf) return Fail(ErrorCode::kAlreadyExists, "shelf exists");
            ShelfChange change{"", *shelf, std::string(to)};
            *std::ranges::find(shelf_list.names, change.from) = change.to;
            return ShelfEdit{true, std::move(change)};
          }));
}

Result<void> DynamoStore::DeleteShelf(std::string_view user_id, std::string_view name) {
  return Counted(
      user_id,
      EditShelfList(
          user_id, [&](ShelfList& shelf_list, const std::vector<ShelfChange>& finished) -> Result<ShelfEdit> {
            const std::string* shelf = shelf_list.Find(name);
            if (shelf == nullptr) {
              const bool rerun = std::ranges::any_of(finished, [&](const ShelfChange& change) {
                return text::EqualsIgnoringCase(change.from, name) && change.to.empty();
              });
              if (rerun) return ShelfEdit{};  // this delete, interrupted before, is now complete
              return Fail(ErrorCode::kNotFound, "shelf not found");
            }
            ShelfChange change{"", *shelf, ""};
            std::erase(shelf_list.names, change.from);
            return ShelfEdit{true, std::move(change)};
          }));
}

}  // namespace booklib
