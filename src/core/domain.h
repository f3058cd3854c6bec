// Domain values of the library: users, the shared catalogue of books, and each user's shelf entries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace booklib {

// A shelf entry's status (../PRODUCT.md): the seed's three, and did-not-finish.
enum class ReadingStatus { kToRead, kReading, kRead, kDidNotFinish };
enum class SyncStatus { kPending, kSynced, kFailed };
// How one read-through ended (or that it has not yet).
enum class ReadOutcome { kInProgress, kFinished, kDidNotFinish };
// What a progress value counts: nothing recorded, the current page, or a percentage.
enum class ProgressUnit { kNone, kPage, kPercent };

// "to-read" | "reading" | "read" | "did-not-finish"; nullopt for anything else.
std::optional<ReadingStatus> ParseReadingStatus(std::string_view text);
std::string_view ReadingStatusName(ReadingStatus status);
// "PENDING" | "SYNCED" | "FAILED".
std::optional<SyncStatus> ParseSyncStatus(std::string_view text);
std::string_view SyncStatusName(SyncStatus status);
// "in-progress" | "finished" | "did-not-finish".
std::optional<ReadOutcome> ParseReadOutcome(std::string_view text);
std::string_view ReadOutcomeName(ReadOutcome outcome);
// "none" | "page" | "percent".
std::optional<ProgressUnit> ParseProgressUnit(std::string_view text);
std::string_view ProgressUnitName(ProgressUnit unit);

struct User {
  std::string id;  // UUID
  std::string username;
  std::string email;          // stored lower-cased
  std::string password_hash;  // Werkzeug format, see crypto/password.h
  std::string created_at;     // ISO-8601 UTC
};

// Descriptive fields of a book. Empty string / 0 means "unknown".
struct BookDetails {
  std::string title;
  std::string author;
  std::string genre;
  std::string cover_image_url;
  std::string description;
  std::string publisher;
  std::string published_date;
  int page_count = 0;
  std::string language;
  std::string series;        // the series' name
  std::string series_index;  // its number in the series as written ("2", "2.5"), empty if none

  bool operator==(const BookDetails&) const = default;
};

// One catalogue record per ISBN, shared by all users; its details come from metadata providers only.
struct Book {
  std::string id;    // UUID
  std::string isbn;  // canonical ISBN-13, or empty for a book added by hand without one
  BookDetails details;
  std::string created_at;
  // Which metadata provider filled `details` ("Google Books", "Open Library"); empty while none has
  // (and for records filled before the store kept it).
  std::string details_source;
};

// One read-through of a shelf entry. Dates are "YYYY-MM-DD"; either may be unknown (empty).
struct Read {
  std::string id;  // UUID, unique within its entry
  std::string started_on;
  std::string finished_on;
  ReadOutcome outcome = ReadOutcome::kInProgress;

  bool operator==(const Read&) const = default;
};

// Where a reader is in a book: page `value` of the book's page count, or `value` percent.
struct Progress {
  ProgressUnit unit = ProgressUnit::kNone;
  int value = 0;

  bool operator==(const Progress&) const = default;
};

// A book on one user's shelf. `typed` holds what this user typed; it wins over the catalogue.
struct UserBook {
  std::string id;  // UUID
  std::string user_id;
  std::string book_id;
  ReadingStatus status = ReadingStatus::kToRead;
  // In half stars: 1..10 is 0.5..5 stars (the seed's whole stars 1..5 are 2, 4, .. 10).
  std::optional<int> rating_halves;
  SyncStatus sync_status = SyncStatus::kPending;
  std::string sync_error;  // reason when FAILED
  std::string date_added;  // ISO-8601 UTC
  BookDetails typed;
  std::string review;  // the user's review (private)
  std::string notes;   // private notes
  bool owned = false;  // the user owns a copy
  // The user's own shelves this entry is on: names as the user's shelf list spells them,
  // sorted by SortKey (core/library_query.h), no two equal ignoring case.
  std::vector<std::string> shelves;
  Progress progress;
  // Read-throughs, oldest first (by started_on, else finished_on; undated first).
  std::vector<Read> reads;
};

// The finished_on of the latest finished read ("Date read"); empty when none has a date.
std::string LastFinishedOn(const UserBook& user_book);
// The number of finished reads ("read count").
int FinishedReadCount(const UserBook& user_book);

// One of a user's shelves and how many of their entries are on it.
struct Shelf {
  std::string name;
  int book_count = 0;

  bool operator==(const Shelf&) const = default;
};

// What a user sees for one shelf entry: their typed fields over the catalogue's.
struct LibraryEntry {
  UserBook user_book;
  Book book;

  // Field by field: the user's typed value when not empty/placeholder, else the catalogue's.
  BookDetails Shown() const;
};

// A server-side login session; the cookie carries only its id (signed).
struct Session {
  std::string id;
  std::string user_id;
  std::int64_t expires_at = 0;  // unix seconds
};

// A personal API token's reach: reads only, or reads and writes.
enum class TokenScope { kRead, kReadWrite };
// "read" | "read-write"; nullopt for anything else.
std::optional<TokenScope> ParseTokenScope(std::string_view text);
std::string_view TokenScopeName(TokenScope scope);

// A personal API token (Authorization: Bearer). The secret is shown once, when it is made; the
// store keeps only its hash, so a copy of the store lets nobody in.
struct ApiToken {
  std::string id;       // UUID: names the token in lists and when revoking it
  std::string user_id;  // whose library it opens
  std::string name;     // the user's label, 1..100 bytes
  TokenScope scope = TokenScope::kRead;
  std::string secret_hash;   // Sha256Hex of the secret (64 lower-case hex digits)
  std::string created_at;    // ISO-8601 UTC
  std::string last_used_at;  // ISO-8601 UTC; empty: never used

  bool operator==(const ApiToken&) const = default;
};

}  // namespace booklib
