// MemoryDatabase transactions: a copy of the tables taken at the start, restored on failure.
#include "tests/support/memory_database.h"

namespace booklib::test {

Result<void> MemoryDatabase::Atomically(const std::function<Result<void>()>& work) {
  const std::lock_guard lock(mutex_);
  if (transaction_depth_ > 0) return work();
  MemoryTables before = tables_;
  ++transaction_depth_;
  Result<void> result = work();
  --transaction_depth_;
  if (!result) tables_ = std::move(before);
  return result;
}

void MemoryDatabase::NotifyChanged() {
  {
    const std::lock_guard lock(change_mutex_);
    ++changes_;
  }
  changed_.notify_all();
}

std::uint64_t MemoryDatabase::ChangeCount() const {
  const std::lock_guard lock(change_mutex_);
  return changes_;
}

void MemoryDatabase::Wait(const Clock& clock, std::uint64_t seen,
                          std::chrono::system_clock::time_point deadline) {
  std::unique_lock lock(change_mutex_);
  clock.WaitUntil(lock, changed_, deadline, [&] { return changes_ != seen; });
}

}  // namespace booklib::test
