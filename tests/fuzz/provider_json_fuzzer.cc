// Fuzz target: the metadata providers' answers (Google Books volumes, Open Library books, and both
// searches), each body given to every parser. None throws; kFound comes with details (a search's
// with titled candidates and valid ISBNs), covers only over https; every other outcome says why.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/isbn.h"
#include "metadata/google_books.h"
#include "metadata/open_library.h"
#include "text/utf8.h"

namespace {

using booklib::MetadataLookup;

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "provider_json_fuzzer: %s\n", what);
  std::abort();
}

void Check(const MetadataLookup& lookup) {
  switch (lookup.outcome) {
    case MetadataLookup::Outcome::kFound: {
      const auto& details = lookup.details;
      if (details == booklib::BookDetails{}) Die("kFound without details");
      if (!details.cover_image_url.empty() && details.cover_image_url.starts_with("http://"))
        Die("a cover over plain http");
      if (details.page_count < 0) Die("a negative page count");
      break;
    }
    case MetadataLookup::Outcome::kNotFound:
    case MetadataLookup::Outcome::kMalformed:
      if (lookup.reason.empty()) Die("no reason given");
      break;
    case MetadataLookup::Outcome::kTransient:
      Die("a 200 body parsed as transient");
  }
}

// A search's answer: kFound has candidates, each titled, its ISBN empty or a valid ISBN-13.
void Check(const booklib::MetadataSearch& search) {
  if (search.outcome == MetadataLookup::Outcome::kTransient) Die("a 200 search body parsed as transient");
  if (search.outcome != MetadataLookup::Outcome::kFound) {
    if (search.reason.empty()) Die("no reason given for a search");
    if (!search.candidates.empty()) Die("candidates without kFound");
    return;
  }
  if (search.candidates.empty()) Die("a kFound search without candidates");
  for (const auto& candidate : search.candidates) {
    if (candidate.details.title.empty()) Die("an untitled candidate");
    if (!candidate.isbn13.empty() &&
        (candidate.isbn13.size() != 13 || !booklib::IsValidEan13(candidate.isbn13)))
      Die("a candidate ISBN that is not a valid ISBN-13");
    if (candidate.details.cover_image_url.starts_with("http://")) Die("a candidate cover over plain http");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kIsbn = "9780316129084";
  Check(booklib::metadata::ParseGoogleBooksVolumes(body, kIsbn));
  Check(booklib::metadata::ParseOpenLibraryBooks(body, kIsbn));
  Check(booklib::metadata::ParseGoogleBooksSearch(body));
  Check(booklib::metadata::ParseOpenLibrarySearch(body));
  return 0;
}
