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

TemplateData StatusOptions(ReadingStatus selected) {
  TemplateData list{TemplateData::type::list};
  for (const auto& [status, label] : kStatusLabels) {
    TemplateData option;
    option.set("value", std::string(ReadingStatusName(status)));
    option.set("label", label);
    option.set("selected", status == selected);
    list.push_back(option);
  }
  return list;
}

TemplateData OutcomeOptions(ReadOutcome selected) {
  TemplateData list{TemplateData::type::list};
  for (const auto& [outcome, label] : kOutcomeLabels) {
    TemplateData option;
    option.set("value", std::string(ReadOutcomeName(outcome)));
    option.set("label", label);
    option.set("selected", outcome == selected);
    list.push_back(option);
  }
  return list;
}

// "No rating", then 0.5 to 5 stars in half stars.
TemplateData RatingOptions(const std::optional<int>& halves) {
  TemplateData list{TemplateData::type::list};
  for (int i = 0; i <= 10; ++i) {
    TemplateData option;
    option.set("value", i == 0 ? std::string("0") : RatingText(i));
    option.set("label", i == 0 ? std::string("No rating")
                               : StarsText(i) + " " + RatingText(i) + (i == 2 ? " star" : " stars"));
    option.set("selected", i == 0 ? !halves.has_value() : halves == i);
    list.push_back(option);
  }
  return list;
}

// One row of the details list, when the shown value is not empty: typed wins over the catalogue.
void AddDetail(TemplateData& rows, const LibraryEntry& entry, const char* label, const std::string& shown,
               const std::string& typed) {
  if (shown.empty()) return;
  TemplateData row;
  row.set("label", label);
  row.set("value", shown);
  row.set("source", SourceOf(entry, shown, typed));
  rows.push_back(row);
}

TemplateData DetailRows(const LibraryEntry& entry, const BookDetails& shown) {
  const BookDetails& typed = entry.user_book.typed;
  TemplateData rows{TemplateData::type::list};
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
  if (!entry.book.isbn.empty()) {
    TemplateData row;
    row.set("label", "ISBN");
    row.set("value", entry.book.isbn);
    row.set("source", "the book's number");
    rows.push_back(row);
  }
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

TemplateData ReadRows(const UserBook& user_book) {
  TemplateData rows{TemplateData::type::list};
  int number = 0;
  for (const Read& read : user_book.reads) {
    TemplateData row;
    row.set("read_id", read.id);
    row.set("number", std::to_string(++number));
    row.set("dates", ReadDates(read));
    row.set("outcome", std::string(ReadOutcomeName(read.outcome)));
    row.set("outcome_label", NameOf(kOutcomeLabels, read.outcome));
    row.set("started_on", read.started_on);
    row.set("finished_on", read.finished_on);
    row.set("outcomes", OutcomeOptions(read.outcome));
    rows.push_back(row);
  }
  return rows;
}

// The progress shown and the form's current values ("Page 120 of 300 (40%)", "45%").
void SetProgress(TemplateData& data, const Progress& progress, int page_count) {
  data.set("progress_page", progress.unit != ProgressUnit::kPercent);
  data.set("progress_percent_unit", progress.unit == ProgressUnit::kPercent);
  if (progress.unit == ProgressUnit::kNone) return;
  data.set("progress_value", std::to_string(progress.value));
  int percent = progress.value;
  std::string text = std::to_string(progress.value) + "%";
  if (progress.unit == ProgressUnit::kPage) {
    text = "Page " + std::to_string(progress.value);
    if (page_count > 0) {
      percent = static_cast<int>(static_cast<long long>(progress.value) * 100 / page_count);
      text += " of " + std::to_string(page_count) + " (" + std::to_string(percent) + "%)";
    }
  }
  TemplateData shown;
  shown.set("text", text);
  if (progress.unit == ProgressUnit::kPercent || page_count > 0)
    shown.set("percent", std::to_string(percent));
  data.set("progress", shown);
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
void KeepTyped(TemplateData& data, const FormFields& form) {
  for (const char* field : {"review", "notes"})
    if (form.contains(field)) data.set(field, Field(form, field));
  if (form.contains("shelf")) data.set("typed_shelf", Field(form, "shelf"));
  if (form.contains("unit")) {
    data.set("progress_value", Field(form, "value"));
    data.set("progress_page", Field(form, "unit") != "percent");
    data.set("progress_percent_unit", Field(form, "unit") == "percent");
  }
}

}  // namespace

Response App::BookPage(RequestContext& ctx, const LibraryEntry& entry, std::string_view error,
                       int status) const {
  const BookDetails shown = entry.Shown();
  const UserBook& ub = entry.user_book;
  const std::string title = ShownTitle(entry, shown);
  TemplateData data;
  data.set("id", ub.id);
  data.set("title", title);
  data.set("title_source", SourceOf(entry, shown.title, ub.typed.title));
  data.set("has_title", !shown.title.empty());
  data.set("initial", Initial(title));
  if (const std::string cover = CoverSrc(entry, shown, static_cast<bool>(options_.cover_source));
      !cover.empty())
    data.set("cover", cover);
  data.set("details", DetailRows(entry, shown));
  if (!shown.description.empty()) {
    data.set("description", shown.description);
    data.set("description_source", SourceOf(entry, shown.description, ub.typed.description));
  }
  data.set("status", std::string(ReadingStatusName(ub.status)));
  data.set("status_label", NameOf(kStatusLabels, ub.status));
  data.set("statuses", StatusOptions(ub.status));
  data.set("reads", ReadRows(ub));
  data.set("new_read_outcomes", OutcomeOptions(ReadOutcome::kFinished));
  const int finished = FinishedReadCount(ub);
  data.set("read_count", std::to_string(finished));
  data.set("read_count_one", finished == 1);
  if (const std::string last = LastFinishedOn(ub); !last.empty()) data.set("date_read", last);
  data.set("with_progress", ub.status == ReadingStatus::kReading || ub.status == ReadingStatus::kToRead);
  SetProgress(data, ub.progress, shown.page_count);
  if (shown.page_count > 0) data.set("page_count", std::to_string(shown.page_count));
  data.set("ratings", RatingOptions(ub.rating_halves));
  if (ub.rating_halves) {
    data.set("rating", RatingText(*ub.rating_halves));
    data.set("stars", StarsText(*ub.rating_halves));
  }
  data.set("review", ub.review);
  data.set("notes", ub.notes);
  data.set("owned", ub.owned);
  TemplateData chips{TemplateData::type::list};
  for (const std::string& name : ub.shelves) {
    TemplateData chip;
    chip.set("name", name);
    chip.set("link", ShelfLink(name));
    chips.push_back(chip);
  }
  data.set("shelves", chips);
  // The shelves the add form suggests; without them (a failed read) the form still works.
  TemplateData known{TemplateData::type::list};
  if (auto all = library_.Shelves(ctx.UserId())) {
    for (const Shelf& shelf : *all) known.push_back(TemplateData("name", shelf.name));
  }
  data.set("known_shelves", known);
  data.set("pending", ub.sync_status == SyncStatus::kPending);
  data.set("failed", ub.sync_status == SyncStatus::kFailed);
  // Retry only where asking again may help: not after every service said it has no such book.
  data.set("can_retry", ub.sync_status == SyncStatus::kFailed && !entry.book.isbn.empty() &&
                            SyncFailureOf(ub.sync_error) != SyncFailure::kNotFound);
  data.set("date_added", ub.date_added.substr(0, 10));
  if (!error.empty()) {
    data.set("error", std::string(error));
    KeepTyped(data, ctx.form);
  }
  return RenderPage(ctx, "book_page", title, data, status);
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
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry) return CoreErrorPage(ctx, entry.error(), "Book not found");
  return BookPage(ctx, *entry, "", 200);
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
  TemplateData data;
  data.set("title", ShownTitle(*entry, entry->Shown()));
  data.set("action", "/books/" + entry->user_book.id + "/delete");
  data.set("back", "/books/" + entry->user_book.id);
  data.set("question", "Remove this book from your library?");
  data.set("detail", "Its reads, rating, review, notes and shelves go with it. This cannot be undone.");
  data.set("confirm_label", "Remove " + ShownTitle(*entry, entry->Shown()));
  return RenderPage(ctx, "book_confirm", "Remove a book", data);
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
  TemplateData rows{TemplateData::type::list};
  for (const Shelf& shelf : *shelves) {
    TemplateData row;
    row.set("name", shelf.name);
    row.set("link", ShelfLink(shelf.name));
    row.set("count", std::to_string(shelf.book_count));
    row.set("one", shelf.book_count == 1);
    row.set("delete_link", "/shelves/delete?name=" + text::PercentEncode(shelf.name));
    rows.push_back(row);
  }
  TemplateData data;
  data.set("shelves", rows);
  data.set("has_shelves", !shelves->empty());
  if (!error.empty()) data.set("error", std::string(error));
  return RenderPage(ctx, "shelves", "My shelves", data, status);
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
  TemplateData data;
  data.set("title", found->name);
  data.set("action", "/shelves/delete");
  data.set("back", "/shelves");
  data.set("field_name", "name");
  data.set("field_value", found->name);
  data.set("question", "Delete the shelf \u201c" + found->name + "\u201d?");
  data.set("detail", found->book_count == 1 ? "Its 1 book stays in your library; only the shelf goes."
                                            : "Its " + std::to_string(found->book_count) +
                                                  " books stay in your library; only the shelf goes.");
  data.set("confirm_label", "Delete shelf " + found->name);
  return RenderPage(ctx, "book_confirm", "Delete a shelf", data);
}

Response App::DoDeleteShelf(RequestContext& ctx, const PathParams&) const {
  const std::string name = Field(ctx.form, "name");
  return ShelfActionAnswer(ctx, library_.DeleteShelf(ctx.UserId(), name),
                           "Shelf \u201c" + name + "\u201d deleted.");
}

}  // namespace booklib::web
