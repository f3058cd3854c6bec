// One table per enum that names its values, read both ways (value -> name, name -> value).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace booklib {

template <class Enum>
struct EnumName {
  Enum value;
  const char* name;  // a string literal: callers may keep it or pass it on as a C string
};

// The name `names` gives `value`; the first entry's name for a value the table does not list (a
// value cast from an integer outside the enum).
template <class Enum, std::size_t N>
constexpr const char* NameOf(const EnumName<Enum> (&names)[N], Enum value) {
  for (const EnumName<Enum>& entry : names) {
    if (entry.value == value) return entry.name;
  }
  return names[0].name;
}

// The value `names` gives the name `text` (compared exactly); nullopt for any other text.
template <class Enum, std::size_t N>
constexpr std::optional<Enum> ValueNamed(const EnumName<Enum> (&names)[N], std::string_view text) {
  for (const EnumName<Enum>& entry : names) {
    if (text == entry.name) return entry.value;
  }
  return std::nullopt;
}

}  // namespace booklib
