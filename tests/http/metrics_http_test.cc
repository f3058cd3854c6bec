// GET /metrics over real HTTP: who may read it, and that requests, queue depth, logins and metadata
// lookups show up in it as a Prometheus scraper reads them.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/http/provider_fixtures.h"
#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/prometheus_text.h"

namespace booklib::test {
namespace {

using std::chrono::milliseconds;
using testing::ParsePrometheusSamples;
using testing::PrometheusSample;

std::string Scrape(Browser& scraper) {
  const Page page = scraper.Get("/metrics");
  EXPECT_EQ(page.status, 200) << page.body;
  return page.body;
}

TEST(MetricsHttpTest, MetricsAreNotServedUnlessEnabled) {
  TestApp app;
  Browser scraper(app.BaseUrl());
  const Page page = scraper.Get("/metrics");
  EXPECT_EQ(page.status, 404);
  EXPECT_FALSE(Contains(page.body, "booklib_"));
}

TEST(MetricsHttpTest, ALoopbackScraperReadsPrometheusTextWithoutAToken) {
  TestApp app({.metrics = true});
  Browser scraper(app.BaseUrl());
  const Page page = scraper.Get("/metrics");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(Contains(page.body, "# TYPE booklib_http_requests_total counter\n")) << page.body;
  EXPECT_TRUE(Contains(page.body, "# TYPE booklib_http_request_duration_seconds histogram\n"));
  EXPECT_TRUE(page.Header("set-cookie").empty());  // kPublic: no session, no cookie
}

TEST(MetricsHttpTest, BehindAProxyOnlyTheBearerTokenAdmitsAScraper) {
  TestApp app({.trust_proxy = true, .metrics = true, .metrics_token = "scrape-secret-0123456789"});
  Browser scraper(app.BaseUrl());
  const Page anonymous = scraper.Get("/metrics");  // from loopback, as every client behind the proxy
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.Header("www-authenticate"), "Bearer realm=\"booklib metrics\"");
  EXPECT_FALSE(Contains(anonymous.body, "booklib_http"));
  EXPECT_EQ(scraper.Get("/metrics", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(scraper.Get("/metrics", {{"Authorization", "scrape-secret-0123456789"}}).status, 401);
  const Page admitted = scraper.Get("/metrics", {{"Authorization", "Bearer scrape-secret-0123456789"}});
  EXPECT_EQ(admitted.status, 200);
  EXPECT_TRUE(Contains(admitted.body, "booklib_http_requests_total"));
}

TEST(MetricsHttpTest, RequestsAreCountedByRoutePatternAndStatusNeverByRawPath) {
  TestApp app({.metrics = true});
  Browser reader(app.BaseUrl());
  reader.SignUpAndLogIn("counted");
  const std::string edit =
      "booklib_http_requests_total{method=\"GET\",route=\"/edit_book/{id}\",status=\"404\"}";
  const std::string unmatched =
      "booklib_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}";
  const std::string latency =
      "booklib_http_request_duration_seconds_count{method=\"GET\",route=\"/edit_book/{id}\"}";
  const std::string before = Scrape(reader);
  EXPECT_EQ(reader.Get("/edit_book/no-such-book-1").status, 404);
  EXPECT_EQ(reader.Get("/edit_book/no-such-book-2").status, 404);
  EXPECT_EQ(reader.Get("/no/such/page/9f8e7d").status, 404);
  const std::string after = Scrape(reader);
  EXPECT_EQ(PrometheusSample(after, edit) - PrometheusSample(before, edit), 2) << after;
  EXPECT_EQ(PrometheusSample(after, latency) - PrometheusSample(before, latency), 2);
  EXPECT_EQ(PrometheusSample(after, unmatched) - PrometheusSample(before, unmatched), 1);
  EXPECT_FALSE(Contains(after, "no-such-book")) << "a raw path became a label";
  EXPECT_FALSE(Contains(after, "9f8e7d")) << "a raw path became a label";
  // The +Inf bucket of every histogram series equals its count.
  const auto samples = ParsePrometheusSamples(after);
  EXPECT_EQ(
      samples.at("booklib_http_request_duration_seconds_bucket{method=\"GET\",route=\"/edit_book/{id}\","
                 "le=\"+Inf\"}"),
      samples.at(latency));
}

TEST(MetricsHttpTest, QueueDepthShowsAPendingBooksMessage) {
  TestApp app({.metrics = true});  // no workers: the message waits
  Browser reader(app.BaseUrl());
  reader.SignUpAndLogIn("queued");
  ASSERT_EQ(reader.PostForm("/add_book", {{"isbn", "9780261102385"}}).status, 303);
  const auto samples = ParsePrometheusSamples(Scrape(reader));
  EXPECT_EQ(samples.at("booklib_queue_messages{state=\"visible\"}"), 1);
  EXPECT_EQ(samples.at("booklib_queue_messages{state=\"in_flight\"}"), 0);
  EXPECT_EQ(samples.at("booklib_queue_messages{state=\"dead_letter\"}"), 0);
}

TEST(MetricsHttpTest, ThrottledLoginsAreCountedByTheirScope) {
  TestApp app({.metrics = true});
  Browser attacker(app.BaseUrl());
  attacker.Get("/login");
  const std::string series = "booklib_login_throttled_total{scope=\"address\"}";
  const double before = PrometheusSample(Scrape(attacker), series);
  Page refused;
  for (int attempt = 0; attempt < 8 && refused.status != 429; ++attempt)
    refused = attacker.PostForm(
        "/login", {{"email", "nobody@example.com"}, {"password", "guess-" + std::to_string(attempt)}});
  ASSERT_EQ(refused.status, 429);
  EXPECT_EQ(PrometheusSample(Scrape(attacker), series) - before, 1);
}

TEST(MetricsHttpTest, SyncOutcomesAndProviderLatencyAreCountedPerProvider) {
  FakeHttpServer provider;
  provider.Handle("/books/v1/volumes", [](const FakeRequest&) {
    return FakeResponse::Json(GoogleVolume("9781782276340", "Counted"));
  });
  TestApp app({.workers = 1, .metadata_base_url = provider.BaseUrl(), .metrics = true});
  Browser reader(app.BaseUrl());
  reader.SignUpAndLogIn("synced");
  const std::string synced = "booklib_metadata_sync_total{outcome=\"synced\"}";
  const std::string lookups = "booklib_metadata_provider_duration_seconds_count{provider=\"google_books\"}";
  const std::string found =
      "booklib_metadata_provider_lookups_total{provider=\"google_books\",outcome=\"found\"}";
  const std::string before = Scrape(reader);
  ASSERT_EQ(reader.PostForm("/add_book", {{"isbn", "9781782276340"}}).status, 303);
  std::string after;
  ASSERT_TRUE(WaitFor([&] {
    after = Scrape(reader);
    return PrometheusSample(after, synced) > PrometheusSample(before, synced);
  })) << after;
  EXPECT_EQ(PrometheusSample(after, synced) - PrometheusSample(before, synced), 1);
  EXPECT_EQ(PrometheusSample(after, lookups) - PrometheusSample(before, lookups), 1);
  EXPECT_EQ(PrometheusSample(after, found) - PrometheusSample(before, found), 1);
}

}  // namespace
}  // namespace booklib::test
