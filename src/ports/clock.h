// Port: the time, the waiting and the randomness the core depends on, so tests can fix all three.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>

namespace booklib {

// Every method is safe to call from many threads at once. Code that sleeps or waits for time to
// pass (backoff, long polls, visibility timeouts) does it through its Clock, never through
// std::this_thread or a condition variable's own timeout, so a test clock can make it instant.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;

  // Returns once `duration` has passed on this clock; at once when `duration` is zero or negative.
  virtual void SleepFor(std::chrono::system_clock::duration duration) const = 0;

  // Waits on `cv` until `ready()` is true or this clock reaches `deadline`, whichever is first,
  // and returns ready(). Checks ready() first: returns true at once without waiting when it holds,
  // and a `deadline` not after Now() only checks. ready() is called with `lock` held.
  // REQUIRES: `lock` owns the mutex that guards what ready() reads; whoever changes that notifies
  // `cv` (notifications wake the wait; a clock may also wake it early to check again).
  virtual bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                         std::chrono::system_clock::time_point deadline,
                         const std::function<bool()>& ready) const = 0;
};

// Wall clock of the machine; sleeps and waits block the calling thread for real.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
  void SleepFor(std::chrono::system_clock::duration duration) const override;
  // Measures the wait on the steady clock, so a wall-clock jump neither ends nor stretches it.
  bool WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                 std::chrono::system_clock::time_point deadline,
                 const std::function<bool()>& ready) const override;
};

// Unix seconds of `clock`.
std::int64_t UnixSeconds(const Clock& clock);
// `when` in UTC as strftime formats it (up to 63 characters; empty if longer).
std::string FormatUtc(std::chrono::system_clock::time_point when, const char* strftime_format);
// ISO-8601 UTC with seconds, e.g. "2026-11-25T12:00:00Z".
std::string IsoTimestamp(std::chrono::system_clock::time_point when);

}  // namespace booklib
