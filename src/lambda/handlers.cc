// API and SQS invocation handlers built from the payload mappings.
#include "lambda/handlers.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
#include "core/metadata_message.h"
#include "lambda/api_gateway.h"
#include "lambda/sqs_event.h"

namespace booklib::lambda {
namespace {

// One message's outcome; an exception counts as a failure of that message only.
Result<void> ProcessOne(const MessageProcessor& process, const QueueMessage& message) {
  try {
    return process(message);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("processing threw: ") + e.what());
  }
}

// The early answer for `request`, if its body is more than `admit` allows.
std::optional<web::Response> RefusedBody(const Admitter& admit, const web::Request& request) {
  if (!admit) return std::nullopt;
  web::Request head = request;
  head.body.clear();
  head.headers.erase("transfer-encoding");
  head.headers["content-length"] = std::to_string(request.body.size());
  web::Admission admission = admit(head);
  if (admission.early) return std::move(admission.early);
  if (request.body.size() <= admission.body_limit) return std::nullopt;
  web::Response too_large{413, {{"Content-Type", "text/plain; charset=utf-8"}}, ""};
  too_large.body = "request body too large (at most " + std::to_string(admission.body_limit) + " bytes)\n";
  return too_large;
}

}  // namespace

InvocationHandler ApiHandler(Router router, Admitter admit) {
  return [router = std::move(router), admit = std::move(admit)](
             const std::string& event, const InvocationContext&) -> Result<std::string> {
    auto request = RequestFromApiGatewayEvent(event);
    if (!request) return std::unexpected(request.error());
    if (auto refused = RefusedBody(admit, *request)) return ApiGatewayResponseJson(*refused);
    return ApiGatewayResponseJson(router(*request));
  };
}

InvocationHandler SqsHandler(MessageProcessor process, std::chrono::milliseconds reserve) {
  return [process = std::move(process), reserve](const std::string& event,
                                                 const InvocationContext& context) -> Result<std::string> {
    auto messages = MessagesFromSqsEvent(event);
    if (!messages) return std::unexpected(messages.error());
    std::vector<std::string> failed;
    for (const QueueMessage& message : *messages) {
      if (const auto left = context.RemainingTime(); left && *left < reserve) {
        failed.push_back(message.id);  // not started: too close to the deadline
        continue;
      }
      if (auto done = ProcessOne(process, message); !done) {
        Log(LogLevel::kWarn, "queue message failed",
            {{"message_id", message.id}, {"error", done.error().message}});
        failed.push_back(message.id);
      }
    }
    return BatchItemFailuresJson(failed);
  };
}

MessageProcessor MetadataMessageProcessor(MetadataSync& sync, Queue& queue, MetricsWriter write_metrics) {
  if (!write_metrics) write_metrics = LogJsonLine;
  return
      [&sync, &queue, write_metrics = std::move(write_metrics)](const QueueMessage& message) -> Result<void> {
        const auto request = DecodeMetadataMessage(message.body);
        const std::string request_id = request ? request->request_id : "";
        const LogScope scope(request_id);
        const SyncOutcome outcome = sync.Process(message);
        write_metrics(SyncMetricsLine(outcome.result, request_id, std::chrono::system_clock::now()));
        Log(LogLevel::kInfo, "metadata message done",
            {{"message_id", message.id},
             {"outcome", std::string(SyncResultName(outcome.result))},
             {"reason", outcome.reason}});
        if (outcome.disposition == SyncOutcome::Disposition::kDelete) return {};
        // Reported as a batch item failure: SQS redelivers it after the backoff set here.
        (void)queue.RetryLater(message, outcome.delay, outcome.reason);
        return Fail(ErrorCode::kUnavailable, outcome.reason);
      };
}

}  // namespace booklib::lambda
