// OpenLibraryProvider against a fake Open Library: field mapping and request shape (the failure modes every
// HTTP adapter shares are tests/support/metadata_provider_contract.h, instantiated here).
#include "metadata/open_library.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>
#include <tuple>

#include "tests/support/metadata_provider_contract.h"
#include "tests/support/metadata_testing.h"

namespace booklib::metadata {
namespace {

using namespace test::metadata_test_names;

using OpenLibraryTest = test::MetadataProviderTest<OpenLibraryProvider>;

// How the shared tests of tests/support/metadata_provider_contract.h reach Open Library.
struct OpenLibraryApi {
  using Provider = OpenLibraryProvider;
  static constexpr std::string_view kName = "Open Library";
  static constexpr auto kAnswer = &test::FakeMetadataServerTest::AnswerOpenLibrary;
  static constexpr std::string_view kIsbn = kHobbit;
  static constexpr std::string_view kNoMatch = "open-library/books.unknown.json";
  static constexpr auto kAnswerSearch = &test::FakeMetadataServerTest::AnswerOpenLibrarySearch;
  static constexpr std::string_view kSearchNone = "open-library/search.no-docs.json";
  static constexpr std::array kUnexpectedShapes = {
      R"([])",
      R"({"ISBN:9780261102217": "The Hobbit"})",
      R"({"ISBN:9780261102217": {"title": ["The Hobbit"]}})",
      R"({"ISBN:1": {"title": "A"}, "ISBN:2": {"title": "B"}})",
  };
};
INSTANTIATE_TYPED_TEST_SUITE_P(OpenLibrary, HttpMetadataProviderContract, OpenLibraryApi);

TEST_F(OpenLibraryTest, AFoundRecordFillsTheFieldsItHas) {
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9780261102217.found.json")));

  const BookDetails book = LookUpFound(kHobbit);

  EXPECT_EQ(book,
            (BookDetails{
                .title = "The Hobbit: or There and Back Again",
                .author = "J.R.R. Tolkien",
                .genre = "Fantasy fiction, Dragons, Middle Earth (Imaginary place)",  // first three subjects
                .cover_image_url = "https://covers.openlibrary.org/b/id/0000001-L.jpg",  // was http://
                .publisher = "HarperCollins",
                .published_date = "August 1999",
                .page_count = 310}));  // neither a description nor a language
}

TEST_F(OpenLibraryTest, AsksTheBooksApiForTheIsbnBibkey) {
  AnswerOpenLibrary(FakeResponse::Json("{}"));

  LookUp(kHobbit);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/api/books");
  EXPECT_EQ(request->query, "bibkeys=ISBN:9780261102217&format=json&jscmd=data");
  EXPECT_EQ(request->Header("user-agent"), config_.user_agent);
}

TEST_F(OpenLibraryTest, ARecordWithoutCoverLeavesTheCoverEmptyAndReadsDescriptionAndLanguage) {
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9782070360024.no-cover.json")));

  const BookDetails book = LookUpFound(kEtranger);

  EXPECT_EQ(book.title, "L'étranger");
  EXPECT_EQ(book.author, "Albert Camus");
  EXPECT_EQ(book.cover_image_url, "");
  EXPECT_EQ(book.genre, "");
  EXPECT_EQ(book.description, "Meursault, employé de bureau à Alger, apprend la mort de sa mère.");
  EXPECT_EQ(book.language, "fr");
  EXPECT_EQ(book.publisher, "Gallimard");
  EXPECT_EQ(book.page_count, 0);
}

TEST_F(OpenLibraryTest, APlainStringDescriptionAndStringSubjectsAreRead) {
  AnswerOpenLibrary(FakeResponse::Json(R"({"ISBN:9780261102217": {"title": "The Hobbit",
      "description": "  In a hole in the ground there lived a hobbit.  ",
      "subjects": ["Fantasy", "Dragons"], "publishers": ["Allen & Unwin"], "cover": {"medium": "https://c/M.jpg"}}})"));

  const BookDetails book = LookUpFound(kHobbit);

  EXPECT_EQ(book.description, "In a hole in the ground there lived a hobbit.");
  EXPECT_EQ(book.genre, "Fantasy, Dragons");
  EXPECT_EQ(book.publisher, "Allen & Unwin");
  EXPECT_EQ(book.cover_image_url, "https://c/M.jpg");
}

TEST_F(OpenLibraryTest, AServiceUnavailableAnswerIsTransientWithRetryAfter) {
  AnswerOpenLibrary(FakeResponse::Text("Service Unavailable", 503).WithHeader("Retry-After", "30"));

  const MetadataLookup lookup = LookUp(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason, "Open Library: HTTP 503");
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 30s);
}

// The series of a record.

TEST_F(OpenLibraryTest, ASeriesWithItsNumberFillsSeriesAndIndex) {
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9780552131063.series.json")));

  const BookDetails book = LookUpFound("9780552131063");

  EXPECT_EQ(book.title, "Mort");
  EXPECT_EQ(book.series, "Discworld");
  EXPECT_EQ(book.series_index, "4");
}

TEST_F(OpenLibraryTest, ASeriesWithoutANumberIsTheNameAlone) {
  AnswerOpenLibrary(
      FakeResponse::Json(ReadFixture("open-library/books-9780306406157.series-without-number.json")));

  const BookDetails book = LookUpFound("9780306406157");

  EXPECT_EQ(book.series, "Plenum Monographs");
  EXPECT_EQ(book.series_index, "");
}

TEST_F(OpenLibraryTest, SeriesSpelledWithAHashOrAVolumeNumberAreSplit) {
  for (const auto& [written, name, index] :
       {std::tuple{"Discworld, #4", "Discworld", "4"}, std::tuple{"The Expanse #2.5", "The Expanse", "2.5"},
        std::tuple{"Penguin classics ; no. 12", "Penguin classics", "12"},
        std::tuple{"Book #one", "Book #one", ""}}) {
    AnswerOpenLibrary(FakeResponse::Json(
        std::string(R"({"ISBN:9780261102217": {"title": "T", "series": [")") + written + R"("]}})"));

    const BookDetails book = LookUpFound(kHobbit);

    EXPECT_EQ(book.series, name) << written;
    EXPECT_EQ(book.series_index, index) << written;
  }
}

TEST_F(OpenLibraryTest, ARecordWithoutASeriesLeavesItEmpty) {
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9780261102217.found.json")));

  const BookDetails book = LookUpFound(kHobbit);

  EXPECT_EQ(book.series, "");
  EXPECT_EQ(book.series_index, "");
}

// Searching by title or author.

TEST_F(OpenLibraryTest, ASearchAsksSearchJsonForTheFieldsItReadsWithTheLimit) {
  AnswerOpenLibrarySearch(FakeResponse::Json(ReadFixture("open-library/search.no-docs.json")));

  Search("Camus étranger", 5);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/search.json");
  EXPECT_EQ(request->query,
            "q=Camus%20%C3%A9tranger&fields=key%2Ctitle%2Csubtitle%2Cauthor_name%2Cfirst_publish_year%2C"
            "publisher%2Cisbn%2Ccover_i%2Cnumber_of_pages_median%2Clanguage&limit=5");
}

TEST_F(OpenLibraryTest, ASearchMapsEachTitledDocToACandidate) {
  AnswerOpenLibrarySearch(FakeResponse::Json(ReadFixture("open-library/search.awkward-works.json")));

  const MetadataSearch search = Search("time war");

  ASSERT_EQ(search.outcome, Outcome::kFound) << search.reason;
  ASSERT_EQ(search.candidates.size(), 3u);  // the untitled doc is skipped
  const MetadataCandidate& first = search.candidates[0];
  EXPECT_EQ(first.provider, "Open Library");
  EXPECT_EQ(first.isbn13, "9781534431003");  // the ISBN-13 preferred over the ISBN-10 listed first
  EXPECT_EQ(first.details.title, "This Is How You Lose the Time War");
  EXPECT_EQ(first.details.author, "Amal El-Mohtar, Max Gladstone");
  EXPECT_EQ(first.details.published_date, "2019");
  EXPECT_EQ(first.details.publisher, "Simon and Schuster");
  EXPECT_EQ(first.details.page_count, 209);
  EXPECT_EQ(first.details.language, "en");
  EXPECT_EQ(first.details.cover_image_url, "https://covers.openlibrary.org/b/id/8739161-L.jpg");

  EXPECT_EQ(search.candidates[1].isbn13, "9780552131063");  // only an ISBN-10 (and garbage) listed
  EXPECT_EQ(search.candidates[2].details.title, "L'Étranger");
  EXPECT_EQ(search.candidates[2].isbn13, "");
  EXPECT_EQ(search.candidates[2].details.cover_image_url, "");
  EXPECT_EQ(search.candidates[2].details.language, "fr");
}

TEST_F(OpenLibraryTest, ASearchWithNoDocsFindsNothing) {
  AnswerOpenLibrarySearch(FakeResponse::Json(ReadFixture("open-library/search.no-docs.json")));

  EXPECT_EQ(Search("zzzz").outcome, Outcome::kNotFound);
}

TEST_F(OpenLibraryTest, ASearchAnsweredWith429Or500IsTransient) {
  AnswerOpenLibrarySearch(FakeResponse::Text("slow down", 429).WithHeader("Retry-After", "5"));
  const MetadataSearch limited = Search("dune");
  EXPECT_EQ(limited.outcome, Outcome::kTransient);
  ASSERT_TRUE(limited.retry_after.has_value());
  EXPECT_EQ(*limited.retry_after, 5s);

  AnswerOpenLibrarySearch(FakeResponse::Text("oops", 500));
  EXPECT_EQ(Search("dune").outcome, Outcome::kTransient);
}

TEST_F(OpenLibraryTest, AnUnreadableSearchAnswerIsMalformed) {
  for (const char* body :
       {"not json at all", R"({"numFound": 1})", R"({"docs": {"title": "x"}})", R"("docs")"}) {
    AnswerOpenLibrarySearch(FakeResponse::Json(body));

    const MetadataSearch search = Search("dune");

    EXPECT_EQ(search.outcome, Outcome::kMalformed) << body;
    EXPECT_TRUE(search.reason.starts_with("Open Library: unreadable answer")) << search.reason;
  }
}

}  // namespace
}  // namespace booklib::metadata
