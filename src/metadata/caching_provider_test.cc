// CachingProvider: what is remembered, for how long, how much, and single flight under concurrency.
#include "metadata/caching_provider.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "metadata/google_books.h"
#include "metadata/provider_chain.h"
#include "tests/support/metadata_testing.h"

namespace booklib::metadata {
namespace {

using namespace test::metadata_test_names;

// The real Google Books adapter behind the cache, so the fake server counts upstream requests.
class CachingProviderTest : public test::FakeMetadataServerTest {
 protected:
  CachingProviderTest() { config_.total_timeout = 5s; }

  std::unique_ptr<CachingProvider> MakeCache(CacheOptions options = {}) {
    return std::make_unique<CachingProvider>(std::make_unique<GoogleBooksProvider>(config_), clock_, options);
  }

  void AnswerFound() {
    AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json")));
  }

  ManualClock clock_;
};

TEST_F(CachingProviderTest, ARememberedFindCostsNoSecondRequest) {
  AnswerFound();
  const auto cache = MakeCache();

  const MetadataLookup first = cache->Lookup(kGoodOmens);
  const MetadataLookup second = cache->Lookup(kGoodOmens);

  ASSERT_EQ(first.outcome, Outcome::kFound) << first.reason;
  EXPECT_EQ(second.outcome, Outcome::kFound);
  EXPECT_EQ(second.details, first.details);
  EXPECT_EQ(server_.RequestCount("/volumes"), 1);
}

TEST_F(CachingProviderTest, ARememberedNotFoundCostsNoSecondRequest) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  const auto cache = MakeCache();

  cache->Lookup(kGoodOmens);
  const MetadataLookup second = cache->Lookup(kGoodOmens);

  EXPECT_EQ(second.outcome, Outcome::kNotFound);
  EXPECT_EQ(second.reason, "not found in Google Books");
  EXPECT_EQ(server_.RequestCount("/volumes"), 1);
}

TEST_F(CachingProviderTest, ATransientFailureIsNotRememberedSoTheRetryAsksAgain) {
  server_.RespondInOrder("/volumes",
                         {FakeResponse::Status(503),
                          FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json"))});
  const auto cache = MakeCache();

  const MetadataLookup first = cache->Lookup(kGoodOmens);
  const MetadataLookup retry = cache->Lookup(kGoodOmens);

  EXPECT_EQ(first.outcome, Outcome::kTransient);
  EXPECT_EQ(retry.outcome, Outcome::kFound);
  EXPECT_EQ(server_.RequestCount("/volumes"), 2);
}

TEST_F(CachingProviderTest, AMalformedAnswerIsNotRemembered) {
  AnswerGoogleBooks(FakeResponse::Text("garbage"));
  const auto cache = MakeCache();

  cache->Lookup(kGoodOmens);
  const MetadataLookup second = cache->Lookup(kGoodOmens);

  EXPECT_EQ(second.outcome, Outcome::kMalformed);
  EXPECT_EQ(server_.RequestCount("/volumes"), 2);
  EXPECT_EQ(cache->Size(), 0u);
}

TEST_F(CachingProviderTest, AFindIsAskedForAgainOnceItsTimeToLiveHasPassed) {
  AnswerFound();
  const auto cache = MakeCache({.capacity = 10, .found_ttl = 1h, .not_found_ttl = 1min});

  cache->Lookup(kGoodOmens);
  clock_.Advance(59min);
  cache->Lookup(kGoodOmens);
  EXPECT_EQ(server_.RequestCount("/volumes"), 1);
  clock_.Advance(1min);
  cache->Lookup(kGoodOmens);

  EXPECT_EQ(server_.RequestCount("/volumes"), 2);
}

TEST_F(CachingProviderTest, ANotFoundExpiresByItsOwnShorterTimeToLive) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  const auto cache = MakeCache({.capacity = 10, .found_ttl = 24h, .not_found_ttl = 10min});

  cache->Lookup(kGoodOmens);
  clock_.Advance(10min);
  cache->Lookup(kGoodOmens);

  EXPECT_EQ(server_.RequestCount("/volumes"), 2);
}

TEST_F(CachingProviderTest, ConcurrentLookupsOfOneIsbnCostOneUpstreamRequest) {
  AnswerGoogleBooks(
      FakeResponse::Json(ReadFixture("google-books/volumes-9780060853983.found.json")).WithDelay(300ms));
  const auto cache = MakeCache();
  constexpr int kWorkers = 20;

  std::vector<std::future<MetadataLookup>> lookups;
  for (int i = 0; i < kWorkers; ++i) {
    lookups.push_back(std::async(std::launch::async, [&cache] { return cache->Lookup(kGoodOmens); }));
  }
  for (auto& lookup : lookups) {
    const MetadataLookup result = lookup.get();
    EXPECT_EQ(result.outcome, Outcome::kFound) << result.reason;
    EXPECT_EQ(result.details.publisher, "William Morrow");
  }

  EXPECT_EQ(server_.RequestCount("/volumes"), 1);
}

TEST_F(CachingProviderTest, ConcurrentLookupsOfDifferentIsbnsDoNotWaitForEachOther) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")).WithDelay(400ms));
  const auto cache = MakeCache();
  const std::vector<std::string> isbns = {"9780060853983", "9780261102217", "9782070360024", "9784101010137",
                                          "9781782276340"};

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::future<MetadataLookup>> lookups;
  for (const std::string& isbn : isbns) {
    lookups.push_back(std::async(std::launch::async, [&cache, isbn] { return cache->Lookup(isbn); }));
  }
  for (auto& lookup : lookups) EXPECT_EQ(lookup.get().outcome, Outcome::kNotFound);

  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);  // one after another would be 2 s
  EXPECT_EQ(server_.RequestCount("/volumes"), 5);
}

// Eviction, counted with a scripted upstream.
class CachingCapacityTest : public ::testing::Test {
 protected:
  CachingCapacityTest() {
    auto upstream = std::make_unique<ScriptedMetadataProvider>("Scripted");
    upstream->AnswerAll(ScriptedMetadataProvider::Found("Some Book"));
    upstream_ = upstream.get();
    cache_ = std::make_unique<CachingProvider>(
        std::move(upstream), clock_, CacheOptions{.capacity = 2, .found_ttl = 1h, .not_found_ttl = 1h});
  }

  ManualClock clock_;
  ScriptedMetadataProvider* upstream_;
  std::unique_ptr<CachingProvider> cache_;
};

TEST_F(CachingCapacityTest, TheLeastRecentlyUsedIsbnIsForgottenFirstWhenFull) {
  cache_->Lookup("A");
  cache_->Lookup("B");
  cache_->Lookup("A");  // A is now more recent than B
  cache_->Lookup("C");  // full: B goes

  EXPECT_EQ(cache_->Size(), 2u);
  cache_->Lookup("A");
  cache_->Lookup("C");
  EXPECT_EQ(upstream_->Calls(), 3);
  cache_->Lookup("B");
  EXPECT_EQ(upstream_->Calls(), 4);
}

TEST_F(CachingCapacityTest, TheCacheTakesTheUpstreamName) { EXPECT_EQ(cache_->Name(), "Scripted"); }

using ProviderChainTest = test::FakeMetadataServerTest;

TEST_F(ProviderChainTest, TheDefaultChainFallsBackToOpenLibraryAndRemembersTheFind) {
  AnswerGoogleBooks(FakeResponse::Json(ReadFixture("google-books/volumes.no-match.json")));
  AnswerOpenLibrary(FakeResponse::Json(ReadFixture("open-library/books-9780261102217.found.json")));
  ManualClock clock;
  const auto chain = MakeProviderChain(config_, clock);

  const MetadataLookup first = chain->Lookup("9780261102217");
  const MetadataLookup second = chain->Lookup("9780261102217");

  ASSERT_EQ(first.outcome, Outcome::kFound) << first.reason;
  EXPECT_EQ(second.details.author, "J.R.R. Tolkien");
  EXPECT_EQ(server_.TotalRequestCount(), 2);  // one to each provider, none for the second lookup
  EXPECT_EQ(chain->Name(), "Google Books, then Open Library");
}

}  // namespace
}  // namespace booklib::metadata
