// MemoryQueue: visibility, receive counts and dead letters on the shared in-memory tables.
#include "tests/support/memory_queue.h"

#include <algorithm>

#include "crypto/crypto.h"

namespace booklib::test {

MemoryQueue::MemoryQueue(std::shared_ptr<MemoryDatabase> db, const Clock& clock, MemoryQueueOptions options)
    : db_(std::move(db)), clock_(clock), options_(std::move(options)) {}

Result<void> MemoryQueue::Send(std::string_view body) {
  db_->With([&](MemoryTables& tables) {
    const std::int64_t sequence = tables.next_sequence++;
    tables.queues[options_.name].messages[sequence] =
        StoredMessage{crypto::RandomUuid(), std::string(body), sequence, clock_.Now(), 0, ""};
  });
  db_->NotifyChanged();
  return {};
}

std::vector<QueueMessage> MemoryQueue::ReceiveNow(StoredQueue& queue, int max_messages,
                                                  std::chrono::system_clock::time_point& next_visible) {
  const auto now = clock_.Now();
  std::vector<QueueMessage> received;
  for (auto it = queue.messages.begin(); it != queue.messages.end();) {
    StoredMessage& message = it->second;
    if (message.visible_at > now) {
      next_visible = std::min(next_visible, message.visible_at);
      ++it;
      continue;
    }
    if (message.receive_count >= options_.max_receives) {  // SQS: dead on the receive after the last
      queue.dead_letters.push_back(std::move(message));
      it = queue.messages.erase(it);
      continue;
    }
    if (static_cast<int>(received.size()) < max_messages) {
      ++message.receive_count;
      message.receipt_handle = crypto::RandomHex(16);
      message.visible_at = now + options_.visibility_timeout;
      next_visible = std::min(next_visible, message.visible_at);
      received.push_back(
          QueueMessage{message.id, message.receipt_handle, message.body, message.receive_count});
    }
    ++it;
  }
  return received;
}

Result<std::vector<QueueMessage>> MemoryQueue::Receive(int max_messages, std::chrono::seconds wait) {
  max_messages = std::clamp(max_messages, 1, 10);
  const auto deadline = clock_.Now() + std::max(wait, std::chrono::seconds{0});
  while (true) {
    const std::uint64_t seen = db_->ChangeCount();
    auto next_visible = deadline;
    auto received = db_->With([&](MemoryTables& tables) {
      return ReceiveNow(tables.queues[options_.name], max_messages, next_visible);
    });
    if (!received.empty() || clock_.Now() >= deadline) return received;
    db_->Wait(clock_, seen, next_visible);
  }
}

Result<void> MemoryQueue::Delete(const QueueMessage& message) {
  db_->With([&](MemoryTables& tables) {
    auto& messages = tables.queues[options_.name].messages;
    std::erase_if(messages, [&](const auto& entry) {
      return entry.second.id == message.id && entry.second.receipt_handle == message.receipt_handle;
    });
  });
  return {};
}

Result<void> MemoryQueue::RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                                     std::string_view /*reason*/) {
  const bool known = db_->With([&](MemoryTables& tables) {
    for (auto& [sequence, stored] : tables.queues[options_.name].messages) {
      if (stored.id != message.id || stored.receipt_handle != message.receipt_handle) continue;
      stored.visible_at = clock_.Now() + std::max(delay, std::chrono::seconds{0});
      return true;
    }
    return false;
  });
  if (!known) return Fail(ErrorCode::kNotFound, "no delivery " + message.receipt_handle + " in flight");
  db_->NotifyChanged();
  return {};
}

Result<QueueStats> MemoryQueue::Stats() {
  const auto now = clock_.Now();
  return db_->With([&](MemoryTables& tables) {
    const StoredQueue& queue = tables.queues[options_.name];
    QueueStats stats;
    for (const auto& [sequence, message] : queue.messages)
      ++(message.visible_at <= now ? stats.visible : stats.in_flight);
    stats.dead_letters = static_cast<long long>(queue.dead_letters.size());
    return stats;
  });
}

Result<long long> MemoryQueue::Redrive() {
  const auto now = clock_.Now();
  const long long moved = db_->With([&](MemoryTables& tables) {
    StoredQueue& queue = tables.queues[options_.name];
    const auto count = static_cast<long long>(queue.dead_letters.size());
    for (StoredMessage& dead : queue.dead_letters) {
      const std::int64_t sequence = tables.next_sequence++;
      queue.messages[sequence] = StoredMessage{dead.id, std::move(dead.body), sequence, now, 0, ""};
    }
    queue.dead_letters.clear();
    return count;
  });
  db_->NotifyChanged();
  return moved;
}

}  // namespace booklib::test
