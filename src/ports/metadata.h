// Port: where book details come from. Adapters: metadata/google_books, metadata/open_library.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  // kFound: the name of the provider whose answer `details` is ("Open Library" when a fallback
  // asked it); a provider may leave it empty for its caller to fill with its Name().
  std::string source;
  std::string reason;                               // human-readable, for FAILED cards and logs
  std::optional<std::chrono::seconds> retry_after;  // from a 429/503 Retry-After
};

// One edition a search turned up.
struct MetadataCandidate {
  BookDetails details;   // title, author, published_date, publisher, cover, page count, ... (cleaned)
  std::string isbn13;    // canonical ISBN-13 (an ISBN-10 converted); empty when the provider gave none
  std::string provider;  // the provider's Name(), "Google Books"
};

// The answer to a title/author search. Outcomes as MetadataLookup's: kFound with at least one
// candidate; kNotFound when the provider answered and has none; kTransient; kMalformed.
struct MetadataSearch {
  using Outcome = MetadataLookup::Outcome;
  Outcome outcome = Outcome::kNotFound;
  std::vector<MetadataCandidate> candidates;  // in the provider's order of relevance
  std::string reason;                         // for logs; never shown to a reader
  std::optional<std::chrono::seconds> retry_after;
};

class MetadataProvider {
 public:
  virtual ~MetadataProvider() = default;
  virtual std::string_view Name() const = 0;
  // REQUIRES: isbn13 is a canonical ISBN-13. Never throws; all failures are outcomes.
  virtual MetadataLookup Lookup(std::string_view isbn13) = 0;
  // Editions matching free text (title, author, or both). REQUIRES: query is not empty (callers
  // validate it; core/book_search.h), 1 <= limit <= 40. At most `limit` candidates. Never throws.
  virtual MetadataSearch Search(std::string_view query, int limit) = 0;
  // Drops anything remembered about `isbn13`, so the next Lookup asks the source again (a user's
  // Retry). Providers without memory ignore it.
  virtual void Forget(std::string_view /*isbn13*/) {}
};

}  // namespace booklib
