// Port: where book details come from. Adapters: metadata/google_books, metadata/open_library.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/domain.h"

namespace booklib {

struct MetadataLookup {
  enum class Outcome {
    kFound,      // details filled
    kNotFound,   // the provider answered and has no such book: final
    kTransient,  // timeout, connection error, 5xx, 429: retry later
    kMalformed,  // the provider answered something unreadable: final
  };
  Outcome outcome = Outcome::kNotFound;
  BookDetails details;
  std::string reason;                               // human-readable, for FAILED cards and logs
  std::optional<std::chrono::seconds> retry_after;  // from a 429/503 Retry-After
};

class MetadataProvider {
 public:
  virtual ~MetadataProvider() = default;
  virtual std::string_view Name() const = 0;
  // REQUIRES: isbn13 is a canonical ISBN-13. Never throws; all failures are outcomes.
  virtual MetadataLookup Lookup(std::string_view isbn13) = 0;
  // Drops anything remembered about `isbn13`, so the next Lookup asks the source again (a user's
  // Retry). Providers without memory ignore it.
  virtual void Forget(std::string_view /*isbn13*/) {}
};

}  // namespace booklib
