// Adapters from Booklib's request router and queue-message processor to Lambda invocation handlers.
#pragma once

#include <chrono>
#include <functional>

#include "core/error.h"
#include "core/metadata_sync.h"
#include "lambda/embedded_metrics.h"
#include "lambda/runtime.h"
#include "ports/queue.h"
#include "web/http.h"

namespace booklib::lambda {

using Router = std::function<web::Response(const web::Request&)>;
using MessageProcessor = std::function<Result<void>(const QueueMessage&)>;

// The API function: API Gateway payload 2.0 event -> web::Request -> router -> payload 2.0 response.
// An event that is not a payload 2.0 request yields an error (reported to Lambda, never a crash).
InvocationHandler ApiHandler(Router router);

// The metadata worker: every record of an SQS event goes to `process`, in order; the response
// lists the messages whose processing failed (or threw) as batchItemFailures, so Lambda retries
// only those and deletes the rest. Once less than `reserve` is left before the invocation's deadline,
// the remaining messages are not started but listed as failures too (retried later), so a slow batch
// never times out as a whole. An event that is not an SQS event yields an error, so the whole batch
// is retried.
InvocationHandler SqsHandler(MessageProcessor process,
                             std::chrono::milliseconds reserve = std::chrono::seconds(20));

// The worker function's processor: runs `sync` on the message (its log lines carry the request id
// the message brought), writes a SyncMetricsLine through `write_metrics` (default: stdout), and when
// the lookup is to be retried sets the message's backoff on `queue` and fails it, so SQS
// redelivers it then. REQUIRES: `sync` and `queue` outlive the processor.
MessageProcessor MetadataMessageProcessor(MetadataSync& sync, Queue& queue, MetricsWriter write_metrics = {});

}  // namespace booklib::lambda
