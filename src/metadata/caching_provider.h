// CachingProvider: remembers found and not-found answers per ISBN for a while; merges concurrent lookups.
#pragma once

#include <chrono>
#include <cstddef>
#include <future>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "metadata/metadata_config.h"
#include "ports/clock.h"
#include "ports/metadata.h"

namespace booklib::metadata {

// Thread-safe decorator. Lookup returns a remembered kFound (for options.found_ttl) or kNotFound
// (for options.not_found_ttl) without asking upstream; kTransient and kMalformed are never
// remembered. While a lookup of an ISBN is in progress, other lookups of the same ISBN wait for
// it and share its result instead of asking upstream again (single flight). At most
// options.capacity ISBNs are remembered; the least recently used is forgotten first.
class CachingProvider final : public MetadataProvider {
 public:
  // REQUIRES: upstream is not null; `clock` outlives this provider.
  CachingProvider(std::unique_ptr<MetadataProvider> upstream, const Clock& clock, CacheOptions options = {});

  std::string_view Name() const override;  // upstream's name
  MetadataLookup Lookup(std::string_view isbn13) override;
  // Passed through upstream, nothing remembered: a reader types a search once and picks from it,
  // so a cache of free-text queries would mostly hold answers nobody asks for again.
  MetadataSearch Search(std::string_view query, int limit) override;
  void Forget(std::string_view isbn13) override;  // also forwarded upstream

  // ISBNs remembered now, expired ones included until they are looked up or evicted.
  std::size_t Size() const;

 private:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Entry {
    MetadataLookup lookup;
    TimePoint expires;
    std::list<std::string>::iterator recency;
  };

  // REQUIRES: mutex_ held. A fresh remembered answer (marked most recently used), else nullopt;
  // drops an expired entry.
  std::optional<MetadataLookup> FindFresh(const std::string& isbn13);
  // REQUIRES: mutex_ held. Remembers `lookup` if its outcome is cacheable, evicting as needed.
  void Remember(const std::string& isbn13, const MetadataLookup& lookup);
  void Forget(std::unordered_map<std::string, Entry>::iterator entry);
  MetadataLookup AskUpstream(std::string_view isbn13);

  const std::unique_ptr<MetadataProvider> upstream_;
  const Clock& clock_;
  const CacheOptions options_;

  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> recency_;  // most recently used first
  std::unordered_map<std::string, std::shared_future<MetadataLookup>> in_flight_;
};

}  // namespace booklib::metadata
