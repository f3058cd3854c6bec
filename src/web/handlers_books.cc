// Library pages: the library page (search, filters, sort, pages) and its cards, the signed-in
// home page, add, edit, enter details, delete and retry.
#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/enum_names.h"
#include "core/metadata_sync.h"
#include "text/ascii.h"
#include "text/codec.h"
#include "text/utf8.h"
#include "web/app.h"
#include "web/book_view.h"

namespace booklib::web {
// Every handler here but ShowHome serves a kUser route: the Page wrapper answers anonymous
// requests before they run, so ctx.UserId() is the signed-in reader's.
namespace {

BookForm FormFromFields(const FormFields& fields) {
  BookForm form;
  for (const char* name : {"isbn", "status", "rating"}) *BookFormField(form, name) = Field(fields, name);
  for (const std::string_view name : kTypedDetailFields)
    *BookFormField(form, name) = Field(fields, std::string(name));
  return form;
}

std::vector<Option> StatusOptions(const std::string& selected) {
  std::vector<Option> list;
  for (const auto& [status, label] : kStatusLabels) {
    std::string value(ReadingStatusName(status));
    const bool chosen = selected == value;
    list.push_back({std::move(value), label, chosen});
  }
  return list;
}

// "No rating", then 0.5 to 5 stars in half stars; a selected value as the form wrote it ("4" or "4.0").
std::vector<Option> RatingOptions(const std::string& selected) {
  std::vector<Option> list;
  const std::string wanted = selected.ends_with(".0") ? selected.substr(0, selected.size() - 2) : selected;
  for (int halves = 0; halves <= 10; ++halves) {
    const std::string value = halves == 0 ? "" : RatingText(halves);
    list.push_back({value,
                    halves == 0 ? std::string("No rating") : value + (halves == 2 ? " star" : " stars"),
                    wanted == value || (halves == 0 && wanted == "0")});
  }
  return list;
}

BookFormFields FieldValues(const BookForm& form, bool title_required = false) {
  return BookFormFields{
      .title = form.title,
      .title_required = title_required,
      .author = form.author,
      .genre = form.genre,
      .cover_image_url = form.cover_image_url,
      .description = form.description,
      .more_open = !(form.publisher.empty() && form.published_date.empty() && form.page_count.empty() &&
                     form.language.empty() && form.series.empty() && form.series_index.empty()),
      .publisher = form.publisher,
      .published_date = form.published_date,
      .page_count = form.page_count,
      .language = form.language,
      .series = form.series,
      .series_index = form.series_index};
}

// Progress while reading: "Page 120 of 352" (a bar at 34%), "Page 120", "45%".
std::optional<ProgressView> CardProgress(const UserBook& ub, const BookDetails& shown) {
  if (ub.status != ReadingStatus::kReading || ub.progress.unit == ProgressUnit::kNone) return std::nullopt;
  const int value = ub.progress.value;
  if (ub.progress.unit == ProgressUnit::kPercent)
    return ProgressView{std::to_string(value) + "%", std::to_string(std::clamp(value, 0, 100))};
  if (shown.page_count > 0)
    return ProgressView{"Page " + std::to_string(value) + " of " + std::to_string(shown.page_count),
                        std::to_string(std::clamp(value * 100 / shown.page_count, 0, 100))};
  return ProgressView{"Page " + std::to_string(value), ""};
}

// "We couldn't find this ISBN in Google Books or Open Library": the services the worker asked,
// as its reason names them.
std::string NotFoundMessage(const std::string& sync_error) {
  const std::string named = NotFoundIn(sync_error);
  return "We couldn\u2019t find this ISBN in " + (named.empty() ? std::string("the book services") : named) +
         " \u2014 enter the details yourself.";
}

// What the card says about fetching details, and which actions help: nothing once the details are
// there (fetched or typed); while PENDING only a badge; after a FAILED lookup a plain sentence,
// Retry when trying again may help (not after a definite not-found), and "Enter details".
void SetSyncData(BookCard& card, const UserBook& ub, const BookDetails& shown) {
  if (ub.sync_status == SyncStatus::kPending) {
    card.badge = "Fetching details";
    card.badge_class = "pending";
    return;
  }
  const bool details_missing = shown.title.empty() || shown.author.empty();
  if (ub.sync_status != SyncStatus::kFailed || !details_missing) return;
  const SyncFailure problem = SyncFailureOf(ub.sync_error);
  card.badge = problem == SyncFailure::kNotFound ? "Details not found" : "Details missing";
  card.badge_class = "failed";
  card.problem = problem == SyncFailure::kNotFound ? NotFoundMessage(ub.sync_error)
                 : problem == SyncFailure::kNoAnswer
                     ? std::string("The book services didn\u2019t answer; try again later.")
                     : std::string(
                           "The book services sent details Booklib couldn\u2019t use; try again "
                           "later, or enter the details yourself.");
  card.needs_details = true;
  card.can_retry = problem != SyncFailure::kNotFound;
}

BookCard CardData(const LibraryEntry& entry, bool server_covers) {
  // (the card links to its book page, /books/<id>)
  const BookDetails shown = entry.Shown();
  const UserBook& ub = entry.user_book;
  BookCard card;
  card.id = ub.id;
  card.title = ShownTitle(entry, shown);
  // What per-card controls are named after ("Edit Dune"): the title, else the ISBN.
  card.name = !shown.title.empty()       ? shown.title
              : !entry.book.isbn.empty() ? "ISBN " + entry.book.isbn
                                         : std::string("this book");
  const std::string initial = text::FirstCharacter(shown.title.empty() ? shown.author : shown.title);
  card.initial = initial.empty() ? std::string("\U0001F4D6") : initial;
  card.author = shown.author;
  card.isbn = entry.book.isbn;
  card.genre = shown.genre;
  card.cover = CoverSrc(entry, shown, server_covers);
  card.status = ReadingStatusName(ub.status);
  card.status_label = NameOf(kStatusLabels, ub.status);
  // Five stars drawn for the halves: the filled part's width is a class, not an inline style
  // (the page's Content-Security-Policy allows no inline styles).
  if (ub.rating_halves) card.rating = RatingView{RatingText(*ub.rating_halves), *ub.rating_halves};
  card.sync_status = SyncStatusName(ub.sync_status);
  SetSyncData(card, ub, shown);
  card.progress = CardProgress(ub, shown);
  if (const std::string finished = LastFinishedOn(ub); !finished.empty())
    card.read_on = ReadableDate(finished);
  card.date_added = ub.date_added.substr(0, 10);
  return card;
}

// What the edit form shows: the details as the card shows them (typed, else the catalogue's).
BookForm FormFromEntry(const LibraryEntry& entry) {
  const UserBook& ub = entry.user_book;
  BookForm form = FormOfDetails(entry.Shown());
  form.isbn = entry.book.isbn;
  form.status = std::string(ReadingStatusName(ub.status));
  form.rating = ub.rating_halves ? RatingText(*ub.rating_halves) : "";
  return form;
}

// ---- The library page's URL -------------------------------------------------------------------

// The same view with `change` applied, from its first page.
template <class Change>
std::string LibraryUrlWith(LibraryParams params, Change change) {
  params.page.clear();
  change(params);
  return LibraryUrl(params);
}

std::string PageUrl(LibraryParams params, int page) {
  params.page = page == 1 ? "" : std::to_string(page);
  return LibraryUrl(params);
}

struct Choice {
  const char* value;
  const char* label;
};
constexpr Choice kRatingChoices[] = {
    {"", "Any rating"},      {"5", "5 stars"},          {"4", "4 to 4.5 stars"}, {"3", "3 to 3.5 stars"},
    {"2", "2 to 2.5 stars"}, {"1", "0.5 to 1.5 stars"}, {"none", "Not rated"}};
constexpr Choice kSyncChoices[] = {{"", "Any details"},
                                   {"pending", "Details being fetched"},
                                   {"synced", "Details complete"},
                                   {"failed", "Details not found"}};
constexpr Choice kOwnedChoices[] = {{"", "Owned or not"}, {"yes", "Owned"}, {"no", "Not owned"}};
constexpr Choice kSortChoices[] = {{"", "Date added"},  // the default, which the address leaves out
                                   {"title", "Title"},
                                   {"author", "Author"},
                                   {"rating", "Rating"},
                                   {"finished", "Date finished"}};

template <std::size_t N>
std::vector<Option> ChoiceOptions(const Choice (&choices)[N], std::string_view selected) {
  std::vector<Option> list;
  const std::string lower = text::AsciiLower(selected);
  for (const Choice& choice : choices) list.push_back({choice.value, choice.label, lower == choice.value});
  return list;
}

template <std::size_t N>
std::string ChoiceLabel(const Choice (&choices)[N], std::string_view value) {
  for (const Choice& choice : choices)
    if (text::AsciiLower(value) == choice.value) return choice.label;
  return std::string(value);
}

// "search “dune”, status Reading, shelf “Sci-fi”": what narrows the view, in words; empty when nothing does.
std::string ActiveFilters(const LibraryView& view, const LibraryParams& params) {
  std::vector<std::string> parts;
  if (!view.query.terms.empty())
    parts.push_back("search \u201c" + std::string(text::TrimWhitespace(params.q)) + "\u201d");
  if (view.query.status) parts.push_back(std::string("status ") + NameOf(kStatusLabels, *view.query.status));
  if (!view.query.shelf.empty()) parts.push_back("shelf \u201c" + view.query.shelf + "\u201d");
  if (view.query.rating_stars) parts.push_back(ChoiceLabel(kRatingChoices, params.rating));
  if (view.query.sync) parts.push_back(ChoiceLabel(kSyncChoices, params.sync));
  if (view.query.owned) parts.push_back(*view.query.owned ? "owned" : "not owned");
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) joined += (i == 0 ? "" : ", ") + parts[i];
  return joined;
}

// Page links: the first, the last, and two either side of the current one, with gaps between.
std::vector<PageLink> PageLinks(const LibraryParams& params, int current, int count) {
  std::vector<PageLink> list;
  int last_shown = 0;
  for (int page = 1; page <= count; ++page) {
    if (page != 1 && page != count && std::abs(page - current) > 2) continue;
    if (page > last_shown + 1) list.push_back({.gap = true});
    list.push_back({.url = PageUrl(params, page), .current = page == current, .number = page});
    last_shown = page;
  }
  return list;
}

}  // namespace

// GET /books?q=&status=&shelf=&rating=&sync=&owned=&sort=&page= (PRODUCT.md): one page of the
// reader's library as the URL asks, in a page that works without JavaScript. With fragment=1, the
// cards alone (the page's script asks for them while details are being fetched).
Response App::ShowBooks(RequestContext& ctx, const PathParams&) const {
  auto fields = ParseUrlEncoded(ctx.request.query, 32);
  if (!fields)
    return ErrorPage(ctx, 400, "That address did not work",
                     "The address of this page is malformed. Open your library from the menu instead.");
  const LibraryParams params = LibraryParamsFrom(*fields);
  // Unchanged since the browser's copy (the live update asks every few seconds): no query, no page.
  const std::string etag = LibraryEtag(ctx);
  if (auto unchanged = NotModified(ctx, etag)) return *std::move(unchanged);
  if (auto cached = CachedPage(etag)) return *std::move(cached);
  auto view = library_.Browse(ctx.UserId(), params);
  if (!view) {
    if (view.error().code == ErrorCode::kInvalidArgument)
      return ErrorPage(ctx, 400, "That filter did not work", view.error().message + ".");
    Response response =
        ErrorPage(ctx, HttpStatusFor(view.error()), "Library unavailable", ReaderMessage(view.error()));
    SetRetryAfter(response, view.error());
    return response;
  }
  const LibraryPage& found = view->page;
  const int whole_library = std::accumulate(found.status_counts.begin(), found.status_counts.end(), 0);
  const std::string filters = ActiveFilters(*view, params);
  BooksPage page;
  CardList& cards = page.cards;
  cards.books.reserve(found.entries.size());
  bool pending = false;
  for (const LibraryEntry& entry : found.entries) {
    cards.books.push_back(CardData(entry, static_cast<bool>(options_.cover_source)));
    pending = pending || entry.user_book.sync_status == SyncStatus::kPending;
  }
  cards.pending = pending ? "1" : "0";
  if (found.entries.empty()) {
    if (whole_library == 0) {
      cards.empty_library = true;
    } else if (found.total == 0) {
      cards.no_match = filters.empty() ? std::string("these filters") : filters;
    } else {
      cards.past_last_page = true;
      cards.last_page_url = PageUrl(params, view->page_count);
    }
  }
  if (Field(*fields, "fragment") == "1") {
    Response response;
    response.SetHeader("Content-Type", "text/html; charset=utf-8");
    HtmlOut out(response.body);
    RenderCards(out, Frame(ctx, ""), cards);
    return KeepPage(etag, std::move(response));
  }
  page.fragment_url = LibraryUrl(params, "fragment=1");
  page.api_url = LibraryUrl(params, "", "/api/v1/books");
  page.count = found.total;
  page.one = found.total == 1;
  if (!filters.empty()) {
    page.filtered = true;
    page.filters = filters;
    page.whole_library = whole_library;
  }
  // The search and filter form.
  page.q = params.q;
  page.quick_filters.push_back({LibraryUrlWith(params, [](LibraryParams& p) { p.status.clear(); }),
                                !view->query.status.has_value(), "All", whole_library});
  page.statuses.push_back({"", "Any status", !view->query.status.has_value()});
  for (const auto& [status, label] : kStatusLabels) {
    const std::string value(ReadingStatusName(status));
    const int count = found.status_counts[static_cast<std::size_t>(status)];
    page.statuses.push_back(
        {value, std::string(label) + " (" + std::to_string(count) + ")", view->query.status == status});
    page.quick_filters.push_back({LibraryUrlWith(params, [&](LibraryParams& p) { p.status = value; }),
                                  view->query.status == status, label, count});
  }
  if (!view->shelves.empty() || !view->query.shelf.empty()) {
    page.shelves.push_back({"", "Any shelf", false});
    bool listed = view->query.shelf.empty();
    for (const Shelf& shelf : view->shelves) {
      const bool selected =
          text::EqualsIgnoringCase(shelf.name, view->query.shelf) || shelf.name == view->query.shelf;
      page.shelves.push_back(
          {shelf.name, shelf.name + " (" + std::to_string(shelf.book_count) + ")", selected});
      listed = listed || selected;
    }
    if (!listed)  // a shelf the URL names that the reader does not have (any more)
      page.shelves.push_back({view->query.shelf, view->query.shelf + " (0)", true});
    page.has_shelves = true;
  }
  page.ratings = ChoiceOptions(kRatingChoices, params.rating);
  page.syncs = ChoiceOptions(kSyncChoices, params.sync);
  page.owned_choices = ChoiceOptions(kOwnedChoices, params.owned);
  page.sorts = ChoiceOptions(kSortChoices, text::AsciiLower(params.sort) == "added" ? "" : params.sort);
  if (view->page_count > 1) {
    Paging& paging = page.paging.emplace();
    paging.pages = PageLinks(params, view->page_number, view->page_count);
    if (view->page_number > 1)
      paging.previous_url = PageUrl(params, std::min(view->page_number - 1, view->page_count));
    if (view->page_number < view->page_count) paging.next_url = PageUrl(params, view->page_number + 1);
    paging.page_number = view->page_number;
    paging.page_count = view->page_count;
  }
  const std::string title = view->page_number > 1 ? "My library, page " + std::to_string(view->page_number)
                                                  : std::string("My library");
  return KeepPage(etag, RenderPage(ctx, title, page));
}

// GET / and /home: for a signed-in reader what they are reading, what they added last and their
// library per status; for anyone else what Booklib is.
Response App::ShowHome(RequestContext& ctx, const PathParams&) const {
  if (!ctx.user) return RenderPage(ctx, "Home", HomePage{});
  const std::string etag = LibraryEtag(ctx);
  if (auto unchanged = NotModified(ctx, etag)) return *std::move(unchanged);
  if (auto cached = CachedPage(etag)) return *std::move(cached);
  auto summary = library_.Home(ctx.user->id);
  if (!summary) {
    Response response =
        ErrorPage(ctx, HttpStatusFor(summary.error()), "Library unavailable", ReaderMessage(summary.error()));
    SetRetryAfter(response, summary.error());
    return response;
  }
  const bool server_covers = static_cast<bool>(options_.cover_source);
  const auto cards = [&](const std::vector<LibraryEntry>& entries) {
    std::vector<BookCard> list;
    list.reserve(entries.size());
    for (const LibraryEntry& entry : entries) list.push_back(CardData(entry, server_covers));
    return list;
  };
  HomePage page;
  page.signed_in = true;
  page.reading = cards(summary->reading);
  page.has_reading = !summary->reading.empty();
  page.recent = cards(summary->recent);
  page.has_recent = !summary->recent.empty();
  page.total = summary->total;
  page.one = summary->total == 1;
  for (const auto& [status, label] : kStatusLabels)
    page.counts.push_back({"/books?status=" + std::string(ReadingStatusName(status)),
                           summary->status_counts[static_cast<std::size_t>(status)], label});
  return KeepPage(etag, RenderPage(ctx, "Home", page));
}

Response App::ShowAddBook(RequestContext& ctx, const PathParams&) const {
  AddBookPage page;
  page.fields = FieldValues(BookForm{});
  page.statuses = StatusOptions("to-read");
  page.ratings = RatingOptions("");
  return RenderPage(ctx, "Add a book", page);
}
Response App::DoAddBook(RequestContext& ctx, const PathParams&) const {
  const BookForm form = FormFromFields(ctx.form);
  auto added = library_.AddBook(ctx.UserId(), form);
  if (added) {
    const BookDetails shown = added->Shown();
    const std::string what = shown.title.empty() ? "The book" : "\u201c" + shown.title + "\u201d";
    return Redirect(ctx, "/books",
                    what + (added->user_book.sync_status == SyncStatus::kPending
                                ? " was added; its details are on their way."
                                : " was added."),
                    "success");
  }
  AddBookPage page;
  page.error = ReaderMessage(added.error());
  page.isbn = form.isbn;
  page.fields = FieldValues(form);
  page.statuses = StatusOptions(form.status);
  page.ratings = RatingOptions(form.rating);
  Response response = RenderPage(ctx, "Add a book", page, HttpStatusFor(added.error()));
  SetRetryAfter(response, added.error());
  return response;
}

Response App::BookFormPage(RequestContext& ctx, const LibraryEntry& entry, const BookForm* typed, bool manual,
                           std::string_view error) const {
  const BookForm form = typed ? *typed : FormFromEntry(entry);
  EditBookPage page;
  page.heading = manual ? "Enter the book's details" : "Edit book";
  page.action = std::string(manual ? "/manual_update_book/" : "/edit_book/") + entry.user_book.id;
  page.isbn = entry.book.isbn;
  // The book must keep a title (the core refuses otherwise); the catalogue's shows if this is left empty.
  page.fields = FieldValues(form, entry.book.details.title.empty());
  page.with_status = !manual;
  page.statuses = StatusOptions(form.status);
  page.ratings = RatingOptions(form.rating);
  page.error = std::string(error);
  return RenderPage(ctx, manual ? "Enter details" : "Edit book", page, error.empty() ? 200 : 400);
}

// The edit form and the enter-details form differ only in the use case they save with and their words.
Response App::ShowBookForm(RequestContext& ctx, const PathParams& params, bool manual) const {
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry)
    return ErrorPage(ctx, HttpStatusFor(entry.error()), "Book not found", ReaderMessage(entry.error()));
  return BookFormPage(ctx, *entry, nullptr, manual, "");
}

Response App::SaveBookForm(RequestContext& ctx, const PathParams& params, bool manual) const {
  const std::string& id = params.at("id");
  auto entry = library_.GetBook(ctx.UserId(), id);
  if (!entry)
    return ErrorPage(ctx, HttpStatusFor(entry.error()), "Book not found", ReaderMessage(entry.error()));
  const BookForm form = FormFromFields(ctx.form);
  auto saved =
      manual ? library_.EnterDetails(ctx.UserId(), id, form) : library_.EditBook(ctx.UserId(), id, form);
  if (!saved) {
    if (saved.error().code != ErrorCode::kInvalidArgument)
      return ErrorPage(ctx, HttpStatusFor(saved.error()), "Could not save", ReaderMessage(saved.error()));
    return BookFormPage(ctx, *entry, &form, manual, saved.error().message);
  }
  return Redirect(ctx, "/books", manual ? "Details saved." : "Saved.", "success");
}

Response App::ShowEditBook(RequestContext& ctx, const PathParams& params) const {
  return ShowBookForm(ctx, params, /*manual=*/false);
}

Response App::DoEditBook(RequestContext& ctx, const PathParams& params) const {
  return SaveBookForm(ctx, params, /*manual=*/false);
}

Response App::ShowManualUpdate(RequestContext& ctx, const PathParams& params) const {
  return ShowBookForm(ctx, params, /*manual=*/true);
}

Response App::DoManualUpdate(RequestContext& ctx, const PathParams& params) const {
  return SaveBookForm(ctx, params, /*manual=*/true);
}

// Without confirm=yes (a form sent without the page's script, which asks first) the answer is a
// page that asks, naming the book; nothing is deleted until that page's form is sent.
Response App::DoDeleteBook(RequestContext& ctx, const PathParams& params) const {
  const std::string& id = params.at("id");
  auto entry = library_.GetBook(ctx.UserId(), id);
  if (!entry)
    return ErrorPage(ctx, HttpStatusFor(entry.error()), "Book not found", ReaderMessage(entry.error()));
  if (Field(ctx.form, "confirm") != "yes") {
    const BookDetails shown = entry->Shown();
    DeleteBookPage page;
    page.id = id;
    page.title = shown.title.empty() ? (entry->book.isbn.empty() ? std::string("this book")
                                                                 : "the book with ISBN " + entry->book.isbn)
                                     : "\u201c" + shown.title + "\u201d";
    return RenderPage(ctx, "Remove a book", page);
  }
  auto deleted = library_.DeleteBook(ctx.UserId(), id);
  if (!deleted)
    return ErrorPage(ctx, HttpStatusFor(deleted.error()), "Book not found", ReaderMessage(deleted.error()));
  return Redirect(ctx, "/books", "The book was removed from your library.");
}

// The cover the card shows (typed or the catalogue's), fetched by this server (CoverSource's
// address checks apply to a typed URL as to a provider's); ?v= in the URL only defeats caches.
Response App::ShowCover(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.UserId(), params.at("id"));
  if (!entry || !options_.cover_source) return TextResponse(404, "No cover");
  const std::string url = entry->Shown().cover_image_url;
  if (url.empty()) return TextResponse(404, "No cover");
  auto image = options_.cover_source(url);
  // A fixed text, never the source's error: it would tell a reader about the network behind it.
  if (!image && image.error().code == ErrorCode::kNotFound) return TextResponse(404, "No cover");
  if (!image) return TextResponse(502, "Cover could not be fetched");
  Response response;
  response.SetHeader("Content-Type", image->content_type);
  response.SetHeader("Cache-Control", "private, max-age=86400");
  response.body = std::move(image->bytes);
  return response;
}

Response App::DoRetryBook(RequestContext& ctx, const PathParams& params) const {
  auto retried = library_.RetryMetadata(ctx.UserId(), params.at("id"));
  if (!retried)
    return ErrorPage(ctx, HttpStatusFor(retried.error()), "Could not retry", ReaderMessage(retried.error()));
  return Redirect(ctx, "/books", "Fetching the details again.");
}

}  // namespace booklib::web
