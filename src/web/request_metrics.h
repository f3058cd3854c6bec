// What the app counts about each request it answers, and who may read the counts at /metrics.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "web/http.h"

namespace booklib::web {

// One answered request, as the metrics see it. `route` is the route table's pattern
// ("/edit_book/{id}"), or "unmatched" for a path no route has; `method` is one of the methods
// HTTP defines, or "other": both take few values whatever clients send.
struct AnsweredRequest {
  std::string_view method;
  std::string_view route;
  int status = 0;
  double seconds = 0;           // from the router's dispatch to the finished response, in the app
  std::string_view request_id;  // for log lines only, never a label
};

// Called once per answered request, after the Prometheus metrics are updated (the Lambda adapter
// writes CloudWatch Embedded Metric Format lines from it). Must be thread-safe.
using RequestObserver = std::function<void(const AnsweredRequest&)>;

// Counts `answered` in booklib_http_requests_total{method,route,status} and
// booklib_http_request_duration_seconds{method,route}.
void RecordRequest(const AnsweredRequest& answered);

// `method` when HTTP defines it (GET, HEAD, POST, ...), else "other".
std::string_view MethodLabel(std::string_view method);

// Who may read /metrics. Off by default: /metrics answers 404 as if it did not exist.
struct MetricsAccess {
  bool enabled = false;
  // "Authorization: Bearer <token>" reads /metrics from anywhere; empty: no token is accepted.
  std::string bearer_token;
  // Clients on 127.0.0.0/8 or ::1 need no token, unless the server is behind a proxy (the app's
  // trust_proxy), where every client arrives from the proxy's loopback address.
  bool loopback_without_token = true;
};

// 200 with the text exposition when `access` admits `request`; 404 when disabled; 401 with
// WWW-Authenticate when a token would admit it; 403 otherwise. Never says what the token is.
Response MetricsResponse(const Request& request, const MetricsAccess& access);

// True for 127.0.0.0/8, ::1 and their IPv4-mapped form (::ffff:127.x.y.z).
bool IsLoopbackAddress(std::string_view address);

}  // namespace booklib::web
