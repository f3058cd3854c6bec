// Runs MetadataSync over a queue: pollers receive batches, lookups of a batch run concurrently.
#pragma once

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "core/metadata_sync.h"
#include "ports/clock.h"
#include "ports/queue.h"

namespace booklib {

struct WorkerOptions {
  int pollers = 8;  // concurrent Receive loops; each processes its batch of up to 10 in parallel
  int batch_size = 10;
  std::chrono::seconds wait{20};  // long-poll time of each Receive
};

class MetadataWorker {
 public:
  // `clock` paces the back-off after a failed receive. All three must outlive the worker.
  MetadataWorker(Queue& queue, MetadataSync& sync, const Clock& clock, WorkerOptions options = {});
  ~MetadataWorker();  // Stop()s

  void Start();
  // Stops receiving; batches already received are finished (or, if the process dies first, their
  // messages reappear after the visibility timeout).
  void Stop();

  // Handles one batch; returns how many messages were received. Used by the loops and by tests.
  // After a failed receive it sleeps a second on the clock, so a broken queue is not hammered.
  int RunOnce(std::chrono::seconds wait);

 private:
  void Poll();
  void Handle(const QueueMessage& message);

  Queue& queue_;
  MetadataSync& sync_;
  const Clock& clock_;
  WorkerOptions options_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> pollers_;
};

}  // namespace booklib
