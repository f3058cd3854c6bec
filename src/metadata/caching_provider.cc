// CachingProvider: an LRU map with per-outcome TTLs, and shared futures for lookups in flight.
#include "metadata/caching_provider.h"

#include <exception>
#include <utility>

namespace booklib::metadata {

CachingProvider::CachingProvider(std::unique_ptr<MetadataProvider> upstream, const Clock& clock,
                                 CacheOptions options)
    : upstream_(std::move(upstream)), clock_(clock), options_(options) {}

std::string_view CachingProvider::Name() const { return upstream_->Name(); }

MetadataSearch CachingProvider::Search(std::string_view query, int limit) {
  return upstream_->Search(query, limit);
}

std::size_t CachingProvider::Size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

MetadataLookup CachingProvider::Lookup(std::string_view isbn13) {
  const std::string key(isbn13);
  std::promise<MetadataLookup> result;
  {
    std::unique_lock lock(mutex_);
    if (std::optional<MetadataLookup> cached = FindFresh(key)) return *std::move(cached);
    if (const auto flight = in_flight_.find(key); flight != in_flight_.end()) {
      const std::shared_future<MetadataLookup> pending = flight->second;
      lock.unlock();
      return pending.get();
    }
    in_flight_.emplace(key, result.get_future().share());
  }

  MetadataLookup lookup = AskUpstream(isbn13);
  {
    const std::lock_guard lock(mutex_);
    Remember(key, lookup);
    in_flight_.erase(key);
  }
  result.set_value(lookup);  // wakes the lookups that waited for this one
  return lookup;
}

MetadataLookup CachingProvider::AskUpstream(std::string_view isbn13) {
  try {
    return upstream_->Lookup(isbn13);
  } catch (const std::exception& e) {  // a broken adapter must not leave waiters blocked forever
    MetadataLookup lookup;
    lookup.outcome = MetadataLookup::Outcome::kTransient;
    lookup.reason = std::string(upstream_->Name()) + ": " + e.what();
    return lookup;
  }
}

std::optional<MetadataLookup> CachingProvider::FindFresh(const std::string& isbn13) {
  const auto entry = entries_.find(isbn13);
  if (entry == entries_.end()) return std::nullopt;
  if (clock_.Now() >= entry->second.expires) {
    Forget(entry);
    return std::nullopt;
  }
  recency_.splice(recency_.begin(), recency_, entry->second.recency);
  return entry->second.lookup;
}

void CachingProvider::Remember(const std::string& isbn13, const MetadataLookup& lookup) {
  std::chrono::seconds ttl{0};
  if (lookup.outcome == MetadataLookup::Outcome::kFound) ttl = options_.found_ttl;
  if (lookup.outcome == MetadataLookup::Outcome::kNotFound) ttl = options_.not_found_ttl;
  if (ttl.count() <= 0 || options_.capacity == 0) return;

  if (const auto existing = entries_.find(isbn13); existing != entries_.end()) Forget(existing);
  while (entries_.size() >= options_.capacity) Forget(entries_.find(recency_.back()));
  recency_.push_front(isbn13);
  entries_.emplace(isbn13, Entry{lookup, clock_.Now() + ttl, recency_.begin()});
}

void CachingProvider::Forget(std::string_view isbn13) {
  {
    const std::lock_guard lock(mutex_);
    if (const auto entry = entries_.find(std::string(isbn13)); entry != entries_.end()) Forget(entry);
  }
  upstream_->Forget(isbn13);
}

void CachingProvider::Forget(std::unordered_map<std::string, Entry>::iterator entry) {
  recency_.erase(entry->second.recency);
  entries_.erase(entry);
}

}  // namespace booklib::metadata
