// API Gateway HTTP API (payload format 2.0) events to web::Request, and web::Response back.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "web/http.h"

namespace booklib::lambda {

// Reads a payload 2.0 request event:
// - path: rawPath percent-decoded ("%20" -> " "; '+' stays '+'); query: rawQueryString as is;
// - headers: names lower-cased, names repeated after lower-casing joined with ", ";
//   the `cookies` array joined with "; " into the "cookie" header;
// - body: base64-decoded when isBase64Encoded is true; absent body -> empty;
// - method: requestContext.http.method upper-cased; remote_address: requestContext.http.sourceIp;
//   request_id: requestContext.requestId; secure: always true (API Gateway only speaks HTTPS).
// Returns kInvalidArgument when the text is not JSON, or lacks rawPath or requestContext.http.method,
// or has a field of the wrong type, or a body that is not valid base64 / a path with bad escapes.
Result<web::Request> RequestFromApiGatewayEvent(std::string_view event_json);

// Writes a payload 2.0 response: {"statusCode", "headers", "cookies", "body", "isBase64Encoded"}.
// Every Set-Cookie header becomes one element of `cookies` (never folded into `headers`); other
// headers repeated under one name (case-insensitively) are joined with ", ". The body is sent as
// text when it is valid UTF-8, else base64-encoded with isBase64Encoded=true.
std::string ApiGatewayResponseJson(const web::Response& response);

}  // namespace booklib::lambda
