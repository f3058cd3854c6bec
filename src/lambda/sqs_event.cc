// SQS event mapping with nlohmann::json; shapes from the Lambda developer guide ("Using Lambda with SQS").
#include "lambda/sqs_event.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <utility>

namespace booklib::lambda {
namespace {

using nlohmann::json;

std::string StringOrEmpty(const json& object, std::string_view key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// ApproximateReceiveCount arrives as a string ("2"); anything unreadable counts as 0 (unknown).
int ReceiveCount(const json& record) {
  const auto attributes = record.find("attributes");
  if (attributes == record.end() || !attributes->is_object()) return 0;
  const std::string text = StringOrEmpty(*attributes, "ApproximateReceiveCount");
  int count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  return error == std::errc() && end == text.data() + text.size() ? count : 0;
}

Result<QueueMessage> MessageFromRecord(const json& record) {
  if (!record.is_object()) return Fail(ErrorCode::kInvalidArgument, "an SQS record is not an object");
  const auto id = record.find("messageId");
  if (id == record.end() || !id->is_string() || id->get<std::string>().empty()) {
    return Fail(ErrorCode::kInvalidArgument, "an SQS record lacks messageId");
  }
  return QueueMessage{
      .id = id->get<std::string>(),
      .receipt_handle = StringOrEmpty(record, "receiptHandle"),
      .body = StringOrEmpty(record, "body"),
      .receive_count = ReceiveCount(record),
  };
}

}  // namespace

Result<std::vector<QueueMessage>> MessagesFromSqsEvent(std::string_view event_json) {
  const json event = json::parse(event_json, nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) return Fail(ErrorCode::kInvalidArgument, "event is not a JSON object");
  const auto records = event.find("Records");
  if (records == event.end() || !records->is_array()) {
    return Fail(ErrorCode::kInvalidArgument, "event lacks a Records array");
  }
  std::vector<QueueMessage> messages;
  messages.reserve(records->size());
  for (const auto& record : *records) {
    auto message = MessageFromRecord(record);
    if (!message) return std::unexpected(message.error());
    messages.push_back(std::move(*message));
  }
  return messages;
}

std::string BatchItemFailuresJson(const std::vector<std::string>& failed_message_ids) {
  json failures = json::array();
  for (const auto& id : failed_message_ids) failures.push_back({{"itemIdentifier", id}});
  return json{{"batchItemFailures", std::move(failures)}}.dump(-1, ' ', false,
                                                               json::error_handler_t::replace);
}

}  // namespace booklib::lambda
