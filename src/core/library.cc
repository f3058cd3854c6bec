// Library use cases: validation, the shared catalogue, per-user entries and the metadata queue.
#include "core/library.h"

#include "core/ids.h"
#include "core/isbn.h"
#include "core/log.h"
#include "core/metadata_message.h"
#include "crypto/crypto.h"
#include "text/ascii.h"

namespace booklib {
namespace {

std::string Trimmed(std::string_view s) { return std::string(text::TrimWhitespace(s)); }

// Namespaces of Booklib's name-based ids (random, fixed forever).

constexpr std::size_t kMaxShort = 500;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxDescription = 20000;

Result<void> CheckLength(const std::string& value, std::size_t max, std::string_view field) {
  if (value.size() > max)
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " is too long (at most " + std::to_string(max) + " characters)");
  return {};
}

Result<BookDetails> TypedDetails(const BookForm& form) {
  BookDetails d;
  d.title = Trimmed(form.title);
  d.author = Trimmed(form.author);
  d.genre = Trimmed(form.genre);
  d.cover_image_url = Trimmed(form.cover_image_url);
  d.description = Trimmed(form.description);
  for (const auto& [value, max, name] : {std::tuple{&d.title, kMaxShort, "Title"},
                                         {&d.author, kMaxShort, "Author"},
                                         {&d.genre, kMaxShort, "Genre"},
                                         {&d.cover_image_url, kMaxUrl, "Cover URL"},
                                         {&d.description, kMaxDescription, "Description"}})
    if (auto ok = CheckLength(*value, max, name); !ok) return std::unexpected(ok.error());
  const std::string& url = d.cover_image_url;
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    return Fail(ErrorCode::kInvalidArgument, "Cover image URL must start with https:// or http://");
  return d;
}

Result<ReadingStatus> StatusOf(const BookForm& form) {
  if (form.status.empty()) return ReadingStatus::kToRead;
  const auto status = ParseReadingStatus(form.status);
  if (!status) return Fail(ErrorCode::kInvalidArgument, "Status must be to-read, reading or read");
  return *status;
}

// A rating as typed, in half stars: "" or "0" is none; "1".."5" whole stars (the seed's), "0.5",
// "3.5" and the like half stars.
Result<std::optional<int>> RatingOf(const BookForm& form) {
  const std::string rating = Trimmed(form.rating);
  if (rating.empty() || rating == "0") return std::optional<int>{};
  const bool whole = rating.size() == 1;
  const bool half = rating.size() == 3 && rating[1] == '.' && (rating[2] == '5' || rating[2] == '0');
  if ((!whole && !half) || rating[0] < '0' || rating[0] > '5')
    return Fail(ErrorCode::kInvalidArgument, "Rating must be from 0.5 to 5 stars, in half stars");
  const int halves = (rating[0] - '0') * 2 + (half && rating[2] == '5' ? 1 : 0);
  if (halves < 1 || halves > 10)
    return Fail(ErrorCode::kInvalidArgument, "Rating must be from 0.5 to 5 stars, in half stars");
  return std::optional<int>{halves};
}

// What a form says about one shelf entry, validated: typed details, status and rating.
struct EntryFields {
  BookDetails typed;
  ReadingStatus status;
  std::optional<int> rating_halves;
};

Result<EntryFields> ParseEntryFields(const BookForm& form) {
  auto typed = TypedDetails(form);
  if (!typed) return std::unexpected(typed.error());
  auto status = StatusOf(form);
  if (!status) return std::unexpected(status.error());
  auto rating = RatingOf(form);
  if (!rating) return std::unexpected(rating.error());
  return EntryFields{std::move(*typed), *status, *rating};
}

}  // namespace

Library::Library(Store& store, Queue& queue, const Clock& clock)
    : store_(store), queue_(queue), clock_(clock) {}

Result<LibraryEntry> Library::AddBook(std::string_view user_id, const BookForm& form) {
  auto fields = ParseEntryFields(form);
  if (!fields) return std::unexpected(fields.error());

  const std::string now = IsoTimestamp(clock_.Now());
  Book book;
  if (!Trimmed(form.isbn).empty()) {
    auto isbn = NormalizeIsbn(form.isbn);
    if (!isbn) return std::unexpected(isbn.error());
    auto shared = store_.GetOrCreateBook(Book{BookIdForIsbn(*isbn), *isbn, {}, now});
    if (!shared) return std::unexpected(shared.error());
    book = *shared;
  } else {
    if (fields->typed.title.empty())
      return Fail(ErrorCode::kInvalidArgument, "Enter an ISBN or at least a title");
    book = Book{crypto::RandomUuid(), "", {}, now};
    if (auto created = store_.CreateBook(book); !created) return std::unexpected(created.error());
  }

  UserBook entry;
  entry.id = UserBookIdFor(user_id, book.id);
  entry.user_id = std::string(user_id);
  entry.book_id = book.id;
  entry.status = fields->status;
  entry.rating_halves = fields->rating_halves;
  entry.date_added = now;
  entry.typed = fields->typed;
  // Nothing to fetch for a book without an ISBN, or when another reader's lookup already filled it.
  const bool needs_metadata = !book.isbn.empty() && book.details.title.empty();
  entry.sync_status = needs_metadata ? SyncStatus::kPending : SyncStatus::kSynced;
  if (auto saved = SaveAndQueue(entry, /*is_new=*/true); !saved) {
    if (saved.error().code == ErrorCode::kAlreadyExists)
      return Fail(ErrorCode::kAlreadyExists, "This book is already in your library");
    return std::unexpected(saved.error());
  }
  return LibraryEntry{entry, book};
}

Result<void> Library::SaveAndQueue(const UserBook& entry, bool is_new, bool refresh) {
  return store_.RunAtomically([&]() -> Result<void> {
    auto saved = is_new ? store_.AddUserBook(entry) : store_.UpdateUserBook(entry);
    if (!saved) return saved;
    if (entry.sync_status != SyncStatus::kPending) return {};
    // The request's id rides along, so the worker's lines for this book name the request that asked.
    return queue_.Send(EncodeMetadataMessage(entry.id, refresh, CurrentRequestId()));
  });
}

Result<std::vector<LibraryEntry>> Library::ListBooks(std::string_view user_id) {
  return store_.ListLibrary(user_id);
}

Result<LibraryEntry> Library::GetBook(std::string_view user_id, std::string_view user_book_id) {
  auto entry = store_.FindUserBook(user_book_id);
  // Someone else's entry answers exactly like a missing one: ids reveal nothing.
  if (!entry || entry->user_id != user_id) return Fail(ErrorCode::kNotFound, "No such book in your library");
  auto book = store_.FindBook(entry->book_id);
  if (!book) return std::unexpected(book.error());
  return LibraryEntry{*entry, *book};
}

Result<void> Library::EditBook(std::string_view user_id, std::string_view user_book_id,
                               const BookForm& form) {
  auto entry = GetBook(user_id, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  auto fields = ParseEntryFields(form);
  if (!fields) return std::unexpected(fields.error());
  UserBook updated = entry->user_book;
  updated.status = fields->status;
  updated.rating_halves = fields->rating_halves;
  updated.typed = fields->typed;
  return store_.UpdateUserBook(updated);
}

Result<void> Library::EnterDetails(std::string_view user_id, std::string_view user_book_id,
                                   const BookForm& form) {
  auto entry = GetBook(user_id, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  auto typed = TypedDetails(form);
  if (!typed) return std::unexpected(typed.error());
  if (typed->title.empty() && entry->book.details.title.empty())
    return Fail(ErrorCode::kInvalidArgument, "Enter at least a title");
  UserBook updated = entry->user_book;
  updated.typed = *typed;
  updated.sync_status = SyncStatus::kSynced;
  updated.sync_error.clear();
  return store_.UpdateUserBook(updated);
}

Result<void> Library::DeleteBook(std::string_view user_id, std::string_view user_book_id) {
  auto entry = GetBook(user_id, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  return store_.DeleteUserBook(user_book_id);
}

Result<void> Library::RetryMetadata(std::string_view user_id, std::string_view user_book_id) {
  auto entry = GetBook(user_id, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  if (entry->book.isbn.empty())
    return Fail(ErrorCode::kInvalidArgument, "This book has no ISBN to look up; enter its details instead");
  UserBook updated = entry->user_book;
  updated.sync_status = SyncStatus::kPending;
  updated.sync_error.clear();
  return SaveAndQueue(updated, /*is_new=*/false, /*refresh=*/true);
}

}  // namespace booklib
