// Library pages: the cards, add, edit, enter details, delete and retry.
#include "core/enum_names.h"
#include "crypto/crypto.h"
#include "text/utf8.h"
#include "web/app.h"

namespace booklib::web {
// Every handler here serves a kUser route: the Page wrapper answers anonymous requests before they
// run, so ctx.user is set. ctx.user.value() states that, and would throw rather than read an
// empty optional if a route table change ever broke it.
namespace {

// The reading statuses in the order the form offers them, with the words the page shows.
constexpr EnumName<ReadingStatus> kStatusLabels[] = {{ReadingStatus::kToRead, "To read"},
                                                     {ReadingStatus::kReading, "Reading"},
                                                     {ReadingStatus::kRead, "Read"},
                                                     {ReadingStatus::kDidNotFinish, "Did not finish"}};

BookForm FormFromFields(const FormFields& fields) {
  return BookForm{Field(fields, "isbn"),   Field(fields, "title"),           Field(fields, "author"),
                  Field(fields, "genre"),  Field(fields, "cover_image_url"), Field(fields, "description"),
                  Field(fields, "status"), Field(fields, "rating")};
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

// A rating in half stars as the form writes it: "4", "3.5".
std::string RatingText(int halves) { return std::to_string(halves / 2) + (halves % 2 == 1 ? ".5" : ""); }

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
  data.set("author", form.author);
  data.set("genre", form.genre);
  data.set("cover_image_url", form.cover_image_url);
  data.set("description", form.description);
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

// Where the card's image comes from: this server's /covers/<id> when it can fetch covers, so the
// page loads nothing from elsewhere (a typed URL too); ?v= names the URL, so a changed cover is a
// new address for the browser's cache. Without a cover source, the URL as it is.
std::string CoverSrc(const LibraryEntry& entry, const BookDetails& shown, bool server_covers) {
  if (shown.cover_image_url.empty()) return "";
  if (!server_covers) return shown.cover_image_url;
  return "/covers/" + entry.user_book.id + "?v=" + crypto::Sha256Hex(shown.cover_image_url).substr(0, 10);
}

// Why a FAILED lookup failed, as far as the reader is concerned. The reason is the metadata
// worker's text (core/metadata_sync.cc): "not found in ..." when every provider said so (final),
// "... (gave up after N attempts)" after timeouts, 5xx or 429s; anything else is an answer that
// could not be read.
enum class SyncProblem { kNotFound, kNoAnswer, kUnreadable };

SyncProblem ProblemOf(const std::string& sync_error) {
  if (sync_error.starts_with("not found")) return SyncProblem::kNotFound;
  if (sync_error.find("(gave up after ") != std::string::npos) return SyncProblem::kNoAnswer;
  return SyncProblem::kUnreadable;
}

// "We couldn't find this ISBN in Google Books or Open Library": the services the worker asked,
// as its reason names them ("not found in Google Books or Open Library").
std::string NotFoundMessage(const std::string& sync_error) {
  constexpr std::string_view kPrefix = "not found in ";
  const std::string where = sync_error.starts_with(kPrefix) && sync_error.size() > kPrefix.size()
                                ? sync_error.substr(kPrefix.size())
                                : "the book services";
  return "We couldn\u2019t find this ISBN in " + where + " \u2014 enter the details yourself.";
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
  const SyncProblem problem = ProblemOf(ub.sync_error);
  card.set("badge", problem == SyncProblem::kNotFound ? "Details not found" : "Details missing");
  card.set("badge_class", "failed");
  card.set("problem", problem == SyncProblem::kNotFound ? NotFoundMessage(ub.sync_error)
                      : problem == SyncProblem::kNoAnswer
                          ? std::string("The book services didn\u2019t answer; try again later.")
                          : std::string("The book services sent details Booklib couldn\u2019t use; try again "
                                        "later, or enter the details yourself."));
  card.set("needs_details", true);
  card.set("can_retry", problem != SyncProblem::kNotFound);
}

TemplateData CardData(const LibraryEntry& entry, bool server_covers) {
  const BookDetails shown = entry.Shown();
  const UserBook& ub = entry.user_book;
  TemplateData card;
  card.set("id", ub.id);
  const std::string title = shown.title.empty()
                                ? (ub.sync_status == SyncStatus::kPending ? "Fetching details…" : "Untitled")
                                : shown.title;
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
  card.set("date_added", ub.date_added.substr(0, 10));
  return card;
}

BookForm FormFromEntry(const LibraryEntry& entry) {
  const UserBook& ub = entry.user_book;
  const BookDetails shown = entry.Shown();
  return BookForm{entry.book.isbn,
                  shown.title,
                  shown.author,
                  shown.genre,
                  shown.cover_image_url,
                  shown.description,
                  std::string(ReadingStatusName(ub.status)),
                  ub.rating_halves ? RatingText(*ub.rating_halves) : ""};
}

}  // namespace

Response App::ShowBooks(RequestContext& ctx, const PathParams&) const {
  auto entries = library_.ListBooks(ctx.user.value().id);
  if (!entries)
    return ErrorPage(ctx, 503, "Library unavailable", "Your books could not be loaded. Try again shortly.");
  TemplateData books{TemplateData::type::list};
  bool pending = false;
  for (const LibraryEntry& entry : *entries) {
    books.push_back(CardData(entry, static_cast<bool>(options_.cover_source)));
    pending = pending || entry.user_book.sync_status == SyncStatus::kPending;
  }
  TemplateData data;
  data.set("books", books);
  data.set("pending", pending ? "1" : "0");
  data.set("csrf_token", ctx.CsrfToken());
  const bool fragment = ctx.request.query == "fragment=1";
  if (fragment) {
    Response response;
    response.SetHeader("Content-Type", "text/html; charset=utf-8");
    response.body = RenderTemplate("book_cards", data);
    return response;
  }
  data.set("cards", RenderTemplate("book_cards", data));
  data.set("count", std::to_string(entries->size()));
  data.set("one", entries->size() == 1);
  return RenderPage(ctx, "books", "My library", data);
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
  auto added = library_.AddBook(ctx.user.value().id, form);
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
  auto entry = library_.GetBook(ctx.user.value().id, params.at("id"));
  if (!entry)
    return ErrorPage(ctx, HttpStatusFor(entry.error()), "Book not found", ReaderMessage(entry.error()));
  return BookFormPage(ctx, *entry, nullptr, manual, "");
}

Response App::SaveBookForm(RequestContext& ctx, const PathParams& params, bool manual) const {
  const std::string& id = params.at("id");
  auto entry = library_.GetBook(ctx.user.value().id, id);
  if (!entry)
    return ErrorPage(ctx, HttpStatusFor(entry.error()), "Book not found", ReaderMessage(entry.error()));
  const BookForm form = FormFromFields(ctx.form);
  auto saved = manual ? library_.EnterDetails(ctx.user.value().id, id, form)
                      : library_.EditBook(ctx.user.value().id, id, form);
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
  auto entry = library_.GetBook(ctx.user.value().id, id);
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
  auto deleted = library_.DeleteBook(ctx.user.value().id, id);
  if (!deleted)
    return ErrorPage(ctx, HttpStatusFor(deleted.error()), "Book not found", ReaderMessage(deleted.error()));
  return Redirect(ctx, "/books", "The book was removed from your library.");
}

// The cover the card shows (typed or the catalogue's), fetched by this server (CoverSource's
// address checks apply to a typed URL as to a provider's); ?v= in the URL only defeats caches.
Response App::ShowCover(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.user.value().id, params.at("id"));
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
  auto retried = library_.RetryMetadata(ctx.user.value().id, params.at("id"));
  if (!retried)
    return ErrorPage(ctx, HttpStatusFor(retried.error()), "Could not retry", ReaderMessage(retried.error()));
  return Redirect(ctx, "/books", "Fetching the details again.");
}

}  // namespace booklib::web
