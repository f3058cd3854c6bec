// Use case: finding a book to add by its title or author (or a typed ISBN) in the metadata providers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "ports/metadata.h"
#include "ports/store.h"

namespace booklib {

// One edition offered to the reader, and whether they already have it.
struct BookCandidate {
  MetadataCandidate found;
  std::string owned_entry_id;  // the reader's entry for this ISBN, or empty (also when found has no ISBN)
};

struct BookSearchResult {
  enum class Kind {
    kCandidates,    // at least one candidate
    kNothingFound,  // the providers answered and have nothing
    kUnavailable,   // no provider could answer (timeouts, 429, 5xx, unreadable answers): try later
  };
  Kind kind = Kind::kNothingFound;
  std::vector<BookCandidate> candidates;
  std::string isbn;  // the canonical ISBN-13 when the query was an ISBN, else empty
};

class BookSearch {
 public:
  static constexpr int kMaxQueryCharacters = 200;
  static constexpr int kMaxCandidates = 10;

  // REQUIRES: `store` and `provider` outlive this object. Thread-safe when they are.
  BookSearch(Store& store, MetadataProvider& provider);

  // The editions matching `query` for `user_id`, at most kMaxCandidates, each marked with the
  // reader's entry when they have that ISBN. The query is trimmed; kInvalidArgument (with a reason
  // to show) when it is then empty, longer than kMaxQueryCharacters characters or not UTF-8, and
  // the provider is not asked. A query that is an ISBN (NormalizeIsbn accepts it) is looked up,
  // not searched: its one candidate, or kNothingFound with `isbn` set so the reader can add it by
  // ISBN anyway. Store failures other than kNotFound are returned as errors.
  Result<BookSearchResult> Search(std::string_view user_id, std::string_view query) const;

 private:
  // The reader's entry id for `isbn13`, empty when they have none.
  Result<std::string> OwnedEntryId(std::string_view user_id, std::string_view isbn13) const;

  Store& store_;
  MetadataProvider& provider_;
};

}  // namespace booklib
