// ASCII text helpers: trimming and case folding, the one home for them. Bytes >= 0x80 (UTF-8)
// pass through unchanged; nothing depends on the C locale.
#pragma once

#include <string>
#include <string_view>

namespace booklib::text {

// `text` without leading and trailing spaces, tabs, CR and LF.
std::string_view TrimWhitespace(std::string_view text);

// A-Z mapped to a-z (AsciiLower) or a-z to A-Z (AsciiUpper); every other byte kept.
std::string AsciiLower(std::string_view text);
std::string AsciiUpper(std::string_view text);

// True when `a` and `b` are equal but for the case of ASCII letters.
bool EqualsIgnoringCase(std::string_view a, std::string_view b);

}  // namespace booklib::text
