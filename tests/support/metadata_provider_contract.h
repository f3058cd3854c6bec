// Test-only: what every HTTP adapter of the Metadata port does with answers that are no use, as tests
// shared by the adapters. Include in an adapter's test file and instantiate there, in namespace
// booklib::metadata, with a description of the adapter:
//   INSTANTIATE_TYPED_TEST_SUITE_P(GoogleBooks, HttpMetadataProviderContract, GoogleBooksApi);
// where GoogleBooksApi names the adapter and how the fake server plays its API:
//   using Provider = GoogleBooksProvider;
//   static constexpr std::string_view kName = "Google Books";  // begins the adapter's failure reasons
//   static constexpr auto kAnswer = &test::FakeMetadataServerTest::AnswerGoogleBooks;
//   static constexpr std::string_view kIsbn = kGoodOmens;  // what the tests look up
//   static constexpr std::string_view kNoMatch = "google-books/volumes.no-match.json";  // lists no book
//   static constexpr std::array kUnexpectedShapes = {...};  // JSON that is no answer of this API
//   static constexpr auto kAnswerSearch = &test::FakeMetadataServerTest::AnswerGoogleBooks;  // its search
//   static constexpr std::string_view kSearchNone = "google-books/search.no-items.json";  // finds nothing
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "tests/support/metadata_testing.h"

namespace booklib::metadata {

template <typename Api>
class HttpMetadataProviderContract : public test::MetadataProviderTest<typename Api::Provider> {
 protected:
  // The fake API answers every lookup with `response`.
  void Answer(test::FakeResponse response) { (this->*Api::kAnswer)(std::move(response)); }

  // The fake API answers every search with `response`.
  void AnswerSearch(test::FakeResponse response) { (this->*Api::kAnswerSearch)(std::move(response)); }

  MetadataSearch Search() { return test::MetadataProviderTest<typename Api::Provider>::Search("good omens"); }

  MetadataLookup LookUp() { return test::MetadataProviderTest<typename Api::Provider>::LookUp(Api::kIsbn); }

  // Api::kName followed by `rest`: how the adapter's failure reasons read.
  static std::string Reason(std::string_view rest) { return std::string(Api::kName) + std::string(rest); }
};

TYPED_TEST_SUITE_P(HttpMetadataProviderContract);

TYPED_TEST_P(HttpMetadataProviderContract, AnAnswerListingNoBookMeansNotFound) {
  this->Answer(test::FakeResponse::Json(test::ReadFixture(TypeParam::kNoMatch)));

  const MetadataLookup lookup = this->LookUp();

  EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kNotFound);
  EXPECT_EQ(lookup.reason, "not found in " + std::string(TypeParam::kName));
}

TYPED_TEST_P(HttpMetadataProviderContract, AGarbageBodyIsMalformed) {
  for (const char* garbage :
       {"<html><body>Sorry...</body></html>", "<!DOCTYPE html><title>Maintenance</title>"}) {
    this->Answer(test::FakeResponse::Text(garbage));

    const MetadataLookup lookup = this->LookUp();

    EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kMalformed) << garbage;
    EXPECT_EQ(lookup.reason, this->Reason(": unreadable answer (not JSON)")) << garbage;
  }
}

TYPED_TEST_P(HttpMetadataProviderContract, UnexpectedJsonShapesAreMalformedNeverACrash) {
  for (const char* shape : TypeParam::kUnexpectedShapes) {
    this->Answer(test::FakeResponse::Json(shape));

    const MetadataLookup lookup = this->LookUp();

    EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kMalformed) << shape;
    EXPECT_FALSE(lookup.reason.empty()) << shape;
  }
}

TYPED_TEST_P(HttpMetadataProviderContract, AnOversizeBodyIsMalformedNotACrash) {
  this->Answer(test::FakeResponse::Oversize(1024 * 1024));
  this->config_.max_response_bytes = 16 * 1024;

  const MetadataLookup lookup = this->LookUp();

  EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kMalformed);
  EXPECT_NE(lookup.reason.find("exceeds 16384 bytes"), std::string::npos) << lookup.reason;
}

TYPED_TEST_P(HttpMetadataProviderContract, AServerThatNeverAnswersIsTransientWithinTheTotalTimeout) {
  this->Answer(test::FakeResponse::Hang());
  this->config_.total_timeout = std::chrono::milliseconds(300);

  const auto started = std::chrono::steady_clock::now();
  const MetadataLookup lookup = this->LookUp();
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(lookup.outcome, MetadataLookup::Outcome::kTransient);
  EXPECT_TRUE(lookup.reason.starts_with(this->Reason(": timed out after 300 ms"))) << lookup.reason;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TYPED_TEST_P(HttpMetadataProviderContract, ARefusedConnectionIsTransient) {
  this->server_.Stop();  // nothing listens at the configured base URL any more

  EXPECT_EQ(this->LookUp().outcome, MetadataLookup::Outcome::kTransient);
}

TYPED_TEST_P(HttpMetadataProviderContract, ASearchFindingNothingIsNotFound) {
  this->AnswerSearch(test::FakeResponse::Json(test::ReadFixture(TypeParam::kSearchNone)));

  const MetadataSearch search = this->Search();

  EXPECT_EQ(search.outcome, MetadataLookup::Outcome::kNotFound);
  EXPECT_TRUE(search.candidates.empty());
}

TYPED_TEST_P(HttpMetadataProviderContract, ASearchAnsweredWithGarbageIsMalformed) {
  this->AnswerSearch(test::FakeResponse::Text("<html><body>Sorry...</body></html>"));

  const MetadataSearch search = this->Search();

  EXPECT_EQ(search.outcome, MetadataLookup::Outcome::kMalformed);
  EXPECT_EQ(search.reason, this->Reason(": unreadable answer (not JSON)"));
}

TYPED_TEST_P(HttpMetadataProviderContract, ARateLimitedOrFailingSearchIsTransient) {
  this->AnswerSearch(test::FakeResponse::Text("slow down", 429).WithHeader("Retry-After", "7"));
  const MetadataSearch limited = this->Search();
  EXPECT_EQ(limited.outcome, MetadataLookup::Outcome::kTransient);
  ASSERT_TRUE(limited.retry_after.has_value());
  EXPECT_EQ(*limited.retry_after, std::chrono::seconds(7));

  this->AnswerSearch(test::FakeResponse::Text("oops", 502));
  EXPECT_EQ(this->Search().outcome, MetadataLookup::Outcome::kTransient);

  this->server_.Stop();
  EXPECT_EQ(this->Search().outcome, MetadataLookup::Outcome::kTransient);
}

REGISTER_TYPED_TEST_SUITE_P(HttpMetadataProviderContract, ASearchFindingNothingIsNotFound,
                            ASearchAnsweredWithGarbageIsMalformed, ARateLimitedOrFailingSearchIsTransient,
                            AnAnswerListingNoBookMeansNotFound, AGarbageBodyIsMalformed,
                            UnexpectedJsonShapesAreMalformedNeverACrash, AnOversizeBodyIsMalformedNotACrash,
                            AServerThatNeverAnswersIsTransientWithinTheTotalTimeout,
                            ARefusedConnectionIsTransient);

}  // namespace booklib::metadata
