// SqsQueue: the Queue port on Amazon SQS (JSON protocol); its dead-letter queue is the one named
// by the queue's RedrivePolicy, which also decides after how many receives a message moves there.
//
// - Receive long-polls: MaxNumberOfMessages is clamped to 1..10, WaitTimeSeconds to 0..20;
//   receive_count is SQS's ApproximateReceiveCount.
// - RetryLater sets the delivery's visibility timeout to `delay` (clamped to 0..43200 s) and logs
//   `reason`: SQS keeps no per-message error text.
// - Delete and RetryLater of a delivery SQS no longer knows (receipt handle expired, already
//   deleted) return kNotFound. Other failures: kUnavailable when retrying may help, else kInternal.
// - Redrive moves dead letters back one by one (receive from the DLQ, send to the queue, delete
//   from the DLQ); a failure part-way leaves the rest in the DLQ, and a message whose delete failed
//   may be delivered twice, which the metadata worker tolerates.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_json_client.h"
#include "ports/queue.h"

namespace booklib {

struct SqsQueueOptions {
  std::string queue_url;              // METADATA_QUEUE_URL
  std::string dead_letter_queue_url;  // empty: looked up from the queue's RedrivePolicy when needed
};

class SqsQueue final : public Queue {
 public:
  // `sqs` must outlive the queue.
  SqsQueue(aws::AwsJsonClient& sqs, SqsQueueOptions options);

  Result<void> Send(std::string_view body) override;
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait) override;
  Result<void> Delete(const QueueMessage& message) override;
  Result<void> RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                          std::string_view reason) override;
  // visible = ApproximateNumberOfMessages, in_flight = ...NotVisible, dead_letters = the DLQ's
  // visible plus in-flight messages (0 without a DLQ).
  Result<QueueStats> Stats() override;
  // Returns 0 when the queue has no dead-letter queue.
  Result<long long> Redrive() override;

  // Acknowledges many deliveries with DeleteMessageBatch (10 per call). kUnavailable naming
  // the number that failed; the others are deleted.
  Result<void> DeleteMessages(std::span<const QueueMessage> messages);

 private:
  Result<std::vector<QueueMessage>> ReceiveFrom(const std::string& queue_url, int max_messages,
                                                std::chrono::seconds wait);
  Result<void> SendTo(const std::string& queue_url, std::string_view body);
  Result<void> DeleteBatchFrom(const std::string& queue_url, std::span<const QueueMessage> messages);
  // The DLQ's URL, or "" when the queue has no RedrivePolicy. Cached after the first answer.
  Result<std::string> DeadLetterQueueUrl();

  aws::AwsJsonClient& sqs_;
  const std::string queue_url_;
  std::mutex mutex_;  // guards dead_letter_queue_url_
  std::optional<std::string> dead_letter_queue_url_;
};

// An SqsQueue that owns its client (built from `config`), for the composition root.
std::shared_ptr<Queue> MakeSqsQueue(const aws::AwsConfig& config, SqsQueueOptions options);

// "arn:aws:sqs:us-east-1:000000000000:BookLibrary-Metadata-dev-dlq" -> {account, queue name};
// nullopt when `arn` is not an SQS queue ARN.
struct QueueArnParts {
  std::string account_id;
  std::string queue_name;
};
std::optional<QueueArnParts> ParseQueueArn(std::string_view arn);

}  // namespace booklib
