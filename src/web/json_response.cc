// JSON answers.
#include "web/json_response.h"

namespace booklib::web {

Response JsonResponse(int status, const nlohmann::json& body) {
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "application/json");
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

Response JsonError(int status, std::string_view message) {
  return JsonResponse(status, {{"success", false}, {"message", message}, {"error", message}});
}

}  // namespace booklib::web
