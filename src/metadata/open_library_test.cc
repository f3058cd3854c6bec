// OpenLibraryProvider against a fake Open Library: field mapping and request shape (the failure modes every
// HTTP adapter shares are tests/support/metadata_provider_contract.h, instantiated here).
#include "metadata/open_library.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>

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

}  // namespace
}  // namespace booklib::metadata
