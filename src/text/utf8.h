// UTF-8 validation and reading characters out of UTF-8 text, the one home for both.
#pragma once

#include <string>
#include <string_view>

namespace booklib::text {

// True when `text` is well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF,
// no truncated sequence. NUL bytes are valid UTF-8 (callers that refuse them check separately).
bool IsValidUtf8(std::string_view text);

// The first character a reader sees in `text` (what a placeholder shows for a title): leading
// spaces and ASCII punctuation skipped, then one code point with the combining marks, variation
// selectors, emoji modifiers and zero-width-joined code points that follow it, ASCII letters
// upper-cased ("émile" -> "é", "村上" -> "村", "\"dune\"" -> "D"). Empty when `text` has none, or
// when what it starts with is not valid UTF-8.
std::string FirstCharacter(std::string_view text);

}  // namespace booklib::text
