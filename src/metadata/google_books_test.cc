// GoogleBooksProvider against a fake Google Books: field mapping, item choice and every failure mode.
#include "metadata/google_books.h"

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

constexpr std::string_view kGoodOmens = "9780060853983";
constexpr std::string_view kKokoro = "9784101010137";

class GoogleBooksTest : public ::testing::Test {
 protected:
  GoogleBooksTest() {
    config_.google_books_base_url = server_.BaseUrl();
    config_.total_timeout = 2s;
  }

  MetadataLookup LookUp(std::string_view isbn13) {
    GoogleBooksProvider provider(config_);
    return provider.Lookup(isbn13);
  }

  void AnswerVolumes(FakeResponse response) { server_.Respond("/volumes", std::move(response)); }

  FakeHttpServer server_;
  MetadataConfig config_;
};

TEST_F(GoogleBooksTest, AFoundVolumeFillsEveryField) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json")));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  const BookDetails& book = lookup.details;
  EXPECT_EQ(book.title, "Good Omens: The Nice and Accurate Prophecies of Agnes Nutter, Witch");
  EXPECT_EQ(book.author, "Terry Pratchett, Neil Gaiman");
  EXPECT_EQ(book.genre, "Fiction, Humor");
  EXPECT_EQ(
      book.description,
      "According to The Nice and Accurate Prophecies of Agnes Nutter, the world will end on a Saturday.\n\n"
      "Next Saturday, in fact. Just before dinner & the news.");
  EXPECT_EQ(book.cover_image_url,
            "https://books.google.com/books/content?id=bkLibGoodOmens01&printsec=frontcover&img=1&zoom=3"
            "&source=gbs_api");
  EXPECT_EQ(book.publisher, "William Morrow");
  EXPECT_EQ(book.published_date, "2006-11-28");
  EXPECT_EQ(book.page_count, 432);
  EXPECT_EQ(book.language, "en");
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, AsksForTheIsbnWithoutAKeyWhenNoneIsConfigured) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));

  LookUp(kGoodOmens);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->path, "/volumes");
  EXPECT_EQ(request->query, "q=isbn:9780060853983");
  EXPECT_EQ(request->Header("user-agent"), config_.user_agent);
}

TEST_F(GoogleBooksTest, AppendsTheApiKeyAndCountryWhenConfigured) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  config_.google_books_api_key = "AIza-key_with/odd+chars";
  config_.google_books_country = "US";

  LookUp(kGoodOmens);

  ASSERT_TRUE(server_.LastRequest().has_value());
  EXPECT_EQ(server_.LastRequest()->query, "q=isbn:9780060853983&key=AIza-key_with%2Fodd%2Bchars&country=US");
}

TEST_F(GoogleBooksTest, AJapaneseVolumeWithoutPublisherOrCategoriesIsFoundWithThoseLeftEmpty) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes-9784101010137.ja-no-publisher.json")));

  const MetadataLookup lookup = LookUp(kKokoro);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.title, "こころ");
  EXPECT_EQ(lookup.details.author, "夏目漱石");
  EXPECT_EQ(lookup.details.publisher, "");
  EXPECT_EQ(lookup.details.genre, "");
  EXPECT_EQ(lookup.details.published_date, "2004-03");
  EXPECT_EQ(lookup.details.page_count, 326);
  EXPECT_EQ(lookup.details.language, "ja");
}

TEST_F(GoogleBooksTest, AnHttpCoverLinkIsRewrittenToHttps) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes-9784101010137.ja-no-publisher.json")));

  const MetadataLookup lookup = LookUp(kKokoro);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.cover_image_url,
            "https://books.google.com/books/content?id=bkLibKokoro0001&printsec=frontcover&img=1&zoom=1"
            "&source=gbs_api");
}

TEST_F(GoogleBooksTest, NoItemsMeansNotFound) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kNotFound);
  EXPECT_EQ(lookup.reason, "not found in Google Books");
}

TEST_F(GoogleBooksTest, AnEmptyItemsListMeansNotFound) {
  AnswerVolumes(FakeResponse::Json(R"({"kind":"books#volumes","totalItems":0,"items":[]})"));

  EXPECT_EQ(LookUp(kGoodOmens).outcome, Outcome::kNotFound);
}

TEST_F(GoogleBooksTest, TheItemListingTheIsbnWinsOverAnotherEditionListedFirst) {
  AnswerVolumes(
      FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.other-edition-first.json")));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.publisher, "William Morrow");  // the item lists 0-06-085398-0, our ISBN-10
  EXPECT_EQ(lookup.details.page_count, 430);              // from printedPageCount
  EXPECT_EQ(lookup.details.published_date, "2006");
}

TEST_F(GoogleBooksTest, TheFirstItemIsUsedWhenNoItemListsTheIsbn) {
  AnswerVolumes(FakeResponse::Json(R"({"totalItems":2,"items":[
      {"volumeInfo":{"title":"First","industryIdentifiers":[{"type":"ISBN_13","identifier":"9780425132159"}]}},
      {"volumeInfo":{"title":"Second"}}]})"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.title, "First");
}

TEST_F(GoogleBooksTest, RateLimitingIsTransientWithTheRetryAfterSeconds) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/error-429.rate-limit.json"), 429)
                    .WithHeader("Retry-After", "120"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 120s);
  EXPECT_TRUE(lookup.reason.starts_with("Google Books: HTTP 429: rateLimitExceeded: Quota exceeded"))
      << lookup.reason;
}

TEST_F(GoogleBooksTest, AServerErrorIsTransient) {
  AnswerVolumes(FakeResponse::Text("backend error", 500));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason, "Google Books: HTTP 500");
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, ARetryAfterDateIsIgnoredButTheAnswerStaysTransient) {
  AnswerVolumes(FakeResponse::Status(503).WithHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, AnUnknownLocationRefusalIsTransientAndSaysWhy) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/error-403.unknown-location.json"), 403));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason,
            "Google Books: HTTP 403: unknownLocation: Cannot determine user location for geographically "
            "restricted operation.");
}

TEST_F(GoogleBooksTest, AnInvalidApiKeyIsTransientAndNamesTheKeyProblem) {
  AnswerVolumes(FakeResponse::Json(ReadFixture("google-books/error-400.api-key-invalid.json"), 400));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_NE(lookup.reason.find("API_KEY_INVALID"), std::string::npos) << lookup.reason;
}

TEST_F(GoogleBooksTest, AnUnexpectedStatusIsMalformed) {
  AnswerVolumes(FakeResponse::Text("no such endpoint", 404));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_EQ(lookup.reason, "Google Books: HTTP 404");
}

TEST_F(GoogleBooksTest, AServerThatNeverAnswersIsTransientWithinTheTotalTimeout) {
  AnswerVolumes(FakeResponse::Hang());
  config_.total_timeout = 300ms;

  const auto started = std::chrono::steady_clock::now();
  const MetadataLookup lookup = LookUp(kGoodOmens);
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_TRUE(lookup.reason.starts_with("Google Books: timed out after 300 ms")) << lookup.reason;
  EXPECT_LT(elapsed, 2s);
}

TEST_F(GoogleBooksTest, ARefusedConnectionIsTransient) {
  server_.Stop();  // nothing listens at the configured base URL any more

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
}

TEST_F(GoogleBooksTest, AGarbageBodyIsMalformed) {
  AnswerVolumes(FakeResponse::Text("<html><body>Sorry...</body></html>"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_EQ(lookup.reason, "Google Books: unreadable answer (not JSON)");
}

TEST_F(GoogleBooksTest, UnexpectedJsonShapesAreMalformedNeverACrash) {
  const char* const shapes[] = {
      R"([1, 2, 3])",
      R"("just a string")",
      R"({"totalItems": 1, "items": {"volumeInfo": {}}})",
      R"({"totalItems": 1, "items": [42, "x", null]})",
      R"({"totalItems": 1, "items": [{"volumeInfo": {"title": 7, "authors": "Someone"}}]})",
      R"({"error": {"code": 500, "message": "oops"}})",
  };
  for (const char* shape : shapes) {
    AnswerVolumes(FakeResponse::Json(shape));

    const MetadataLookup lookup = LookUp(kGoodOmens);

    EXPECT_EQ(lookup.outcome, Outcome::kMalformed) << shape;
    EXPECT_FALSE(lookup.reason.empty()) << shape;
  }
}

TEST_F(GoogleBooksTest, FieldsOfTheWrongTypeAreLeftEmpty) {
  AnswerVolumes(FakeResponse::Json(R"({"totalItems":1,"items":[{"volumeInfo":{
      "title": "Dune", "authors": "Frank Herbert", "categories": [1, "Fiction"], "pageCount": "412",
      "imageLinks": "none", "publisher": null}}]})"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.title, "Dune");
  EXPECT_EQ(lookup.details.author, "");
  EXPECT_EQ(lookup.details.genre, "Fiction");
  EXPECT_EQ(lookup.details.page_count, 0);
  EXPECT_EQ(lookup.details.cover_image_url, "");
  EXPECT_EQ(lookup.details.publisher, "");
}

TEST_F(GoogleBooksTest, AnOversizeBodyIsMalformedNotACrash) {
  AnswerVolumes(FakeResponse::Oversize(1024 * 1024));
  config_.max_response_bytes = 16 * 1024;

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_NE(lookup.reason.find("exceeds 16384 bytes"), std::string::npos) << lookup.reason;
}

}  // namespace
}  // namespace booklib::metadata
