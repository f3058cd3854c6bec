// SessionCache: a map with a recency list, under one lock (held for a lookup, never for I/O).
#include "core/session_cache.h"

#include <cstdint>

namespace booklib {

std::optional<User> SessionCache::Find(const std::string& stored_id, std::int64_t now_unix,
                                       Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(stored_id);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.cached_until || now_unix >= it->second.session_expires_at) {
    uses_.erase(it->second.use);
    entries_.erase(it);
    return std::nullopt;
  }
  if (it->second.revoked) return std::nullopt;
  uses_.splice(uses_.begin(), uses_, it->second.use);
  return it->second.user;
}

void SessionCache::Put(const std::string& stored_id, const User& user, std::int64_t session_expires_at,
                       Clock::time_point now) {
  if (ttl_.count() <= 0 || capacity_ == 0) return;
  const std::lock_guard lock(mutex_);
  Insert(stored_id, Entry{user, session_expires_at, now + ttl_, false, {}}, now);
}

void SessionCache::Forget(const std::string& stored_id, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  if (ttl_.count() <= 0 || capacity_ == 0) return;
  Insert(stored_id, Entry{User{}, INT64_MAX, now + ttl_, true, {}}, now);
}

void SessionCache::Insert(const std::string& stored_id, Entry entry, Clock::time_point now) {
  if (const auto it = entries_.find(stored_id); it != entries_.end()) {
    if (!entry.revoked && it->second.revoked && now < it->second.cached_until) return;  // logged out
    uses_.erase(it->second.use);
    entries_.erase(it);
  }
  while (entries_.size() >= capacity_) {
    entries_.erase(uses_.back());
    uses_.pop_back();
  }
  uses_.push_front(stored_id);
  entry.use = uses_.begin();
  entries_.emplace(stored_id, std::move(entry));
}

std::size_t SessionCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace booklib
