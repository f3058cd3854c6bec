// PageCache: a map with a recency list under one lock; bodies shared, so a hit copies outside it.
#include "web/page_cache.h"

namespace booklib::web {

std::shared_ptr<const std::string> PageCache::Find(const std::string& etag) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(etag);
  if (it == entries_.end()) return nullptr;
  uses_.splice(uses_.begin(), uses_, it->second.use);
  return it->second.body;
}

void PageCache::Put(const std::string& etag, std::string body) {
  const std::size_t size = body.size() + etag.size();
  if (max_bytes_ == 0 || size > max_bytes_ / 8) return;
  auto shared = std::make_shared<const std::string>(std::move(body));
  const std::lock_guard lock(mutex_);
  if (entries_.contains(etag)) return;  // another thread rendered the same page meanwhile
  while (!uses_.empty() && bytes_ + size > max_bytes_) {
    const auto oldest = entries_.find(uses_.back());
    bytes_ -= oldest->second.body->size() + oldest->first.size();
    entries_.erase(oldest);
    uses_.pop_back();
  }
  uses_.push_front(etag);
  entries_.emplace(etag, Entry{std::move(shared), uses_.begin()});
  bytes_ += size;
}

std::size_t PageCache::bytes() const {
  const std::lock_guard lock(mutex_);
  return bytes_;
}

}  // namespace booklib::web
