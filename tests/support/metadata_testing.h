// Test-only: what the metadata tests share: their vocabulary, the books of src/metadata/testdata, and
// fixtures for the HTTP adapters (and what is built on them) over a FakeHttpServer.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "core/domain.h"
#include "metadata/metadata_config.h"
#include "ports/metadata.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/fixtures.h"
#include "tests/support/manual_clock.h"
#include "tests/support/scripted_metadata_provider.h"

namespace booklib {

// Lets EXPECT_EQ on whole BookDetails print the fields that differ instead of raw bytes.
inline void PrintTo(const BookDetails& details, std::ostream* out) {
  *out << "{title: \"" << details.title << "\", author: \"" << details.author << "\", genre: \""
       << details.genre << "\", cover_image_url: \"" << details.cover_image_url << "\", description: \""
       << details.description << "\", publisher: \"" << details.publisher << "\", published_date: \""
       << details.published_date << "\", page_count: " << details.page_count << ", language: \""
       << details.language << "\"}";
}

// The names every metadata test uses; a test file says `using namespace test::metadata_test_names;`.
namespace test::metadata_test_names {

using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeResponse;
using test::ManualClock;
using test::ReadFixture;
using test::ScriptedMetadataProvider;
using Outcome = MetadataLookup::Outcome;

// The ISBNs of the books that the testdata answers describe.
inline constexpr std::string_view kGoodOmens = "9780060853983";  // google-books/volumes-9780060853983.*
inline constexpr std::string_view kKokoro = "9784101010137";     // google-books/volumes-9784101010137.*
inline constexpr std::string_view kHobbit = "9780261102217";     // open-library/books-9780261102217.*
inline constexpr std::string_view kEtranger = "9782070360024";   // open-library/books-9782070360024.*

}  // namespace test::metadata_test_names

}  // namespace booklib

namespace booklib::test {

// A FakeHttpServer that plays both Google Books and Open Library, and a MetadataConfig whose base URLs
// point at it, with a total timeout of 2 s (a test may change config_ before it builds a provider).
class FakeMetadataServerTest : public ::testing::Test {
 public:
  // From now on the fake answers every Google Books volumes search (GET /volumes?q=isbn:...) with
  // `response`.
  void AnswerGoogleBooks(FakeResponse response) { server_.Respond("/volumes", std::move(response)); }
  // From now on the fake answers every Open Library books query (GET /api/books?bibkeys=...) with
  // `response`.
  void AnswerOpenLibrary(FakeResponse response) { server_.Respond("/api/books", std::move(response)); }
  // From now on the fake answers every Open Library search (GET /search.json?q=...) with `response`.
  // (Google Books searches share the lookups' path: AnswerGoogleBooks.)
  void AnswerOpenLibrarySearch(FakeResponse response) {
    server_.Respond("/search.json", std::move(response));
  }

 protected:
  FakeMetadataServerTest() {
    config_.google_books_base_url = server_.BaseUrl();
    config_.open_library_base_url = server_.BaseUrl();
    config_.total_timeout = std::chrono::seconds(2);
  }

  FakeHttpServer server_;
  metadata::MetadataConfig config_;
};

// One HTTP adapter of the Metadata port (GoogleBooksProvider, OpenLibraryProvider) over the fake.
template <typename Provider>
class MetadataProviderTest : public FakeMetadataServerTest {
 protected:
  // A lookup by a provider built from config_ as it is now.
  MetadataLookup LookUp(std::string_view isbn13) {
    Provider provider(config_);
    return provider.Lookup(isbn13);
  }

  // A search by a provider built from config_ as it is now.
  MetadataSearch Search(std::string_view query, int limit = 10) {
    Provider provider(config_);
    return provider.Search(query, limit);
  }

  // The details of LookUp(isbn13), which the test expects to find the book (else it fails, with the
  // lookup's reason).
  BookDetails LookUpFound(std::string_view isbn13) {
    const MetadataLookup lookup = LookUp(isbn13);
    EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kFound) << lookup.reason;
    return lookup.details;
  }
};

}  // namespace booklib::test
