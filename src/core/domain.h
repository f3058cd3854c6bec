// Domain values of the library: users, the shared catalogue of books, and each user's shelf entries.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace booklib {

enum class ReadingStatus { kToRead, kReading, kRead };
enum class SyncStatus { kPending, kSynced, kFailed };

// "to-read" | "reading" | "read"; nullopt for anything else.
std::optional<ReadingStatus> ParseReadingStatus(std::string_view text);
std::string_view ReadingStatusName(ReadingStatus status);
// "PENDING" | "SYNCED" | "FAILED".
std::optional<SyncStatus> ParseSyncStatus(std::string_view text);
std::string_view SyncStatusName(SyncStatus status);

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

  bool operator==(const BookDetails&) const = default;
};

// One catalogue record per ISBN, shared by all users; its details come from metadata providers only.
struct Book {
  std::string id;    // UUID
  std::string isbn;  // canonical ISBN-13, or empty for a book added by hand without one
  BookDetails details;
  std::string created_at;
};

// A book on one user's shelf. `typed` holds what this user typed; it wins over the catalogue.
struct UserBook {
  std::string id;  // UUID
  std::string user_id;
  std::string book_id;
  ReadingStatus status = ReadingStatus::kToRead;
  std::optional<int> rating;  // 1..5
  SyncStatus sync_status = SyncStatus::kPending;
  std::string sync_error;  // reason when FAILED
  std::string date_added;  // ISO-8601 UTC
  BookDetails typed;
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

}  // namespace booklib
