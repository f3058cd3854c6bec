// Use case of the metadata worker: one queue message in, the entry SYNCED, FAILED or retried later.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/error.h"
#include "ports/metadata.h"
#include "ports/queue.h"
#include "ports/store.h"

namespace booklib {

struct SyncPolicy {
  int max_attempts = 3;                  // the queue's max receives; the last transient failure is final
  std::chrono::seconds base_backoff{5};  // attempt n waits base * 2^(n-1), with jitter
  std::chrono::seconds max_backoff{120};
};

// What the worker must do with the message after processing.
struct SyncOutcome {
  enum class Disposition { kDelete, kRetryLater };
  // What became of the entry, for metrics: SYNCED; FAILED because no provider has the book; FAILED
  // for another reason (malformed answer, gave up, bad message); left PENDING for a retry; or
  // nothing to do (the entry is gone or was already done: a duplicate delivery).
  enum class Result { kSynced, kNotFound, kFailed, kRetried, kSkipped };
  Disposition disposition = Disposition::kDelete;
  std::chrono::seconds delay{0};
  std::string reason;  // why it failed or will be retried; empty on success
  Result result = Result::kSkipped;
};

// "synced", "not_found", "failed", "retried", "skipped": the outcome label of the sync metrics.
std::string_view SyncResultName(SyncOutcome::Result result);

// Why a FAILED entry's lookup failed, read back from the reason MetadataSync stored in its
// sync_error (the one place that writes them, so the two stay in step): every provider said it has
// no such book (final: the reason starts "not found"); no provider answered within the attempts
// (it ends "(gave up after N attempts)"); anything else is an answer that could not be used.
enum class SyncFailure { kNotFound, kNoAnswer, kUnusable };
SyncFailure SyncFailureOf(std::string_view sync_error);
// For a kNotFound reason: the services it names ("Google Books or Open Library"); "" when none.
std::string NotFoundIn(std::string_view sync_error);

class MetadataSync {
 public:
  MetadataSync(Store& store, MetadataProvider& provider, SyncPolicy policy = {});

  // Idempotent: processing a message twice leaves the same state as once. Never throws. Counts the
  // outcome in booklib_metadata_sync_total{outcome=SyncResultName(result)}.
  SyncOutcome Process(const QueueMessage& message);

 private:
  SyncOutcome Decide(const QueueMessage& message);
  SyncOutcome Finish(const std::string& user_book_id, SyncStatus status, const std::string& reason,
                     SyncOutcome::Result result);
  SyncOutcome Retry(std::chrono::seconds delay, std::string reason) const;
  std::chrono::seconds Backoff(int attempt) const;

  Store& store_;
  MetadataProvider& provider_;
  SyncPolicy policy_;
};

}  // namespace booklib
