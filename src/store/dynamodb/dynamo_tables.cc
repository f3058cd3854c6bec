// Table names and development-time table creation (see dynamo_tables.h).
#include "store/dynamodb/dynamo_tables.h"

#include <thread>

#include "core/log.h"

namespace booklib::dynamodb {
namespace {

using nlohmann::json;

json StringAttribute(std::string_view name) { return {{"AttributeName", name}, {"AttributeType", "S"}}; }

json KeySchema(std::string_view hash, std::string_view range = "") {
  json schema = json::array({{{"AttributeName", hash}, {"KeyType", "HASH"}}});
  if (!range.empty()) schema.push_back({{"AttributeName", range}, {"KeyType", "RANGE"}});
  return schema;
}

json Index(std::string_view name, json key_schema, std::string_view projection = "ALL") {
  return {{"IndexName", name},
          {"KeySchema", std::move(key_schema)},
          {"Projection", {{"ProjectionType", projection}}}};
}

json TableDefinition(std::string_view table, std::string_view key, json attributes, json indexes) {
  return {{"TableName", table},
          {"BillingMode", "PAY_PER_REQUEST"},
          {"KeySchema", KeySchema(key)},
          {"AttributeDefinitions", std::move(attributes)},
          {"GlobalSecondaryIndexes", std::move(indexes)}};
}

std::vector<json> Definitions(const TableNames& tables) {
  return {
      TableDefinition(
          tables.users, "user_id",
          json::array({StringAttribute("user_id"), StringAttribute("email"), StringAttribute("username")}),
          json::array(
              {Index(kEmailIndex, KeySchema("email")), Index(kUsernameIndex, KeySchema("username"))})),
      TableDefinition(tables.books, "book_id",
                      json::array({StringAttribute("book_id"), StringAttribute("isbn")}),
                      json::array({Index(kIsbnIndex, KeySchema("isbn"))})),
      TableDefinition(tables.user_books, "user_book_id",
                      json::array({StringAttribute("user_book_id"), StringAttribute("user_id"),
                                   StringAttribute("book_id")}),
                      json::array({Index(kUserIndex, KeySchema("user_id")),
                                   Index(kUserBookIndex, KeySchema("user_id", "book_id"), "KEYS_ONLY")})),
  };
}

Result<void> CreateTable(aws::AwsJsonClient& dynamodb, const json& definition) {
  auto created = dynamodb.Call("CreateTable", definition);
  if (created || created.error().Is("ResourceInUseException")) return {};
  return std::unexpected(created.error().ToError());
}

// True when the table and every one of its indexes are ACTIVE.
Result<bool> IsActive(aws::AwsJsonClient& dynamodb, const std::string& table) {
  auto described = dynamodb.Call("DescribeTable", {{"TableName", table}});
  if (!described) return std::unexpected(described.error().ToError());
  const json& description = (*described)["Table"];
  if (description.value("TableStatus", "") != "ACTIVE") return false;
  for (const json& index : description.value("GlobalSecondaryIndexes", json::array())) {
    if (index.value("IndexStatus", "ACTIVE") != "ACTIVE") return false;
  }
  return true;
}

Result<void> WaitUntilActive(aws::AwsJsonClient& dynamodb, const std::string& table,
                             std::chrono::seconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto active = IsActive(dynamodb, table);
    if (!active) return std::unexpected(active.error());
    if (*active) return {};
    if (std::chrono::steady_clock::now() >= deadline) {
      return Fail(ErrorCode::kUnavailable,
                  "table " + table + " is not ACTIVE after " + std::to_string(wait.count()) + " s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
}

void EnableSessionExpiry(aws::AwsJsonClient& dynamodb, const std::string& users_table) {
  auto enabled =
      dynamodb.Call("UpdateTimeToLive",
                    {{"TableName", users_table},
                     {"TimeToLiveSpecification", {{"Enabled", true}, {"AttributeName", "expires_at"}}}});
  // "TimeToLive is already enabled" comes back as a ValidationException: nothing to do.
  if (enabled || enabled.error().Is("ValidationException")) return;
  // Emulators such as dynalite lack the operation; expired sessions are still refused at login.
  const LogLevel level = enabled.error().Is("UnknownOperationException") ? LogLevel::kInfo : LogLevel::kWarn;
  Log(level, "expired sessions stay in the table: TTL could not be enabled",
      {{"table", users_table}, {"error", enabled.error().ToError().message}});
}

std::string Or(const aws::EnvironmentLookup& lookup, std::string_view name, std::string fallback) {
  auto value = lookup(name);
  return value && !value->empty() ? *value : std::move(fallback);
}

}  // namespace

TableNames TableNamesFromEnvironment(const aws::EnvironmentLookup& lookup) {
  return TableNames{Or(lookup, "USERS_TABLE", "BookLibrary-Users-dev"),
                    Or(lookup, "BOOKS_TABLE", "BookLibrary-Books-dev"),
                    Or(lookup, "USER_BOOKS_TABLE", "BookLibrary-UserBooks-dev")};
}

Result<void> CreateTables(aws::AwsJsonClient& dynamodb, const TableNames& tables, std::chrono::seconds wait) {
  for (const json& definition : Definitions(tables)) {
    if (auto created = CreateTable(dynamodb, definition); !created) return created;
  }
  for (const std::string& table : {tables.users, tables.books, tables.user_books}) {
    if (auto active = WaitUntilActive(dynamodb, table, wait); !active) return active;
  }
  EnableSessionExpiry(dynamodb, tables.users);
  return {};
}

}  // namespace booklib::dynamodb
