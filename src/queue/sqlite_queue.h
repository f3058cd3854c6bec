// Queue adapter in the SQLite database file (the default): SQS semantics without a server.
// Messages written inside Store::RunAtomically commit with the store's writes. Every time it keeps
// (sent, visible again, retention) and every wait of a long poll is on its Clock.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "ports/clock.h"
#include "ports/queue.h"
#include "sqlite/database.h"

namespace booklib {

struct SqliteQueueOptions {
  std::string name = "metadata";
  std::chrono::milliseconds visibility_timeout{300'000};
  int max_receives = 3;  // then the message moves to the dead letters
  std::chrono::seconds retention{14 * 24 * 3600};
  std::chrono::seconds max_wait{20};
  // How often a waiting Receive looks for messages sent by other processes.
  std::chrono::milliseconds poll_interval{100};
};

class SqliteQueue final : public Queue {
 public:
  // `clock` must outlive the queue.
  SqliteQueue(std::shared_ptr<sqlite::Database> db, const Clock& clock, SqliteQueueOptions options = {});

  Result<void> Send(std::string_view body) override;
  Result<std::vector<QueueMessage>> Receive(int max_messages, std::chrono::seconds wait) override;
  Result<void> Delete(const QueueMessage& message) override;
  Result<void> RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                          std::string_view reason) override;
  Result<QueueStats> Stats() override;
  Result<long long> Redrive() override;

 private:
  std::int64_t NowMs() const;
  Result<bool> AnyVisible(std::int64_t now_ms);
  Result<std::vector<QueueMessage>> ReceiveNow(int max_messages);
  // Tells waiting receivers that messages may have become visible in this process.
  void WakeReceivers();

  std::shared_ptr<sqlite::Database> db_;
  const Clock& clock_;
  SqliteQueueOptions options_;
  std::mutex mutex_;
  std::condition_variable sent_;
  std::uint64_t sends_ = 0;  // guarded by mutex_; counts WakeReceivers() calls
};

}  // namespace booklib
