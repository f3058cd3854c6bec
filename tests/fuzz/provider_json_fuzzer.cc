// Fuzz target: the metadata providers' answers (Google Books volumes, Open Library books), each
// body given to both parsers. Neither throws; kFound comes with details, covers only over https,
// descriptions as text without tags; every other outcome says why.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kIsbn = "9780316129084";
  Check(booklib::metadata::ParseGoogleBooksVolumes(body, kIsbn));
  Check(booklib::metadata::ParseOpenLibraryBooks(body, kIsbn));
  return 0;
}
