// The API's JSON shapes.
#include "web/api_json.h"

#include <algorithm>

#include "text/ascii.h"
#include "web/app.h"
#include "web/book_view.h"
#include "web/json_response.h"

namespace booklib::web {
namespace {

using nlohmann::json;

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

}  // namespace

Response ApiError(int status, std::string_view code, std::string_view message, std::string_view field) {
  json error = {{"code", code}, {"message", message}};
  if (!field.empty()) error["field"] = field;
  return JsonResponse(status, {{"error", std::move(error)}});
}

Response ApiErrorFor(const Error& error, std::string_view field) {
  const bool about_request =
      error.code == ErrorCode::kInvalidArgument || error.code == ErrorCode::kAlreadyExists;
  Response response = ApiError(HttpStatusFor(error), ErrorCodeName(error.code), ReaderMessage(error),
                               about_request ? field : "");
  SetRetryAfter(response, error);
  return response;
}

std::string FieldOf(std::string_view message) {
  constexpr std::pair<std::string_view, std::string_view> kFields[] = {
      {"Status", "status"},
      {"The date", "status_date"},
      {"Rating", "rating"},
      {"Review", "review"},
      {"Notes", "notes"},
      {"Title", "title"},
      {"A book needs a title", "title"},
      {"Enter at least a title", "title"},
      {"Author", "author"},
      {"Genre", "genre"},
      {"Cover", "cover_image_url"},
      {"Description", "description"},
      {"Publisher", "publisher"},
      {"Published date", "published_date"},
      {"Pages", "page_count"},
      {"Language", "language"},
      {"Series", "series"},
      {"Number in series", "series_index"},
      {"ISBN", "isbn"},
      {"Started", "started_on"},
      {"Finished", "finished_on"},
      {"Outcome", "outcome"},
      {"This book is already", "isbn"},
      {"A read cannot finish", "finished_on"},
      {"A read still in progress", "outcome"},
      {"Enter an ISBN", "isbn"},
      {"an ISBN", "isbn"},
      {"Progress", "value"}};
  std::string_view best;
  std::string_view field;
  for (const auto& [prefix, name] : kFields)
    if (message.starts_with(prefix) && prefix.size() > best.size()) {
      best = prefix;
      field = name;
    }
  return std::string(field);
}

std::string QueryFieldOf(std::string_view message) {
  for (const std::string_view name : {"q", "status", "shelf", "rating", "sync", "owned", "sort", "page"}) {
    const std::string lower = text::AsciiLower(message.substr(0, name.size() + 1));
    if (lower == std::string(name) + " ") return std::string(name);
  }
  if (message.starts_with("Search")) return "q";
  return "";
}

json ReadsJson(const UserBook& entry) {
  json reads = json::array();
  for (const Read& read : entry.reads)
    reads.push_back({{"id", read.id},
                     {"started_on", TextOrNull(read.started_on)},
                     {"finished_on", TextOrNull(read.finished_on)},
                     {"outcome", ReadOutcomeName(read.outcome)}});
  return reads;
}

json EntryJson(const LibraryEntry& entry) {
  const UserBook& ub = entry.user_book;
  const BookDetails shown = entry.Shown();
  // What the user typed: the non-empty details, by their form names.
  json typed = json::object();
  BookForm typed_form = FormOfDetails(ub.typed);
  for (const std::string_view name : kTypedDetailFields)
    if (const std::string& value = *BookFormField(typed_form, name); !value.empty())
      typed[std::string(name)] = value;
  if (ub.typed.page_count > 0) typed["page_count"] = ub.typed.page_count;
  json progress = nullptr;
  if (ub.progress.unit != ProgressUnit::kNone)
    progress = {{"unit", ProgressUnitName(ub.progress.unit)}, {"value", ub.progress.value}};
  return {{"id", ub.id},
          {"book_id", entry.book.id},
          {"isbn", TextOrNull(entry.book.isbn)},
          {"title", shown.title},
          {"author", shown.author},
          {"genre", shown.genre},
          {"cover_image_url", shown.cover_image_url},
          {"description", shown.description},
          {"publisher", shown.publisher},
          {"published_date", shown.published_date},
          {"page_count", shown.page_count > 0 ? json(shown.page_count) : json(nullptr)},
          {"language", shown.language},
          {"series", shown.series},
          {"series_index", shown.series_index},
          {"status", ReadingStatusName(ub.status)},
          {"rating", ub.rating_halves ? json(*ub.rating_halves / 2.0) : json(nullptr)},
          {"sync_status", SyncStatusName(ub.sync_status)},
          {"sync_error", TextOrNull(ub.sync_error)},
          {"details_source", TextOrNull(entry.book.details_source)},
          {"typed", std::move(typed)},
          {"review", ub.review},
          {"notes", ub.notes},
          {"owned", ub.owned},
          {"shelves", ub.shelves},
          {"progress", std::move(progress)},
          {"reads", ReadsJson(ub)},
          {"date_added", ub.date_added},
          {"date_read", TextOrNull(LastFinishedOn(ub))},
          {"read_count", FinishedReadCount(ub)}};
}

json ShelvesJson(const std::vector<Shelf>& shelves) {
  json list = json::array();
  for (const Shelf& shelf : shelves) list.push_back({{"name", shelf.name}, {"book_count", shelf.book_count}});
  return list;
}

json TokenJson(const ApiToken& token) {
  return {{"id", token.id},
          {"name", token.name},
          {"scope", TokenScopeName(token.scope)},
          {"created_at", token.created_at},
          {"last_used_at", TextOrNull(token.last_used_at)}};
}

json LibraryViewJson(const LibraryView& view, const LibraryParams& params) {
  json books = json::array();
  for (const LibraryEntry& entry : view.page.entries) books.push_back(EntryJson(entry));
  json counts = json::object();
  for (const auto& [status, label] : kStatusLabels)
    counts[std::string(ReadingStatusName(status))] =
        view.page.status_counts[static_cast<std::size_t>(status)];
  const auto page_url = [&](int page) {
    LibraryParams at = params;
    at.page = page == 1 ? "" : std::to_string(page);
    return LibraryUrl(at, "", "/api/v1/books");
  };
  json links = {
      {"self", page_url(view.page_number)}, {"first", page_url(1)}, {"last", page_url(view.page_count)}};
  if (view.page_number > 1) links["prev"] = page_url(std::min(view.page_number - 1, view.page_count));
  if (view.page_number < view.page_count) links["next"] = page_url(view.page_number + 1);
  return {{"books", std::move(books)},    {"total", view.page.total},
          {"page", view.page_number},     {"page_count", view.page_count},
          {"per_page", kLibraryPageSize}, {"status_counts", std::move(counts)},
          {"links", std::move(links)}};
}

}  // namespace booklib::web
