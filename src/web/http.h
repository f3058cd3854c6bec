// Transport-neutral HTTP request and response: the Beast server and the Lambda adapter both
// translate to and from these, so the router and handlers never see a transport.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace booklib::web {

struct Request {
  std::string method;  // upper-case: "GET", "POST", ...
  std::string path;    // path as sent, without the query, e.g. "/edit_book/abc"
  std::string query;   // raw query string without '?', e.g. "next=%2Fbooks"
  // Header names lower-cased; repeated headers joined with ", " (Cookie with "; ").
  std::map<std::string, std::string> headers;
  std::string body;
  std::string remote_address;
  bool secure = false;  // reached over HTTPS (directly or via a trusted proxy / API Gateway)
  std::string request_id;

  // Header value or empty. `name` must be lower-case.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  // In order; "set-cookie" may repeat. Names as sent.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& SetHeader(std::string name, std::string value);            // replaces an existing one
  Response& AddHeader(std::string name, std::string value);            // appends (for Set-Cookie)
  std::optional<std::string> FindHeader(std::string_view name) const;  // case-insensitive
};

// What a transport may read of a request's body, decided on its header alone (before any body byte
// is read, and before a 100 Continue is sent): at most `body_limit` bytes, or none at all when
// `early` is set, which is then the whole answer (sent with Connection: close).
// `hold`, when set, is a slot of a limited resource (a reader's concurrent uploads, UploadSlots):
// the transport keeps it until the request is answered or its connection is gone.
struct Admission {
  std::size_t body_limit = 0;
  std::optional<Response> early;
  std::shared_ptr<void> hold;
};

}  // namespace booklib::web
