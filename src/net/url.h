// URLs as libcurl parses them (RFC 3986): following a Location header by hand, one hop at a time.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace booklib::net {

// The absolute URL a redirect from `from_url` to `location` (a Location header, absolute or
// relative) leads to. kInvalidArgument when either cannot be parsed as a URL.
Result<std::string> ResolveRedirect(std::string_view from_url, std::string_view location);

// The scheme of an absolute URL, lower-cased ("https"); empty when `url` has none or is malformed.
std::string SchemeOf(std::string_view url);

}  // namespace booklib::net
