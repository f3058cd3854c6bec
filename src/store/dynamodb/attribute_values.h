// DynamoDB's typed attribute values ({"S": "..."}, {"N": "12"}, {"BOOL": true}) as nlohmann::json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace booklib::dynamodb {

using Item = nlohmann::json;  // attribute name -> typed value

nlohmann::json StringValue(std::string_view value);
nlohmann::json NumberValue(long long value);
nlohmann::json BoolValue(bool value);

// {"<attribute>": {"S": value}}: a key for GetItem / DeleteItem / UpdateItem.
Item KeyOf(std::string_view attribute, std::string_view value);

// Sets a string attribute, or leaves it out when `value` is empty: DynamoDB keys (including
// the GSI keys isbn, email, username) may not be empty, and absent reads back as "".
void PutString(Item& item, std::string_view attribute, std::string_view value);

// The string attribute, or "" when missing or not a string.
std::string GetString(const Item& item, std::string_view attribute);
// The number attribute (also accepted: a string of digits, as older writers stored them), or
// nullopt when missing or not a whole number.
std::optional<long long> GetNumber(const Item& item, std::string_view attribute);
// The boolean attribute, or false when missing.
bool GetBool(const Item& item, std::string_view attribute);

}  // namespace booklib::dynamodb
