// GoogleBooksProvider against a fake Google Books: field mapping, item choice and its own failure modes
// (those every HTTP adapter shares are tests/support/metadata_provider_contract.h, instantiated here).
#include "metadata/google_books.h"

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <string>

#include "tests/support/metadata_provider_contract.h"
#include "tests/support/metadata_testing.h"

namespace booklib::metadata {
namespace {

using namespace test::metadata_test_names;

using GoogleBooksTest = test::MetadataProviderTest<GoogleBooksProvider>;

// How the shared tests of tests/support/metadata_provider_contract.h reach Google Books.
struct GoogleBooksApi {
  using Provider = GoogleBooksProvider;
  static constexpr std::string_view kName = "Google Books";
  static constexpr auto kAnswer = &test::FakeMetadataServerTest::AnswerGoogleBooks;
  static constexpr std::string_view kIsbn = kGoodOmens;
  static constexpr std::string_view kNoMatch = "google-books/volumes.no-match.json";
  static constexpr auto kAnswerSearch = &test::FakeMetadataServerTest::AnswerGoogleBooks;
  static constexpr std::string_view kSearchNone = "google-books/search.no-items.json";
  static constexpr std::array kUnexpectedShapes = {
      R"([1, 2, 3])",
      R"("just a string")",
      R"({"totalItems": 1, "items": {"volumeInfo": {}}})",
      R"({"totalItems": 1, "items": [42, "x", null]})",
      R"({"totalItems": 1, "items": [{"volumeInfo": {"title": 7, "authors": "Someone"}}]})",
      R"({"error": {"code": 500, "message": "oops"}})",
  };
};
INSTANTIATE_TYPED_TEST_SUITE_P(GoogleBooks, HttpMetadataProviderContract, GoogleBooksApi);

TEST_F(GoogleBooksTest, AFoundVolumeFillsEveryField) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json")));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(
      lookup.details,
      (BookDetails{
          .title = "Good Omens: The Nice and Accurate Prophecies of Agnes Nutter, Witch",
          .author = "Terry Pratchett, Neil Gaiman",
          .genre = "Fiction, Humor",
          .cover_image_url = "https://books.google.com/books/content?id=bkLibGoodOmens01&printsec=frontcover"
                             "&img=1&zoom=3&source=gbs_api",
          .description = "According to The Nice and Accurate Prophecies of Agnes Nutter, the world will end "
                         "on a Saturday.\n\nNext Saturday, in fact. Just before dinner & the news.",
          .publisher = "William Morrow",
          .published_date = "2006-11-28",
          .page_count = 432,
          .language = "en",
      }));
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, AsksForTheIsbnWithoutAKeyWhenNoneIsConfigured) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));

  LookUp(kGoodOmens);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->method, "GET");
  EXPECT_EQ(request->path, "/volumes");
  EXPECT_EQ(request->query, "q=isbn:9780060853983");
  EXPECT_EQ(request->Header("user-agent"), config_.user_agent);
}

TEST_F(GoogleBooksTest, AppendsTheApiKeyAndCountryWhenConfigured) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  config_.google_books_api_key = "AIza-key_with/odd+chars";
  config_.google_books_country = "US";

  LookUp(kGoodOmens);

  ASSERT_TRUE(server_.LastRequest().has_value());
  EXPECT_EQ(server_.LastRequest()->query, "q=isbn:9780060853983&key=AIza-key_with%2Fodd%2Bchars&country=US");
}

TEST_F(GoogleBooksTest, AJapaneseVolumeWithoutPublisherOrCategoriesIsFoundWithThoseLeftEmpty) {
  AnswerGoogleBooks(
      FakeResponse::Json(ReadFixture("google-books/volumes-9784101010137.ja-no-publisher.json")));

  const BookDetails book = LookUpFound(kKokoro);

  EXPECT_EQ(book.title, "こころ");
  EXPECT_EQ(book.author, "夏目漱石");
  EXPECT_EQ(book.publisher, "");
  EXPECT_EQ(book.genre, "");
  EXPECT_EQ(book.published_date, "2004-03");
  EXPECT_EQ(book.page_count, 326);
  EXPECT_EQ(book.language, "ja");
}

TEST_F(GoogleBooksTest, AnHttpCoverLinkIsRewrittenToHttps) {
  AnswerGoogleBooks(
      FakeResponse::Json(ReadFixture("google-books/volumes-9784101010137.ja-no-publisher.json")));

  const BookDetails book = LookUpFound(kKokoro);

  EXPECT_EQ(book.cover_image_url,
            "https://books.google.com/books/content?id=bkLibKokoro0001&printsec=frontcover&img=1&zoom=1"
            "&source=gbs_api");
}

TEST_F(GoogleBooksTest, AnEmptyItemsListMeansNotFound) {
  AnswerGoogleBooks(FakeResponse::Json(R"({"kind":"books#volumes","totalItems":0,"items":[]})"));

  EXPECT_EQ(LookUp(kGoodOmens).outcome, Outcome::kNotFound);
}

TEST_F(GoogleBooksTest, TheItemListingTheIsbnWinsOverAnotherEditionListedFirst) {
  AnswerGoogleBooks(
      FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.other-edition-first.json")));

  const BookDetails book = LookUpFound(kGoodOmens);

  EXPECT_EQ(book.publisher, "William Morrow");  // the item lists 0-06-085398-0, our ISBN-10
  EXPECT_EQ(book.page_count, 430);              // from printedPageCount
  EXPECT_EQ(book.published_date, "2006");
}

TEST_F(GoogleBooksTest, TheFirstItemIsUsedWhenNoItemListsTheIsbn) {
  AnswerGoogleBooks(FakeResponse::Json(R"({"totalItems":2,"items":[
      {"volumeInfo":{"title":"First","industryIdentifiers":[{"type":"ISBN_13","identifier":"9780425132159"}]}},
      {"volumeInfo":{"title":"Second"}}]})"));

  const BookDetails book = LookUpFound(kGoodOmens);

  EXPECT_EQ(book.title, "First");
}

TEST_F(GoogleBooksTest, RateLimitingIsTransientWithTheRetryAfterSeconds) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/error-429.rate-limit.json"), 429)
                        .WithHeader("Retry-After", "120"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 120s);
  EXPECT_TRUE(lookup.reason.starts_with("Google Books: HTTP 429: rateLimitExceeded: Quota exceeded"))
      << lookup.reason;
}

TEST_F(GoogleBooksTest, AServerErrorIsTransient) {
  AnswerGoogleBooks(FakeResponse::Text("backend error", 500));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason, "Google Books: HTTP 500");
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, ARetryAfterDateIsIgnoredButTheAnswerStaysTransient) {
  AnswerGoogleBooks(FakeResponse::Status(503).WithHeader("Retry-After", "Wed, 21 Oct 2026 07:28:00 GMT"));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(GoogleBooksTest, AnUnknownLocationRefusalIsTransientAndSaysWhy) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/error-403.unknown-location.json"), 403));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason,
            "Google Books: HTTP 403: unknownLocation: Cannot determine user location for geographically "
            "restricted operation.");
}

TEST_F(GoogleBooksTest, AnInvalidApiKeyIsTransientAndNamesTheKeyProblem) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/error-400.api-key-invalid.json"), 400));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_NE(lookup.reason.find("API_KEY_INVALID"), std::string::npos) << lookup.reason;
}

TEST_F(GoogleBooksTest, AnUnexpectedStatusIsMalformed) {
  AnswerGoogleBooks(FakeResponse::Text("no such endpoint", 404));

  const MetadataLookup lookup = LookUp(kGoodOmens);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_EQ(lookup.reason, "Google Books: HTTP 404");
}

TEST_F(GoogleBooksTest, FieldsOfTheWrongTypeAreLeftEmpty) {
  AnswerGoogleBooks(FakeResponse::Json(R"({"totalItems":1,"items":[{"volumeInfo":{
      "title": "Dune", "authors": "Frank Herbert", "categories": [1, "Fiction"], "pageCount": "412",
      "imageLinks": "none", "publisher": null}}]})"));

  const BookDetails book = LookUpFound(kGoodOmens);

  EXPECT_EQ(book.title, "Dune");
  EXPECT_EQ(book.author, "");
  EXPECT_EQ(book.genre, "Fiction");
  EXPECT_EQ(book.page_count, 0);
  EXPECT_EQ(book.cover_image_url, "");
  EXPECT_EQ(book.publisher, "");
}

// Searching by title or author.

TEST_F(GoogleBooksTest, ASearchSendsTheQueryUrlEncodedWithTheLimit) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/search.no-items.json")));
  config_.google_books_api_key = "k";

  Search("Pratchett & Gaiman: good/omens", 7);

  const auto request = server_.LastRequest();
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/volumes");
  EXPECT_EQ(request->query,
            "q=Pratchett%20%26%20Gaiman%3A%20good%2Fomens&maxResults=7&printType=books&key=k");
}

TEST_F(GoogleBooksTest, ASearchMapsEachTitledItemToACandidateWithItsIsbn) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/search.awkward-editions.json")));

  const MetadataSearch search = Search("children of time");

  ASSERT_EQ(search.outcome, Outcome::kFound) << search.reason;
  // The untitled item is skipped; the repeated ISBN is kept once.
  ASSERT_EQ(search.candidates.size(), 4u);
  const MetadataCandidate& first = search.candidates[0];
  EXPECT_EQ(first.provider, "Google Books");
  EXPECT_EQ(first.isbn13, "9780316452502");
  EXPECT_EQ(first.details.title, "Children of Time");
  EXPECT_EQ(first.details.author, "Adrian Tchaikovsky, Second Author");
  EXPECT_EQ(first.details.publisher, "Orbit");
  EXPECT_EQ(first.details.published_date, "2018-12-11");
  EXPECT_EQ(first.details.page_count, 600);
  EXPECT_EQ(first.details.description, "Spiders & people.");
  EXPECT_EQ(first.details.cover_image_url, "https://books.google.com/books/content?id=bkSearch0001&zoom=1");
}

TEST_F(GoogleBooksTest, ASearchConvertsAnIsbn10OnlyItemAndLeavesTheIsbnEmptyWithoutOne) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/search.awkward-editions.json")));

  const MetadataSearch search = Search("anything");

  ASSERT_EQ(search.candidates.size(), 4u);
  EXPECT_EQ(search.candidates[1].details.title, "Mort");
  EXPECT_EQ(search.candidates[1].isbn13, "9780552131063");  // from ISBN_10 0-552-13106-7
  EXPECT_EQ(search.candidates[2].details.title, "A pamphlet with no ISBN");
  EXPECT_EQ(search.candidates[2].isbn13, "");
  EXPECT_EQ(search.candidates[2].details.cover_image_url, "");
  EXPECT_EQ(search.candidates[3].details.title, "こころ: Kokoro");
  EXPECT_EQ(search.candidates[3].details.author, "夏目漱石");
  EXPECT_EQ(search.candidates[3].isbn13, std::string(kKokoro));
}

TEST_F(GoogleBooksTest, ASearchReturnsAtMostTheLimit) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/search.awkward-editions.json")));

  EXPECT_EQ(Search("anything", 2).candidates.size(), 2u);
}

TEST_F(GoogleBooksTest, ASearchWithoutItemsFindsNothing) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/search.no-items.json")));

  const MetadataSearch search = Search("no such book anywhere");

  EXPECT_EQ(search.outcome, Outcome::kNotFound);
  EXPECT_TRUE(search.candidates.empty());
}

TEST_F(GoogleBooksTest, ARateLimitedSearchIsTransientWithRetryAfterAndAServerErrorToo) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/error-429.rate-limit.json"), 429)
                        .WithHeader("Retry-After", "60"));
  const MetadataSearch limited = Search("dune");
  EXPECT_EQ(limited.outcome, Outcome::kTransient);
  ASSERT_TRUE(limited.retry_after.has_value());
  EXPECT_EQ(*limited.retry_after, 60s);

  AnswerGoogleBooks(FakeResponse::Text("backend error", 503));
  const MetadataSearch failed = Search("dune");
  EXPECT_EQ(failed.outcome, Outcome::kTransient);
  EXPECT_EQ(failed.reason, "Google Books: HTTP 503");
}

TEST_F(GoogleBooksTest, AnUnreadableSearchAnswerIsMalformed) {
  for (const char* body : {"<html>oops</html>", R"({"items": {"volumeInfo": {}}})", R"([1])",
                           R"({"items": [{"volumeInfo": {"authors": ["No title"]}}]})"}) {
    AnswerGoogleBooks(FakeResponse::Json(body));

    const MetadataSearch search = Search("dune");

    EXPECT_EQ(search.outcome, Outcome::kMalformed) << body;
    EXPECT_TRUE(search.reason.starts_with("Google Books: unreadable answer")) << search.reason;
  }
}

}  // namespace
}  // namespace booklib::metadata
