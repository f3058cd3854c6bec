// Google Books adapter of the Metadata port: GET {base}/volumes?q=isbn:{isbn13}, or ?q={text} to search.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "metadata/metadata_config.h"
#include "net/http_client_pool.h"
#include "ports/metadata.h"

namespace booklib::metadata {

// Thread-safe: Lookup may run on many threads at once (each request borrows its own HttpClient).
//
// The request adds &key= when config.google_books_api_key is set and &country= when
// config.google_books_country is set.
//
// Of the items answered, the first whose industryIdentifiers list the ISBN (as ISBN-13 or as its
// ISBN-10 form) is used; when none does (Google sometimes answers another edition), the first item.
// Its details: title (+ ": " + subtitle), authors joined ", ", categories joined ", " as genre,
// description as plain text (HTML dropped), the largest imageLinks cover with http:// made
// https://, publisher, publishedDate as given ("2020-11"), pageCount (else printedPageCount),
// language.
//
// Outcomes:
//   kFound     - as above;
//   kNotFound  - 200 with totalItems 0 / no "items" (reason "not found in Google Books");
//   kTransient - timeouts, connection errors, 408, 429 and 5xx (retry_after from Retry-After), and
//                400/401/403: Google uses these for an invalid or exhausted API key and for
//                locations it will not serve (403 unknownLocation; set google_books_country), all
//                of which an operator can fix before the retry; the queue's attempt limit bounds
//                them otherwise. The reason carries Google's error reason and message;
//   kMalformed - a body that is not the documented JSON shape, a body over max_response_bytes,
//                or another unexpected status.
class GoogleBooksProvider final : public MetadataProvider {
 public:
  // `http` may be shared with other providers; when null the provider makes its own pool.
  explicit GoogleBooksProvider(MetadataConfig config, std::shared_ptr<net::HttpClientPool> http = nullptr);

  std::string_view Name() const override;  // "Google Books"
  MetadataLookup Lookup(std::string_view isbn13) override;
  // GET {base}/volumes?q={query}&maxResults={limit}&printType=books (+ key, country). Each item with
  // a title becomes a candidate, its details mapped as for Lookup, its ISBN the ISBN_13 identifier
  // or the ISBN_10 one converted (empty when neither); a repeated ISBN is kept once. kNotFound
  // without items; failures as for Lookup.
  MetadataSearch Search(std::string_view query, int limit) override;

 private:
  std::string VolumesUrl(std::string_view isbn13) const;
  std::string AccountParameters() const;  // "&key=...&country=..." as configured

  const MetadataConfig config_;
  const std::shared_ptr<net::HttpClientPool> http_;
};

// The outcome of a 200 answer `body` to the volumes query for `isbn13`, as the class comment says
// (kFound, kNotFound or kMalformed). Never throws. Lookup's parser, public for the fuzz target.
MetadataLookup ParseGoogleBooksVolumes(std::string_view body, std::string_view isbn13);

// The outcome of a 200 answer `body` to a free-text volumes search, as Search says. Never throws.
MetadataSearch ParseGoogleBooksSearch(std::string_view body);

}  // namespace booklib::metadata
