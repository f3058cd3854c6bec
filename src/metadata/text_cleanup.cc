// Tag stripping, character references and whitespace for provider text; https for cover URLs.
#include "metadata/text_cleanup.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <utility>

namespace booklib::metadata {
namespace {

bool IsAsciiLetter(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// True when html[at] == '<' opens a tag, closing tag, comment or doctype rather than a literal '<'.
bool OpensTag(std::string_view html, std::size_t at) {
  if (at + 1 >= html.size()) return false;
  const char next = html[at + 1];
  return IsAsciiLetter(next) || next == '/' || next == '!';
}

std::string LowerTagName(std::string_view tag) {
  if (!tag.empty() && tag.front() == '/') tag.remove_prefix(1);
  std::string name;
  for (const char c : tag) {
    if (!std::isalnum(static_cast<unsigned char>(c))) break;
    name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return name;
}

// Line breaks a tag stands for: paragraphs and headings are set off by an empty line, line-level
// blocks (<br>, <div>, <li>, ...) start a new line, inline tags none.
std::size_t LineBreaksFor(std::string_view tag) {
  static constexpr std::array<std::string_view, 9> kParagraphs = {"p",  "blockquote", "h1", "h2", "h3",
                                                                  "h4", "h5",         "h6", "hr"};
  static constexpr std::array<std::string_view, 6> kLines = {"br", "div", "li", "ul", "ol", "tr"};
  const std::string name = LowerTagName(tag);
  for (const std::string_view paragraph : kParagraphs) {
    if (name == paragraph) return 2;
  }
  for (const std::string_view line : kLines) {
    if (name == line) return 1;
  }
  return 0;
}

void AppendUtf8(std::string& out, std::uint32_t code_point) {
  if (code_point == 0 || (code_point >= 0xD800 && code_point <= 0xDFFF) || code_point > 0x10FFFF) {
    code_point = 0xFFFD;  // replacement character
  }
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

bool DecodeNumericReference(std::string_view digits, std::string& out) {
  int base = 10;
  if (!digits.empty() && (digits.front() == 'x' || digits.front() == 'X')) {
    base = 16;
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.size() > 7) return false;
  std::uint32_t value = 0;
  for (const char c : digits) {
    const int digit = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                      : base == 16 && std::isxdigit(static_cast<unsigned char>(c))
                          ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                          : -1;
    if (digit < 0) return false;
    value = value * static_cast<std::uint32_t>(base) + static_cast<std::uint32_t>(digit);
  }
  AppendUtf8(out, value);
  return true;
}

bool DecodeNamedReference(std::string_view name, std::string& out) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 16> kNamed = {{
      {"amp", "&"},
      {"lt", "<"},
      {"gt", ">"},
      {"quot", "\""},
      {"apos", "'"},
      {"nbsp", " "},
      {"ndash", "\u2013"},
      {"mdash", "\u2014"},
      {"hellip", "\u2026"},
      {"lsquo", "\u2018"},
      {"rsquo", "\u2019"},
      {"ldquo", "\u201C"},
      {"rdquo", "\u201D"},
      {"laquo", "\u00AB"},
      {"raquo", "\u00BB"},
      {"copy", "\u00A9"},
  }};
  for (const auto& [entity, text] : kNamed) {
    if (name == entity) {
      out += text;
      return true;
    }
  }
  return false;
}

// Decodes the character reference at the start of `text` (which starts with '&') into `out`;
// returns the characters consumed, or 0 when it is not a reference we know (then '&' is literal).
std::size_t DecodeReference(std::string_view text, std::string& out) {
  constexpr std::size_t kLongestReference = 10;
  const std::size_t semicolon = text.substr(0, kLongestReference).find(';');
  if (semicolon == std::string_view::npos || semicolon < 2) return 0;
  const std::string_view name = text.substr(1, semicolon - 1);
  const bool decoded =
      name.front() == '#' ? DecodeNumericReference(name.substr(1), out) : DecodeNamedReference(name, out);
  return decoded ? semicolon + 1 : 0;
}

// Blanks inside a line collapse to one space; lines are trimmed; blank lines collapse to one;
// leading and trailing blank lines go.
std::string NormalizeWhitespace(std::string_view text) {
  std::string out;
  bool pending_space = false;
  int pending_newlines = 0;
  for (const char c : text) {
    if (c == '\n') {
      pending_space = false;
      ++pending_newlines;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      pending_space = true;
    } else {
      if (!out.empty()) {
        if (pending_newlines > 0) {
          out.append(pending_newlines > 1 ? 2 : 1, '\n');
        } else if (pending_space) {
          out += ' ';
        }
      }
      pending_space = false;
      pending_newlines = 0;
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string PlainTextFromHtml(std::string_view html) {
  std::string text;
  std::size_t at = 0;
  while (at < html.size()) {
    const char c = html[at];
    if (c == '<' && OpensTag(html, at)) {
      const std::size_t close = html.find('>', at);
      if (close == std::string_view::npos) break;  // an unterminated tag: drop the rest
      text.append(LineBreaksFor(html.substr(at + 1, close - at - 1)), '\n');
      at = close + 1;
      continue;
    }
    if (c == '&') {
      const std::size_t consumed = DecodeReference(html.substr(at), text);
      if (consumed > 0) {
        at += consumed;
        continue;
      }
    }
    text += c;
    ++at;
  }
  return NormalizeWhitespace(text);
}

std::string HttpsUrl(std::string_view url) {
  constexpr std::string_view kPlain = "http://";
  if (url.size() >= kPlain.size()) {
    bool plain = true;
    for (std::size_t i = 0; i < kPlain.size(); ++i) {
      plain &= std::tolower(static_cast<unsigned char>(url[i])) == kPlain[i];
    }
    if (plain) return "https://" + std::string(url.substr(kPlain.size()));
  }
  return std::string(url);
}

std::string JoinNonEmpty(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const std::string& part : parts) {
    if (part.empty()) continue;
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

}  // namespace booklib::metadata
