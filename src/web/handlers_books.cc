// Library pages: the cards, add, edit, enter details, delete and retry.
#include "core/enum_names.h"
#include "web/app.h"

namespace booklib::web {
// Every handler here serves a kUser route: the Page wrapper answers anonymous requests before they
// run, so ctx.user is set. ctx.user.value() states that, and would throw rather than read an
// empty optional if a route table change ever broke it.
namespace {

// The reading statuses in the order the form offers them, with the words the page shows.
constexpr EnumName<ReadingStatus> kStatusLabels[] = {{ReadingStatus::kToRead, "To read"},
                                                     {ReadingStatus::kReading, "Reading"},
                                                     {ReadingStatus::kRead, "Read"}};

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

TemplateData RatingOptions(const std::string& selected) {
  TemplateData list{TemplateData::type::list};
  for (int i = 0; i <= 5; ++i) {
    const std::string value = i == 0 ? "" : std::to_string(i);
    TemplateData option;
    option.set("value", value);
    option.set("label", i == 0 ? std::string("No rating")
                               : std::string(static_cast<std::size_t>(i), '*') + " " + value);
    option.set("selected", selected == value);
    list.push_back(option);
  }
  return list;
}

TemplateData FieldValues(const BookForm& form) {
  TemplateData data;
  data.set("title", form.title);
  data.set("author", form.author);
  data.set("genre", form.genre);
  data.set("cover_image_url", form.cover_image_url);
  data.set("description", form.description);
  return data;
}

// A rating in half stars as the form writes it: "4", "3.5".
std::string RatingText(int halves) { return std::to_string(halves / 2) + (halves % 2 == 1 ? ".5" : ""); }

std::string Stars(int rating) {
  std::string stars;
  for (int i = 1; i <= 5; ++i) stars += i <= rating ? "\u2605" : "\u2606";
  return stars;
}

// Where the card's image comes from: what the user typed as is; the catalogue's cover through
// this server (/covers/<id>) when it can fetch covers, so the page loads nothing from elsewhere.
std::string CoverSrc(const LibraryEntry& entry, const BookDetails& shown, bool server_covers) {
  if (shown.cover_image_url.empty()) return "";
  if (!server_covers || shown.cover_image_url != entry.book.details.cover_image_url)
    return shown.cover_image_url;
  return "/covers/" + entry.user_book.id;
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
  card.set("initial", title.substr(0, 1));
  card.set("author", shown.author);
  card.set("isbn", entry.book.isbn);
  card.set("genre", shown.genre);
  if (const std::string cover = CoverSrc(entry, shown, server_covers); !cover.empty())
    card.set("cover", cover);
  card.set("status", std::string(ReadingStatusName(ub.status)));
  card.set("status_label", NameOf(kStatusLabels, ub.status));
  if (ub.rating_halves) {
    card.set("rating", RatingText(*ub.rating_halves));
    card.set("stars", Stars(*ub.rating_halves / 2));
  }
  const std::string sync(SyncStatusName(ub.sync_status));
  card.set("sync_status", sync);
  card.set("sync_class", ub.sync_status == SyncStatus::kPending  ? "pending"
                         : ub.sync_status == SyncStatus::kSynced ? "synced"
                                                                 : "failed");
  card.set("sync_label", ub.sync_status == SyncStatus::kPending  ? "Fetching details"
                         : ub.sync_status == SyncStatus::kSynced ? "Details synced"
                                                                 : "Sync failed");
  card.set("failed", ub.sync_status == SyncStatus::kFailed);
  card.set("sync_error", ub.sync_error);
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
  data.set("fields", RenderTemplate("book_form_fields", FieldValues(form)));
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

Response App::DoDeleteBook(RequestContext& ctx, const PathParams& params) const {
  auto deleted = library_.DeleteBook(ctx.user.value().id, params.at("id"));
  if (!deleted)
    return ErrorPage(ctx, HttpStatusFor(deleted.error()), "Book not found", ReaderMessage(deleted.error()));
  return Redirect(ctx, "/books", "The book was removed from your library.");
}

Response App::ShowCover(RequestContext& ctx, const PathParams& params) const {
  auto entry = library_.GetBook(ctx.user.value().id, params.at("id"));
  if (!entry || entry->book.details.cover_image_url.empty() || !options_.cover_source)
    return TextResponse(404, "No cover");
  auto image = options_.cover_source(entry->book.details.cover_image_url);
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
