// Urlencoded form and cookie parsing.
#include "web/form.h"

#include "text/codec.h"
#include "text/utf8.h"

namespace booklib::web {
Result<FormFields> ParseUrlEncoded(std::string_view body, std::size_t max_fields) {
  FormFields fields;
  std::size_t count = 0;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    if (pair.empty()) continue;
    if (++count > max_fields) return Fail(ErrorCode::kInvalidArgument, "too many form fields");
    const auto eq = pair.find('=');
    auto name = text::PercentDecode(pair.substr(0, eq), true);
    auto value =
        text::PercentDecode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!name || !value) return Fail(ErrorCode::kInvalidArgument, "malformed form data: broken %-escape");
    const auto is_text = [](std::string_view s) { return text::IsValidUtf8(s) && s.find('\0') == s.npos; };
    if (!is_text(*name) || !is_text(*value))
      return Fail(ErrorCode::kInvalidArgument, "malformed form data: fields must be UTF-8 text");
    fields.emplace(std::move(*name), std::move(*value));
  }
  return fields;
}

std::map<std::string, std::string> ParseCookies(std::string_view header) {
  std::map<std::string, std::string> cookies;
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    cookies.emplace(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
  }
  return cookies;
}

std::string Field(const FormFields& fields, const std::string& name) {
  const auto it = fields.find(name);
  return it == fields.end() ? std::string() : it->second;
}

}  // namespace booklib::web
