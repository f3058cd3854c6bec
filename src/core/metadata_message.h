// The metadata queue's message body, the seed's format: {"user_book_id": "<uuid>"}, plus optional fields.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib {

struct MetadataRequest {
  std::string user_book_id;
  bool refresh = false;    // a user's Retry: ask the providers again, not a cached answer
  std::string request_id;  // the request that queued it, for the worker's log lines; may be empty
};

// {"user_book_id": "..."}, plus "refresh": true when asked and "request_id": "..." when not empty.
// Readers that know only the seed's format ignore the extra fields.
std::string EncodeMetadataMessage(std::string_view user_book_id, bool refresh = false,
                                  std::string_view request_id = {});
// kInvalidArgument when the body is not a JSON object with a non-empty string user_book_id. The
// optional fields default when absent or of another type (messages from before they existed).
Result<MetadataRequest> DecodeMetadataMessage(std::string_view body);

}  // namespace booklib
