// Static files compiled into the binary (src/web/static).
#pragma once

#include <map>
#include <string_view>

namespace booklib::web {

// Path relative to src/web ("static/app.css") -> bytes.
const std::map<std::string_view, std::string_view>& EmbeddedAssets();

}  // namespace booklib::web
