// What the library page asks of a store (search, filters, sort, a page) and the one definition of
// what each part means. Every store answers LibraryQuery alike (the contract suite checks it):
// SQLite in SQL over an FTS5 index of SearchDocument, DynamoDB and the in-memory fake by
// running ApplyQuery over the user's entries.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"

namespace booklib {

// Each sort has one direction, the one a reader expects; ties go newest added first, then by id.
enum class LibrarySort {
  kDateAdded,     // newest first
  kTitle,         // A-Z by SortKey of the shown title
  kAuthor,        // A-Z by SortKey of the shown author
  kRating,        // highest first, unrated last
  kDateFinished,  // latest LastFinishedOn first, never finished last
};
// "added" | "title" | "author" | "rating" | "finished".
std::optional<LibrarySort> ParseLibrarySort(std::string_view text);
std::string_view LibrarySortName(LibrarySort sort);

struct LibraryQuery {
  // Search terms as SearchTerms makes them: an entry matches when every term is a prefix of a word
  // of its SearchDocument. Empty: every entry.
  std::vector<std::string> terms;
  std::optional<ReadingStatus> status;
  // An entry on this shelf (names compared ignoring case); empty: any.
  std::string shelf;
  // 0: unrated entries only; 1..5: rated that many whole stars (4 takes 4 and 4.5).
  std::optional<int> rating_stars;
  std::optional<SyncStatus> sync;
  std::optional<bool> owned;
  LibrarySort sort = LibrarySort::kDateAdded;
  int offset = 0;  // entries to skip, >= 0
  int limit = 50;  // entries to return, >= 0 (0: only the counts)
};

struct LibraryPage {
  std::vector<LibraryEntry> entries;  // the page, in the query's order
  int total = 0;                      // entries matching the query, over all pages
  // The user's whole library per status (indexed by ReadingStatus), whatever the query.
  std::array<int, 4> status_counts{};
};

// `text` lower-cased (ASCII, Latin-1 and Latin Extended-A letters) with accents removed from
// Latin letters ("Émile Zola" -> "emile zola"). Other characters are kept as they are.
std::string FoldText(std::string_view text);

// The words of `text`, folded: runs of letters and digits (ASCII alphanumerics and every
// character from U+0080 up except punctuation and symbols of Latin-1 and General Punctuation).
std::vector<std::string> Words(std::string_view text);

// The search terms of what a reader typed: its Words, with any ISBN in it (hyphens, spaces and an
// "ISBN-13:" label allowed) as its canonical ISBN-13. At most 16 terms; the rest are dropped.
std::vector<std::string> SearchTerms(std::string_view query);

// The words an entry is found by, space-separated: shown title and author, the ISBN-13 (and
// ISBN-10 when there is one), shelf names and notes.
std::string SearchDocument(const LibraryEntry& entry);

// True when every term is a prefix of some word of `document` (a SearchDocument).
bool MatchesTerms(std::string_view document, const std::vector<std::string>& terms);

// The key title and author sort by: folded, with runs of non-word characters as one space and a
// leading "the ", "a " or "an " dropped. Compared as bytes.
std::string SortKey(std::string_view text);

// Sorts shelf names as entries and shelf lists keep them: by SortKey, then by the name's bytes.
void SortShelfNames(std::vector<std::string>& names);

// True when `entry` passes every filter of `query` (search terms included; sort and page ignored).
bool MatchesQuery(const LibraryEntry& entry, const LibraryQuery& query);

// The query's answer over all of one user's entries: filter, sort, count and page in memory.
LibraryPage ApplyQuery(const std::vector<LibraryEntry>& entries, const LibraryQuery& query);

}  // namespace booklib
