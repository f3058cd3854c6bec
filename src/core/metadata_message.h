// The metadata queue's message body, the seed's format: {"user_book_id": "<uuid>"}.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib {

struct MetadataRequest {
  std::string user_book_id;
  bool refresh = false;  // a user's Retry: ask the providers again, not a cached answer
};

// {"user_book_id": "..."}, plus "refresh": true when asked. Readers that know only the seed's
// format ignore the extra field.
std::string EncodeMetadataMessage(std::string_view user_book_id, bool refresh = false);
// kInvalidArgument when the body is not a JSON object with a non-empty string user_book_id.
Result<MetadataRequest> DecodeMetadataMessage(std::string_view body);

}  // namespace booklib
