// CloudWatch Embedded Metric Format: log lines that CloudWatch Logs turns into metrics, written by
// the Lambda functions (which have no /metrics to scrape) for requests and metadata sync outcomes.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "core/metadata_sync.h"
#include "web/request_metrics.h"

namespace booklib::lambda {

// The namespace of every metric Booklib publishes.
inline constexpr std::string_view kMetricsNamespace = "Booklib";

// {"_aws": {"Timestamp": <ms>, "CloudWatchMetrics": [{"Namespace": "Booklib",
//   "Dimensions": [["Method", "Route", "Status"]], "Metrics": [{"Name": "Requests", "Unit": "Count"},
//   {"Name": "Latency", "Unit": "Milliseconds"}]}]}, "Method": "GET", "Route": "/edit_book/{id}",
//  "Status": "200", "Requests": 1, "Latency": 12.5, "request_id": "..."}: the Lambda's request line.
std::string RequestMetricsLine(const web::AnsweredRequest& answered,
                               std::chrono::system_clock::time_point at);

// Dimensions [["Outcome"]] (synced, not_found, failed, retried, skipped), metric "SyncOutcomes"
// (Count, 1), and "request_id" as a plain property when the message carried one.
std::string SyncMetricsLine(SyncOutcome::Result result, std::string_view request_id,
                            std::chrono::system_clock::time_point at);

// Where the lines go: stdout through the log's lock (LogJsonLine) unless a test says otherwise.
using MetricsWriter = std::function<void(std::string_view line)>;

// A RequestObserver for web::AppOptions::on_request that writes RequestMetricsLine for each request.
web::RequestObserver RequestMetricsWriter(MetricsWriter write = {});

}  // namespace booklib::lambda
