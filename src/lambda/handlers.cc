// API and SQS invocation handlers built from the payload mappings.
#include "lambda/handlers.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "core/log.h"
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

}  // namespace

InvocationHandler ApiHandler(Router router) {
  return [router = std::move(router)](const std::string& event,
                                      const InvocationContext&) -> Result<std::string> {
    auto request = RequestFromApiGatewayEvent(event);
    if (!request) return std::unexpected(request.error());
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

}  // namespace booklib::lambda
