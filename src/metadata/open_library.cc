// Open Library: the Books API record of one ISBN mapped to BookDetails.
#include "metadata/open_library.h"

#include <array>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "metadata/json_fields.h"
#include "metadata/provider_http.h"
#include "metadata/text_cleanup.h"
#include "text/codec.h"

namespace booklib::metadata {
namespace {

using nlohmann::json;

constexpr std::string_view kName = "Open Library";
constexpr std::size_t kGenreSubjects = 3;

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
  return details;
}

}  // namespace

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

std::string OpenLibraryProvider::BooksUrl(std::string_view isbn13) const {
  return config_.open_library_base_url + "/api/books?bibkeys=ISBN:" + text::PercentEncode(isbn13) +
         "&format=json&jscmd=data";
}

}  // namespace booklib::metadata
