// UTF-8 validation, the one home for it.
#pragma once

#include <string_view>

namespace booklib::text {

// True when `text` is well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF,
// no truncated sequence. NUL bytes are valid UTF-8 (callers that refuse them check separately).
bool IsValidUtf8(std::string_view text);

}  // namespace booklib::text
