// The book page (/books/{id}: details and where each came from, status, reads, progress, rating,
// review, notes, owned, shelves) with its forms, and the shelves page (/shelves).
#include <array>

#include "core/enum_names.h"
#include "core/metadata_sync.h"
#include "text/ascii.h"
#include "text/codec.h"
#include "web/app.h"
#include "web/book_view.h"

namespace booklib::web {
// Every handler here serves a kUser route: the Page wrapper answers anonymous requests before they
// run, so ctx.user is set (ctx.UserId() states it). Each form posts to a route under
// /books/{id}/... or /shelves/..., whose wrapper has checked its CSRF token, and answers with a
// redirect back and a flash message; the core's refusal of what was typed is shown in the page
// (400), a missing or someone else's id is the 404 page.
namespace {

constexpr EnumName<ReadOutcome> kOutcomeLabels[] = {{ReadOutcome::kFinished, "Finished"},
                                                    {ReadOutcome::kInProgress, "In progress"},
                                                    {ReadOutcome::kDidNotFinish, "Did not finish"}};

// Where a shown detail came from: "typed by you" when it is what the reader typed, else the
// provider that filled the catalogue record ("from Open Library"; "from the catalogue" for records
// filled before the store kept the provider).
std::string SourceOf(const LibraryEntry& entry, const std::string& shown, const std::string& typed) {
  if (!typed.empty() && shown == typed) return "typed by you";
  const std::string& provider = entry.book.details_source;
  return provider.empty() ? "from the catalogue" : "from " + provider;
}

std::vector<Option> StatusOptions(ReadingStatus selected) {
  std::vector<Option> list;
  for (const auto& [status, label] : kStatusLabels)
    list.push_back({std::string(ReadingStatusName(status)), label, status == selected});
  return list;
}

std::vector<Option> OutcomeOptions(ReadOutcome selected) {
  std::vector<Option> list;
  for (const auto& [outcome, label] : kOutcomeLabels)
    list.push_back({std::string(ReadOutcomeName(outcome)), label, outcome == selected});
  return list;
}

// "No rating", then 0.5 to 5 stars in half stars.
std::vector<Option> RatingOptions(const std::optional<int>& halves) {
  std::vector<Option> list;
  for (int i = 0; i <= 10; ++i)
    list.push_back({i == 0 ? std::string("0") : RatingText(i),
                    i == 0 ? std::string("No rating")
                           : StarsText(i) + " " + RatingText(i) + (i == 2 ? " star" : " stars"),
                    i == 0 ? !halves.has_value() : halves == i});
  return list;
}

// One row of the details list, when the shown value is not empty: typed wins over the catalogue.
void AddDetail(std::vector<DetailRow>& rows, const LibraryEntry& entry, std::string_view label,
               const std::string& shown, const std::string& typed) {
  if (shown.empty()) return;
  rows.push_back({label, shown, SourceOf(entry, shown, typed)});
}

std::vector<DetailRow> DetailRows(const LibraryEntry& entry, const BookDetails& shown) {
  const BookDetails& typed = entry.user_book.typed;
  std::vector<DetailRow> rows;
  AddDetail(rows, entry, "Author", shown.author, typed.author);
  if (!shown.series.empty()) {
    const std::string series = shown.series + (shown.series_index.empty() ? "" : " #" + shown.series_index);
    AddDetail(rows, entry, "Series", series, typed.series.empty() ? "" : series);
  }
  AddDetail(rows, entry, "Genre", shown.genre, typed.genre);
  AddDetail(rows, entry, "Publisher", shown.publisher, typed.publisher);
  AddDetail(rows, entry, "Published", shown.published_date, typed.published_date);
  if (shown.page_count > 0) {
    const std::string pages = std::to_string(shown.page_count);
    AddDetail(rows, entry, "Pages", pages, typed.page_count > 0 ? pages : "");
  }
  AddDetail(rows, entry, "Language", shown.language, typed.language);
  if (!entry.book.isbn.empty()) rows.push_back({"ISBN", entry.book.isbn, "the book's number"});
  return rows;
}

// "Started 2026-01-02 · finished 2026-01-20" ("stopped" for a did-not-finish); "Dates unknown".
std::string ReadDates(const Read& read) {
  std::string text;
  if (!read.started_on.empty()) text = "started " + read.started_on;
  if (!read.finished_on.empty()) {
    if (!text.empty()) text += " \u00b7 ";
    text += (read.outcome == ReadOutcome::kDidNotFinish ? "stopped " : "finished ") + read.finished_on;
  }
  if (text.empty()) return "Dates unknown";
  text[0] = static_cast<char>(text[0] - 'a' + 'A');
  return text;
}

std::vector<ReadRow> ReadRows(const UserBook& user_book) {
  std::vector<ReadRow> rows;
  int number = 0;
  for (const Read& read : user_book.reads)
    rows.push_back({.read_id = read.id,
                    .number = ++number,
                    .dates = ReadDates(read),
                    .outcome = ReadOutcomeName(read.outcome),
                    .outcome_label = NameOf(kOutcomeLabels, read.outcome),
                    .started_on = read.started_on,
                    .finished_on = read.finished_on,
                    .outcomes = OutcomeOptions(read.outcome)});
  return rows;
}

// The progress shown and the form's current values ("Page 120 of 300 (40%)", "45%").
void SetProgress(BookPageView& page, const Progress& progress, int page_count) {
  page.progress_page = progress.unit != ProgressUnit::kPercent;
  page.progress_percent_unit = progress.unit == ProgressUnit::kPercent;
  if (progress.unit == ProgressUnit::kNone) return;
  page.progress_value = std::to_string(progress.value);
  int percent = progress.value;
  std::string text = std::to_string(progress.value) + "%";
  if (progress.unit == ProgressUnit::kPage) {
    text = "Page " + std::to_string(progress.value);
    if (page_count > 0) {
      percent = static_cast<int>(static_cast<long long>(progress.value) * 100 / page_count);
      text += " of " + std::to_string(page_count) + " (" + std::to_string(percent) + "%)";
    }
  }
  const bool bar = progress.unit == ProgressUnit::kPercent || page_count > 0;
  page.progress = ProgressView{std::move(text), bar ? std::to_string(percent) : std::string()};
}

// "Status set to Read." and the like, for the flash after a status change.
std::string StatusDone(std::string_view status) {
  const auto parsed = ParseReadingStatus(status);
  return parsed ? std::string("Marked as \u201c") + NameOf(kStatusLabels, *parsed) + "\u201d." : "Saved.";
}

// The shelf filter of the library page for `name`.
std::string ShelfLink(const std::string& name) { return "/books?shelf=" + text::PercentEncode(name); }

std::string QueryField(const Request& request, const std::string& name) {
  auto fields = ParseUrlEncoded(request.query);
  return fields ? Field(*fields, name) : std::string();
}

ReadForm ReadFormFromFields(const FormFields& fields) {
  return ReadForm{Field(fields, "started_on"), Field(fields, "finished_on"), Field(fields, "outcome")};
}

// A refused form shows again with what was typed in it (a long review is not lost to a typo).
void KeepTyped(BookPageView& page, const FormFields& form) {
  if (form.contains("review")) page.review = Field(form, "review");
  if (form.contains("notes")) page.notes = Field(form, "notes");
  if (form.contains("shelf")) page.typed_shelf = Field(form, "shelf");
  if (form.contains("unit")) {
    page.progress_value = Field(form, "value");
    page.progress_page = Field(form, "unit") != "percent";
    page.progress_percent_unit = Field(form, "unit") == "percent";
  }
}

}  // namespace

Response App::BookPage(RequestContext& ctx, const LibraryEntry& entry, std::string_view error,
                       int status) const {
  const BookDetails shown = entry.Shown();
  const UserBook& ub = entry.user_book;
  const std::string title = ShownTitle(entry, shown);
  BookPageView page;
  page.id = ub.id;
  page.title = title;
  page.title_source = SourceOf(entry, shown.title, ub.typed.title);
  page.has_title = !shown.title.empty();
  page.initial = Initial(title);
  page.cover = CoverSrc(entry, shown, static_cast<bool>(options_.cover_source));
  page.details = DetailRows(entry, shown);
  if (!shown.description.empty()) {
    page.description = shown.description;
    page.description_source = SourceOf(entry, shown.description, ub.typed.description);
  }
  page.status = ReadingStatusName(ub.status);
  page.status_label = NameOf(kStatusLabels, ub.status);
  page.statuses = StatusOptions(ub.status);
  page.reads = ReadRows(ub);
  page.new_read_outcomes = OutcomeOptions(ReadOutcome::kFinished);
  page.read_count = FinishedReadCount(ub);
  page.read_count_one = page.read_count == 1;
  page.date_read = LastFinishedOn(ub);
  page.with_progress = ub.status == ReadingStatus::kReading || ub.status == ReadingStatus::kToRead;
  SetProgress(page, ub.progress, shown.page_count);
  page.page_count = std::max(shown.page_count, 0);
  page.ratings = RatingOptions(ub.rating_halves);
  if (ub.rating_halves) {
    page.rating = RatingText(*ub.rating_halves);
    page.stars = StarsText(*ub.rating_halves);
  }
  page.review = ub.review;
  page.notes = ub.notes;
  page.owned = ub.owned;
  for (const std::string& name : ub.shelves) page.shelves.push_back({name, ShelfLink(name)});
  // The shelves the add form suggests; without them (a failed read) the form still works.
  if (auto all = library_.Shelves(ctx.UserId()))
    for (const Shelf& shelf : *all) page.known_shelves.push_back({shelf.name});
  page.pending = ub.sync_status == SyncStatus::kPending;
  page.failed = ub.sync_status == SyncStatus::kFailed;
  // Retry only where asking again may help: not after every service said it has no such book.
  page.can_retry = ub.sync_status == SyncStatus::kFailed && !entry.book.isbn.empty() &&
                   SyncFailureOf(ub.sync_error) != SyncFailure::kNotFound;
  page.date_added = ub.date_added.substr(0, 10);
  if (!error.empty()) {
    page.error = std::string(error);
    KeepTyped(page, ctx.form);
  }
  return RenderPage(ctx, title, page, status);
}

Response App::CoreErrorPage(RequestContext& ctx, const Error& error, std::string_view not_found) const {
  Response response =
      ErrorPage(ctx, HttpStatusFor(error),
                error.code == ErrorCode::kNotFound ? not_found : "That did not work", ReaderMessage(error));
  SetRetryAfter(response, error);
  return response;
}

Response App::BookActionAnswer(RequestContext& ctx, const std::string& id, const Result<void>& outcome,
                               const std::string& done) const {
  if (outcome) return Redirect(ctx, "/books/" + id, done, "success");
  const Error& error = outcome.error();
  if (error.code == ErrorCode::kInvalidArgument) {
    if (auto entry = library_.GetBook(ctx.UserId(), id))
      return BookPage(ctx, *entry, ReaderMessage(error), 400);
  }
  return CoreErrorPage(ctx, error, "Book not found");
}

Response App::ShowBookPage(RequestContext& ctx, const PathParams& params) const {
  const std::string etag = LibraryEtag(ctx);  // the page shows the entry and the reader's shelves
  if (auto unchanged = NotModified(ctx, etag)) return *std::move(unchanged);
  if (auto cached = CachedPage(etag)) return *std::move(cached);
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry) return CoreErrorPage(ctx, entry.error(), "Book not found");
  return KeepPage(etag, BookPage(ctx, *entry, "", 200));
}

Response App::DoSetBookStatus(RequestContext& ctx, const PathParams& params) const {
  const std::string status = Field(ctx.form, "status");
  return BookActionAnswer(ctx, params.at("id"),
                          library_.SetStatus(ctx.UserId(), params.at("id"), status, Field(ctx.form, "date")),
                          StatusDone(status));
}

Response App::DoAddRead(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(ctx, params.at("id"),
                          library_.AddRead(ctx.UserId(), params.at("id"), ReadFormFromFields(ctx.form)),
                          "Read added.");
}

Response App::DoEditRead(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(
      ctx, params.at("id"),
      library_.EditRead(ctx.UserId(), params.at("id"), params.at("read"), ReadFormFromFields(ctx.form)),
      "Read saved.");
}

Response App::DoDeleteRead(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(ctx, params.at("id"),
                          library_.DeleteRead(ctx.UserId(), params.at("id"), params.at("read")),
                          "Read deleted.");
}

Response App::DoSetProgress(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(
      ctx, params.at("id"),
      library_.SetProgress(ctx.UserId(), params.at("id"), Field(ctx.form, "value"), Field(ctx.form, "unit")),
      "Progress saved.");
}

Response App::DoSetBookRating(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(ctx, params.at("id"),
                          library_.SetRating(ctx.UserId(), params.at("id"), Field(ctx.form, "rating")),
                          "Rating saved.");
}

Response App::DoSaveReview(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(
      ctx, params.at("id"),
      library_.SaveReview(ctx.UserId(), params.at("id"), Field(ctx.form, "review"), Field(ctx.form, "notes")),
      "Review and notes saved.");
}

Response App::DoSetOwned(RequestContext& ctx, const PathParams& params) const {
  const bool owned = !Field(ctx.form, "owned").empty();
  return BookActionAnswer(ctx, params.at("id"), library_.SetOwned(ctx.UserId(), params.at("id"), owned),
                          owned ? "Marked as owned." : "Marked as not owned.");
}

Response App::DoAddToShelf(RequestContext& ctx, const PathParams& params) const {
  const std::string shelf(text::TrimWhitespace(Field(ctx.form, "shelf")));
  return BookActionAnswer(ctx, params.at("id"), library_.AddToShelf(ctx.UserId(), params.at("id"), shelf),
                          "Added to \u201c" + shelf + "\u201d.");
}

Response App::DoRemoveFromShelf(RequestContext& ctx, const PathParams& params) const {
  const std::string shelf = Field(ctx.form, "shelf");
  return BookActionAnswer(ctx, params.at("id"),
                          library_.RemoveFromShelf(ctx.UserId(), params.at("id"), shelf),
                          "Removed from \u201c" + shelf + "\u201d.");
}

Response App::DoRetryFromBookPage(RequestContext& ctx, const PathParams& params) const {
  return BookActionAnswer(ctx, params.at("id"), library_.RetryMetadata(ctx.UserId(), params.at("id")),
                          "Fetching the details again.");
}

Response App::ShowDeleteBookPage(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry) return CoreErrorPage(ctx, entry.error(), "Book not found");
  ConfirmPage page;
  page.title = ShownTitle(*entry, entry->Shown());
  page.action = "/books/" + entry->user_book.id + "/delete";
  page.back = "/books/" + entry->user_book.id;
  page.question = "Remove this book from your library?";
  page.detail = "Its reads, rating, review, notes and shelves go with it. This cannot be undone.";
  page.confirm_label = "Remove " + page.title;
  return RenderPage(ctx, "Remove a book", page);
}

Response App::DoDeleteFromBookPage(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));  // for its title in the flash
  if (!entry) return CoreErrorPage(ctx, entry.error(), "Book not found");
  if (auto deleted = library_.DeleteBook(ctx.UserId(), params.at("id")); !deleted)
    return CoreErrorPage(ctx, deleted.error(), "Book not found");
  return Redirect(ctx, "/books",
                  "\u201c" + ShownTitle(*entry, entry->Shown()) + "\u201d was removed from your library.");
}

// ---- The shelves page ------------------------------------------------------------------------------

Response App::ShelvesPage(RequestContext& ctx, std::string_view error, int status) const {
  auto shelves = library_.Shelves(ctx.UserId());
  if (!shelves) return CoreErrorPage(ctx, shelves.error(), "Shelves unavailable");
  ShelvesView page;
  for (const Shelf& shelf : *shelves)
    page.shelves.push_back({shelf.name, ShelfLink(shelf.name), shelf.book_count, shelf.book_count == 1,
                            "/shelves/delete?name=" + text::PercentEncode(shelf.name)});
  page.error = std::string(error);
  return RenderPage(ctx, "My shelves", page, status);
}

Response App::ShelfActionAnswer(RequestContext& ctx, const Result<void>& outcome,
                                const std::string& done) const {
  if (outcome) return Redirect(ctx, "/shelves", done, "success");
  const Error& error = outcome.error();
  if (error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kAlreadyExists)
    return ShelvesPage(ctx, ReaderMessage(error), HttpStatusFor(error));
  return CoreErrorPage(ctx, error, "Shelf not found");
}

Response App::ShowShelves(RequestContext& ctx, const PathParams&) const { return ShelvesPage(ctx, "", 200); }

Response App::DoCreateShelf(RequestContext& ctx, const PathParams&) const {
  const std::string name(text::TrimWhitespace(Field(ctx.form, "name")));
  return ShelfActionAnswer(ctx, library_.CreateShelf(ctx.UserId(), name),
                           "Shelf \u201c" + name + "\u201d created.");
}

Response App::DoRenameShelf(RequestContext& ctx, const PathParams&) const {
  const std::string to(text::TrimWhitespace(Field(ctx.form, "to")));
  return ShelfActionAnswer(ctx, library_.RenameShelf(ctx.UserId(), Field(ctx.form, "from"), to),
                           "Shelf renamed to \u201c" + to + "\u201d.");
}

Response App::ShowDeleteShelf(RequestContext& ctx, const PathParams&) const {
  const std::string name = QueryField(ctx.request, "name");
  auto shelves = library_.Shelves(ctx.UserId());
  if (!shelves) return CoreErrorPage(ctx, shelves.error(), "Shelves unavailable");
  const Shelf* found = nullptr;
  for (const Shelf& shelf : *shelves)
    if (shelf.name == name) found = &shelf;
  if (!found) return ErrorPage(ctx, 404, "Shelf not found", "You have no shelf of that name.");
  ConfirmPage page;
  page.title = found->name;
  page.action = "/shelves/delete";
  page.back = "/shelves";
  page.field_name = "name";
  page.field_value = found->name;
  page.question = "Delete the shelf \u201c" + found->name + "\u201d?";
  page.detail = found->book_count == 1 ? "Its 1 book stays in your library; only the shelf goes."
                                       : "Its " + std::to_string(found->book_count) +
                                             " books stay in your library; only the shelf goes.";
  page.confirm_label = "Delete shelf " + found->name;
  return RenderPage(ctx, "Delete a shelf", page);
}

Response App::DoDeleteShelf(RequestContext& ctx, const PathParams&) const {
  const std::string name = Field(ctx.form, "name");
  return ShelfActionAnswer(ctx, library_.DeleteShelf(ctx.UserId(), name),
                           "Shelf \u201c" + name + "\u201d deleted.");
}

}  // namespace booklib::web
