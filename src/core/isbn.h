// ISBN rules: hyphens and spaces ignored, checksums validated, ISBN-13 as the one canonical form.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib {

// Accepts ISBN-10 (last digit may be X/x) or ISBN-13 (978/979 prefix) with any hyphens and spaces,
// after a label as pasted from a shop or a colophon ("ISBN-13: 978-...", "isbn 0-441-...").
// Returns the canonical 13 digits, or kInvalidArgument with a message saying what is wrong.
Result<std::string> NormalizeIsbn(std::string_view text);

// True if `digits13` is 13 digits with a valid EAN-13 check digit (any prefix).
bool IsValidEan13(std::string_view digits13);

// "978" + first 9 digits + recomputed check. REQUIRES: a valid ISBN-10 of 10 characters.
std::string Isbn10To13(std::string_view isbn10);

// The ISBN-10 form of a 978-prefixed ISBN-13, or empty when there is none (979 prefix).
std::string Isbn13To10(std::string_view isbn13);

}  // namespace booklib
