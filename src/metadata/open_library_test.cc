// OpenLibraryProvider against a fake Open Library: field mapping, not found and failure modes.
#include "metadata/open_library.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/support/fake_http_server.h"
#include "tests/support/fixtures.h"

namespace booklib::metadata {
namespace {

using test::ReadFixture;

using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeResponse;
using Outcome = MetadataLookup::Outcome;

constexpr std::string_view kHobbit = "9780261102217";
constexpr std::string_view kEtranger = "9782070360024";

class OpenLibraryTest : public ::testing::Test {
 protected:
  OpenLibraryTest() {
    config_.open_library_base_url = server_.BaseUrl();
    config_.total_timeout = 2s;
  }

  MetadataLookup LookUp(std::string_view isbn13) {
    OpenLibraryProvider provider(config_);
    return provider.Lookup(isbn13);
  }

  void AnswerBooks(FakeResponse response) { server_.Respond("/api/books", std::move(response)); }

  FakeHttpServer server_;
  MetadataConfig config_;
};

TEST_F(OpenLibraryTest, AFoundRecordFillsTheFieldsItHas) {
  AnswerBooks(FakeResponse::Json(ReadFixture("open-library/books-9780261102217.found.json")));

  const MetadataLookup lookup = LookUp(kHobbit);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  const BookDetails& book = lookup.details;
  EXPECT_EQ(book.title, "The Hobbit: or There and Back Again");
  EXPECT_EQ(book.author, "J.R.R. Tolkien");
  EXPECT_EQ(book.genre, "Fantasy fiction, Dragons, Middle Earth (Imaginary place)");  // first three subjects
  EXPECT_EQ(book.publisher, "HarperCollins");
  EXPECT_EQ(book.published_date, "August 1999");
  EXPECT_EQ(book.page_count, 310);
  EXPECT_EQ(book.cover_image_url, "https://covers.openlibrary.org/b/id/0000001-L.jpg");  // was http://
  EXPECT_EQ(book.description, "");
  EXPECT_EQ(book.language, "");
}

TEST_F(OpenLibraryTest, AsksTheBooksApiForTheIsbnBibkey) {
  AnswerBooks(FakeResponse::Json("{}"));

  LookUp(kHobbit);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/api/books");
  EXPECT_EQ(request->query, "bibkeys=ISBN:9780261102217&format=json&jscmd=data");
  EXPECT_EQ(request->Header("user-agent"), config_.user_agent);
}

TEST_F(OpenLibraryTest, ARecordWithoutCoverLeavesTheCoverEmptyAndReadsDescriptionAndLanguage) {
  AnswerBooks(FakeResponse::Json(ReadFixture("open-library/books-9782070360024.no-cover.json")));

  const MetadataLookup lookup = LookUp(kEtranger);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.title, "L'étranger");
  EXPECT_EQ(lookup.details.author, "Albert Camus");
  EXPECT_EQ(lookup.details.cover_image_url, "");
  EXPECT_EQ(lookup.details.genre, "");
  EXPECT_EQ(lookup.details.description, "Meursault, employé de bureau à Alger, apprend la mort de sa mère.");
  EXPECT_EQ(lookup.details.language, "fr");
  EXPECT_EQ(lookup.details.publisher, "Gallimard");
  EXPECT_EQ(lookup.details.page_count, 0);
}

TEST_F(OpenLibraryTest, APlainStringDescriptionAndStringSubjectsAreRead) {
  AnswerBooks(FakeResponse::Json(R"({"ISBN:9780261102217": {"title": "The Hobbit",
      "description": "  In a hole in the ground there lived a hobbit.  ",
      "subjects": ["Fantasy", "Dragons"], "publishers": ["Allen & Unwin"], "cover": {"medium": "https://c/M.jpg"}}})"));

  const MetadataLookup lookup = LookUp(kHobbit);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.description, "In a hole in the ground there lived a hobbit.");
  EXPECT_EQ(lookup.details.genre, "Fantasy, Dragons");
  EXPECT_EQ(lookup.details.publisher, "Allen & Unwin");
  EXPECT_EQ(lookup.details.cover_image_url, "https://c/M.jpg");
}

TEST_F(OpenLibraryTest, AnEmptyObjectMeansNotFound) {
  AnswerBooks(FakeResponse::Json(ReadFixture("open-library/books.unknown.json")));

  const MetadataLookup lookup = LookUp(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kNotFound);
  EXPECT_EQ(lookup.reason, "not found in Open Library");
}

TEST_F(OpenLibraryTest, AServiceUnavailableAnswerIsTransientWithRetryAfter) {
  AnswerBooks(FakeResponse::Text("Service Unavailable", 503).WithHeader("Retry-After", "30"));

  const MetadataLookup lookup = LookUp(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason, "Open Library: HTTP 503");
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 30s);
}

TEST_F(OpenLibraryTest, AServerThatNeverAnswersIsTransientWithinTheTotalTimeout) {
  AnswerBooks(FakeResponse::Hang());
  config_.total_timeout = 300ms;

  const auto started = std::chrono::steady_clock::now();
  const MetadataLookup lookup = LookUp(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(OpenLibraryTest, AGarbageBodyIsMalformed) {
  AnswerBooks(FakeResponse::Text("<!DOCTYPE html><title>Maintenance</title>"));

  const MetadataLookup lookup = LookUp(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_EQ(lookup.reason, "Open Library: unreadable answer (not JSON)");
}

TEST_F(OpenLibraryTest, UnexpectedJsonShapesAreMalformedNeverACrash) {
  const char* const shapes[] = {
      R"([])",
      R"({"ISBN:9780261102217": "The Hobbit"})",
      R"({"ISBN:9780261102217": {"title": ["The Hobbit"]}})",
      R"({"ISBN:1": {"title": "A"}, "ISBN:2": {"title": "B"}})",
  };
  for (const char* shape : shapes) {
    AnswerBooks(FakeResponse::Json(shape));

    const MetadataLookup lookup = LookUp(kHobbit);

    EXPECT_EQ(lookup.outcome, Outcome::kMalformed) << shape;
  }
}

TEST_F(OpenLibraryTest, AnOversizeBodyIsMalformedNotACrash) {
  AnswerBooks(FakeResponse::Oversize(512 * 1024));
  config_.max_response_bytes = 4096;

  EXPECT_EQ(LookUp(kHobbit).outcome, Outcome::kMalformed);
}

}  // namespace
}  // namespace booklib::metadata
