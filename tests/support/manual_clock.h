// ManualClock: a Clock for tests that only moves when the test, or code sleeping on it, says so.
#pragma once

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "ports/clock.h"

namespace booklib::test {

// Thread-safe. Starts at 2026-01-01T00:00:00Z unless told otherwise.
//
// Sleeping and waiting on it never block in real time: SleepFor(d) moves its time forward by d,
// and a WaitUntil whose ready() is false moves it to the deadline and returns. Code under test
// that backs off or long-polls therefore runs at once and sees the time it would have seen.
// One time is shared by every thread: each sleeper moves it for all, so a test with concurrent
// sleepers must allow for the sum of their sleeps having passed.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start =
                           std::chrono::sys_days{std::chrono::year{2026} / std::chrono::January / 1})
      : now_(start) {}

  std::chrono::system_clock::time_point Now() const override {
    const std::lock_guard lock(mutex_);
    return now_;
  }

  void SleepFor(std::chrono::system_clock::duration duration) const override {
    const std::lock_guard lock(mutex_);
    if (duration > duration.zero()) now_ += duration;
    slept_ += std::max(duration, duration.zero());
  }

  bool WaitUntil(std::unique_lock<std::mutex>& /*lock*/, std::condition_variable& /*cv*/,
                 std::chrono::system_clock::time_point deadline,
                 const std::function<bool()>& ready) const override {
    if (ready()) return true;
    {
      const std::lock_guard lock(mutex_);
      if (deadline > now_) {
        slept_ += deadline - now_;
        now_ = deadline;
      }
    }
    return ready();
  }

  void Advance(std::chrono::system_clock::duration by) {
    const std::lock_guard lock(mutex_);
    now_ += by;
  }

  void Set(std::chrono::system_clock::time_point to) {
    const std::lock_guard lock(mutex_);
    now_ = to;
  }

  // How far sleeps and waits have moved the time so far (Advance and Set not included).
  std::chrono::system_clock::duration Slept() const {
    const std::lock_guard lock(mutex_);
    return slept_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::chrono::system_clock::time_point now_;
  mutable std::chrono::system_clock::duration slept_{};
};

}  // namespace booklib::test
