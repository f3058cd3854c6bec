// Time helpers of ports/clock.h.
#include "ports/clock.h"

#include <ctime>
#include <thread>

namespace booklib {

void SystemClock::SleepFor(std::chrono::system_clock::duration duration) const {
  if (duration > duration.zero()) std::this_thread::sleep_for(duration);
}

bool SystemClock::WaitUntil(std::unique_lock<std::mutex>& lock, std::condition_variable& cv,
                            std::chrono::system_clock::time_point deadline,
                            const std::function<bool()>& ready) const {
  const auto left = deadline - Now();
  if (left <= left.zero()) return ready();
  return cv.wait_until(lock, std::chrono::steady_clock::now() + left, ready);
}

std::int64_t UnixSeconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.Now().time_since_epoch()).count();
}

std::string FormatUtc(std::chrono::system_clock::time_point when, const char* strftime_format) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  const std::size_t length = std::strftime(buffer, sizeof buffer, strftime_format, &tm);
  return std::string(buffer, length);
}

std::string IsoTimestamp(std::chrono::system_clock::time_point when) {
  return FormatUtc(when, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace booklib
