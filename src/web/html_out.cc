// HTML escaping straight into the page buffer.
#include "web/html_out.h"

#include <array>
#include <charconv>

namespace booklib::web {
namespace {

constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  for (const unsigned char c : {'&', '<', '>', '"', '\''}) special[c] = true;
  return special;
}();

std::string_view EntityOf(char c) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '"':
      return "&quot;";
    default:
      return "&apos;";
  }
}

}  // namespace

void HtmlOut::Escaped(std::string_view text) {
  std::size_t run = 0;  // start of the characters not yet appended
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (!kSpecial[static_cast<unsigned char>(text[i])]) continue;
    buffer_.append(text.data() + run, i - run);
    buffer_.append(EntityOf(text[i]));
    run = i + 1;
  }
  buffer_.append(text.data() + run, text.size() - run);
}

void HtmlOut::Number(long long value) {
  std::array<char, 24> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), value).ptr;
  buffer_.append(digits.data(), static_cast<std::size_t>(end - digits.data()));
}

}  // namespace booklib::web
