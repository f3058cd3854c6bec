// Static files compiled into the binary (src/web/static).
#pragma once

#include <map>
#include <string_view>

namespace booklib::web {

// Path relative to src/web ("static/app.css") -> bytes.
const std::map<std::string_view, std::string_view>& EmbeddedAssets();

// Third-party front-end files fetched at configure time (src/web/CMakeLists.txt), by the same
// kind of path ("static/swagger-ui-bundle.js"): served like the app's own static files.
const std::map<std::string_view, std::string_view>& VendoredAssets();

}  // namespace booklib::web
