// Open Library: the Books API record of one ISBN mapped to BookDetails.
#include "metadata/open_library.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/isbn.h"
#include "metadata/json_fields.h"
#include "metadata/provider_http.h"
#include "metadata/text_cleanup.h"
#include "text/codec.h"

namespace booklib::metadata {
namespace {

using nlohmann::json;

constexpr std::string_view kName = "Open Library";
constexpr std::size_t kGenreSubjects = 3;
// What a search asks for of each doc (Open Library answers every field of a work without "fields").
constexpr std::string_view kSearchFields =
    "key,title,subtitle,author_name,first_publish_year,publisher,isbn,cover_i,number_of_pages_median,"
    "language";

std::string CoverUrl(const json& record) {
  const json* cover = ObjectField(record, "cover");
  if (cover == nullptr) return {};
  for (const std::string_view size : {"large", "medium", "small"}) {
    const std::string url = StringField(*cover, size);
    if (!url.empty()) return HttpsUrl(url);
  }
  return {};
}

// Descriptions come as a plain string or as {"type": "/type/text", "value": "..."}.
std::string Description(const json& record) {
  const json* text_object = ObjectField(record, "description");
  return text_object != nullptr ? StringField(*text_object, "value") : StringField(record, "description");
}

// ISO 639-1 for the MARC language codes books are most often in; other codes as given.
std::string IsoLanguage(std::string_view marc) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 20> kMarcToIso = {{
      {"eng", "en"}, {"fre", "fr"}, {"ger", "de"}, {"spa", "es"}, {"ita", "it"}, {"por", "pt"}, {"dut", "nl"},
      {"swe", "sv"}, {"nor", "no"}, {"dan", "da"}, {"fin", "fi"}, {"pol", "pl"}, {"cze", "cs"}, {"rus", "ru"},
      {"ukr", "uk"}, {"gre", "el"}, {"tur", "tr"}, {"jpn", "ja"}, {"chi", "zh"}, {"kor", "ko"},
  }};
  for (const auto& [code, iso] : kMarcToIso) {
    if (marc == code) return std::string(iso);
  }
  return std::string(marc);
}

// "languages": [{"key": "/languages/eng"}] when the record has it.
std::string Language(const json& record) {
  const auto languages = record.find("languages");
  if (languages == record.end() || !languages->is_array() || languages->empty()) return {};
  const std::string key = StringField(languages->front(), "key");
  const auto slash = key.rfind('/');
  return key.empty() ? std::string() : IsoLanguage(slash == std::string::npos ? key : key.substr(slash + 1));
}

std::string Genre(const json& record) {
  std::vector<std::string> subjects = NameListField(record, "subjects");
  if (subjects.size() > kGenreSubjects) subjects.resize(kGenreSubjects);
  return JoinNonEmpty(subjects, ", ");
}

bool IsSeriesNumber(std::string_view text) {
  return !text.empty() && std::isdigit(static_cast<unsigned char>(text.front())) &&
         std::ranges::all_of(text,
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '.'; });
}

std::string Trimmed(std::string_view text, std::string_view also = "") {
  const auto blank = [&](char c) { return c == ' ' || c == '\t' || also.find(c) != std::string_view::npos; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// The record's first series, as catalogued: "Discworld ; 4", "Discworld, #4", "Discworld #4" or just
// "Discworld". The number is kept only when it reads as one ("4", "2.5"); else the whole text is the name.
void FillSeries(const json& record, BookDetails& details) {
  std::vector<std::string> series = NameListField(record, "series");
  if (series.empty()) {
    const std::string one = StringField(record, "series");
    if (!one.empty()) series.push_back(one);
  }
  if (series.empty()) return;
  const std::string& text = series.front();
  const auto mark = text.find_last_of(";#");
  if (mark != std::string::npos) {
    std::string number = Trimmed(std::string_view(text).substr(mark + 1), "#");
    for (const std::string_view prefix : {"no.", "No.", "vol.", "Vol.", "v."}) {
      if (number.starts_with(prefix)) number = Trimmed(std::string_view(number).substr(prefix.size()));
    }
    if (IsSeriesNumber(number)) {
      details.series = Trimmed(std::string_view(text).substr(0, mark), ",;#");
      details.series_index = number;
      if (!details.series.empty()) return;
    }
  }
  details.series = text;
  details.series_index.clear();
}

BookDetails DetailsOf(const json& record) {
  BookDetails details;
  details.title = JoinNonEmpty({StringField(record, "title"), StringField(record, "subtitle")}, ": ");
  details.author = JoinNonEmpty(NameListField(record, "authors"), ", ");
  details.genre = Genre(record);
  details.description = Description(record);
  details.cover_image_url = CoverUrl(record);
  const std::vector<std::string> publishers = NameListField(record, "publishers");
  if (!publishers.empty()) details.publisher = publishers.front();
  details.published_date = StringField(record, "publish_date");
  details.page_count = CountField(record, "number_of_pages");
  details.language = Language(record);
  FillSeries(record, details);
  return details;
}

// A search.json doc's first ISBN that is a valid ISBN-13, else its first valid ISBN-10 converted.
// A doc is a work: its "isbn" lists every edition's, so this picks one edition of it.
std::string DocIsbn(const json& doc) {
  std::string from_isbn10;
  for (const std::string& isbn : StringListField(doc, "isbn")) {
    auto isbn13 = NormalizeIsbn(isbn);
    if (!isbn13) continue;
    if (isbn.size() == 13) return *isbn13;
    if (from_isbn10.empty()) from_isbn10 = *isbn13;
  }
  return from_isbn10;
}

BookDetails DocDetails(const json& doc) {
  BookDetails details;
  details.title = JoinNonEmpty({StringField(doc, "title"), StringField(doc, "subtitle")}, ": ");
  details.author = JoinNonEmpty(StringListField(doc, "author_name"), ", ");
  const std::vector<std::string> publishers = StringListField(doc, "publisher");
  if (!publishers.empty()) details.publisher = publishers.front();
  const int year = CountField(doc, "first_publish_year");
  if (year > 0) details.published_date = std::to_string(year);
  const int cover_id = CountField(doc, "cover_i");
  if (cover_id > 0)
    details.cover_image_url = "https://covers.openlibrary.org/b/id/" + std::to_string(cover_id) + "-L.jpg";
  details.page_count = CountField(doc, "number_of_pages_median");
  const std::vector<std::string> languages = StringListField(doc, "language");
  if (!languages.empty()) details.language = IsoLanguage(languages.front());
  return details;
}

}  // namespace

MetadataSearch ParseOpenLibrarySearch(std::string_view body) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return MalformedSearch(kName, "not JSON");
  if (!document.is_object()) return MalformedSearch(kName, "not a JSON object");
  const auto docs = document.find("docs");
  if (docs == document.end() || !docs->is_array()) return MalformedSearch(kName, "no \"docs\" array");
  std::vector<MetadataCandidate> candidates;
  for (const json& doc : *docs) {
    if (!doc.is_object()) continue;
    MetadataCandidate candidate{DocDetails(doc), DocIsbn(doc), std::string(kName)};
    if (candidate.details.title.empty()) continue;
    const bool repeated = !candidate.isbn13.empty() && std::ranges::any_of(candidates, [&](const auto& c) {
      return c.isbn13 == candidate.isbn13;
    });
    if (!repeated) candidates.push_back(std::move(candidate));
  }
  if (candidates.empty() && !docs->empty()) return MalformedSearch(kName, "no doc has a title");
  return FoundSearch(std::move(candidates), "nothing found in Open Library");
}

MetadataLookup ParseOpenLibraryBooks(std::string_view body, std::string_view isbn13) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return MalformedLookup(kName, "not JSON");
  if (!document.is_object()) return MalformedLookup(kName, "not a JSON object");
  if (document.empty()) return NotFoundLookup("not found in Open Library");
  auto record = document.find("ISBN:" + std::string(isbn13));
  if (record == document.end()) {
    if (document.size() != 1) return MalformedLookup(kName, "no record for the requested bibkey");
    record = document.begin();  // one record under a differently spelled key: it is ours
  }
  if (!record->is_object()) return MalformedLookup(kName, "the record is not an object");
  BookDetails details = DetailsOf(*record);
  if (details == BookDetails{}) return MalformedLookup(kName, "the record has no details");
  return FoundLookup(std::move(details));
}

OpenLibraryProvider::OpenLibraryProvider(MetadataConfig config, std::shared_ptr<net::HttpClientPool> http)
    : config_(std::move(config)), http_(http ? std::move(http) : std::make_shared<net::HttpClientPool>()) {}

std::string_view OpenLibraryProvider::Name() const { return kName; }

MetadataLookup OpenLibraryProvider::Lookup(std::string_view isbn13) {
  return LookUpJson(kName, config_, *http_, BooksUrl(isbn13),
                    [&](std::string_view body) { return ParseOpenLibraryBooks(body, isbn13); });
}

MetadataSearch OpenLibraryProvider::Search(std::string_view query, int limit) {
  const std::string url = config_.open_library_base_url + "/search.json?q=" + text::PercentEncode(query) +
                          "&fields=" + text::PercentEncode(kSearchFields) + "&limit=" + std::to_string(limit);
  MetadataSearch search = SearchJson(kName, config_, *http_, url, ParseOpenLibrarySearch);
  if (search.candidates.size() > static_cast<std::size_t>(limit)) search.candidates.resize(limit);
  return search;
}

std::string OpenLibraryProvider::BooksUrl(std::string_view isbn13) const {
  return config_.open_library_base_url + "/api/books?bibkeys=ISBN:" + text::PercentEncode(isbn13) +
         "&format=json&jscmd=data";
}

}  // namespace booklib::metadata
