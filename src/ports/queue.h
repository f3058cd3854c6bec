// Port: the metadata work queue with SQS semantics. Adapters: queue/sqlite_queue, queue/sqs_queue.
//
// Contract (the suite in ports/queue_contract.h runs against each adapter):
// - A received message is invisible to other receivers for the visibility timeout; unless
//   deleted, it becomes visible again afterwards (at-least-once delivery).
// - A message received max_receives times and not deleted moves to the dead-letter store
//   instead of being delivered again.
// - Receive long-polls: it returns as soon as messages are available or `wait` has passed.
// - Each delivery has its own receipt handle; only the latest delivery's deletes (see Delete).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace booklib {

struct QueueMessage {
  std::string id;
  std::string receipt_handle;  // identifies this delivery; required to delete or retry it
  std::string body;
  int receive_count = 0;  // including this delivery
};

struct QueueStats {
  long long visible = 0;
  long long in_flight = 0;
  long long dead_letters = 0;
};

class Queue {
 public:
  virtual ~Queue() = default;

  virtual Result<void> Send(std::string_view body) = 0;
  // Up to `max_messages` (1..10), waiting up to `wait` for the first one.
  virtual Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait) = 0;
  // Acknowledges a delivery: the message is gone. Also succeeds, deleting nothing, when the
  // message is already gone, or when `message` is a stale delivery: the message has been received
  // again since, and stays with that newer delivery (it is delivered again unless the newer
  // receiver deletes it). This is SQS's documented behaviour for an old receipt handle.
  virtual Result<void> Delete(const QueueMessage& message) = 0;
  // Makes the message visible again after `delay` (backoff). `reason` is the last error: the SQLite
  // queue keeps it with the message (and its dead letter); SQS keeps no text, so it is only logged.
  virtual Result<void> RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                                  std::string_view reason) = 0;
  virtual Result<QueueStats> Stats() = 0;
  // Moves every dead letter back to the queue; returns how many moved.
  virtual Result<long long> Redrive() = 0;
};

}  // namespace booklib
