// Exponential delays per address and per account; the account limit spares clean addresses.
#include "core/login_throttle.h"

#include <algorithm>
#include <vector>

#include "metrics/metrics.h"

namespace booklib {
namespace {

constexpr std::size_t kMaxKeyBytes = 320;

// Registered at start with both scopes at zero, so a scraper sees the series before the first refusal.
metrics::Family<metrics::Counter>& throttled = []() -> metrics::Family<metrics::Counter>& {
  auto& family = metrics::Registry::Default().AddCounter(
      "booklib_login_throttled_total", "Login attempts refused with 429, by whose failures made them wait.",
      {"scope"});
  family.WithLabels({"address"});
  family.WithLabels({"account"});
  return family;
}();

std::string Key(std::string_view text) { return std::string(text.substr(0, kMaxKeyBytes)); }

std::string Wait(std::int64_t seconds) {
  if (seconds < 120) return std::to_string(seconds) + (seconds == 1 ? " second" : " seconds");
  const std::int64_t minutes = (seconds + 59) / 60;
  return std::to_string(minutes) + " minutes";
}

}  // namespace

LoginThrottle::LoginThrottle(const Clock& clock, LoginThrottlePolicy policy)
    : clock_(clock), policy_(policy) {}

std::int64_t LoginThrottle::WaitFor(const Table& table, const std::string& key, int free_failures,
                                    std::int64_t now) const {
  const auto it = table.find(key);
  if (it == table.end() || it->second.count < free_failures) return 0;
  if (now - it->second.last_at >= policy_.forget_after_seconds) return 0;
  const int doublings = std::min(it->second.count - free_failures, 62);
  const std::int64_t delay = std::min<std::int64_t>(std::int64_t{1} << doublings, policy_.max_delay_seconds);
  return std::max<std::int64_t>(0, it->second.last_at + delay - now);
}

Result<void> LoginThrottle::Check(std::string_view address, std::string_view email) {
  const std::int64_t now = UnixSeconds(clock_);
  const std::string address_key = Key(address);
  const std::lock_guard lock(mutex_);
  if (const std::int64_t wait = WaitFor(addresses_, address_key, policy_.free_failures_per_address, now)) {
    throttled.WithLabels({"address"}).Increment();
    return Fail(ErrorCode::kTooManyRequests,
                "Too many failed logins from your address; try again in " + Wait(wait) + ".", wait);
  }
  const auto own = addresses_.find(address_key);
  const bool address_has_failed =
      own != addresses_.end() && now - own->second.last_at < policy_.forget_after_seconds;
  if (!address_has_failed) return {};
  if (const std::int64_t wait = WaitFor(emails_, Key(email), policy_.free_failures_per_account, now)) {
    throttled.WithLabels({"account"}).Increment();
    return Fail(ErrorCode::kTooManyRequests,
                "Too many failed logins for this account; try again in " + Wait(wait) + ".", wait);
  }
  return {};
}

void LoginThrottle::RecordFailure(std::string_view address, std::string_view email) {
  const std::int64_t now = UnixSeconds(clock_);
  const std::lock_guard lock(mutex_);
  Add(addresses_, address, now);
  Add(emails_, email, now);
}

void LoginThrottle::RecordSuccess(std::string_view email) {
  const std::lock_guard lock(mutex_);
  emails_.erase(Key(email));
}

std::size_t LoginThrottle::RecordCount() const {
  const std::lock_guard lock(mutex_);
  return addresses_.size() + emails_.size();
}

void LoginThrottle::Add(Table& table, std::string_view key, std::int64_t now) {
  const std::string kept = Key(key);
  auto [it, inserted] = table.try_emplace(kept);
  if (!inserted && now - it->second.last_at >= policy_.forget_after_seconds) it->second.count = 0;
  ++it->second.count;
  it->second.last_at = now;
  if (table.size() > policy_.max_records) Prune(table, now, kept);
}

void LoginThrottle::Prune(Table& table, std::int64_t now, const std::string& kept) {
  std::erase_if(
      table, [&](const auto& entry) { return now - entry.second.last_at >= policy_.forget_after_seconds; });
  if (table.size() <= policy_.max_records / 2) return;
  // Still full of live records: keep the newer half (amortised O(log n) per insert).
  std::vector<std::int64_t> times;
  times.reserve(table.size());
  for (const auto& entry : table) times.push_back(entry.second.last_at);
  const auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
  std::nth_element(times.begin(), middle, times.end());
  const std::int64_t cutoff = *middle;
  std::erase_if(table, [&](const auto& entry) { return entry.second.last_at < cutoff; });
  // A flood within one second leaves many records at the cutoff: drop those too, but the one just added.
  for (auto it = table.begin(); it != table.end() && table.size() > policy_.max_records / 2;)
    it = it->second.last_at == cutoff && it->first != kept ? table.erase(it) : std::next(it);
}

}  // namespace booklib
