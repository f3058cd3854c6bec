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
nlohmann::json DecimalValue(std::string_view decimal) { return {{"N", decimal}}; }

nlohmann::json StringListValue(const std::vector<std::string>& values) {
  nlohmann::json list = nlohmann::json::array();
  for (const std::string& value : values) list.push_back(StringValue(value));
  return {{"L", std::move(list)}};
}

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

std::string GetNumberText(const Item& item, std::string_view attribute) {
  for (const char* type : {"N", "S"}) {
    const nlohmann::json* value = Typed(item, attribute, type);
    if (value != nullptr && value->is_string()) return value->get<std::string>();
  }
  return "";
}

std::vector<nlohmann::json> GetList(const Item& item, std::string_view attribute) {
  const nlohmann::json* list = Typed(item, attribute, "L");
  if (list == nullptr || !list->is_array()) return {};
  return std::vector<nlohmann::json>(list->begin(), list->end());
}

std::vector<std::string> GetStringList(const Item& item, std::string_view attribute) {
  std::vector<std::string> strings;
  for (const nlohmann::json& element : GetList(item, attribute)) {
    const auto value = element.is_object() ? element.find("S") : element.end();
    if (element.is_object() && value != element.end() && value->is_string()) strings.push_back(*value);
  }
  return strings;
}

Item GetMap(const Item& item, std::string_view attribute) {
  const nlohmann::json* map = Typed(item, attribute, "M");
  return map != nullptr && map->is_object() ? *map : Item::object();
}

}  // namespace booklib::dynamodb
