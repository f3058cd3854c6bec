// FallbackProvider: asks providers in order (Google Books, then Open Library) until one finds the book.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ports/metadata.h"

namespace booklib::metadata {

// Thread-safe when every provider is. Lookup asks each provider in order and returns the first
// kFound as is. When none finds the book:
//   kTransient if any provider was transient (so the message is retried later), retry_after the
//              largest one given, reason every provider's reason joined "; ";
//   else kMalformed if any answered something unreadable, reason likewise;
//   else kNotFound, reason "not found in A or B" (e.g. "not found in Google Books or Open Library").
// Each provider's lookup is timed and counted (booklib_metadata_provider_duration_seconds and
// booklib_metadata_provider_lookups_total, label provider="google_books", "open_library").
class FallbackProvider final : public MetadataProvider {
 public:
  // REQUIRES: `providers` is not empty and holds no null pointer.
  explicit FallbackProvider(std::vector<std::unique_ptr<MetadataProvider>> providers);

  std::string_view Name() const override;  // "Google Books, then Open Library"
  MetadataLookup Lookup(std::string_view isbn13) override;
  // The same order and rules: the first provider's kFound search as is (candidates are not merged
  // across providers: one list of editions from one source); otherwise transient, malformed, or
  // kNotFound "nothing found in A or B". Searches are not counted in the lookup metrics.
  MetadataSearch Search(std::string_view query, int limit) override;

 private:
  const std::vector<std::unique_ptr<MetadataProvider>> providers_;
  const std::string name_;
};

}  // namespace booklib::metadata
