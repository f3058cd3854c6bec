// Embedded Metric Format records for CloudWatch.
#include "lambda/embedded_metrics.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "core/log.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;

std::int64_t Milliseconds(std::chrono::system_clock::time_point at) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(at.time_since_epoch()).count();
}

// The "_aws" metadata: one metric directive over `dimensions`, declaring `metrics` (name, unit).
json Metadata(std::chrono::system_clock::time_point at, const json& dimensions, const json& metrics) {
  return {{"Timestamp", Milliseconds(at)},
          {"CloudWatchMetrics", json::array({{{"Namespace", kMetricsNamespace},
                                              {"Dimensions", json::array({dimensions})},
                                              {"Metrics", metrics}}})}};
}

std::string Dump(const json& record) { return record.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string RequestMetricsLine(const web::AnsweredRequest& answered,
                               std::chrono::system_clock::time_point at) {
  json record;
  record["_aws"] = Metadata(at, json::array({"Method", "Route", "Status"}),
                            json::array({{{"Name", "Requests"}, {"Unit", "Count"}},
                                         {{"Name", "Latency"}, {"Unit", "Milliseconds"}}}));
  record["Method"] = web::MethodLabel(answered.method);
  record["Route"] = answered.route.empty() ? std::string_view{"unmatched"} : answered.route;
  record["Status"] = std::to_string(answered.status);
  record["Requests"] = 1;
  record["Latency"] = answered.seconds * 1000;
  if (!answered.request_id.empty()) record["request_id"] = answered.request_id;
  return Dump(record);
}

std::string SyncMetricsLine(SyncOutcome::Result result, std::string_view request_id,
                            std::chrono::system_clock::time_point at) {
  json record;
  record["_aws"] =
      Metadata(at, json::array({"Outcome"}), json::array({{{"Name", "SyncOutcomes"}, {"Unit", "Count"}}}));
  record["Outcome"] = SyncResultName(result);
  record["SyncOutcomes"] = 1;
  if (!request_id.empty()) record["request_id"] = request_id;
  return Dump(record);
}

web::RequestObserver RequestMetricsWriter(MetricsWriter write) {
  if (!write) write = LogJsonLine;
  return [write = std::move(write)](const web::AnsweredRequest& answered) {
    write(RequestMetricsLine(answered, std::chrono::system_clock::now()));
  };
}

}  // namespace booklib::lambda
