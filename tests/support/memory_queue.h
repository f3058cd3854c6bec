// MemoryQueue: the Queue port in memory, for tests of code that sends or receives messages.
//
// SQS semantics as ports/queue.h states them, on a MemoryDatabase it may share with a MemoryStore
// (messages sent inside the store's RunAtomically are rolled back with it) and on a Clock (every
// visibility timeout, delay and long-poll wait is on it; with a ManualClock nothing blocks).
// Beyond the port:
// - Delete of a delivery the queue no longer knows succeeds (as on SQS); RetryLater of one
//   returns kNotFound (as on SQS).
// - Messages are kept until deleted (no retention period); RetryLater's reason is not kept.
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ports/clock.h"
#include "ports/queue.h"
#include "tests/support/memory_database.h"

namespace booklib::test {

struct MemoryQueueOptions {
  std::string name = "metadata";  // queues of other names on the same database are separate
  std::chrono::milliseconds visibility_timeout{300'000};
  int max_receives = 3;  // a message received this often moves to the dead letters on the next receive
};

class MemoryQueue final : public Queue {
 public:
  // `clock` must outlive the queue.
  MemoryQueue(std::shared_ptr<MemoryDatabase> db, const Clock& clock, MemoryQueueOptions options = {});

  Result<void> Send(std::string_view body) override;
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait) override;
  Result<void> Delete(const QueueMessage& message) override;
  Result<void> RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                          std::string_view reason) override;
  Result<QueueStats> Stats() override;
  Result<long long> Redrive() override;

 private:
  // Delivers up to `max_messages` visible messages; sets `next_visible` to when the next hidden
  // message becomes visible (or leaves it when none is hidden).
  std::vector<QueueMessage> ReceiveNow(StoredQueue& queue, int max_messages,
                                       std::chrono::system_clock::time_point& next_visible);

  std::shared_ptr<MemoryDatabase> db_;
  const Clock& clock_;
  const MemoryQueueOptions options_;
};

}  // namespace booklib::test
