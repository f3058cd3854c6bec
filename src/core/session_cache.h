// Sessions recently resolved to their user, so that a page view does not cost two store reads.
// Bounded (least recently used dropped first), each entry kept at most `ttl`, never past its
// session's expiry, and dropped at once by this process's logout. A logout through another process
// (several instances on DynamoDB) is seen here within `ttl`: Accounts' policy keeps it short there.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "core/domain.h"

namespace booklib {

class SessionCache {
 public:
  using Clock = std::chrono::steady_clock;

  // ttl zero or capacity zero: a cache that keeps nothing.
  SessionCache(std::chrono::milliseconds ttl, std::size_t capacity) : ttl_(ttl), capacity_(capacity) {}

  // The user of `stored_id` when cached, fresh, and its session not expired at `now_unix`.
  std::optional<User> Find(const std::string& stored_id, std::int64_t now_unix,
                           Clock::time_point now = Clock::now());
  void Put(const std::string& stored_id, const User& user, std::int64_t session_expires_at,
           Clock::time_point now = Clock::now());
  // Logged out: forgotten, and for `ttl` no Put of it is kept (a lookup that read the session
  // from the store just before the logout deleted it cannot bring it back).
  void Forget(const std::string& stored_id, Clock::time_point now = Clock::now());
  std::size_t size() const;

 private:
  struct Entry {
    User user;
    std::int64_t session_expires_at;
    Clock::time_point cached_until;
    bool revoked;                          // a logout's mark: nothing cached for it until cached_until
    std::list<std::string>::iterator use;  // its place in uses_, most recent first
  };
  void Insert(const std::string& stored_id, Entry entry, Clock::time_point now);  // REQUIRES: mutex_ held

  const std::chrono::milliseconds ttl_;
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> uses_;
};

}  // namespace booklib
