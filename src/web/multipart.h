// multipart/form-data parsing, enough for a file upload field (RFC 7578).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace booklib::web {

struct MultipartPart {
  std::string name;          // from Content-Disposition
  std::string filename;      // may be empty
  std::string content_type;  // may be empty
  std::string_view body;     // points into the request body
};

// Splits `body` by the boundary named in `content_type`. kInvalidArgument when the boundary is
// missing or the body is not well-formed multipart.
Result<std::vector<MultipartPart>> ParseMultipart(std::string_view content_type, std::string_view body);

}  // namespace booklib::web
