// Creating the metadata queue and its dead-letter queue with the seed's settings, for development
// (`booklib aws create-queues`) and tests.
#pragma once

#include <chrono>
#include <string>

#include "aws/aws_json_client.h"
#include "core/error.h"

namespace booklib {

struct QueueSettings {
  std::string name;  // e.g. "BookLibrary-Metadata-dev"; the dead-letter queue is "<name>-dlq"
  std::chrono::seconds visibility_timeout{300};
  std::chrono::seconds retention{1209600};  // 14 days, for both queues
  std::chrono::seconds receive_wait{20};    // ReceiveMessageWaitTimeSeconds: long polling by default
  int max_receive_count = 3;                // receives before a message moves to the DLQ
};

struct QueueUrls {
  std::string queue_url;
  std::string dead_letter_queue_url;
};

// Creates the DLQ, then the queue with a RedrivePolicy pointing at it. Idempotent: existing
// queues get the settings applied (SetQueueAttributes) instead of an error.
Result<QueueUrls> CreateQueues(aws::AwsJsonClient& sqs, const QueueSettings& settings);

}  // namespace booklib
