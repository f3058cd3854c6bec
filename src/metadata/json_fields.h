// Tolerant readers of provider JSON: a missing key, or a value of another type, reads as empty.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace booklib::metadata {

// The string at object[key], trimmed; empty when absent, not a string, or `object` is no object.
std::string StringField(const nlohmann::json& object, std::string_view key);

// The whole number at object[key] when it is in [0, INT_MAX]; 0 otherwise.
int CountField(const nlohmann::json& object, std::string_view key);

// The object at object[key], or nullptr when absent or not an object.
const nlohmann::json* ObjectField(const nlohmann::json& object, std::string_view key);

// The strings of the array at object[key]; non-string and empty elements are skipped.
std::vector<std::string> StringListField(const nlohmann::json& object, std::string_view key);

// The names in the array at object[key], whose elements are {"name": "..."} objects or plain
// strings (both shapes occur in Open Library data); others are skipped.
std::vector<std::string> NameListField(const nlohmann::json& object, std::string_view key);

}  // namespace booklib::metadata
