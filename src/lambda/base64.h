// Base64 (RFC 4648, standard alphabet, padded) for API Gateway's isBase64Encoded bodies.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib::lambda {

// Encodes any bytes; the result's length is a multiple of 4.
std::string Base64Encode(std::string_view bytes);

// Decodes padded standard base64. Surrounding whitespace is ignored.
// Returns kInvalidArgument for anything else (bad length, bad characters, misplaced padding).
Result<std::string> Base64Decode(std::string_view text);

}  // namespace booklib::lambda
