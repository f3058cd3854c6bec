// Use cases of a user's library: add (by ISBN or by hand), list, view, edit, delete, retry metadata.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "ports/clock.h"
#include "ports/queue.h"
#include "ports/store.h"

namespace booklib {

// What a user submits: text as typed (the seed's form fields). Empty strings mean "not given".
struct BookForm {
  std::string isbn;
  std::string title;
  std::string author;
  std::string genre;
  std::string cover_image_url;
  std::string description;
  std::string status;  // "to-read" (default) | "reading" | "read"
  std::string rating;  // "" | "1".."5"
};

class Library {
 public:
  Library(Store& store, Queue& queue, const Clock& clock);

  // Adds a book to `user_id`'s library. With an ISBN: the shared catalogue record for it (made
  // if new), entry PENDING and a metadata message queued in the same transaction; when the
  // catalogue already has details the entry is SYNCED at once. Without: title required.
  // kInvalidArgument with a reason; kAlreadyExists "This book is already in your library".
  Result<LibraryEntry> AddBook(std::string_view user_id, const BookForm& form);

  Result<std::vector<LibraryEntry>> ListBooks(std::string_view user_id);

  // kNotFound when the entry does not exist or belongs to someone else.
  Result<LibraryEntry> GetBook(std::string_view user_id, std::string_view user_book_id);

  // Saves status, rating and typed details (form.isbn is ignored: the ISBN names the book).
  Result<void> EditBook(std::string_view user_id, std::string_view user_book_id, const BookForm& form);

  // Saves typed details only and marks the entry SYNCED: the user supplied what metadata could not.
  Result<void> EnterDetails(std::string_view user_id, std::string_view user_book_id, const BookForm& form);

  Result<void> DeleteBook(std::string_view user_id, std::string_view user_book_id);

  // Puts a FAILED (or stuck PENDING) entry back to PENDING and queues its metadata message again.
  Result<void> RetryMetadata(std::string_view user_id, std::string_view user_book_id);

 private:
  Result<void> SaveAndQueue(const UserBook& entry, bool is_new, bool refresh = false);

  Store& store_;
  Queue& queue_;
  const Clock& clock_;
};

}  // namespace booklib
