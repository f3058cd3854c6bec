// What the compiled templates (booklib_templatec, see templatec.cc) call: writing a value,
// deciding a section's truth and iterating its contexts. The rules by the value's type:
//   bool             a section once when true
//   string           written escaped; a section once when non-empty (its context is the string)
//   integer          written as digits; a section once when non-zero
//   std::optional<T> a section once when engaged, with the T as its context; written when engaged
//   a range          a section once per element, each the context in turn (string excepted)
//   a callable       {{{name}}} calls it with the HtmlOut (a page's body inside the layout)
//   another class    a section once, with the value as its context (a view inside a view)
// Anything else is a compile error naming the type.
#pragma once

#include <concepts>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <type_traits>

#include "web/html_out.h"

namespace booklib::web::tmpl {

template <class T>
inline constexpr bool kIsOptional = false;
template <class T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

template <class T>
concept StringLike = std::convertible_to<const T&, std::string_view>;

template <class T>
concept Integer = std::integral<T> && !std::same_as<T, bool>;

template <class T>
concept List = std::ranges::input_range<const T> && !StringLike<T>;

template <class T>
inline constexpr bool kUnsupported = false;

template <class T>
bool Truthy(const T& value) {
  if constexpr (std::same_as<T, bool>) {
    return value;
  } else if constexpr (StringLike<T>) {
    return !std::string_view(value).empty();
  } else if constexpr (Integer<T>) {
    return value != 0;
  } else if constexpr (kIsOptional<T>) {
    return value.has_value();
  } else if constexpr (List<T>) {
    return !std::ranges::empty(value);
  } else if constexpr (std::is_class_v<T>) {
    return true;
  } else {
    static_assert(kUnsupported<T>, "a section needs a bool, string, integer, optional or list");
    return false;
  }
}

template <class T, class Body>
void Section(const T& value, Body&& body) {
  if constexpr (kIsOptional<T>) {
    if (value) body(*value);
  } else if constexpr (List<T>) {
    for (const auto& element : value) body(element);
  } else {
    if (Truthy(value)) body(value);
  }
}

template <class T>
void Write(HtmlOut& out, const T& value) {
  if constexpr (StringLike<T>) {
    out.Escaped(std::string_view(value));
  } else if constexpr (Integer<T>) {
    out.Number(static_cast<long long>(value));
  } else if constexpr (kIsOptional<T>) {
    if (value) Write(out, *value);
  } else {
    static_assert(kUnsupported<T>, "{{name}} writes a string, an integer or an optional of one");
  }
}

template <class T>
void WriteRaw(HtmlOut& out, const T& value) {
  if constexpr (std::invocable<const T&, HtmlOut&>) {
    value(out);
  } else if constexpr (StringLike<T>) {
    out.Raw(std::string_view(value));
  } else {
    static_assert(kUnsupported<T>, "{{{name}}} writes HTML as a string or a callable taking the HtmlOut");
  }
}

}  // namespace booklib::web::tmpl
