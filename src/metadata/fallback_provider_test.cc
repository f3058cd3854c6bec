// FallbackProvider: order of asking, and how the providers' answers combine into one outcome.
#include "metadata/fallback_provider.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "metadata/google_books.h"
#include "metadata/open_library.h"
#include "metadata/provider_chain.h"
#include "tests/support/metadata_testing.h"

namespace booklib::metadata {
namespace {

using namespace test::metadata_test_names;

class FallbackProviderTest : public ::testing::Test {
 protected:
  FallbackProviderTest() {
    auto google = std::make_unique<ScriptedMetadataProvider>("Google Books");
    auto open_library = std::make_unique<ScriptedMetadataProvider>("Open Library");
    google_ = google.get();
    open_library_ = open_library.get();
    std::vector<std::unique_ptr<MetadataProvider>> providers;
    providers.push_back(std::move(google));
    providers.push_back(std::move(open_library));
    fallback_ = std::make_unique<FallbackProvider>(std::move(providers));
  }

  ScriptedMetadataProvider* google_;
  ScriptedMetadataProvider* open_library_;
  std::unique_ptr<FallbackProvider> fallback_;
};

TEST_F(FallbackProviderTest, TheNameShowsTheOrderOfAsking) {
  EXPECT_EQ(fallback_->Name(), "Google Books, then Open Library");
}

TEST_F(FallbackProviderTest, AFindByTheFirstProviderIsReturnedWithoutAskingTheNext) {
  google_->AnswerAll(ScriptedMetadataProvider::Found("From Google"));
  open_library_->AnswerAll(ScriptedMetadataProvider::Found("From Open Library"));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  ASSERT_EQ(lookup.outcome, Outcome::kFound);
  EXPECT_EQ(lookup.details.title, "From Google");
  EXPECT_EQ(lookup.source, "Google Books");  // the details' provider, not the chain
  EXPECT_EQ(google_->Calls(), 1);
  EXPECT_EQ(open_library_->Calls(), 0);
}

TEST_F(FallbackProviderTest, WhenTheFirstHasNothingTheSecondIsAskedAndItsFindReturned) {
  open_library_->AnswerAll(ScriptedMetadataProvider::Found("From Open Library"));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  ASSERT_EQ(lookup.outcome, Outcome::kFound);
  EXPECT_EQ(lookup.details.title, "From Open Library");
  EXPECT_EQ(lookup.source, "Open Library");
  EXPECT_EQ(google_->Asked(), std::vector<std::string>{std::string(kHobbit)});
  EXPECT_EQ(open_library_->Asked(), std::vector<std::string>{std::string(kHobbit)});
}

TEST_F(FallbackProviderTest, AFindAfterATransientFailureIsStillAFind) {
  google_->AnswerAll(ScriptedMetadataProvider::Transient("Google Books: HTTP 429", 60s));
  open_library_->AnswerAll(ScriptedMetadataProvider::Found("From Open Library"));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kFound);
  EXPECT_FALSE(lookup.retry_after.has_value());
}

TEST_F(FallbackProviderTest, NotFoundAnywhereIsNotFoundNamingEveryProvider) {
  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kNotFound);
  EXPECT_EQ(lookup.reason, "not found in Google Books or Open Library");
}

TEST_F(FallbackProviderTest, ATransientFailureWithoutAFindIsTransientSoTheBookIsRetried) {
  google_->AnswerAll(ScriptedMetadataProvider::Transient("Google Books: HTTP 503"));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  EXPECT_EQ(lookup.reason, "Google Books: HTTP 503; not found in Open Library");
}

TEST_F(FallbackProviderTest, TheLongestRetryAfterOfTheTransientFailuresIsKept) {
  google_->AnswerAll(ScriptedMetadataProvider::Transient("Google Books: HTTP 429", 30s));
  open_library_->AnswerAll(ScriptedMetadataProvider::Transient("Open Library: HTTP 503", 120s));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 120s);
}

TEST_F(FallbackProviderTest, TransientWinsOverMalformedBecauseARetryMayStillFindTheBook) {
  google_->AnswerAll(ScriptedMetadataProvider::Malformed("Google Books: unreadable answer (not JSON)"));
  open_library_->AnswerAll(ScriptedMetadataProvider::Transient("Open Library: timed out"));

  EXPECT_EQ(fallback_->Lookup(kHobbit).outcome, Outcome::kTransient);
}

TEST_F(FallbackProviderTest, MalformedFromOneAndNotFoundFromTheOtherIsMalformedWithTheReason) {
  google_->AnswerAll(ScriptedMetadataProvider::Malformed("Google Books: unreadable answer (not JSON)"));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kMalformed);
  EXPECT_EQ(lookup.reason, "Google Books: unreadable answer (not JSON); not found in Open Library");
}

// The real adapters, both served by one fake server, in the order the worker uses them.
class FallbackOverHttpTest : public test::FakeMetadataServerTest {
 protected:
  FallbackOverHttpTest() {
    std::vector<std::unique_ptr<MetadataProvider>> providers;
    providers.push_back(std::make_unique<GoogleBooksProvider>(config_));
    providers.push_back(std::make_unique<OpenLibraryProvider>(config_));
    fallback_ = std::make_unique<FallbackProvider>(std::move(providers));
  }

  std::unique_ptr<FallbackProvider> fallback_;
};

TEST_F(FallbackOverHttpTest, ABookGoogleLacksIsFoundInOpenLibrary) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9780261102217.found.json")));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  ASSERT_EQ(lookup.outcome, Outcome::kFound) << lookup.reason;
  EXPECT_EQ(lookup.details.title, "The Hobbit: or There and Back Again");
  EXPECT_EQ(server_.RequestCount("/volumes"), 1);
  EXPECT_EQ(server_.RequestCount("/api/books"), 1);
  EXPECT_EQ(server_.Requests().front().path, "/volumes");  // Google first
}

TEST_F(FallbackOverHttpTest, AGoogleFindCostsNoOpenLibraryRequest) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json")));

  const MetadataLookup lookup = fallback_->Lookup("9780060853983");

  EXPECT_EQ(lookup.outcome, Outcome::kFound);
  EXPECT_EQ(server_.RequestCount("/api/books"), 0);
}

TEST_F(FallbackOverHttpTest, GoogleRateLimitedAndOpenLibraryWithoutTheBookIsTransient) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/error-429.rate-limit.json"), 429)
                        .WithHeader("Retry-After", "90"));
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books.unknown.json")));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kTransient);
  ASSERT_TRUE(lookup.retry_after.has_value());
  EXPECT_EQ(*lookup.retry_after, 90s);
}

TEST_F(FallbackOverHttpTest, NeitherHavingTheBookIsNotFound) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books.unknown.json")));

  const MetadataLookup lookup = fallback_->Lookup(kHobbit);

  EXPECT_EQ(lookup.outcome, Outcome::kNotFound);
  EXPECT_EQ(lookup.reason, "not found in Google Books or Open Library");
}

// Searching.

MetadataCandidate Candidate(std::string title, std::string isbn13 = "") {
  MetadataCandidate candidate;
  candidate.details.title = std::move(title);
  candidate.isbn13 = std::move(isbn13);
  return candidate;
}

TEST_F(FallbackProviderTest, ASearchFoundByGoogleIsReturnedWithoutAskingOpenLibrary) {
  google_->AnswerAllSearches(google_->FoundSearch({Candidate("Dune", "9780441172719")}));
  open_library_->AnswerAllSearches(open_library_->FoundSearch({Candidate("Dune (OL)")}));

  const MetadataSearch search = fallback_->Search("dune", 10);

  ASSERT_EQ(search.outcome, Outcome::kFound);
  ASSERT_EQ(search.candidates.size(), 1u);
  EXPECT_EQ(search.candidates[0].details.title, "Dune");
  EXPECT_EQ(search.candidates[0].provider, "Google Books");
  EXPECT_EQ(google_->Searched(), (std::vector<std::pair<std::string, int>>{{"dune", 10}}));
  EXPECT_TRUE(open_library_->Searched().empty());
}

TEST_F(FallbackProviderTest, ASearchGoogleFailsOrFindsNothingIsAskedOfOpenLibrary) {
  open_library_->AnswerAllSearches(open_library_->FoundSearch({Candidate("Dune (OL)")}));
  for (const MetadataSearch& google_answer :
       {ScriptedMetadataProvider::FailedSearch(Outcome::kNotFound, "nothing found in Google Books"),
        ScriptedMetadataProvider::FailedSearch(Outcome::kTransient, "Google Books: HTTP 429"),
        ScriptedMetadataProvider::FailedSearch(Outcome::kMalformed, "Google Books: unreadable answer (x)")}) {
    google_->AnswerAllSearches(google_answer);

    const MetadataSearch search = fallback_->Search("dune", 10);

    ASSERT_EQ(search.outcome, Outcome::kFound) << google_answer.reason;
    EXPECT_EQ(search.candidates.at(0).provider, "Open Library");
  }
}

TEST_F(FallbackProviderTest, ASearchNobodyAnswersIsTransientAndOneNobodyHasIsNotFound) {
  google_->AnswerAllSearches(
      ScriptedMetadataProvider::FailedSearch(Outcome::kTransient, "Google Books: HTTP 503"));
  const MetadataSearch transient = fallback_->Search("dune", 10);
  EXPECT_EQ(transient.outcome, Outcome::kTransient);
  EXPECT_EQ(transient.reason, "Google Books: HTTP 503; nothing found in Open Library");

  google_->AnswerAllSearches(
      ScriptedMetadataProvider::FailedSearch(Outcome::kNotFound, "nothing found in Google Books"));
  const MetadataSearch none = fallback_->Search("dune", 10);
  EXPECT_EQ(none.outcome, Outcome::kNotFound);
  EXPECT_EQ(none.reason, "nothing found in Google Books or Open Library");
}

// The production chain (cache -> Google Books -> Open Library) over the fake server.
using ProviderChainSearchTest = test::FakeMetadataServerTest;

TEST_F(ProviderChainSearchTest, GoogleFailingMakesTheChainSearchOpenLibraryEveryTimeNothingCached) {
  AnswerGoogleBooks(FakeResponse::Text("backend error", 500));
  AnswerOpenLibrarySearch(FakeResponse::Json(ReadFixture("open-library/search.awkward-works.json")));
  ManualClock clock;
  const auto chain = MakeProviderChain(config_, clock);

  for (int i = 0; i < 2; ++i) {
    const MetadataSearch search = chain->Search("time war", 10);
    ASSERT_EQ(search.outcome, Outcome::kFound) << search.reason;
    EXPECT_EQ(search.candidates.at(0).provider, "Open Library");
  }
  EXPECT_EQ(server_.RequestCount("/volumes"), 2);  // searches are passed through, never cached
  EXPECT_EQ(server_.RequestCount("/search.json"), 2);
}

}  // namespace
}  // namespace booklib::metadata
