// ManualClock: a Clock for tests that only moves when the test says so.
#pragma once

#include <chrono>
#include <mutex>

#include "ports/clock.h"

namespace booklib::test {

// Thread-safe. Starts at 2026-01-01T00:00:00Z unless told otherwise.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start =
                           std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1})
      : now_(start) {}

  std::chrono::system_clock::time_point Now() const override {
    const std::lock_guard lock(mutex_);
    return now_;
  }

  void Advance(std::chrono::system_clock::duration by) {
    const std::lock_guard lock(mutex_);
    now_ += by;
  }

  void Set(std::chrono::system_clock::time_point to) {
    const std::lock_guard lock(mutex_);
    now_ = to;
  }

 private:
  mutable std::mutex mutex_;
  std::chrono::system_clock::time_point now_;
};

}  // namespace booklib::test
