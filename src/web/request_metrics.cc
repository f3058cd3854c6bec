// Request counters and latency histograms, and the /metrics answer.
#include "web/request_metrics.h"

#include <array>

#include "crypto/crypto.h"
#include "metrics/metrics.h"
#include "web/router.h"

namespace booklib::web {

std::string_view MethodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 9> kKnown = {"GET",     "HEAD",    "POST",  "PUT",  "DELETE",
                                                             "OPTIONS", "CONNECT", "PATCH", "TRACE"};
  for (const std::string_view known : kKnown)
    if (method == known) return known;
  return "other";
}

namespace {

// The request families, registered on first use: by the first request answered or the first
// scrape, whichever comes first, so a scrape always lists them (empty before any request).
struct RequestFamilies {
  metrics::Family<metrics::Counter>& requests;
  metrics::Family<metrics::Histogram>& seconds;
};
const RequestFamilies& Families() {
  static const RequestFamilies families{
      metrics::Registry::Default().AddCounter(
          "booklib_http_requests_total", "Requests answered by the web app, by route pattern and status.",
          {"method", "route", "status"}),
      metrics::Registry::Default().AddHistogram("booklib_http_request_duration_seconds",
                                                "Time the web app took to answer, by route pattern.",
                                                {"method", "route"}, metrics::LatencySecondsBuckets())};
  return families;
}

}  // namespace

void RecordRequest(const AnsweredRequest& answered) {
  auto& [requests, seconds] = Families();
  const std::string_view method = MethodLabel(answered.method);
  const std::string_view route = answered.route.empty() ? std::string_view{"unmatched"} : answered.route;
  requests.WithLabels({method, route, std::to_string(answered.status)}).Increment();
  seconds.WithLabels({method, route}).Observe(answered.seconds);
}

bool IsLoopbackAddress(std::string_view address) {
  if (address.starts_with("::ffff:")) address.remove_prefix(7);
  return address == "::1" || address.starts_with("127.");
}

Response MetricsResponse(const Request& request, const MetricsAccess& access) {
  if (!access.enabled) return TextResponse(404, "Not found");
  const std::string_view authorization = request.Header("authorization");
  const bool token_ok = !access.bearer_token.empty() && authorization.starts_with("Bearer ") &&
                        crypto::ConstantTimeEquals(authorization.substr(7), access.bearer_token);
  const bool loopback_ok = access.loopback_without_token && IsLoopbackAddress(request.remote_address);
  if (!token_ok && !loopback_ok) {
    if (access.bearer_token.empty()) return TextResponse(403, "Metrics are served to this machine only.");
    Response refused = TextResponse(401, "Metrics need the scrape token (Authorization: Bearer ...).");
    refused.SetHeader("WWW-Authenticate", "Bearer realm=\"booklib metrics\"");
    return refused;
  }
  Response response;
  response.SetHeader("Content-Type", std::string(metrics::kPrometheusTextType));
  response.SetHeader("Cache-Control", "no-store");
  (void)Families();
  response.body = metrics::Registry::Default().RenderText();
  return response;
}

}  // namespace booklib::web
