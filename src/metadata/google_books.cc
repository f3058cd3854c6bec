// Google Books: one volumes query per ISBN, the matching item's volumeInfo mapped to BookDetails.
#include "metadata/google_books.h"

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

constexpr std::string_view kName = "Google Books";
constexpr std::size_t kMaxErrorMessage = 200;

// Digits of an identifier as Google spells it ("0-316-03057-0", "031603057x"), X upper-cased.
std::string CanonicalIsbnDigits(std::string_view identifier) {
  std::string digits;
  for (const char c : identifier) {
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    if (c == 'x' || c == 'X') digits += 'X';
  }
  return digits;
}

bool ListsIsbn(const json& volume_info, std::string_view isbn13, std::string_view isbn10) {
  const auto identifiers = volume_info.find("industryIdentifiers");
  if (identifiers == volume_info.end() || !identifiers->is_array()) return false;
  for (const json& identifier : *identifiers) {
    const std::string digits = CanonicalIsbnDigits(StringField(identifier, "identifier"));
    if (digits == isbn13 || (!isbn10.empty() && digits == isbn10)) return true;
  }
  return false;
}

// The volumeInfo of the item that lists the ISBN, else of the first item; nullptr when no item
// has a volumeInfo object.
const json* ChooseVolumeInfo(const json& items, std::string_view isbn13) {
  const std::string isbn10 = Isbn13To10(isbn13);
  const json* first = nullptr;
  for (const json& item : items) {
    const json* volume_info = ObjectField(item, "volumeInfo");
    if (volume_info == nullptr) continue;
    if (ListsIsbn(*volume_info, isbn13, isbn10)) return volume_info;
    if (first == nullptr) first = volume_info;
  }
  return first;
}

std::string LargestCover(const json& volume_info) {
  static constexpr std::array<std::string_view, 6> kLargestFirst = {
      "extraLarge", "large", "medium", "small", "thumbnail", "smallThumbnail"};
  const json* image_links = ObjectField(volume_info, "imageLinks");
  if (image_links == nullptr) return {};
  for (const std::string_view size : kLargestFirst) {
    const std::string url = StringField(*image_links, size);
    if (!url.empty()) return HttpsUrl(url);
  }
  return {};
}

BookDetails DetailsOf(const json& volume_info) {
  BookDetails details;
  details.title =
      JoinNonEmpty({StringField(volume_info, "title"), StringField(volume_info, "subtitle")}, ": ");
  details.author = JoinNonEmpty(StringListField(volume_info, "authors"), ", ");
  details.genre = JoinNonEmpty(StringListField(volume_info, "categories"), ", ");
  details.description = PlainTextFromHtml(StringField(volume_info, "description"));
  details.cover_image_url = LargestCover(volume_info);
  details.publisher = StringField(volume_info, "publisher");
  details.published_date = StringField(volume_info, "publishedDate");
  details.page_count = CountField(volume_info, "pageCount");
  if (details.page_count == 0) details.page_count = CountField(volume_info, "printedPageCount");
  details.language = StringField(volume_info, "language");
  return details;
}

std::string FirstReason(const json& error, std::string_view list) {
  const auto entries = error.find(std::string(list));
  if (entries == error.end() || !entries->is_array() || entries->empty()) return {};
  return StringField(entries->front(), "reason");
}

// "<reason>: <message>" from Google's error envelope {"error":{"message","errors":[{"reason"}],
// "details":[{"reason"}]}}, preferring the more specific details reason (API_KEY_INVALID); empty
// when the body is not such an envelope.
std::string ErrorDetail(std::string_view body) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  const json* error = document.is_discarded() ? nullptr : ObjectField(document, "error");
  if (error == nullptr) return {};
  std::string reason = FirstReason(*error, "details");
  if (reason.empty()) reason = FirstReason(*error, "errors");
  std::string message = StringField(*error, "message");
  if (message.size() > kMaxErrorMessage) message = message.substr(0, kMaxErrorMessage) + "...";
  return JoinNonEmpty({reason, message}, ": ");
}

// The item's ISBN-13: its ISBN_13 identifier, else its ISBN_10 converted; empty when it lists
// neither validly (Google lists "OTHER" identifiers for many older books).
std::string CandidateIsbn(const json& volume_info) {
  const auto identifiers = volume_info.find("industryIdentifiers");
  if (identifiers == volume_info.end() || !identifiers->is_array()) return {};
  std::string from_isbn10;
  for (const json& identifier : *identifiers) {
    const std::string type = StringField(identifier, "type");
    if (type != "ISBN_13" && type != "ISBN_10") continue;
    auto isbn13 = NormalizeIsbn(StringField(identifier, "identifier"));
    if (!isbn13) continue;
    if (type == "ISBN_13") return *isbn13;
    if (from_isbn10.empty()) from_isbn10 = *isbn13;
  }
  return from_isbn10;
}

}  // namespace

MetadataSearch ParseGoogleBooksSearch(std::string_view body) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return MalformedSearch(kName, "not JSON");
  if (!document.is_object()) return MalformedSearch(kName, "not a JSON object");
  if (document.contains("error")) return MalformedSearch(kName, "an error object with status 200");
  const auto items = document.find("items");
  if (items == document.end()) return FoundSearch({}, "nothing found in Google Books");
  if (!items->is_array()) return MalformedSearch(kName, "\"items\" is not an array");
  std::vector<MetadataCandidate> candidates;
  for (const json& item : *items) {
    const json* volume_info = ObjectField(item, "volumeInfo");
    if (volume_info == nullptr) continue;
    MetadataCandidate candidate{DetailsOf(*volume_info), CandidateIsbn(*volume_info), std::string(kName)};
    if (candidate.details.title.empty()) continue;  // nothing a reader could recognise
    const bool repeated = !candidate.isbn13.empty() && std::ranges::any_of(candidates, [&](const auto& c) {
      return c.isbn13 == candidate.isbn13;
    });
    if (!repeated) candidates.push_back(std::move(candidate));
  }
  if (candidates.empty() && !items->empty()) return MalformedSearch(kName, "no item has a title");
  return FoundSearch(std::move(candidates), "nothing found in Google Books");
}

MetadataLookup ParseGoogleBooksVolumes(std::string_view body, std::string_view isbn13) {
  const json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return MalformedLookup(kName, "not JSON");
  if (!document.is_object()) return MalformedLookup(kName, "not a JSON object");
  if (document.contains("error")) return MalformedLookup(kName, "an error object with status 200");
  const auto items = document.find("items");
  if (items == document.end() || (items->is_array() && items->empty())) {
    return NotFoundLookup("not found in Google Books");
  }
  if (!items->is_array()) return MalformedLookup(kName, "\"items\" is not an array");
  const json* volume_info = ChooseVolumeInfo(*items, isbn13);
  if (volume_info == nullptr) return MalformedLookup(kName, "no item has a volumeInfo object");
  BookDetails details = DetailsOf(*volume_info);
  if (details == BookDetails{}) return MalformedLookup(kName, "the item has no details");
  return FoundLookup(std::move(details));
}

GoogleBooksProvider::GoogleBooksProvider(MetadataConfig config, std::shared_ptr<net::HttpClientPool> http)
    : config_(std::move(config)), http_(http ? std::move(http) : std::make_shared<net::HttpClientPool>()) {}

std::string_view GoogleBooksProvider::Name() const { return kName; }

MetadataLookup GoogleBooksProvider::Lookup(std::string_view isbn13) {
  return LookUpJson(
      kName, config_, *http_, VolumesUrl(isbn13),
      [&](std::string_view body) { return ParseGoogleBooksVolumes(body, isbn13); }, ErrorDetail);
}

MetadataSearch GoogleBooksProvider::Search(std::string_view query, int limit) {
  const std::string url = config_.google_books_base_url + "/volumes?q=" + text::PercentEncode(query) +
                          "&maxResults=" + std::to_string(limit) + "&printType=books" + AccountParameters();
  MetadataSearch search = SearchJson(kName, config_, *http_, url, ParseGoogleBooksSearch, ErrorDetail);
  if (search.candidates.size() > static_cast<std::size_t>(limit)) search.candidates.resize(limit);
  return search;
}

std::string GoogleBooksProvider::VolumesUrl(std::string_view isbn13) const {
  return config_.google_books_base_url + "/volumes?q=isbn:" + text::PercentEncode(isbn13) +
         AccountParameters();
}

std::string GoogleBooksProvider::AccountParameters() const {
  std::string url;
  if (!config_.google_books_api_key.empty())
    url += "&key=" + text::PercentEncode(config_.google_books_api_key);
  if (!config_.google_books_country.empty())
    url += "&country=" + text::PercentEncode(config_.google_books_country);
  return url;
}

}  // namespace booklib::metadata
