// Library use cases: validation, the shared catalogue, per-user entries and the metadata queue.
#include "core/library.h"

#include <algorithm>
#include <chrono>
#include <type_traits>

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
constexpr std::size_t kMaxDate = 10;     // published dates, languages, series numbers
constexpr std::size_t kMaxText = 20000;  // a review, notes
constexpr std::size_t kMaxShelfName = 100;
constexpr std::size_t kMaxQuery = 200;  // a search as typed
constexpr std::size_t kMaxReads = 200;
constexpr std::size_t kMaxShelvesPerEntry = 100;

Result<void> CheckLength(const std::string& value, std::size_t max, std::string_view field) {
  if (value.size() > max)
    return Fail(ErrorCode::kInvalidArgument,
                std::string(field) + " is too long (at most " + std::to_string(max) + " characters)");
  return {};
}

Result<int> PageCountOf(const std::string& text) {
  if (text.empty()) return 0;
  int pages = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || pages > 100000)
      return Fail(ErrorCode::kInvalidArgument, "Pages must be a whole number from 1 to 100000");
    pages = pages * 10 + (c - '0');
  }
  if (pages < 1 || pages > 100000)
    return Fail(ErrorCode::kInvalidArgument, "Pages must be a whole number from 1 to 100000");
  return pages;
}

Result<BookDetails> TypedDetails(const BookForm& form) {
  BookDetails d;
  d.title = Trimmed(form.title);
  d.author = Trimmed(form.author);
  d.genre = Trimmed(form.genre);
  d.cover_image_url = Trimmed(form.cover_image_url);
  d.description = Trimmed(form.description);
  d.publisher = Trimmed(form.publisher);
  d.published_date = Trimmed(form.published_date);
  d.language = Trimmed(form.language);
  d.series = Trimmed(form.series);
  d.series_index = Trimmed(form.series_index);
  for (const auto& [value, max, name] : {std::tuple{&d.title, kMaxShort, "Title"},
                                         {&d.author, kMaxShort, "Author"},
                                         {&d.genre, kMaxShort, "Genre"},
                                         {&d.cover_image_url, kMaxUrl, "Cover URL"},
                                         {&d.description, kMaxDescription, "Description"},
                                         {&d.publisher, kMaxShort, "Publisher"},
                                         {&d.published_date, kMaxDate, "Published date"},
                                         {&d.language, kMaxDate, "Language"},
                                         {&d.series, kMaxShort, "Series"},
                                         {&d.series_index, kMaxDate, "Number in series"}})
    if (auto ok = CheckLength(*value, max, name); !ok) return std::unexpected(ok.error());
  const std::string& url = d.cover_image_url;
  if (!url.empty() && !url.starts_with("https://") && !url.starts_with("http://"))
    return Fail(ErrorCode::kInvalidArgument, "Cover image URL must start with https:// or http://");
  auto pages = PageCountOf(Trimmed(form.page_count));
  if (!pages) return std::unexpected(pages.error());
  d.page_count = *pages;
  return d;
}

Result<ReadingStatus> StatusOf(const BookForm& form) {
  if (form.status.empty()) return ReadingStatus::kToRead;
  const auto status = ParseReadingStatus(form.status);
  if (!status)
    return Fail(ErrorCode::kInvalidArgument, "Status must be to-read, reading, read or did-not-finish");
  return *status;
}

// A rating as typed, in half stars: "" or "0" is none; "1".."5" whole stars (the seed's), "0.5",
// "3.5" and the like half stars.
Result<std::optional<int>> RatingOf(std::string_view text) {
  const std::string rating = Trimmed(text);
  if (rating.empty() || rating == "0") return std::optional<int>{};
  const bool whole = rating.size() == 1;
  const bool half = rating.size() == 3 && rating[1] == '.' && (rating[2] == '5' || rating[2] == '0');
  const int halves = (whole || half) && rating[0] >= '0' && rating[0] <= '5'
                         ? (rating[0] - '0') * 2 + (half && rating[2] == '5' ? 1 : 0)
                         : -1;
  if (halves < 1 || halves > 10)
    return Fail(ErrorCode::kInvalidArgument, "Rating must be from 0.5 to 5 stars, in half stars");
  return std::optional<int>{halves};
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// A date as typed: "" (unknown) or a real calendar date YYYY-MM-DD from 1000 on, not after `latest`.
Result<std::string> DateOf(std::string_view text, std::string_view field, const std::string& latest) {
  std::string date = Trimmed(text);
  if (date.empty()) return date;
  const auto bad = [&] {
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must be a date like 2024-03-31");
  };
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return bad();
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (date[i] < '0' || date[i] > '9') return bad();
  const int year = std::stoi(date.substr(0, 4));
  const int month = std::stoi(date.substr(5, 2));
  const int day = std::stoi(date.substr(8, 2));
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1000 || month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0))
    return bad();
  if (date > latest)
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " cannot be in the future");
  return date;
}

// Reads oldest first: by started_on, else finished_on; undated reads first; otherwise as they were.
void SortReads(std::vector<Read>& reads) {
  // Insertion sort: stable, and a book has a handful of reads (std::stable_sort's temporary
  // buffer is deprecated in C++23's library).
  const auto key = [](const Read& read) -> const std::string& {
    return read.started_on.empty() ? read.finished_on : read.started_on;
  };
  for (std::size_t i = 1; i < reads.size(); ++i)
    for (std::size_t j = i; j > 0 && key(reads[j]) < key(reads[j - 1]); --j)
      std::swap(reads[j], reads[j - 1]);
}

// The open (in-progress) read of an entry, or nullptr.
Read* OpenRead(UserBook& entry) {
  for (auto it = entry.reads.rbegin(); it != entry.reads.rend(); ++it)
    if (it->outcome == ReadOutcome::kInProgress) return &*it;
  return nullptr;
}

// PRODUCT.md's rules for the reads of a status change, on `date` (YYYY-MM-DD, or "" for unknown).
Result<void> ApplyStatus(UserBook& entry, ReadingStatus status, const std::string& date) {
  if (entry.status == status) return {};
  Read* open = OpenRead(entry);
  switch (status) {
    case ReadingStatus::kReading:
      if (open == nullptr)
        entry.reads.push_back(Read{crypto::RandomUuid(), date, "", ReadOutcome::kInProgress});
      break;
    case ReadingStatus::kRead:
    case ReadingStatus::kDidNotFinish: {
      const ReadOutcome outcome =
          status == ReadingStatus::kRead ? ReadOutcome::kFinished : ReadOutcome::kDidNotFinish;
      if (open != nullptr) {
        if (!date.empty() && !open->started_on.empty() && open->started_on > date)
          return Fail(ErrorCode::kInvalidArgument,
                      "The finish date is before the read was started (" + open->started_on + ")");
        open->finished_on = date;
        open->outcome = outcome;
      } else {
        entry.reads.push_back(Read{crypto::RandomUuid(), "", date, outcome});
      }
      if (status == ReadingStatus::kRead) entry.progress = {};
      break;
    }
    case ReadingStatus::kToRead:
      break;
  }
  if (entry.reads.size() > kMaxReads)
    return Fail(ErrorCode::kInvalidArgument,
                "A book can have at most " + std::to_string(kMaxReads) + " reads");
  entry.status = status;
  SortReads(entry.reads);
  return {};
}

Result<Read> ReadOf(const ReadForm& form, const std::string& latest) {
  auto started = DateOf(form.started_on, "Started on", latest);
  if (!started) return std::unexpected(started.error());
  auto finished = DateOf(form.finished_on, "Finished on", latest);
  if (!finished) return std::unexpected(finished.error());
  Read read{"", *started, *finished, finished->empty() ? ReadOutcome::kInProgress : ReadOutcome::kFinished};
  if (!Trimmed(form.outcome).empty()) {
    const auto outcome = ParseReadOutcome(Trimmed(form.outcome));
    if (!outcome)
      return Fail(ErrorCode::kInvalidArgument,
                  "A read's outcome must be in-progress, finished or did-not-finish");
    read.outcome = *outcome;
  }
  if (read.outcome == ReadOutcome::kInProgress && !read.finished_on.empty())
    return Fail(ErrorCode::kInvalidArgument, "A read still in progress has no finish date");
  if (!read.started_on.empty() && !read.finished_on.empty() && read.started_on > read.finished_on)
    return Fail(ErrorCode::kInvalidArgument, "A read cannot finish before it started");
  return read;
}

Result<std::string> ShelfNameOf(std::string_view text) {
  std::string name = Trimmed(text);
  if (name.empty()) return Fail(ErrorCode::kInvalidArgument, "A shelf needs a name");
  if (name.size() > kMaxShelfName)
    return Fail(ErrorCode::kInvalidArgument,
                "A shelf name is at most " + std::to_string(kMaxShelfName) + " characters");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7F)
      return Fail(ErrorCode::kInvalidArgument, "A shelf name cannot contain control characters");
  return name;
}

// Maps `error` of a shelf operation to what a reader is told.
Error ShelfError(const Error& error, std::string_view name) {
  if (error.code == ErrorCode::kAlreadyExists)
    return Error{ErrorCode::kAlreadyExists, "You already have a shelf called \"" + std::string(name) + "\""};
  if (error.code == ErrorCode::kNotFound) return Error{ErrorCode::kNotFound, "No such shelf"};
  return error;
}

// What `parse` makes of `text`, or kInvalidArgument "<field> must be one of <allowed>".
template <class Parse>
auto ParamOf(std::string_view text, std::string_view field, std::string_view allowed, Parse parse)
    -> Result<typename std::invoke_result_t<Parse, std::string_view>::value_type> {
  auto value = parse(text);
  if (!value)
    return Fail(ErrorCode::kInvalidArgument, std::string(field) + " must be one of " + std::string(allowed));
  return *value;
}

Result<LibraryQuery> QueryOf(const LibraryParams& params, int& page_number) {
  LibraryQuery query;
  const std::string q = Trimmed(params.q);
  if (q.size() > kMaxQuery)
    return Fail(ErrorCode::kInvalidArgument,
                "A search is at most " + std::to_string(kMaxQuery) + " characters");
  query.terms = SearchTerms(q);
  if (!params.status.empty()) {
    auto status = ParamOf(params.status, "Status", "to-read, reading, read, did-not-finish",
                          [](std::string_view t) { return ParseReadingStatus(t); });
    if (!status) return std::unexpected(status.error());
    query.status = *status;
  }
  query.shelf = Trimmed(params.shelf);
  if (params.rating == "none") {
    query.rating_stars = 0;
  } else if (!params.rating.empty()) {
    if (params.rating.size() != 1 || params.rating[0] < '1' || params.rating[0] > '5')
      return Fail(ErrorCode::kInvalidArgument, "Rating must be none or 1 to 5");
    query.rating_stars = params.rating[0] - '0';
  }
  if (!params.sync.empty()) {
    auto sync = ParamOf(params.sync, "Sync", "pending, synced, failed",
                        [](std::string_view t) { return ParseSyncStatus(text::AsciiUpper(t)); });
    if (!sync) return std::unexpected(sync.error());
    query.sync = *sync;
  }
  if (params.owned == "yes" || params.owned == "no") {
    query.owned = params.owned == "yes";
  } else if (!params.owned.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "Owned must be yes or no");
  }
  if (!params.sort.empty()) {
    auto sort = ParamOf(params.sort, "Sort", "added, title, author, rating, finished",
                        [](std::string_view t) { return ParseLibrarySort(t); });
    if (!sort) return std::unexpected(sort.error());
    query.sort = *sort;
  }
  page_number = 1;
  if (!params.page.empty()) {
    int page = 0;
    for (char c : params.page) {
      if (c < '0' || c > '9' || page > 100000)
        return Fail(ErrorCode::kInvalidArgument, "Page must be a number from 1");
      page = page * 10 + (c - '0');
    }
    if (page < 1 || page > 100000) return Fail(ErrorCode::kInvalidArgument, "Page must be a number from 1");
    page_number = page;
  }
  query.offset = (page_number - 1) * kLibraryPageSize;
  query.limit = kLibraryPageSize;
  return query;
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
  auto rating = RatingOf(form.rating);
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
  entry.rating_halves = fields->rating_halves;
  entry.date_added = now;
  // A book added as reading starts today; one added as read or abandoned gets no invented date.
  const std::string on = fields->status == ReadingStatus::kReading ? Today() : "";
  if (auto applied = ApplyStatus(entry, fields->status, on); !applied)
    return std::unexpected(applied.error());
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
  auto fields = ParseEntryFields(form);
  if (!fields) return std::unexpected(fields.error());
  const std::string today = Today();
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book& book) -> Result<void> {
    if (fields->typed.title.empty() && book.details.title.empty())
      return Fail(ErrorCode::kInvalidArgument, "A book needs a title");
    entry.rating_halves = fields->rating_halves;
    entry.typed = fields->typed;
    return ApplyStatus(entry, fields->status, today);
  });
}

std::string* BookFormField(BookForm& form, std::string_view name) {
  for (const auto& [field, value] : {std::pair{"isbn", &form.isbn},
                                     {"title", &form.title},
                                     {"author", &form.author},
                                     {"genre", &form.genre},
                                     {"cover_image_url", &form.cover_image_url},
                                     {"description", &form.description},
                                     {"status", &form.status},
                                     {"rating", &form.rating},
                                     {"publisher", &form.publisher},
                                     {"published_date", &form.published_date},
                                     {"page_count", &form.page_count},
                                     {"language", &form.language},
                                     {"series", &form.series},
                                     {"series_index", &form.series_index}})
    if (name == field) return value;
  return nullptr;
}

BookForm FormOfDetails(const BookDetails& details) {
  BookForm form;
  form.title = details.title;
  form.author = details.author;
  form.genre = details.genre;
  form.cover_image_url = details.cover_image_url;
  form.description = details.description;
  form.publisher = details.publisher;
  form.published_date = details.published_date;
  form.page_count = details.page_count > 0 ? std::to_string(details.page_count) : "";
  form.language = details.language;
  form.series = details.series;
  form.series_index = details.series_index;
  return form;
}

Result<void> Library::UpdateEntry(std::string_view user_id, std::string_view user_book_id,
                                  const EntryChange& change) {
  std::optional<ReadingStatus> status;
  if (change.status) {
    status = ParseReadingStatus(Trimmed(*change.status));
    if (!status)
      return Fail(ErrorCode::kInvalidArgument, "Status must be to-read, reading, read or did-not-finish");
  }
  auto on =
      DateOf(change.status_date, "The date", FormatUtc(clock_.Now() + std::chrono::hours(24), "%Y-%m-%d"));
  if (!on) return std::unexpected(on.error());
  std::optional<std::optional<int>> rating;
  if (change.rating) {
    auto parsed = RatingOf(*change.rating);
    if (!parsed) return std::unexpected(parsed.error());
    rating = *parsed;
  }
  std::optional<std::string> review;
  std::optional<std::string> notes;
  if (change.review) review = Trimmed(*change.review);
  if (change.notes) notes = Trimmed(*change.notes);
  if (review)
    if (auto ok = CheckLength(*review, kMaxText, "Review"); !ok) return ok;
  if (notes)
    if (auto ok = CheckLength(*notes, kMaxText, "Notes"); !ok) return ok;
  for (const auto& [name, value] : change.details)
    if (std::find(kTypedDetailFields.begin(), kTypedDetailFields.end(), name) == kTypedDetailFields.end())
      return Fail(ErrorCode::kInvalidArgument, "There is no detail named " + name);
  const std::string today = Today();
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book& book) -> Result<void> {
    if (!change.details.empty()) {
      BookForm form = FormOfDetails(entry.typed);
      for (const auto& [name, value] : change.details) *BookFormField(form, name) = value;
      auto typed = TypedDetails(form);
      if (!typed) return std::unexpected(typed.error());
      // Clearing the only title there is is refused; a book still waiting for its details may
      // have none yet, and a change of its other details is fine.
      if (typed->title.empty() && book.details.title.empty() && !entry.typed.title.empty())
        return Fail(ErrorCode::kInvalidArgument, "A book needs a title");
      entry.typed = std::move(*typed);
    }
    if (rating) entry.rating_halves = *rating;
    if (review) entry.review = *review;
    if (notes) entry.notes = *notes;
    if (change.owned) entry.owned = *change.owned;
    if (status) return ApplyStatus(entry, *status, on->empty() ? today : *on);
    return {};
  });
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

std::string Library::Today() const { return FormatUtc(clock_.Now(), "%Y-%m-%d"); }

template <class Change>
Result<void> Library::ChangeEntry(std::string_view user_id, std::string_view user_book_id, Change change) {
  auto entry = GetBook(user_id, user_book_id);
  if (!entry) return std::unexpected(entry.error());
  UserBook updated = entry->user_book;
  if (auto changed = change(updated, entry->book); !changed) return changed;
  return store_.UpdateUserBook(updated);
}

Result<LibraryView> Library::Browse(std::string_view user_id, const LibraryParams& params) {
  LibraryView view;
  auto query = QueryOf(params, view.page_number);
  if (!query) return std::unexpected(query.error());
  view.query = std::move(*query);
  auto page = store_.QueryLibrary(user_id, view.query);
  if (!page) return std::unexpected(page.error());
  view.page = std::move(*page);
  view.page_count = std::max(1, (view.page.total + kLibraryPageSize - 1) / kLibraryPageSize);
  auto shelves = store_.ListShelves(user_id);
  if (!shelves) return std::unexpected(shelves.error());
  view.shelves = std::move(*shelves);
  return view;
}

Result<HomeSummary> Library::Home(std::string_view user_id) {
  HomeSummary summary;
  LibraryQuery reading;
  reading.status = ReadingStatus::kReading;
  reading.limit = 10;
  auto current = store_.QueryLibrary(user_id, reading);
  if (!current) return std::unexpected(current.error());
  summary.reading = std::move(current->entries);
  LibraryQuery recent;
  recent.limit = 6;
  auto latest = store_.QueryLibrary(user_id, recent);
  if (!latest) return std::unexpected(latest.error());
  summary.recent = std::move(latest->entries);
  summary.status_counts = latest->status_counts;
  summary.total = latest->total;
  return summary;
}

Result<void> Library::SetStatus(std::string_view user_id, std::string_view user_book_id,
                                std::string_view status, std::string_view date) {
  const auto parsed = ParseReadingStatus(Trimmed(status));
  if (!parsed)
    return Fail(ErrorCode::kInvalidArgument, "Status must be to-read, reading, read or did-not-finish");
  const std::string today = Today();
  auto on = DateOf(date, "The date", FormatUtc(clock_.Now() + std::chrono::hours(24), "%Y-%m-%d"));
  if (!on) return std::unexpected(on.error());
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) {
    return ApplyStatus(entry, *parsed, on->empty() ? today : *on);
  });
}

Result<void> Library::AddRead(std::string_view user_id, std::string_view user_book_id, const ReadForm& form) {
  auto read = ReadOf(form, FormatUtc(clock_.Now() + std::chrono::hours(24), "%Y-%m-%d"));
  if (!read) return std::unexpected(read.error());
  read->id = crypto::RandomUuid();
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    if (entry.reads.size() >= kMaxReads)
      return Fail(ErrorCode::kInvalidArgument,
                  "A book can have at most " + std::to_string(kMaxReads) + " reads");
    if (read->outcome == ReadOutcome::kInProgress && OpenRead(entry) != nullptr)
      return Fail(ErrorCode::kInvalidArgument, "This book already has a read in progress");
    entry.reads.push_back(*read);
    SortReads(entry.reads);
    return {};
  });
}

Result<void> Library::EditRead(std::string_view user_id, std::string_view user_book_id,
                               std::string_view read_id, const ReadForm& form) {
  auto read = ReadOf(form, FormatUtc(clock_.Now() + std::chrono::hours(24), "%Y-%m-%d"));
  if (!read) return std::unexpected(read.error());
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    const auto it = std::ranges::find_if(entry.reads, [&](const Read& r) { return r.id == read_id; });
    if (it == entry.reads.end()) return Fail(ErrorCode::kNotFound, "No such read of this book");
    if (read->outcome == ReadOutcome::kInProgress) {
      const Read* open = OpenRead(entry);
      if (open != nullptr && open != &*it)
        return Fail(ErrorCode::kInvalidArgument, "This book already has a read in progress");
    }
    read->id = it->id;
    *it = *read;
    SortReads(entry.reads);
    return {};
  });
}

Result<void> Library::DeleteRead(std::string_view user_id, std::string_view user_book_id,
                                 std::string_view read_id) {
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    if (std::erase_if(entry.reads, [&](const Read& r) { return r.id == read_id; }) == 0)
      return Fail(ErrorCode::kNotFound, "No such read of this book");
    return {};
  });
}

Result<void> Library::SetProgress(std::string_view user_id, std::string_view user_book_id,
                                  std::string_view value, std::string_view unit) {
  const std::string text = Trimmed(value);
  const auto parsed_unit = ParseProgressUnit(Trimmed(unit));
  if (!text.empty() && (!parsed_unit || *parsed_unit == ProgressUnit::kNone))
    return Fail(ErrorCode::kInvalidArgument, "Progress is a page or a percentage");
  int number = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || number > 100000)
      return Fail(ErrorCode::kInvalidArgument, "Progress must be a whole number");
    number = number * 10 + (c - '0');
  }
  const std::string today = Today();
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book& book) -> Result<void> {
    if (text.empty()) {
      entry.progress = {};
      return {};
    }
    if (*parsed_unit == ProgressUnit::kPercent && number > 100)
      return Fail(ErrorCode::kInvalidArgument, "Progress in percent is from 0 to 100");
    const int pages = LibraryEntry{entry, book}.Shown().page_count;
    if (*parsed_unit == ProgressUnit::kPage && pages > 0 && number > pages)
      return Fail(ErrorCode::kInvalidArgument, "This book has " + std::to_string(pages) + " pages");
    entry.progress = Progress{*parsed_unit, number};
    if (entry.status == ReadingStatus::kToRead) return ApplyStatus(entry, ReadingStatus::kReading, today);
    return {};
  });
}

Result<void> Library::SetRating(std::string_view user_id, std::string_view user_book_id,
                                std::string_view rating) {
  auto halves = RatingOf(rating);
  if (!halves) return std::unexpected(halves.error());
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    entry.rating_halves = *halves;
    return {};
  });
}

Result<void> Library::SaveReview(std::string_view user_id, std::string_view user_book_id,
                                 std::string_view review, std::string_view notes) {
  const std::string review_text = Trimmed(review);
  const std::string notes_text = Trimmed(notes);
  if (auto ok = CheckLength(review_text, kMaxText, "Review"); !ok) return ok;
  if (auto ok = CheckLength(notes_text, kMaxText, "Notes"); !ok) return ok;
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    entry.review = review_text;
    entry.notes = notes_text;
    return {};
  });
}

Result<void> Library::SetOwned(std::string_view user_id, std::string_view user_book_id, bool owned) {
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    entry.owned = owned;
    return {};
  });
}

Result<std::vector<Shelf>> Library::Shelves(std::string_view user_id) { return store_.ListShelves(user_id); }

Result<void> Library::CreateShelf(std::string_view user_id, std::string_view name) {
  auto shelf = ShelfNameOf(name);
  if (!shelf) return std::unexpected(shelf.error());
  if (auto created = store_.CreateShelf(user_id, *shelf); !created)
    return std::unexpected(ShelfError(created.error(), *shelf));
  return {};
}

Result<void> Library::RenameShelf(std::string_view user_id, std::string_view from, std::string_view to) {
  auto shelf = ShelfNameOf(to);
  if (!shelf) return std::unexpected(shelf.error());
  if (auto renamed = store_.RenameShelf(user_id, Trimmed(from), *shelf); !renamed)
    return std::unexpected(ShelfError(renamed.error(), *shelf));
  return {};
}

Result<void> Library::DeleteShelf(std::string_view user_id, std::string_view name) {
  if (auto deleted = store_.DeleteShelf(user_id, Trimmed(name)); !deleted)
    return std::unexpected(ShelfError(deleted.error(), name));
  return {};
}

Result<void> Library::AddToShelf(std::string_view user_id, std::string_view user_book_id,
                                 std::string_view shelf) {
  auto name = ShelfNameOf(shelf);
  if (!name) return std::unexpected(name.error());
  // The entry first, so that someone else's id creates no shelf.
  if (auto entry = GetBook(user_id, user_book_id); !entry) return std::unexpected(entry.error());
  auto shelves = store_.ListShelves(user_id);
  if (!shelves) return std::unexpected(shelves.error());
  std::string spelled = *name;
  const auto existing =
      std::ranges::find_if(*shelves, [&](const Shelf& s) { return text::EqualsIgnoringCase(s.name, *name); });
  if (existing != shelves->end()) {
    spelled = existing->name;
  } else if (auto created = store_.CreateShelf(user_id, *name);
             !created && created.error().code != ErrorCode::kAlreadyExists) {
    return created;
  }
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    if (std::ranges::any_of(entry.shelves,
                            [&](const std::string& on) { return text::EqualsIgnoringCase(on, spelled); }))
      return {};
    if (entry.shelves.size() >= kMaxShelvesPerEntry)
      return Fail(ErrorCode::kInvalidArgument,
                  "A book can be on at most " + std::to_string(kMaxShelvesPerEntry) + " shelves");
    entry.shelves.push_back(spelled);
    SortShelfNames(entry.shelves);
    return {};
  });
}

Result<void> Library::RemoveFromShelf(std::string_view user_id, std::string_view user_book_id,
                                      std::string_view shelf) {
  const std::string name = Trimmed(shelf);
  return ChangeEntry(user_id, user_book_id, [&](UserBook& entry, const Book&) -> Result<void> {
    if (std::erase_if(entry.shelves,
                      [&](const std::string& on) { return text::EqualsIgnoringCase(on, name); }) == 0)
      return Fail(ErrorCode::kNotFound, "This book is not on that shelf");
    return {};
  });
}

}  // namespace booklib
