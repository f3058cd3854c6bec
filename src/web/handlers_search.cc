// GET /add_book/search: finding a book to add by title or author (BookSearch) and picking its edition.
#include "core/book_search.h"
#include "web/app.h"
#include "web/book_view.h"

namespace booklib::web {
namespace {

constexpr std::string_view kUnavailable = "The book services didn't answer; try again in a minute.";

TemplateData CandidateData(const BookCandidate& candidate) {
  const BookDetails& details = candidate.found.details;
  TemplateData data;
  data.set("title", details.title);
  data.set("author", details.author);
  data.set("year", details.published_date.substr(0, 4));
  data.set("publisher", details.publisher);
  data.set("isbn", candidate.found.isbn13);
  data.set("has_isbn", !candidate.found.isbn13.empty());
  data.set("provider", candidate.found.provider);
  data.set("initial", Initial(details.title));
  data.set("owned", !candidate.owned_entry_id.empty());
  data.set("owned_id", candidate.owned_entry_id);
  return data;
}

}  // namespace

Response App::ShowSearchBooks(RequestContext& ctx, const PathParams&) const {
  TemplateData data;
  const auto query_fields = ParseUrlEncoded(ctx.request.query);
  if (!query_fields) {
    data.set("error", "The search text is not valid text.");
    return RenderPage(ctx, "search_books", "Find a book to add", data, 400);
  }
  const std::string query = Field(*query_fields, "q");
  data.set("query", query);
  if (query.empty()) return RenderPage(ctx, "search_books", "Find a book to add", data);
  if (options_.book_search == nullptr) {
    data.set("error", std::string(kUnavailable));
    return RenderPage(ctx, "search_books", "Find a book to add", data);
  }

  auto result = options_.book_search->Search(ctx.UserId(), query);
  if (!result) {
    const Error& error = result.error();
    data.set("error", error.code == ErrorCode::kInvalidArgument ? error.message : ReaderMessage(error));
    Response response = RenderPage(ctx, "search_books", "Find a book to add", data, HttpStatusFor(error));
    SetRetryAfter(response, error);
    return response;
  }
  data.set("searched", true);
  data.set("typed_isbn", result->isbn);
  switch (result->kind) {
    case BookSearchResult::Kind::kUnavailable:
      data.set("unavailable", std::string(kUnavailable));
      break;
    case BookSearchResult::Kind::kNothingFound:
      data.set("nothing_found", true);
      break;
    case BookSearchResult::Kind::kCandidates: {
      TemplateData candidates{TemplateData::type::list};
      for (const BookCandidate& candidate : result->candidates)
        candidates.push_back(CandidateData(candidate));
      data.set("candidates", candidates);
      data.set("count", std::to_string(result->candidates.size()));
      break;
    }
  }
  return RenderPage(ctx, "search_books", "Find a book to add", data);
}

}  // namespace booklib::web
