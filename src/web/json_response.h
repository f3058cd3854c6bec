// JSON answers: the one way a handler replies with a JSON body.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "web/http.h"

namespace booklib::web {

// `body` as compact JSON with Content-Type application/json. Invalid UTF-8 in strings is replaced
// (U+FFFD), never thrown.
Response JsonResponse(int status, const nlohmann::json& body);

// {"success": false, "message": message, "error": message}: how every JSON endpoint of the web app
// states a failure the client can act on ("success" and "message" are the seed's /scan_isbn shape,
// "error" what this app's scripts read).
Response JsonError(int status, std::string_view message);

}  // namespace booklib::web
