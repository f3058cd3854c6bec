// SQLite queue: visibility timeouts, receive counts, dead letters and retention in two tables.
#include "queue/sqlite_queue.h"

#include <algorithm>

#include "crypto/crypto.h"

namespace booklib {

SqliteQueue::SqliteQueue(std::shared_ptr<sqlite::Database> db, const Clock& clock, SqliteQueueOptions options)
    : db_(std::move(db)), clock_(clock), options_(std::move(options)) {}

std::int64_t SqliteQueue::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch()).count();
}

Result<void> SqliteQueue::Send(std::string_view body) {
  {
    auto lease = db_->Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto s = (*lease)->Prepare(
        "INSERT INTO queue_messages (message_id, queue, body, sent_at, visible_at) VALUES (?, ?, ?, ?, ?)");
    if (!s) return std::unexpected(s.error());
    const std::int64_t now = NowMs();
    (*s)->Bind(1, crypto::RandomUuid()).Bind(2, options_.name).Bind(3, body).Bind(4, now).Bind(5, now);
    if (auto ok = (*s)->Run(); !ok) return ok;
  }
  WakeReceivers();
  return {};
}

void SqliteQueue::WakeReceivers() {
  {
    const std::lock_guard lock(mutex_);
    ++sends_;
  }
  sent_.notify_all();
}

Result<bool> SqliteQueue::AnyVisible(std::int64_t now_ms) {
  auto lease = db_->Acquire();
  if (!lease) return std::unexpected(lease.error());
  auto s = (*lease)->Prepare("SELECT 1 FROM queue_messages WHERE queue = ? AND visible_at <= ? LIMIT 1");
  if (!s) return std::unexpected(s.error());
  (*s)->Bind(1, options_.name).Bind(2, now_ms);
  return (*s)->Step();
}

Result<std::vector<QueueMessage>> SqliteQueue::ReceiveNow(int max_messages) {
  std::vector<QueueMessage> received;
  auto done = db_->Atomically([&]() -> Result<void> {
    auto lease = db_->Acquire();
    if (!lease) return std::unexpected(lease.error());
    const std::int64_t now = NowMs();
    const std::int64_t retention_cutoff =
        now - std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention).count();
    // SQS semantics: past its retention a message is gone; past max receives it is a dead letter.
    for (std::string_view sql :
         {"DELETE FROM queue_messages WHERE queue = ?1 AND sent_at < ?3",
          "DELETE FROM queue_dead_letters WHERE queue = ?1 AND sent_at < ?3",
          "INSERT INTO queue_dead_letters (message_id, queue, body, sent_at, died_at, receive_count, "
          "last_error) "
          "SELECT message_id, queue, body, sent_at, ?2, receive_count, last_error FROM queue_messages "
          "WHERE queue = ?1 AND visible_at <= ?2 AND receive_count >= ?4",
          "DELETE FROM queue_messages WHERE queue = ?1 AND visible_at <= ?2 AND receive_count >= ?4"}) {
      auto s = (*lease)->Prepare(sql);
      if (!s) return std::unexpected(s.error());
      (*s)->Bind(1, options_.name).Bind(2, now).Bind(3, retention_cutoff);
      (*s)->Bind(4, static_cast<std::int64_t>(options_.max_receives));
      if (auto ok = (*s)->Run(); !ok) return ok;
    }
    auto select = (*lease)->Prepare(
        "SELECT message_id, body, receive_count FROM queue_messages WHERE queue = ? AND visible_at <= ? "
        "ORDER BY seq LIMIT ?");
    if (!select) return std::unexpected(select.error());
    (*select)->Bind(1, options_.name).Bind(2, now).Bind(3, static_cast<std::int64_t>(max_messages));
    while (true) {
      auto row = (*select)->Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) break;
      received.push_back(QueueMessage{(*select)->Text(0), crypto::RandomHex(16), (*select)->Text(1),
                                      static_cast<int>((*select)->Int(2)) + 1});
    }
    select->reset();
    auto update = (*lease)->Prepare(
        "UPDATE queue_messages SET receive_count = receive_count + 1, visible_at = ?, receipt_handle = ? "
        "WHERE message_id = ?");
    if (!update) return std::unexpected(update.error());
    for (const QueueMessage& message : received) {
      (*update)->Bind(1, now + options_.visibility_timeout.count()).Bind(2, message.receipt_handle);
      (*update)->Bind(3, message.id);
      if (auto ok = (*update)->Run(); !ok) return ok;
    }
    return {};
  });
  if (!done) return std::unexpected(done.error());
  return received;
}

Result<std::vector<QueueMessage>> SqliteQueue::Receive(int max_messages, std::chrono::seconds wait) {
  max_messages = std::clamp(max_messages, 1, 10);
  const auto deadline = clock_.Now() + std::min(wait, options_.max_wait);
  while (true) {
    std::uint64_t sends_seen;
    {
      const std::lock_guard lock(mutex_);
      sends_seen = sends_;
    }
    auto any = AnyVisible(NowMs());
    if (!any) return std::unexpected(any.error());
    if (*any) {
      auto received = ReceiveNow(max_messages);
      if (!received || !received->empty()) return received;
    }
    const auto now = clock_.Now();
    if (now >= deadline) return std::vector<QueueMessage>{};
    std::unique_lock lock(mutex_);
    clock_.WaitUntil(lock, sent_, std::min(deadline, now + options_.poll_interval),
                     [&] { return sends_ != sends_seen; });
  }
}

Result<void> SqliteQueue::Delete(const QueueMessage& message) {
  auto lease = db_->Acquire();
  if (!lease) return std::unexpected(lease.error());
  auto s = (*lease)->Prepare("DELETE FROM queue_messages WHERE message_id = ? AND receipt_handle = ?");
  if (!s) return std::unexpected(s.error());
  (*s)->Bind(1, message.id).Bind(2, message.receipt_handle);
  return (*s)->Run();  // a stale receipt deletes nothing: the message was redelivered meanwhile
}

Result<void> SqliteQueue::RetryLater(const QueueMessage& message, std::chrono::seconds delay,
                                     std::string_view reason) {
  auto lease = db_->Acquire();
  if (!lease) return std::unexpected(lease.error());
  auto s = (*lease)->Prepare(
      "UPDATE queue_messages SET visible_at = ?, last_error = ? WHERE message_id = ? AND receipt_handle = ?");
  if (!s) return std::unexpected(s.error());
  const std::int64_t visible_at =
      NowMs() + std::chrono::duration_cast<std::chrono::milliseconds>(delay).count();
  (*s)->Bind(1, visible_at).Bind(2, reason).Bind(3, message.id).Bind(4, message.receipt_handle);
  return (*s)->Run();
}

Result<QueueStats> SqliteQueue::Stats() {
  auto lease = db_->Acquire();
  if (!lease) return std::unexpected(lease.error());
  auto s = (*lease)->Prepare(
      "SELECT (SELECT count(*) FROM queue_messages WHERE queue = ?1 AND visible_at <= ?2), "
      "(SELECT count(*) FROM queue_messages WHERE queue = ?1 AND visible_at > ?2), "
      "(SELECT count(*) FROM queue_dead_letters WHERE queue = ?1)");
  if (!s) return std::unexpected(s.error());
  (*s)->Bind(1, options_.name).Bind(2, NowMs());
  auto row = (*s)->Step();
  if (!row) return std::unexpected(row.error());
  return QueueStats{(*s)->Int(0), (*s)->Int(1), (*s)->Int(2)};
}

Result<long long> SqliteQueue::Redrive() {
  long long moved = 0;
  auto done = db_->Atomically([&]() -> Result<void> {
    auto lease = db_->Acquire();
    if (!lease) return std::unexpected(lease.error());
    auto insert = (*lease)->Prepare(
        "INSERT INTO queue_messages (message_id, queue, body, sent_at, visible_at, last_error) "
        "SELECT message_id, queue, body, ?2, ?2, last_error FROM queue_dead_letters WHERE queue = ?1");
    if (!insert) return std::unexpected(insert.error());
    (*insert)->Bind(1, options_.name).Bind(2, NowMs());
    if (auto ok = (*insert)->Run(); !ok) return ok;
    moved = (*insert)->Changes();
    auto remove = (*lease)->Prepare("DELETE FROM queue_dead_letters WHERE queue = ?");
    if (!remove) return std::unexpected(remove.error());
    (*remove)->Bind(1, options_.name);
    return (*remove)->Run();
  });
  if (!done) return std::unexpected(done.error());
  WakeReceivers();
  return moved;
}

}  // namespace booklib
