// Port: the time and the randomness the core depends on, so tests can fix both.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace booklib {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
};

// Wall clock of the machine.
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
};

// Unix seconds of `clock`.
std::int64_t UnixSeconds(const Clock& clock);
// ISO-8601 UTC with seconds, e.g. "2026-11-25T12:00:00Z".
std::string IsoTimestamp(std::chrono::system_clock::time_point when);

}  // namespace booklib
