// Use cases of a user's library: add (by ISBN or by hand), list, view, edit, delete, retry metadata.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "core/library_query.h"
#include "ports/clock.h"
#include "ports/queue.h"
#include "ports/store.h"

namespace booklib {

// What a user submits: text as typed (the seed's form fields, and the book page's typed details).
// Empty strings mean "not given"; on an edit, a detail not given is cleared (the catalogue's shows).
struct BookForm {
  std::string isbn;
  std::string title;
  std::string author;
  std::string genre;
  std::string cover_image_url;
  std::string description;
  std::string status;  // "to-read" (default) | "reading" | "read" | "did-not-finish"
  std::string rating;  // "" | "0" (none) | "0.5".."5" in half stars ("4", "4.5")
  std::string publisher;
  std::string published_date;  // as written: "1965", "1965-08", "1965-08-01"
  std::string page_count;      // "" or 1..100000
  std::string language;
  std::string series;
  std::string series_index;  // "1", "2.5": up to 10 characters
};

// One read-through as typed: dates "YYYY-MM-DD" or empty (unknown); outcome "in-progress" |
// "finished" | "did-not-finish" ("" is finished when finished_on is given, else in-progress).
struct ReadForm {
  std::string started_on;
  std::string finished_on;
  std::string outcome;
};

// A partial change of one entry (the API's PATCH): what is set changes, the rest stays. Values
// as the forms take them (BookForm's rules). `details` names typed details by BookForm field
// ("title", "page_count", ...): an empty value clears that typed detail (the catalogue's shows).
struct EntryChange {
  std::optional<std::string> status;
  std::string status_date;            // with `status`: SetStatus's `date`
  std::optional<std::string> rating;  // "" clears
  std::optional<std::string> review;
  std::optional<std::string> notes;
  std::optional<bool> owned;
  std::vector<std::pair<std::string, std::string>> details;
};

// The BookForm fields that are typed details, in form order.
inline constexpr std::array<std::string_view, 11> kTypedDetailFields = {
    "title",          "author",     "genre",    "cover_image_url", "description", "publisher",
    "published_date", "page_count", "language", "series",          "series_index"};

// The field of `form` that BookForm's field name `name` ("isbn", "title", ... "status", "rating",
// as the forms and the API name them) holds; nullptr for any other name.
std::string* BookFormField(BookForm& form, std::string_view name);
// `details` written as a form would hold them (page_count 0 -> "").
BookForm FormOfDetails(const BookDetails& details);

// The library page's URL, as typed (../PRODUCT.md): /books?q=&status=&shelf=&rating=&sync=&owned=&sort=&page=
// Empty means "not given". rating: "none" or 1..5; sync: pending | synced | failed; owned: yes | no;
// sort: added | title | author | rating | finished; page: 1-based.
struct LibraryParams {
  std::string q;
  std::string status;
  std::string shelf;
  std::string rating;
  std::string sync;
  std::string owned;
  std::string sort;
  std::string page;
};

// One page of the library page, with what it needs around it.
struct LibraryView {
  LibraryQuery query;  // as parsed
  LibraryPage page;
  int page_number = 1;         // 1-based; may be past the last page (then page.entries is empty)
  int page_count = 1;          // at least 1
  std::vector<Shelf> shelves;  // the user's shelves, for the filter
};

// The home page of a signed-in reader.
struct HomeSummary {
  std::vector<LibraryEntry> reading;  // status reading, newest added first, at most 10
  std::vector<LibraryEntry> recent;   // newest added, at most 6
  std::array<int, 4> status_counts{};
  int total = 0;
};

constexpr int kLibraryPageSize = 50;

class Library {
 public:
  Library(Store& store, Queue& queue, const Clock& clock);

  // Adds a book to `user_id`'s library. With an ISBN: the shared catalogue record for it (made
  // if new), entry PENDING and a metadata message queued in the same transaction; when the
  // catalogue already has details the entry is SYNCED at once. Without: title required.
  // kInvalidArgument with a reason; kAlreadyExists "This book is already in your library".
  Result<LibraryEntry> AddBook(std::string_view user_id, const BookForm& form);

  Result<std::vector<LibraryEntry>> ListBooks(std::string_view user_id);

  // The library page: kInvalidArgument naming the parameter for a value that means nothing
  // ("Sort must be one of added, title, author, rating, finished").
  Result<LibraryView> Browse(std::string_view user_id, const LibraryParams& params);

  Result<HomeSummary> Home(std::string_view user_id);

  // Changes whenever anything the reader's pages show of their library may have (the pages'
  // validators); Store::LibraryVersion.
  Result<std::string> Version(std::string_view user_id) { return store_.LibraryVersion(user_id); }

  // kNotFound when the entry does not exist or belongs to someone else.
  Result<LibraryEntry> GetBook(std::string_view user_id, std::string_view user_book_id);

  // Saves status, rating and typed details (form.isbn is ignored: the ISBN names the book). The
  // book must keep a title: clearing the typed title is refused when the catalogue has none.
  // A status change follows SetStatus's rules for reads (dated today).
  Result<void> EditBook(std::string_view user_id, std::string_view user_book_id, const BookForm& form);

  // Changes the status, with the reads PRODUCT.md defines: `reading` opens a read (started on
  // `date`, else today) unless one is open; `read` finishes the open read (on `date`, else today)
  // or records a finished read, and clears progress; `did-not-finish` closes the open read (or
  // records one) with that outcome; `to-read` leaves reads as they are. The same status again
  // changes nothing. `date`: "" or YYYY-MM-DD, not after tomorrow.
  Result<void> SetStatus(std::string_view user_id, std::string_view user_book_id, std::string_view status,
                         std::string_view date = "");

  // Reads of an entry (at most 200; dates checked: started on or before finished).
  Result<void> AddRead(std::string_view user_id, std::string_view user_book_id, const ReadForm& form);
  Result<void> EditRead(std::string_view user_id, std::string_view user_book_id, std::string_view read_id,
                        const ReadForm& form);
  Result<void> DeleteRead(std::string_view user_id, std::string_view user_book_id, std::string_view read_id);

  // Progress as typed: unit "page" (0..the book's page count when known) or "percent" (0..100); an
  // empty value clears it. Progress on a to-read entry makes it reading (SetStatus's rules).
  Result<void> SetProgress(std::string_view user_id, std::string_view user_book_id, std::string_view value,
                           std::string_view unit);

  // Rating as BookForm::rating; review and notes (each at most 20,000 characters); owned.
  Result<void> SetRating(std::string_view user_id, std::string_view user_book_id, std::string_view rating);
  Result<void> SaveReview(std::string_view user_id, std::string_view user_book_id, std::string_view review,
                          std::string_view notes);
  Result<void> SetOwned(std::string_view user_id, std::string_view user_book_id, bool owned);

  // Shelves. A name is trimmed, 1..100 bytes, without control characters; names are one shelf
  // ignoring case. Putting an entry on a shelf creates the shelf if the user has none of that name.
  Result<std::vector<Shelf>> Shelves(std::string_view user_id);
  Result<void> CreateShelf(std::string_view user_id, std::string_view name);
  Result<void> RenameShelf(std::string_view user_id, std::string_view from, std::string_view to);
  Result<void> DeleteShelf(std::string_view user_id, std::string_view name);
  Result<void> AddToShelf(std::string_view user_id, std::string_view user_book_id, std::string_view shelf);
  Result<void> RemoveFromShelf(std::string_view user_id, std::string_view user_book_id,
                               std::string_view shelf);

  // Applies every part of `change` in one write, or none of it when any part is refused
  // (kInvalidArgument naming the field, as the forms' messages do; kNotFound as GetBook).
  Result<void> UpdateEntry(std::string_view user_id, std::string_view user_book_id,
                           const EntryChange& change);

  // Saves typed details only and marks the entry SYNCED: the user supplied what metadata could not.
  Result<void> EnterDetails(std::string_view user_id, std::string_view user_book_id, const BookForm& form);

  Result<void> DeleteBook(std::string_view user_id, std::string_view user_book_id);

  // Puts a FAILED (or stuck PENDING) entry back to PENDING and queues its metadata message again.
  Result<void> RetryMetadata(std::string_view user_id, std::string_view user_book_id);

 private:
  Result<void> SaveAndQueue(const UserBook& entry, bool is_new, bool refresh = false);
  // GetBook, `change` applied to its entry, and the entry saved; `change`'s error is returned as is.
  template <class Change>
  Result<void> ChangeEntry(std::string_view user_id, std::string_view user_book_id, Change change);
  std::string Today() const;

  Store& store_;
  Queue& queue_;
  const Clock& clock_;
};

}  // namespace booklib
