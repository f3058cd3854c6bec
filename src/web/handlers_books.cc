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
  for (const auto& [name, value] : {std::pair{"isbn", &form.isbn},
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
    *value = Field(fields, name);
  return form;
}

TemplateData StatusOptions(const std::string& selected) {
  TemplateData list{TemplateData::type::list};
  for (const auto& [status, label] : kStatusLabels) {
    const std::string value(ReadingStatusName(status));
    TemplateData option;
    option.set("value", value);
    option.set("label", label);
    option.set("selected", selected == value);
    list.push_back(option);
  }
  return list;
}

// "No rating", then 0.5 to 5 stars in half stars; a selected value as the form wrote it ("4" or "4.0").
TemplateData RatingOptions(const std::string& selected) {
  TemplateData list{TemplateData::type::list};
  const std::string wanted = selected.ends_with(".0") ? selected.substr(0, selected.size() - 2) : selected;
  for (int halves = 0; halves <= 10; ++halves) {
    const std::string value = halves == 0 ? "" : RatingText(halves);
    TemplateData option;
    option.set("value", value);
    option.set("label", halves == 0 ? std::string("No rating") : value + (halves == 2 ? " star" : " stars"));
    option.set("selected", wanted == value || (halves == 0 && wanted == "0"));
    list.push_back(option);
  }
  return list;
}

TemplateData FieldValues(const BookForm& form, bool title_required = false) {
  TemplateData data;
  data.set("title", form.title);
  data.set("title_required", title_required);
  for (const auto& [name, value] : {std::pair{"author", &form.author},
                                    {"genre", &form.genre},
                                    {"cover_image_url", &form.cover_image_url},
                                    {"description", &form.description},
                                    {"publisher", &form.publisher},
                                    {"published_date", &form.published_date},
                                    {"page_count", &form.page_count},
                                    {"language", &form.language},
                                    {"series", &form.series},
                                    {"series_index", &form.series_index}})
    data.set(name, *value);
  data.set("more_open", !(form.publisher.empty() && form.published_date.empty() && form.page_count.empty() &&
                          form.language.empty() && form.series.empty() && form.series_index.empty()));
  return data;
}

// Five stars drawn for `halves` (0..10): the filled part's width is a class, not an inline style
// (the page's Content-Security-Policy allows no inline styles).
TemplateData RatingData(int halves) {
  TemplateData rating;
  rating.set("text", RatingText(halves));
  rating.set("halves", std::to_string(halves));
  return rating;
}

// Progress while reading: "Page 120 of 352" (a bar at 34%), "Page 120", "45%".
void SetProgressData(TemplateData& card, const UserBook& ub, const BookDetails& shown) {
  if (ub.status != ReadingStatus::kReading || ub.progress.unit == ProgressUnit::kNone) return;
  TemplateData progress;
  const int value = ub.progress.value;
  if (ub.progress.unit == ProgressUnit::kPercent) {
    progress.set("text", std::to_string(value) + "%");
    progress.set("percent", std::to_string(std::clamp(value, 0, 100)));
  } else if (shown.page_count > 0) {
    progress.set("text", "Page " + std::to_string(value) + " of " + std::to_string(shown.page_count));
    progress.set("percent", std::to_string(std::clamp(value * 100 / shown.page_count, 0, 100)));
  } else {
    progress.set("text", "Page " + std::to_string(value));
  }
  card.set("progress", progress);
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
void SetSyncData(TemplateData& card, const UserBook& ub, const BookDetails& shown) {
  if (ub.sync_status == SyncStatus::kPending) {
    card.set("badge", "Fetching details");
    card.set("badge_class", "pending");
    return;
  }
  const bool details_missing = shown.title.empty() || shown.author.empty();
  if (ub.sync_status != SyncStatus::kFailed || !details_missing) return;
  const SyncFailure problem = SyncFailureOf(ub.sync_error);
  card.set("badge", problem == SyncFailure::kNotFound ? "Details not found" : "Details missing");
  card.set("badge_class", "failed");
  card.set("problem", problem == SyncFailure::kNotFound ? NotFoundMessage(ub.sync_error)
                      : problem == SyncFailure::kNoAnswer
                          ? std::string("The book services didn\u2019t answer; try again later.")
                          : std::string("The book services sent details Booklib couldn\u2019t use; try again "
                                        "later, or enter the details yourself."));
  card.set("needs_details", true);
  card.set("can_retry", problem != SyncFailure::kNotFound);
}

TemplateData CardData(const LibraryEntry& entry, bool server_covers) {
  // (the card links to its book page, /books/<id>)
  const BookDetails shown = entry.Shown();
  const UserBook& ub = entry.user_book;
  TemplateData card;
  card.set("id", ub.id);
  const std::string title = ShownTitle(entry, shown);
  card.set("title", title);
  // What per-card controls are named after ("Edit Dune"): the title, else the ISBN.
  card.set("name", !shown.title.empty()       ? shown.title
                   : !entry.book.isbn.empty() ? "ISBN " + entry.book.isbn
                                              : std::string("this book"));
  const std::string initial = text::FirstCharacter(shown.title.empty() ? shown.author : shown.title);
  card.set("initial", initial.empty() ? std::string("\U0001F4D6") : initial);
  // Mustache shows a section for any string, an empty one too: only what is there is set.
  for (const auto& [key, value] :
       {std::pair{"author", &shown.author}, {"isbn", &entry.book.isbn}, {"genre", &shown.genre}})
    if (!value->empty()) card.set(key, *value);
  if (const std::string cover = CoverSrc(entry, shown, server_covers); !cover.empty())
    card.set("cover", cover);
  card.set("status", std::string(ReadingStatusName(ub.status)));
  card.set("status_label", NameOf(kStatusLabels, ub.status));
  if (ub.rating_halves) card.set("rating", RatingData(*ub.rating_halves));
  card.set("sync_status", std::string(SyncStatusName(ub.sync_status)));
  SetSyncData(card, ub, shown);
  SetProgressData(card, ub, shown);
  if (const std::string finished = LastFinishedOn(ub); !finished.empty())
    card.set("read_on", ReadableDate(finished));
  card.set("date_added", ub.date_added.substr(0, 10));
  return card;
}

// What the edit form shows: the details as the card shows them (typed, else the catalogue's).
BookForm FormFromEntry(const LibraryEntry& entry) {
  const UserBook& ub = entry.user_book;
  const BookDetails shown = entry.Shown();
  BookForm form;
  form.isbn = entry.book.isbn;
  form.title = shown.title;
  form.author = shown.author;
  form.genre = shown.genre;
  form.cover_image_url = shown.cover_image_url;
  form.description = shown.description;
  form.status = std::string(ReadingStatusName(ub.status));
  form.rating = ub.rating_halves ? RatingText(*ub.rating_halves) : "";
  form.publisher = shown.publisher;
  form.published_date = shown.published_date;
  form.page_count = shown.page_count > 0 ? std::to_string(shown.page_count) : "";
  form.language = shown.language;
  form.series = shown.series;
  form.series_index = shown.series_index;
  return form;
}

// ---- The library page's URL -------------------------------------------------------------------

LibraryParams ParamsFrom(const FormFields& fields) {
  return LibraryParams{Field(fields, "q"),      Field(fields, "status"), Field(fields, "shelf"),
                       Field(fields, "rating"), Field(fields, "sync"),   Field(fields, "owned"),
                       Field(fields, "sort"),   Field(fields, "page")};
}

// "/books?q=dune&status=read": the parameters given, in the order PRODUCT.md writes them; `extra`
// ("fragment=1") last.
std::string LibraryUrl(const LibraryParams& p, std::string_view extra = "") {
  std::string query;
  for (const auto& [name, value] : {std::pair{"q", &p.q},
                                    {"status", &p.status},
                                    {"shelf", &p.shelf},
                                    {"rating", &p.rating},
                                    {"sync", &p.sync},
                                    {"owned", &p.owned},
                                    {"sort", &p.sort},
                                    {"page", &p.page}})
    if (!value->empty())
      query += (query.empty() ? "" : "&") + std::string(name) + "=" + text::PercentEncode(*value);
  if (!extra.empty()) query += (query.empty() ? "" : "&") + std::string(extra);
  return query.empty() ? "/books" : "/books?" + query;
}

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
TemplateData ChoiceOptions(const Choice (&choices)[N], std::string_view selected) {
  TemplateData list{TemplateData::type::list};
  for (const Choice& choice : choices) {
    TemplateData option;
    option.set("value", choice.value);
    option.set("label", choice.label);
    option.set("selected", text::AsciiLower(selected) == choice.value);
    list.push_back(option);
  }
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
TemplateData PageLinks(const LibraryParams& params, int current, int count) {
  TemplateData list{TemplateData::type::list};
  int last_shown = 0;
  for (int page = 1; page <= count; ++page) {
    if (page != 1 && page != count && std::abs(page - current) > 2) continue;
    if (page > last_shown + 1) {
      TemplateData gap;
      gap.set("gap", true);
      list.push_back(gap);
    }
    TemplateData link;
    link.set("number", std::to_string(page));
    link.set("url", PageUrl(params, page));
    link.set("current", page == current);
    list.push_back(link);
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
  const LibraryParams params = ParamsFrom(*fields);
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
  TemplateData books{TemplateData::type::list};
  bool pending = false;
  for (const LibraryEntry& entry : found.entries) {
    books.push_back(CardData(entry, static_cast<bool>(options_.cover_source)));
    pending = pending || entry.user_book.sync_status == SyncStatus::kPending;
  }
  const int whole_library = std::accumulate(found.status_counts.begin(), found.status_counts.end(), 0);
  const std::string filters = ActiveFilters(*view, params);
  TemplateData data;
  data.set("books", books);
  data.set("pending", pending ? "1" : "0");
  data.set("csrf_token", ctx.CsrfToken());
  if (found.entries.empty()) {
    if (whole_library == 0) {
      data.set("empty_library", true);
    } else if (found.total == 0) {
      data.set("no_match", filters.empty() ? std::string("these filters") : filters);
    } else {
      data.set("past_last_page", true);
      data.set("last_page_url", PageUrl(params, view->page_count));
    }
  }
  data.set("clear_url", "/books");
  if (Field(*fields, "fragment") == "1") {
    Response response;
    response.SetHeader("Content-Type", "text/html; charset=utf-8");
    response.body = RenderTemplate("book_cards", data);
    return response;
  }
  data.set("cards", RenderTemplate("book_cards", data));
  data.set("fragment_url", LibraryUrl(params, "fragment=1"));
  data.set("count", std::to_string(found.total));
  data.set("one", found.total == 1);
  if (!filters.empty()) {
    data.set("filtered", true);
    data.set("filters", filters);
    data.set("whole_library", std::to_string(whole_library));
  }
  // The search and filter form.
  data.set("q", params.q);
  TemplateData statuses{TemplateData::type::list};
  TemplateData quick{TemplateData::type::list};
  {
    TemplateData all;
    all.set("label", "All");
    all.set("count", std::to_string(whole_library));
    all.set("url", LibraryUrlWith(params, [](LibraryParams& p) { p.status.clear(); }));
    all.set("current", !view->query.status.has_value());
    quick.push_back(all);
  }
  TemplateData any_status;
  any_status.set("value", "");
  any_status.set("label", "Any status");
  any_status.set("selected", !view->query.status.has_value());
  statuses.push_back(any_status);
  for (const auto& [status, label] : kStatusLabels) {
    const std::string value(ReadingStatusName(status));
    const int count = found.status_counts[static_cast<std::size_t>(status)];
    TemplateData option;
    option.set("value", value);
    option.set("label", std::string(label) + " (" + std::to_string(count) + ")");
    option.set("selected", view->query.status == status);
    statuses.push_back(option);
    TemplateData link;
    link.set("label", label);
    link.set("count", std::to_string(count));
    link.set("url", LibraryUrlWith(params, [&](LibraryParams& p) { p.status = value; }));
    link.set("current", view->query.status == status);
    quick.push_back(link);
  }
  data.set("statuses", statuses);
  data.set("quick_filters", quick);
  if (!view->shelves.empty() || !view->query.shelf.empty()) {
    TemplateData shelves{TemplateData::type::list};
    TemplateData any_shelf;
    any_shelf.set("value", "");
    any_shelf.set("label", "Any shelf");
    shelves.push_back(any_shelf);
    bool listed = view->query.shelf.empty();
    for (const Shelf& shelf : view->shelves) {
      TemplateData option;
      option.set("value", shelf.name);
      option.set("label", shelf.name + " (" + std::to_string(shelf.book_count) + ")");
      const bool selected =
          text::EqualsIgnoringCase(shelf.name, view->query.shelf) || shelf.name == view->query.shelf;
      option.set("selected", selected);
      listed = listed || selected;
      shelves.push_back(option);
    }
    if (!listed) {  // a shelf the URL names that the reader does not have (any more)
      TemplateData option;
      option.set("value", view->query.shelf);
      option.set("label", view->query.shelf + " (0)");
      option.set("selected", true);
      shelves.push_back(option);
    }
    data.set("shelves", shelves);
    data.set("has_shelves", true);
  }
  data.set("ratings", ChoiceOptions(kRatingChoices, params.rating));
  data.set("syncs", ChoiceOptions(kSyncChoices, params.sync));
  data.set("owned_choices", ChoiceOptions(kOwnedChoices, params.owned));
  data.set("sorts", ChoiceOptions(kSortChoices, text::AsciiLower(params.sort) == "added" ? "" : params.sort));
  if (view->page_count > 1) {
    TemplateData paging;
    paging.set("pages", PageLinks(params, view->page_number, view->page_count));
    if (view->page_number > 1)
      paging.set("previous_url", PageUrl(params, std::min(view->page_number - 1, view->page_count)));
    if (view->page_number < view->page_count) paging.set("next_url", PageUrl(params, view->page_number + 1));
    paging.set("page_number", std::to_string(view->page_number));
    paging.set("page_count", std::to_string(view->page_count));
    data.set("paging", paging);
  }
  const std::string title = view->page_number > 1 ? "My library, page " + std::to_string(view->page_number)
                                                  : std::string("My library");
  return RenderPage(ctx, "books", title, data);
}

// GET / and /home: for a signed-in reader what they are reading, what they added last and their
// library per status; for anyone else what Booklib is.
Response App::ShowHome(RequestContext& ctx, const PathParams&) const {
  if (!ctx.user) return RenderPage(ctx, "home", "Home", TemplateData{});
  auto summary = library_.Home(ctx.user->id);
  if (!summary) {
    Response response =
        ErrorPage(ctx, HttpStatusFor(summary.error()), "Library unavailable", ReaderMessage(summary.error()));
    SetRetryAfter(response, summary.error());
    return response;
  }
  const bool server_covers = static_cast<bool>(options_.cover_source);
  const auto cards = [&](const std::vector<LibraryEntry>& entries) {
    TemplateData list{TemplateData::type::list};
    for (const LibraryEntry& entry : entries) list.push_back(CardData(entry, server_covers));
    return list;
  };
  TemplateData data;
  data.set("signed_in", true);
  data.set("reading", cards(summary->reading));
  data.set("has_reading", !summary->reading.empty());
  data.set("recent", cards(summary->recent));
  data.set("has_recent", !summary->recent.empty());
  data.set("total", std::to_string(summary->total));
  data.set("one", summary->total == 1);
  TemplateData counts{TemplateData::type::list};
  for (const auto& [status, label] : kStatusLabels) {
    TemplateData count;
    count.set("label", label);
    count.set("count", std::to_string(summary->status_counts[static_cast<std::size_t>(status)]));
    count.set("url", "/books?status=" + std::string(ReadingStatusName(status)));
    counts.push_back(count);
  }
  data.set("counts", counts);
  return RenderPage(ctx, "home", "Home", data);
}

Response App::ShowAddBook(RequestContext& ctx, const PathParams&) const {
  TemplateData data;
  data.set("fields", RenderTemplate("book_form_fields", FieldValues(BookForm{})));
  data.set("statuses", StatusOptions("to-read"));
  data.set("ratings", RatingOptions(""));
  return RenderPage(ctx, "add_book", "Add a book", data);
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
  TemplateData data;
  data.set("error", ReaderMessage(added.error()));
  data.set("isbn", form.isbn);
  data.set("fields", RenderTemplate("book_form_fields", FieldValues(form)));
  data.set("statuses", StatusOptions(form.status));
  data.set("ratings", RatingOptions(form.rating));
  Response response = RenderPage(ctx, "add_book", "Add a book", data, HttpStatusFor(added.error()));
  SetRetryAfter(response, added.error());
  return response;
}

Response App::BookFormPage(RequestContext& ctx, const LibraryEntry& entry, const BookForm* typed, bool manual,
                           std::string_view error) const {
  const BookForm form = typed ? *typed : FormFromEntry(entry);
  TemplateData data;
  data.set("heading", manual ? "Enter the book's details" : "Edit book");
  data.set("action", std::string(manual ? "/manual_update_book/" : "/edit_book/") + entry.user_book.id);
  data.set("isbn", entry.book.isbn);
  // The book must keep a title (the core refuses otherwise); the catalogue's shows if this is left empty.
  data.set("fields", RenderTemplate("book_form_fields", FieldValues(form, entry.book.details.title.empty())));
  data.set("with_status", !manual);
  data.set("statuses", StatusOptions(form.status));
  data.set("ratings", RatingOptions(form.rating));
  if (!error.empty()) data.set("error", std::string(error));
  return RenderPage(ctx, "edit_book", manual ? "Enter details" : "Edit book", data,
                    error.empty() ? 200 : 400);
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
    TemplateData data;
    data.set("id", id);
    data.set("title", shown.title.empty()
                          ? (entry->book.isbn.empty() ? std::string("this book")
                                                      : "the book with ISBN " + entry->book.isbn)
                          : "\u201c" + shown.title + "\u201d");
    return RenderPage(ctx, "delete_book", "Remove a book", data);
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
