// Fuzz target: API Gateway payload 2.0 events (lambda/api_gateway.h) through the Lambda API handler
// to web::App on in-memory fakes, and the response back to JSON. A refused event has a reason; an
// accepted one reaches the app (answered without a 500), and the response JSON parses and carries
// the status and body the app gave.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "lambda/api_gateway.h"
#include "tests/fuzz/fuzz_app.h"
#include "text/codec.h"
#include "text/utf8.h"

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "api_gateway_event_fuzzer: %s\n", what);
  std::abort();
}

void CheckResponseJson(const booklib::web::Response& response, const std::string& text) {
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object()) Die("the response is not a JSON object");
  if (json.value("statusCode", 0) != response.status) Die("statusCode is not the app's status");
  const auto body = json.find("body");
  if (body == json.end() || !body->is_string()) Die("no body string");
  const bool base64 = json.value("isBase64Encoded", false);
  const auto sent = base64 ? booklib::text::Base64Decode(body->get<std::string>())
                           : std::optional<std::string>(body->get<std::string>());
  if (!sent || *sent != response.body) Die("the body does not round-trip");
  if (!base64 && !booklib::text::IsValidUtf8(response.body)) Die("invalid UTF-8 sent as text");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static booklib::fuzz::FuzzApp app;
  app.Reset();
  const std::string event =
      app.ExpandPlaceholders(std::string_view(reinterpret_cast<const char*>(data), size));
  const auto request = booklib::lambda::RequestFromApiGatewayEvent(event);
  if (!request) {
    if (request.error().message.empty()) Die("a refusal without a reason");
    return 0;
  }
  if (!request->secure) Die("an API Gateway request not marked secure");
  for (const auto& [name, value] : request->headers)
    for (const char c : name)
      if (c >= 'A' && c <= 'Z') Die("a header name not lower-cased");
  const booklib::web::Response response = app.Handle(*request);
  booklib::fuzz::CheckResponse(response);
  CheckResponseJson(response, booklib::lambda::ApiGatewayResponseJson(response));
  return 0;
}
