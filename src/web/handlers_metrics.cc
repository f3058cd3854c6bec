// GET /metrics: the process's metrics for a Prometheus scraper, when the configuration allows it.
#include "web/app.h"

namespace booklib::web {

Response App::ShowMetrics(RequestContext& ctx, const PathParams&) const {
  MetricsAccess access = options_.metrics;
  // Behind a proxy every client arrives from the proxy, often on loopback: only the token admits.
  if (options_.trust_proxy) access.loopback_without_token = false;
  return MetricsResponse(ctx.request, access);
}

}  // namespace booklib::web
