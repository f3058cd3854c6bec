// GET /add_book/search: finding a book to add by title or author (BookSearch) and picking its edition.
#include "core/book_search.h"
#include "web/app.h"
#include "web/book_view.h"

namespace booklib::web {
namespace {

constexpr std::string_view kUnavailable = "The book services didn't answer; try again in a minute.";

CandidateView CandidateData(const BookCandidate& candidate) {
  const BookDetails& details = candidate.found.details;
  return CandidateView{.title = details.title,
                       .author = details.author,
                       .year = details.published_date.substr(0, 4),
                       .publisher = details.publisher,
                       .isbn = candidate.found.isbn13,
                       .has_isbn = !candidate.found.isbn13.empty(),
                       .provider = candidate.found.provider,
                       .initial = Initial(details.title),
                       .owned = !candidate.owned_entry_id.empty(),
                       .owned_id = candidate.owned_entry_id};
}

}  // namespace

Response App::ShowSearchBooks(RequestContext& ctx, const PathParams&) const {
  SearchPage page;
  const auto query_fields = ParseUrlEncoded(ctx.request.query);
  if (!query_fields) {
    page.error = "The search text is not valid text.";
    return RenderPage(ctx, "Find a book to add", page, 400);
  }
  const std::string query = Field(*query_fields, "q");
  page.query = query;
  if (query.empty()) return RenderPage(ctx, "Find a book to add", page);
  if (options_.book_search == nullptr) {
    page.error = std::string(kUnavailable);
    return RenderPage(ctx, "Find a book to add", page);
  }

  auto result = options_.book_search->Search(ctx.UserId(), query);
  if (!result) {
    const Error& error = result.error();
    page.error = error.code == ErrorCode::kInvalidArgument ? error.message : ReaderMessage(error);
    Response response = RenderPage(ctx, "Find a book to add", page, HttpStatusFor(error));
    SetRetryAfter(response, error);
    return response;
  }
  page.typed_isbn = result->isbn;
  switch (result->kind) {
    case BookSearchResult::Kind::kUnavailable:
      page.unavailable = std::string(kUnavailable);
      break;
    case BookSearchResult::Kind::kNothingFound:
      page.nothing_found = true;
      break;
    case BookSearchResult::Kind::kCandidates: {
      for (const BookCandidate& candidate : result->candidates)
        page.candidates.push_back(CandidateData(candidate));
      page.count = static_cast<int>(result->candidates.size());
      break;
    }
  }
  return RenderPage(ctx, "Find a book to add", page);
}

}  // namespace booklib::web
