// The metadata queue's message body, the seed's format: {"user_book_id": "<uuid>"}.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib {

std::string EncodeMetadataMessage(std::string_view user_book_id);
// kInvalidArgument when the body is not that JSON object with a non-empty string id.
Result<std::string> DecodeMetadataMessage(std::string_view body);

}  // namespace booklib
