// MemoryDatabase: the tables a MemoryStore and a MemoryQueue share in memory, with transactions.
//
// It plays the part the SQLite file plays for SqliteStore and SqliteQueue: a store and a queue on
// one MemoryDatabase commit their writes made inside one Atomically() together, or not at all.
//
// Isolation is the simplest there is: one lock, held by each call (With) and by a transaction for
// its whole run, so calls and transactions happen one after another and a transaction's writes are
// seen by other threads only once it has committed. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "ports/clock.h"

namespace booklib::test {

// A shelf entry with the order it was added in (ListLibrary's tie-breaker).
struct StoredUserBook {
  UserBook entry;
  std::int64_t sequence = 0;
};

// One message of a queue, as a MemoryQueue keeps it.
struct StoredMessage {
  std::string id;
  std::string body;
  std::int64_t sequence = 0;  // delivery order
  std::chrono::system_clock::time_point visible_at;
  int receive_count = 0;
  std::string receipt_handle;  // of the latest delivery; empty before the first
};

struct StoredQueue {
  std::map<std::int64_t, StoredMessage> messages;  // by sequence
  std::vector<StoredMessage> dead_letters;
};

struct MemoryTables {
  std::map<std::string, User> users;                        // by id
  std::map<std::string, Session> sessions;                  // by id
  std::map<std::string, ApiToken> api_tokens;               // by id
  std::map<std::string, Book> books;                        // by id
  std::map<std::string, StoredUserBook> user_books;         // by id
  std::map<std::string, StoredQueue> queues;                // by queue name
  std::map<std::string, std::vector<std::string>> shelves;  // by user id: their shelf names
  std::int64_t next_sequence = 1;                           // for entries and messages alike
  std::int64_t library_writes = 0;  // every write to entries, shelves or books: LibraryVersion
};

class MemoryDatabase {
 public:
  // Calls `use(tables)` alone (inside a transaction of this thread: as part of it) and returns
  // what it returns. `use` must not call Atomically() or wait for another thread's use of the
  // database.
  template <class Use>
  std::invoke_result_t<Use&, MemoryTables&> With(Use&& use) {
    const std::lock_guard lock(mutex_);
    return use(tables_);
  }

  // Runs `work` as one transaction: when it returns an error, every table is put back as it was
  // before `work` began. Nested calls join the outer transaction (only the outer one undoes).
  Result<void> Atomically(const std::function<Result<void>()>& work);

  // For long polls. A writer that may have made something worth waiting for (a message sent,
  // made visible again, redriven) calls NotifyChanged() after its With(); a waiter reads
  // ChangeCount() before looking, and Wait() returns once the count differs from what it read, or
  // once `clock` reaches `deadline`.
  void NotifyChanged();
  std::uint64_t ChangeCount() const;
  void Wait(const Clock& clock, std::uint64_t seen, std::chrono::system_clock::time_point deadline);

 private:
  std::recursive_mutex mutex_;  // held by With() and by a transaction throughout
  MemoryTables tables_;
  int transaction_depth_ = 0;  // guarded by mutex_

  mutable std::mutex change_mutex_;
  std::condition_variable changed_;
  std::uint64_t changes_ = 0;  // guarded by change_mutex_
};

}  // namespace booklib::test
