// DynamoDB's typed attribute values ({"S": "..."}, {"N": "12"}, {"BOOL": true}, {"L": [...]},
// {"M": {...}}) as nlohmann::json.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace booklib::dynamodb {

using Item = nlohmann::json;  // attribute name -> typed value

nlohmann::json StringValue(std::string_view value);
nlohmann::json NumberValue(long long value);
nlohmann::json BoolValue(bool value);
// {"N": "<decimal>"} for a number written as text ("4.5"). REQUIRES: `decimal` is a number.
nlohmann::json DecimalValue(std::string_view decimal);
// {"L": [{"S": ...}, ...]} in the order given.
nlohmann::json StringListValue(const std::vector<std::string>& values);

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
// The text of a number attribute (or of a string, as older writers stored numbers), or "" when
// missing: for numbers that are not whole.
std::string GetNumberText(const Item& item, std::string_view attribute);
// The strings of a list attribute in order (elements that are not strings skipped), or {} when
// missing or not a list.
std::vector<std::string> GetStringList(const Item& item, std::string_view attribute);
// The elements of a list attribute ({"L": [...]}), each a typed value; {} when missing or not a list.
std::vector<nlohmann::json> GetList(const Item& item, std::string_view attribute);
// The attributes of a map attribute ({"M": {...}}) as an Item; an empty object when missing or
// not a map.
Item GetMap(const Item& item, std::string_view attribute);

}  // namespace booklib::dynamodb
