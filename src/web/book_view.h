// What every page says about a book in the same words: the status labels, a rating in half stars,
// a date, the cover's address, the placeholder's initial and the title shown. The library page
// (handlers_books.cc), the book page (handlers_book_page.cc) and the search page share them.
#pragma once

#include <string>
#include <string_view>

#include "core/domain.h"
#include "core/enum_names.h"
#include "core/library.h"
#include "web/form.h"

namespace booklib::web {

// The reading statuses in the order the forms offer them, with the words the pages show.
inline constexpr EnumName<ReadingStatus> kStatusLabels[] = {{ReadingStatus::kToRead, "To read"},
                                                            {ReadingStatus::kReading, "Reading"},
                                                            {ReadingStatus::kRead, "Read"},
                                                            {ReadingStatus::kDidNotFinish, "Did not finish"}};

// A rating in half stars (1..10) as the forms write it: "4", "3.5".
std::string RatingText(int halves);

// "★★★½☆" for 3.5 stars (halves 0..10): full stars, a half, empty stars.
std::string StarsText(int halves);

// "3 Nov 2026" for "2026-11-03"; the text as it is when it is not such a date.
std::string ReadableDate(const std::string& date);

// Where a book's image comes from: this server's /covers/<id> when it can fetch covers (a typed
// URL too), so a page loads nothing from elsewhere; ?v= names the URL, so a changed cover is a new
// address for the browser's cache. Without a cover source, the URL as it is; "" for no cover.
std::string CoverSrc(const LibraryEntry& entry, const BookDetails& shown, bool server_covers);

// The placeholder's letter where a cover would be: the title's first character (a whole UTF-8
// sequence); "?" for no title.
std::string Initial(std::string_view title);

// The title a page shows: the shown one, else "Fetching details…" while the lookup runs, else
// "Untitled".
std::string ShownTitle(const LibraryEntry& entry, const BookDetails& shown);

// The library page's parameters of a query string's fields (q, status, shelf, ... page).
LibraryParams LibraryParamsFrom(const FormFields& fields);

// "/books?q=dune&status=read": the parameters given, in the order PRODUCT.md writes them, `extra`
// ("fragment=1") last; `base` is the path ("/api/v1/books" for the API's links).
std::string LibraryUrl(const LibraryParams& params, std::string_view extra = "",
                       std::string_view base = "/books");

}  // namespace booklib::web
