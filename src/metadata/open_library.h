// Open Library adapter of the Metadata port: GET
// {base}/api/books?bibkeys=ISBN:{isbn13}&format=json&jscmd=data.
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
// The answer is an object keyed by the bibkey ("ISBN:978..."). Details of that record: title
// (+ ": " + subtitle), authors[].name joined ", ", the first three subjects[].name joined ", " as
// genre, publishers[0].name, publish_date as given ("July 28, 2008"), number_of_pages,
// cover.large (else medium, else small) made https://, description (a string or a
// {"value": ...} object) when present, and the language when the record lists one (MARC codes
// such as "eng" become ISO 639-1 "en" where known), and the first "series" ("Discworld ; 4" ->
// series "Discworld", index "4"; a name without a number as is).
// No cover object leaves the cover empty: guessing covers.openlibrary.org/b/isbn/... URLs would
// spend that endpoint's per-IP rate limit on every page view of a book that has no cover.
//
// Outcomes: kFound; kNotFound for `{}` (reason "not found in Open Library"); kTransient and
// kMalformed for HTTP and transport failures as in provider_http.h; kMalformed for a body that is
// not the documented JSON shape.
class OpenLibraryProvider final : public MetadataProvider {
 public:
  // `http` may be shared with other providers; when null the provider makes its own pool.
  explicit OpenLibraryProvider(MetadataConfig config, std::shared_ptr<net::HttpClientPool> http = nullptr);

  std::string_view Name() const override;  // "Open Library"
  MetadataLookup Lookup(std::string_view isbn13) override;
  // GET {base}/search.json?q={query}&fields=...&limit={limit}. Each doc (a work) with a title becomes
  // a candidate: title (+ subtitle), author_name joined ", ", first_publish_year as the date,
  // publisher[0], cover_i as https://covers.openlibrary.org/b/id/{cover_i}-L.jpg, the median page
  // count, the first language; its ISBN the first valid ISBN-13 of "isbn", else the first valid
  // ISBN-10 converted (one edition of the work), empty when none. kNotFound for no docs.
  MetadataSearch Search(std::string_view query, int limit) override;

 private:
  std::string BooksUrl(std::string_view isbn13) const;

  const MetadataConfig config_;
  const std::shared_ptr<net::HttpClientPool> http_;
};

// The outcome of a 200 answer `body` to the Books API query for `isbn13`, as the class comment says
// (kFound, kNotFound or kMalformed). Never throws. Lookup's parser, public for the fuzz target.
MetadataLookup ParseOpenLibraryBooks(std::string_view body, std::string_view isbn13);

// The outcome of a 200 answer `body` to search.json, as Search says. Never throws.
MetadataSearch ParseOpenLibrarySearch(std::string_view body);

}  // namespace booklib::metadata
