// UTF-8 validation (RFC 3629's well-formed byte sequences) and the first character of a text.
#include "text/utf8.h"

#include <cstddef>

namespace booklib::text {
namespace {

// Number of bytes of the UTF-8 sequence starting at text[i], or 0 if it is not a valid one
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char min_second = 0x80, max_second = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) min_second = 0xA0;
    if (lead == 0xED) max_second = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) min_second = 0x90;
    if (lead == 0xF4) max_second = 0x8F;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(i + 1) < min_second || byte(i + 1) > max_second) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  return length;
}

// The code point of the valid `length`-byte sequence at text[i].
char32_t DecodeAt(std::string_view text, std::size_t i, std::size_t length) {
  const auto byte = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(text[k])); };
  if (length == 1) return byte(i);
  char32_t code = byte(i) & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) code = (code << 6) | (byte(i + k) & 0x3F);
  return code;
}

// Code points that belong to the character before them rather than starting one of their own.
bool ExtendsPrevious(char32_t code) {
  return (code >= 0x0300 && code <= 0x036F) ||    // combining diacritical marks
         (code >= 0x1AB0 && code <= 0x1AFF) ||    // ... extended
         (code >= 0x1DC0 && code <= 0x1DFF) ||    // ... supplement
         (code >= 0x20D0 && code <= 0x20FF) ||    // ... for symbols
         (code >= 0xFE20 && code <= 0xFE2F) ||    // combining half marks
         (code >= 0xFE00 && code <= 0xFE0F) ||    // variation selectors
         (code >= 0x1F3FB && code <= 0x1F3FF) ||  // emoji skin-tone modifiers
         (code >= 0x3099 && code <= 0x309A);      // kana voiced sound marks
}

bool SkippedBeforeFirst(unsigned char byte) {
  return byte < 0x80 &&
         !((byte >= '0' && byte <= '9') || (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z'));
}

}  // namespace

std::string FirstCharacter(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && SkippedBeforeFirst(static_cast<unsigned char>(text[i]))) ++i;
  if (i == text.size()) return "";
  const std::size_t start = i;
  std::size_t length = Utf8SequenceLength(text, i);
  if (length == 0) return "";
  i += length;
  bool joined = false;  // the last code point was a zero-width joiner: the next one belongs too
  while (i < text.size()) {
    length = Utf8SequenceLength(text, i);
    if (length == 0) break;
    const char32_t code = DecodeAt(text, i, length);
    if (!joined && !ExtendsPrevious(code) && code != 0x200D) break;
    joined = code == 0x200D;
    i += length;
  }
  std::string first(text.substr(start, i - start));
  if (first.size() == 1 && first[0] >= 'a' && first[0] <= 'z')
    first[0] = static_cast<char>(first[0] - 'a' + 'A');
  return first;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = Utf8SequenceLength(text, i);
    if (length == 0) return false;
    i += length;
  }
  return true;
}

}  // namespace booklib::text
