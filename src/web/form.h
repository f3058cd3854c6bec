// Parsing of what browsers send: urlencoded forms and queries, cookies (percent-coding is text/codec.h).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib::web {

// Field name -> value; a repeated field keeps its first value.
using FormFields = std::map<std::string, std::string>;

// "a=1&b=two+words" -> {a: "1", b: "two words"}. kInvalidArgument for broken escapes, more than
// `max_fields` fields, or bytes that are not UTF-8 text.
Result<FormFields> ParseUrlEncoded(std::string_view body, std::size_t max_fields = 200);

// "a=1; b=2" -> {a: "1", b: "2"}; malformed pairs are skipped, as browsers do.
std::map<std::string, std::string> ParseCookies(std::string_view header);

// Value of a field or "" when absent.
std::string Field(const FormFields& fields, const std::string& name);

}  // namespace booklib::web
