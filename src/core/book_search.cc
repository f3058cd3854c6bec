// BookSearch: validate the query, ask the provider chain, mark the reader's own books.
#include "core/book_search.h"

#include <algorithm>
#include <utility>

#include "core/ids.h"
#include "core/isbn.h"
#include "core/log.h"
#include "text/ascii.h"
#include "text/utf8.h"

namespace booklib {
namespace {

using Outcome = MetadataLookup::Outcome;

// Code points of well-formed UTF-8: every byte that is not a continuation byte starts one.
std::size_t CharacterCount(std::string_view text) {
  return static_cast<std::size_t>(
      std::ranges::count_if(text, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

BookSearchResult::Kind KindOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kFound:
      return BookSearchResult::Kind::kCandidates;
    case Outcome::kNotFound:
      return BookSearchResult::Kind::kNothingFound;
    case Outcome::kTransient:
    case Outcome::kMalformed:
      break;
  }
  return BookSearchResult::Kind::kUnavailable;
}

}  // namespace

BookSearch::BookSearch(Store& store, MetadataProvider& provider) : store_(store), provider_(provider) {}

Result<BookSearchResult> BookSearch::Search(std::string_view user_id, std::string_view query) const {
  query = text::TrimWhitespace(query);
  if (query.empty())
    return Fail(ErrorCode::kInvalidArgument, "Type a title, an author or an ISBN to search for.");
  if (!text::IsValidUtf8(query))
    return Fail(ErrorCode::kInvalidArgument, "The search text is not valid text.");
  if (CharacterCount(query) > kMaxQueryCharacters) {
    return Fail(ErrorCode::kInvalidArgument,
                "A search can be at most " + std::to_string(kMaxQueryCharacters) + " characters long.");
  }

  BookSearchResult result;
  MetadataSearch search;
  if (auto isbn13 = NormalizeIsbn(query)) {
    result.isbn = *isbn13;
    MetadataLookup lookup = provider_.Lookup(*isbn13);
    search.outcome = lookup.outcome;
    search.reason = std::move(lookup.reason);
    if (lookup.outcome == Outcome::kFound) {
      search.candidates.push_back({std::move(lookup.details), *isbn13, std::string(provider_.Name())});
    }
  } else {
    search = provider_.Search(query, kMaxCandidates);
  }
  result.kind = KindOf(search.outcome);
  if (result.kind == BookSearchResult::Kind::kCandidates && search.candidates.empty())
    result.kind = BookSearchResult::Kind::kNothingFound;
  if (result.kind == BookSearchResult::Kind::kUnavailable) {
    Log(LogLevel::kWarn, "book search failed", {{"reason", search.reason}});
    return result;
  }
  if (search.candidates.size() > static_cast<std::size_t>(kMaxCandidates))
    search.candidates.resize(kMaxCandidates);
  for (MetadataCandidate& found : search.candidates) {
    BookCandidate candidate{std::move(found), {}};
    if (!candidate.found.isbn13.empty()) {
      auto owned = OwnedEntryId(user_id, candidate.found.isbn13);
      if (!owned) return std::unexpected(owned.error());
      candidate.owned_entry_id = std::move(*owned);
    }
    result.candidates.push_back(std::move(candidate));
  }
  return result;
}

Result<std::string> BookSearch::OwnedEntryId(std::string_view user_id, std::string_view isbn13) const {
  auto book = store_.FindBookByIsbn(isbn13);
  if (!book) {
    if (book.error().code == ErrorCode::kNotFound) return std::string();
    return std::unexpected(book.error());
  }
  std::string entry_id = UserBookIdFor(user_id, book->id);
  auto entry = store_.FindUserBook(entry_id);
  if (!entry) {
    if (entry.error().code == ErrorCode::kNotFound) return std::string();
    return std::unexpected(entry.error());
  }
  return entry_id;
}

}  // namespace booklib
