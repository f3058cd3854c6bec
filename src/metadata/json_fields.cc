// Type-checked field access over nlohmann::json, never throwing.
#include "metadata/json_fields.h"

#include <climits>

#include "text/ascii.h"

namespace booklib::metadata {
namespace {

using nlohmann::json;

const json* Field(const json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(std::string(key));
  return found == object.end() ? nullptr : &*found;
}

// REQUIRES: value.is_string().
std::string TrimmedText(const json& value) {
  return std::string(text::TrimWhitespace(value.get_ref<const std::string&>()));
}

}  // namespace

std::string StringField(const json& object, std::string_view key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_string() ? TrimmedText(*value) : std::string();
}

int CountField(const json& object, std::string_view key) {
  const json* value = Field(object, key);
  if (value == nullptr) return 0;
  if (value->is_number_unsigned()) {
    const auto count = value->get<std::uint64_t>();
    return count <= INT_MAX ? static_cast<int>(count) : 0;
  }
  if (value->is_number_integer()) {
    const auto count = value->get<std::int64_t>();
    return count >= 0 && count <= INT_MAX ? static_cast<int>(count) : 0;
  }
  return 0;
}

const json* ObjectField(const json& object, std::string_view key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::vector<std::string> StringListField(const json& object, std::string_view key) {
  std::vector<std::string> strings;
  const json* value = Field(object, key);
  if (value == nullptr || !value->is_array()) return strings;
  for (const json& element : *value) {
    if (!element.is_string()) continue;
    std::string trimmed = TrimmedText(element);
    if (!trimmed.empty()) strings.push_back(std::move(trimmed));
  }
  return strings;
}

std::vector<std::string> NameListField(const json& object, std::string_view key) {
  std::vector<std::string> names;
  const json* value = Field(object, key);
  if (value == nullptr || !value->is_array()) return names;
  for (const json& element : *value) {
    std::string name = element.is_string() ? TrimmedText(element) : StringField(element, "name");
    if (!name.empty()) names.push_back(std::move(name));
  }
  return names;
}

}  // namespace booklib::metadata
