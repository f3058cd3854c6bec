// Poll loops of the metadata worker.
#include "core/metadata_worker.h"

#include "core/log.h"
#include "core/metadata_message.h"

namespace booklib {

MetadataWorker::MetadataWorker(Queue& queue, MetadataSync& sync, const Clock& clock, WorkerOptions options)
    : queue_(queue), sync_(sync), clock_(clock), options_(options) {}

MetadataWorker::~MetadataWorker() { Stop(); }

void MetadataWorker::Start() {
  stopping_ = false;
  for (int i = 0; i < options_.pollers; ++i) pollers_.emplace_back([this] { Poll(); });
}

void MetadataWorker::Stop() {
  stopping_ = true;
  for (auto& poller : pollers_)
    if (poller.joinable()) poller.join();
  pollers_.clear();
}

void MetadataWorker::Poll() {
  // Short waits so Stop() is noticed quickly; an in-process queue wakes the waiters on Send anyway.
  const auto wait = std::min(options_.wait, std::chrono::seconds{1});
  while (!stopping_) RunOnce(wait);
}

int MetadataWorker::RunOnce(std::chrono::seconds wait) {
  auto batch = queue_.Receive(options_.batch_size, wait);
  if (!batch) {
    Log(LogLevel::kError, "queue receive failed", {{"error", batch.error().message}});
    clock_.SleepFor(std::chrono::seconds{1});
    return 0;
  }
  if (batch->size() == 1) {
    Handle(batch->front());
    return 1;
  }
  std::vector<std::jthread> lookups;
  lookups.reserve(batch->size());
  for (const QueueMessage& message : *batch) lookups.emplace_back([this, &message] { Handle(message); });
  return static_cast<int>(batch->size());
}

void MetadataWorker::Handle(const QueueMessage& message) {
  // Every line logged for this message, the sync's and the providers' too, names the request that
  // queued it (messages from before request ids were carried have none).
  const auto request = DecodeMetadataMessage(message.body);
  const LogScope scope(request ? request->request_id : "");
  const SyncOutcome outcome = sync_.Process(message);
  const bool retry = outcome.disposition == SyncOutcome::Disposition::kRetryLater;
  Log(retry ? LogLevel::kWarn : LogLevel::kInfo,
      retry ? "metadata lookup will be retried" : "metadata message done",
      {{"message_id", message.id},
       {"outcome", std::string(SyncResultName(outcome.result))},
       {"receive_count", std::to_string(message.receive_count)},
       {"reason", outcome.reason},
       {"delay_s", std::to_string(outcome.delay.count())}});
  const auto done = outcome.disposition == SyncOutcome::Disposition::kDelete
                        ? queue_.Delete(message)
                        : queue_.RetryLater(message, outcome.delay, outcome.reason);
  if (!done)  // the message comes back after its visibility timeout; processing is idempotent
    Log(LogLevel::kWarn, "queue ack failed", {{"error", done.error().message}, {"message_id", message.id}});
}

}  // namespace booklib
