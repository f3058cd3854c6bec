// Payload 2.0 mapping with nlohmann::json; the shapes are those of the API Gateway developer guide.
#include "lambda/api_gateway.h"

#include <algorithm>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "text/ascii.h"
#include "text/codec.h"
#include "text/utf8.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;

std::unexpected<Error> WrongType(std::string_view field) {
  return Fail(ErrorCode::kInvalidArgument, "event field " + std::string(field) + " has the wrong type");
}

// The string at `key` of `object`; absent or null -> nullopt; any other type -> error.
Result<std::optional<std::string>> OptionalString(const json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return WrongType(key);
  return std::optional<std::string>(it->get<std::string>());
}

Result<std::string> RequiredString(const json& object, std::string_view key) {
  auto value = OptionalString(object, key);
  if (!value) return std::unexpected(value.error());
  std::optional<std::string>& present = *value;
  if (!present) return Fail(ErrorCode::kInvalidArgument, "event lacks " + std::string(key));
  return std::move(*present);
}

void AppendHeader(web::Request& request, const std::string& name, std::string_view value,
                  std::string_view separator) {
  auto [it, inserted] = request.headers.try_emplace(name, value);
  if (!inserted) it->second.append(separator).append(value);
}

Result<void> ReadHeaders(const json& event, web::Request& request) {
  const auto headers = event.find("headers");
  if (headers == event.end() || headers->is_null()) return {};
  if (!headers->is_object()) return WrongType("headers");
  for (const auto& [name, value] : headers->items()) {
    if (!value.is_string()) return WrongType("headers." + name);
    AppendHeader(request, text::AsciiLower(name), value.get<std::string>(), ", ");
  }
  return {};
}

Result<void> ReadCookies(const json& event, web::Request& request) {
  const auto cookies = event.find("cookies");
  if (cookies == event.end() || cookies->is_null()) return {};
  if (!cookies->is_array()) return WrongType("cookies");
  for (const auto& cookie : *cookies) {
    if (!cookie.is_string()) return WrongType("cookies[]");
    AppendHeader(request, "cookie", cookie.get<std::string>(), "; ");
  }
  return {};
}

Result<void> ReadBody(const json& event, web::Request& request) {
  auto read = OptionalString(event, "body");
  if (!read) return std::unexpected(read.error());
  std::optional<std::string>& body = *read;
  if (!body) return {};
  const json flag = event.value("isBase64Encoded", json(false));
  if (!flag.is_null() && !flag.is_boolean()) return WrongType("isBase64Encoded");
  if (!flag.is_boolean() || !flag.get<bool>()) {
    request.body = std::move(*body);
    return {};
  }
  auto decoded = text::Base64Decode(*body);
  if (!decoded) return Fail(ErrorCode::kInvalidArgument, "event body is not valid base64");
  request.body = std::move(*decoded);
  return {};
}

Result<void> ReadRequestContext(const json& event, web::Request& request) {
  const auto context = event.find("requestContext");
  if (context == event.end() || !context->is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "event lacks requestContext");
  }
  const auto http = context->find("http");
  if (http == context->end() || !http->is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "event lacks requestContext.http");
  }
  auto method = RequiredString(*http, "method");
  if (!method) return std::unexpected(method.error());
  request.method = text::AsciiUpper(*method);
  auto source_ip = OptionalString(*http, "sourceIp");
  if (!source_ip) return std::unexpected(source_ip.error());
  request.remote_address = source_ip->value_or("");
  auto request_id = OptionalString(*context, "requestId");
  if (!request_id) return std::unexpected(request_id.error());
  request.request_id = request_id->value_or("");
  return {};
}

Result<void> ReadPathAndQuery(const json& event, web::Request& request) {
  auto raw_path = RequiredString(event, "rawPath");
  if (!raw_path) return std::unexpected(raw_path.error());
  auto path = text::PercentDecode(*raw_path, /*plus_is_space=*/false);
  if (!path) return Fail(ErrorCode::kInvalidArgument, "rawPath has a bad % escape");
  request.path = path->empty() ? "/" : std::move(*path);
  auto query = OptionalString(event, "rawQueryString");
  if (!query) return std::unexpected(query.error());
  request.query = query->value_or("");
  return {};
}

// Response headers other than Set-Cookie, merged case-insensitively under the first spelling.
json ResponseHeaders(const web::Response& response) {
  std::vector<std::pair<std::string, std::string>> merged;
  for (const auto& [name, value] : response.headers) {
    if (text::EqualsIgnoringCase(name, "set-cookie")) continue;
    const auto same_name = std::ranges::find_if(
        merged, [&](const auto& header) { return text::EqualsIgnoringCase(header.first, name); });
    if (same_name == merged.end()) {
      merged.emplace_back(name, value);
    } else {
      same_name->second.append(", ").append(value);
    }
  }
  json headers = json::object();
  for (auto& [name, value] : merged) headers[name] = std::move(value);
  return headers;
}

json ResponseCookies(const web::Response& response) {
  json cookies = json::array();
  for (const auto& [name, value] : response.headers) {
    if (text::EqualsIgnoringCase(name, "set-cookie")) cookies.push_back(value);
  }
  return cookies;
}

}  // namespace

Result<web::Request> RequestFromApiGatewayEvent(std::string_view event_json) {
  const json event = json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) return Fail(ErrorCode::kInvalidArgument, "event is not a JSON object");
  web::Request request;
  request.secure = true;
  for (const auto read : {ReadPathAndQuery, ReadRequestContext, ReadHeaders, ReadCookies, ReadBody}) {
    if (auto done = read(event, request); !done) return std::unexpected(done.error());
  }
  return request;
}

std::string ApiGatewayResponseJson(const web::Response& response) {
  const bool text = text::IsValidUtf8(response.body);
  json out = {
      {"statusCode", response.status},
      {"headers", ResponseHeaders(response)},
      {"body", text ? response.body : text::Base64Encode(response.body)},
      {"isBase64Encoded", !text},
  };
  json cookies = ResponseCookies(response);
  if (!cookies.empty()) out["cookies"] = std::move(cookies);
  // Header values are the router's; replace (rather than throw on) any invalid UTF-8 in them.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace booklib::lambda
