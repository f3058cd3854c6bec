// Development-time creation of the queue and its dead-letter queue (see sqs_setup.h).
#include "queue/sqs/sqs_setup.h"

namespace booklib {
namespace {

using nlohmann::json;

// CreateQueue, or when a queue of that name exists with other attributes, SetQueueAttributes.
Result<std::string> CreateOrUpdate(aws::AwsJsonClient& sqs, const std::string& name, const json& attributes) {
  auto created = sqs.Call("CreateQueue", {{"QueueName", name}, {"Attributes", attributes}});
  if (created) return (*created).value("QueueUrl", "");
  if (!created.error().Is("QueueNameExists") && !created.error().Is("QueueAlreadyExists")) {
    return std::unexpected(created.error().ToError());
  }
  auto found = sqs.Call("GetQueueUrl", {{"QueueName", name}});
  if (!found) return std::unexpected(found.error().ToError());
  std::string url = (*found).value("QueueUrl", "");
  auto updated = sqs.Call("SetQueueAttributes", {{"QueueUrl", url}, {"Attributes", attributes}});
  if (!updated) return std::unexpected(updated.error().ToError());
  return url;
}

Result<std::string> QueueArn(aws::AwsJsonClient& sqs, const std::string& url) {
  auto attributes = sqs.Call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"QueueArn"}}});
  if (!attributes) return std::unexpected(attributes.error().ToError());
  std::string arn = (*attributes).value("Attributes", json::object()).value("QueueArn", "");
  if (arn.empty()) return Fail(ErrorCode::kInternal, "GetQueueAttributes returned no QueueArn for " + url);
  return arn;
}

}  // namespace

Result<QueueUrls> CreateQueues(aws::AwsJsonClient& sqs, const QueueSettings& settings) {
  if (settings.name.empty()) return Fail(ErrorCode::kInvalidArgument, "a queue needs a name");
  const std::string retention = std::to_string(settings.retention.count());
  auto dead_letter_url = CreateOrUpdate(sqs, settings.name + "-dlq", {{"MessageRetentionPeriod", retention}});
  if (!dead_letter_url) return std::unexpected(dead_letter_url.error());
  auto dead_letter_arn = QueueArn(sqs, *dead_letter_url);
  if (!dead_letter_arn) return std::unexpected(dead_letter_arn.error());

  const json redrive_policy = {{"deadLetterTargetArn", *dead_letter_arn},
                               {"maxReceiveCount", std::to_string(settings.max_receive_count)}};
  const json attributes = {{"VisibilityTimeout", std::to_string(settings.visibility_timeout.count())},
                           {"MessageRetentionPeriod", retention},
                           {"ReceiveMessageWaitTimeSeconds", std::to_string(settings.receive_wait.count())},
                           {"RedrivePolicy", redrive_policy.dump()}};
  auto queue_url = CreateOrUpdate(sqs, settings.name, attributes);
  if (!queue_url) return std::unexpected(queue_url.error());
  return QueueUrls{*queue_url, *dead_letter_url};
}

}  // namespace booklib
