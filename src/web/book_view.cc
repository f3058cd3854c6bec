#include "web/book_view.h"

#include "crypto/crypto.h"
#include "text/codec.h"
#include "text/utf8.h"

namespace booklib::web {

std::string RatingText(int halves) { return std::to_string(halves / 2) + (halves % 2 == 1 ? ".5" : ""); }

std::string StarsText(int halves) {
  std::string stars;
  for (int i = 1; i <= 5; ++i)
    stars += 2 * i <= halves ? "\u2605" : (2 * i - 1 == halves ? "\u00bd" : "\u2606");
  return stars;
}

std::string ReadableDate(const std::string& date) {
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return date;
  const int month = (date[5] - '0') * 10 + (date[6] - '0');
  const int day = (date[8] - '0') * 10 + (date[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return date;
  return std::to_string(day) + " " + kMonths[month - 1] + " " + date.substr(0, 4);
}

std::string CoverSrc(const LibraryEntry& entry, const BookDetails& shown, bool server_covers) {
  if (shown.cover_image_url.empty()) return "";
  if (!server_covers) return shown.cover_image_url;
  return "/covers/" + entry.user_book.id + "?v=" + crypto::Sha256Hex(shown.cover_image_url).substr(0, 10);
}

std::string Initial(std::string_view title) {
  std::string first = text::FirstCharacter(title);
  return first.empty() ? "?" : first;
}

std::string ShownTitle(const LibraryEntry& entry, const BookDetails& shown) {
  if (!shown.title.empty()) return shown.title;
  return entry.user_book.sync_status == SyncStatus::kPending ? "Fetching details\u2026" : "Untitled";
}

LibraryParams LibraryParamsFrom(const FormFields& fields) {
  return LibraryParams{Field(fields, "q"),      Field(fields, "status"), Field(fields, "shelf"),
                       Field(fields, "rating"), Field(fields, "sync"),   Field(fields, "owned"),
                       Field(fields, "sort"),   Field(fields, "page")};
}

std::string LibraryUrl(const LibraryParams& p, std::string_view extra, std::string_view base) {
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
  return query.empty() ? std::string(base) : std::string(base) + "?" + query;
}

}  // namespace booklib::web
