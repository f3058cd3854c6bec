// Typed attribute values (see attribute_values.h).
#include "store/dynamodb/attribute_values.h"

#include <charconv>

namespace booklib::dynamodb {
namespace {

std::optional<long long> ParseWhole(const std::string& text) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || stop != end || text.empty()) return std::nullopt;
  return value;
}

const nlohmann::json* Typed(const Item& item, std::string_view attribute, const char* type) {
  const auto it = item.find(attribute);
  if (it == item.end() || !it->is_object()) return nullptr;
  const auto value = it->find(type);
  return value == it->end() ? nullptr : &*value;
}

}  // namespace

nlohmann::json StringValue(std::string_view value) { return {{"S", value}}; }
nlohmann::json NumberValue(long long value) { return {{"N", std::to_string(value)}}; }
nlohmann::json BoolValue(bool value) { return {{"BOOL", value}}; }

Item KeyOf(std::string_view attribute, std::string_view value) { return {{attribute, StringValue(value)}}; }

void PutString(Item& item, std::string_view attribute, std::string_view value) {
  if (!value.empty()) item[std::string(attribute)] = StringValue(value);
}

std::string GetString(const Item& item, std::string_view attribute) {
  const nlohmann::json* value = Typed(item, attribute, "S");
  return value != nullptr && value->is_string() ? value->get<std::string>() : "";
}

std::optional<long long> GetNumber(const Item& item, std::string_view attribute) {
  for (const char* type : {"N", "S"}) {
    const nlohmann::json* value = Typed(item, attribute, type);
    if (value != nullptr && value->is_string()) return ParseWhole(value->get<std::string>());
  }
  return std::nullopt;
}

bool GetBool(const Item& item, std::string_view attribute) {
  const nlohmann::json* value = Typed(item, attribute, "BOOL");
  return value != nullptr && value->is_boolean() && value->get<bool>();
}

}  // namespace booklib::dynamodb
