// The Queue port on SQS (see sqs_queue.h).
#include "queue/sqs/sqs_queue.h"

#include <algorithm>
#include <charconv>

#include "core/log.h"

namespace booklib {
namespace {

using nlohmann::json;

constexpr int kBatchLimit = 10;                         // SQS's batch and receive maximum
constexpr std::chrono::seconds kRedriveVisibility{60};  // hides a dead letter while it moves
constexpr std::chrono::seconds kLongPollMargin{10};     // HTTP timeout beyond WaitTimeSeconds

json Member(const json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(name);
  return it == object.end() ? json(nullptr) : *it;
}

std::string StringMember(const json& object, std::string_view name) {
  const json value = Member(object, name);
  return value.is_string() ? value.get<std::string>() : "";
}

long long Count(const json& attributes, std::string_view name) {
  const std::string text = StringMember(attributes, name);
  long long value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// A delivery SQS no longer knows is kNotFound; the rest keeps the client's mapping.
Error DeliveryError(const aws::AwsError& error) {
  if (error.Is("ReceiptHandleIsInvalid") || error.Is("MessageNotInflight") ||
      error.Is("InvalidReceiptHandle")) {
    return Error{ErrorCode::kNotFound, error.ToError().message};
  }
  return error.ToError();
}

QueueMessage MessageFrom(const json& message) {
  QueueMessage out;
  out.id = StringMember(message, "MessageId");
  out.receipt_handle = StringMember(message, "ReceiptHandle");
  out.body = StringMember(message, "Body");
  out.receive_count = static_cast<int>(Count(Member(message, "Attributes"), "ApproximateReceiveCount"));
  return out;
}

}  // namespace

std::optional<QueueArnParts> ParseQueueArn(std::string_view arn) {
  // arn:partition:sqs:region:account:name
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  const std::string_view name = arn.substr(start);
  if (parts[0] != "arn" || parts[2] != "sqs" || name.empty()) return std::nullopt;
  return QueueArnParts{std::string(parts[4]), std::string(name)};
}

SqsQueue::SqsQueue(aws::AwsJsonClient& sqs, SqsQueueOptions options)
    : sqs_(sqs), queue_url_(std::move(options.queue_url)) {
  if (!options.dead_letter_queue_url.empty())
    dead_letter_queue_url_ = std::move(options.dead_letter_queue_url);
}

Result<void> SqsQueue::Send(std::string_view body) { return SendTo(queue_url_, body); }

Result<void> SqsQueue::SendTo(const std::string& queue_url, std::string_view body) {
  auto sent = sqs_.Call("SendMessage", {{"QueueUrl", queue_url}, {"MessageBody", body}});
  if (!sent) return std::unexpected(sent.error().ToError());
  return {};
}

Result<std::vector<QueueMessage>> SqsQueue::Receive(int max_messages, std::chrono::seconds wait) {
  return ReceiveFrom(queue_url_, max_messages, wait);
}

Result<std::vector<QueueMessage>> SqsQueue::ReceiveFrom(const std::string& queue_url, int max_messages,
                                                        std::chrono::seconds wait) {
  const long long wait_seconds = std::clamp<long long>(wait.count(), 0, 20);
  const json input = {{"QueueUrl", queue_url},
                      {"MaxNumberOfMessages", std::clamp(max_messages, 1, kBatchLimit)},
                      {"WaitTimeSeconds", wait_seconds},
                      {"AttributeNames", {"ApproximateReceiveCount"}}};
  const aws::CallOptions options{std::chrono::seconds{wait_seconds} + kLongPollMargin};
  auto received = sqs_.Call("ReceiveMessage", input, options);
  if (!received) return std::unexpected(received.error().ToError());
  std::vector<QueueMessage> messages;
  for (const json& message : Member(*received, "Messages")) messages.push_back(MessageFrom(message));
  return messages;
}

Result<void> SqsQueue::Delete(const QueueMessage& message) {
  auto deleted =
      sqs_.Call("DeleteMessage", {{"QueueUrl", queue_url_}, {"ReceiptHandle", message.receipt_handle}});
  if (!deleted) return std::unexpected(DeliveryError(deleted.error()));
  return {};
}

Result<void> SqsQueue::DeleteMessages(std::span<const QueueMessage> messages) {
  return DeleteBatchFrom(queue_url_, messages);
}

Result<void> SqsQueue::DeleteBatchFrom(const std::string& queue_url, std::span<const QueueMessage> messages) {
  std::size_t failed = 0;
  std::string first_failure;
  for (std::size_t first = 0; first < messages.size(); first += kBatchLimit) {
    json entries = json::array();
    const std::size_t end = std::min(messages.size(), first + kBatchLimit);
    for (std::size_t i = first; i < end; ++i) {
      entries.push_back({{"Id", std::to_string(i - first)}, {"ReceiptHandle", messages[i].receipt_handle}});
    }
    auto deleted = sqs_.Call("DeleteMessageBatch", {{"QueueUrl", queue_url}, {"Entries", entries}});
    if (!deleted) return std::unexpected(deleted.error().ToError());
    for (const json& failure : Member(*deleted, "Failed")) {
      ++failed;
      if (first_failure.empty())
        first_failure = StringMember(failure, "Code") + ": " + StringMember(failure, "Message");
    }
  }
  if (failed == 0) return {};
  return Fail(ErrorCode::kUnavailable, "DeleteMessageBatch: " + std::to_string(failed) +
                                           " deliveries not deleted (" + first_failure + ")");
}

Result<void> SqsQueue::RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                                  std::string_view reason) {
  const long long visibility = std::clamp<long long>(delay.count(), 0, 43200);
  auto changed = sqs_.Call("ChangeMessageVisibility", {{"QueueUrl", queue_url_},
                                                       {"ReceiptHandle", message.receipt_handle},
                                                       {"VisibilityTimeout", visibility}});
  if (!changed) return std::unexpected(DeliveryError(changed.error()));
  Log(LogLevel::kInfo, "queue message will be retried",
      {{"message_id", message.id},
       {"receive_count", std::to_string(message.receive_count)},
       {"delay_s", std::to_string(visibility)},
       {"reason", std::string(reason)}});
  return {};
}

Result<std::string> SqsQueue::DeadLetterQueueUrl() {
  {
    const std::lock_guard lock(mutex_);
    if (dead_letter_queue_url_) return *dead_letter_queue_url_;
  }
  auto attributes =
      sqs_.Call("GetQueueAttributes", {{"QueueUrl", queue_url_}, {"AttributeNames", {"RedrivePolicy"}}});
  if (!attributes) return std::unexpected(attributes.error().ToError());
  std::string url;
  const std::string policy_text = StringMember(Member(*attributes, "Attributes"), "RedrivePolicy");
  if (!policy_text.empty()) {
    const json policy = json::parse(policy_text, nullptr, /*allow_exceptions=*/false);
    const auto arn = ParseQueueArn(StringMember(policy, "deadLetterTargetArn"));
    if (!arn) return Fail(ErrorCode::kInternal, "unreadable RedrivePolicy: " + policy_text);
    auto found = sqs_.Call("GetQueueUrl",
                           {{"QueueName", arn->queue_name}, {"QueueOwnerAWSAccountId", arn->account_id}});
    if (!found) return std::unexpected(found.error().ToError());
    url = StringMember(*found, "QueueUrl");
  }
  const std::lock_guard lock(mutex_);
  dead_letter_queue_url_ = url;
  return url;
}

Result<QueueStats> SqsQueue::Stats() {
  const json names = {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"};
  auto source = sqs_.Call("GetQueueAttributes", {{"QueueUrl", queue_url_}, {"AttributeNames", names}});
  if (!source) return std::unexpected(source.error().ToError());
  QueueStats stats;
  stats.visible = Count(Member(*source, "Attributes"), "ApproximateNumberOfMessages");
  stats.in_flight = Count(Member(*source, "Attributes"), "ApproximateNumberOfMessagesNotVisible");
  auto dead_letter_url = DeadLetterQueueUrl();
  if (!dead_letter_url) return std::unexpected(dead_letter_url.error());
  if (dead_letter_url->empty()) return stats;
  auto dead = sqs_.Call("GetQueueAttributes", {{"QueueUrl", *dead_letter_url}, {"AttributeNames", names}});
  if (!dead) return std::unexpected(dead.error().ToError());
  stats.dead_letters = Count(Member(*dead, "Attributes"), "ApproximateNumberOfMessages") +
                       Count(Member(*dead, "Attributes"), "ApproximateNumberOfMessagesNotVisible");
  return stats;
}

Result<long long> SqsQueue::Redrive() {
  auto dead_letter_url = DeadLetterQueueUrl();
  if (!dead_letter_url) return std::unexpected(dead_letter_url.error());
  if (dead_letter_url->empty()) return 0;
  if (*dead_letter_url == queue_url_)
    return Fail(ErrorCode::kInvalidArgument, "the queue is its own dead-letter queue");
  long long moved = 0;
  while (true) {
    // A one-second long poll asks every SQS server, so an empty answer means the DLQ is empty.
    const json input = {{"QueueUrl", *dead_letter_url},
                        {"MaxNumberOfMessages", kBatchLimit},
                        {"WaitTimeSeconds", 1},
                        {"VisibilityTimeout", kRedriveVisibility.count()}};
    auto received =
        sqs_.Call("ReceiveMessage", input, aws::CallOptions{std::chrono::seconds{1} + kLongPollMargin});
    if (!received) return std::unexpected(received.error().ToError());
    std::vector<QueueMessage> batch;
    for (const json& message : Member(*received, "Messages")) batch.push_back(MessageFrom(message));
    if (batch.empty()) break;
    for (const QueueMessage& message : batch) {
      if (auto sent = SendTo(queue_url_, message.body); !sent) return std::unexpected(sent.error());
    }
    if (auto deleted = DeleteBatchFrom(*dead_letter_url, batch); !deleted)
      return std::unexpected(deleted.error());
    moved += static_cast<long long>(batch.size());
  }
  Log(LogLevel::kInfo, "dead letters moved back to the queue", {{"count", std::to_string(moved)}});
  return moved;
}

namespace {

// The client and the queue using it, released together.
struct OwningSqsQueue {
  OwningSqsQueue(const aws::AwsConfig& config, SqsQueueOptions options)
      : client(aws::SqsService(config), config.credentials, config.region),
        queue(client, std::move(options)) {}
  aws::AwsJsonClient client;
  SqsQueue queue;
};

}  // namespace

std::shared_ptr<Queue> MakeSqsQueue(const aws::AwsConfig& config, SqsQueueOptions options) {
  auto owner = std::make_shared<OwningSqsQueue>(config, std::move(options));
  return std::shared_ptr<Queue>(owner, &owner->queue);
}

}  // namespace booklib
