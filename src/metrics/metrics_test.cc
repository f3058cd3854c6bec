// The Prometheus text of each metric type, label escaping, registration rules and concurrent updates.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

#include "tests/support/prometheus_text.h"

namespace booklib::metrics {
namespace {

using testing::ParsePrometheusSamples;

TEST(MetricsTextTest, ACounterWithLabelsRendersHelpTypeAndOneLinePerLabelCombination) {
  Registry registry;
  auto& requests = registry.AddCounter("booklib_requests_total", "Requests answered.", {"route", "status"});
  requests.WithLabels({"/books", "200"}).Increment();
  requests.WithLabels({"/books", "200"}).Increment(2);
  requests.WithLabels({"/edit_book/{id}", "404"}).Increment();
  EXPECT_EQ(registry.RenderText(),
            "# HELP booklib_requests_total Requests answered.\n"
            "# TYPE booklib_requests_total counter\n"
            "booklib_requests_total{route=\"/books\",status=\"200\"} 3\n"
            "booklib_requests_total{route=\"/edit_book/{id}\",status=\"404\"} 1\n");
}

TEST(MetricsTextTest, AMetricWithoutLabelsIsRenderedAtZeroBeforeItsFirstUpdate) {
  Registry registry;
  registry.AddCounter("booklib_throttled_total", "Throttled.");
  registry.AddGauge("booklib_temperature", "Degrees.");
  EXPECT_EQ(registry.RenderText(),
            "# HELP booklib_temperature Degrees.\n"
            "# TYPE booklib_temperature gauge\n"
            "booklib_temperature 0\n"
            "# HELP booklib_throttled_total Throttled.\n"
            "# TYPE booklib_throttled_total counter\n"
            "booklib_throttled_total 0\n");
}

TEST(MetricsTextTest, LabelValuesEscapeBackslashQuoteAndNewlineAndHelpEscapesBackslashAndNewline) {
  Registry registry;
  registry.AddGauge("g", "line one\nback\\slash \"quoted\"", {"v"}).WithLabels({"a\\b\"c\nd"}).Set(1.5);
  EXPECT_EQ(registry.RenderText(),
            "# HELP g line one\\nback\\\\slash \"quoted\"\n"
            "# TYPE g gauge\n"
            "g{v=\"a\\\\b\\\"c\\nd\"} 1.5\n");
}

TEST(MetricsTextTest, AHistogramHasCumulativeBucketsEndingInPlusInfThenSumAndCount) {
  Registry registry;
  const double bounds[] = {0.125, 0.5, 1};
  auto& latency = registry.AddHistogram("lookup_seconds", "Lookup time.", {"provider"}, bounds);
  auto& google = latency.WithLabels({"google_books"});
  google.Observe(0.0625);
  google.Observe(0.125);  // on a bound: counted in that bucket ("le")
  google.Observe(0.75);
  google.Observe(3);
  EXPECT_EQ(registry.RenderText(),
            "# HELP lookup_seconds Lookup time.\n"
            "# TYPE lookup_seconds histogram\n"
            "lookup_seconds_bucket{provider=\"google_books\",le=\"0.125\"} 2\n"
            "lookup_seconds_bucket{provider=\"google_books\",le=\"0.5\"} 2\n"
            "lookup_seconds_bucket{provider=\"google_books\",le=\"1\"} 3\n"
            "lookup_seconds_bucket{provider=\"google_books\",le=\"+Inf\"} 4\n"
            "lookup_seconds_sum{provider=\"google_books\"} 3.9375\n"
            "lookup_seconds_count{provider=\"google_books\"} 4\n");
}

TEST(MetricsTextTest, AHistogramWithoutLabelsPutsOnlyLeInItsBuckets) {
  Registry registry;
  const double bounds[] = {1};
  registry.AddHistogram("h", "H.", {}, bounds).WithLabels({}).Observe(2);
  const auto samples = ParsePrometheusSamples(registry.RenderText());
  EXPECT_EQ(samples.at("h_bucket{le=\"1\"}"), 0);
  EXPECT_EQ(samples.at("h_bucket{le=\"+Inf\"}"), 1);
  EXPECT_EQ(samples.at("h_sum"), 2);
  EXPECT_EQ(samples.at("h_count"), 1);
}

TEST(MetricsTextTest, ValuesAreWrittenAsPrometheusReadsThem) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(42), "42");
  EXPECT_EQ(FormatValue(-3), "-3");
  EXPECT_EQ(FormatValue(0.25), "0.25");
  EXPECT_EQ(FormatValue(0.0025), "0.0025");
  EXPECT_EQ(FormatValue(1e20), "1e+20");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
}

TEST(MetricsTextTest, FamiliesAreSortedByName) {
  Registry registry;
  registry.AddCounter("zz_total", "Z.");
  registry.AddCounter("aa_total", "A.");
  const std::string text = registry.RenderText();
  EXPECT_LT(text.find("aa_total"), text.find("zz_total"));
}

TEST(MetricsRegistryTest, RegisteringTheSameNameAgainReturnsTheSameFamily) {
  Registry registry;
  auto& first = registry.AddCounter("c_total", "C.", {"a"});
  auto& second = registry.AddCounter("c_total", "C.", {"a"});
  EXPECT_EQ(&first, &second);
  first.WithLabels({"x"}).Increment();
  EXPECT_EQ(second.WithLabels({"x"}).Value(), 1);
}

TEST(MetricsRegistryTest, BadNamesClashesAndWrongLabelCountsAreRefused) {
  Registry registry;
  const double bounds[] = {1};
  EXPECT_THROW(registry.AddCounter("9lives", "Bad."), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("has space", "Bad."), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("ok_total", "Bad label.", {"bad-label"}), std::invalid_argument);
  EXPECT_THROW(registry.AddHistogram("h", "le is reserved.", {"le"}, bounds), std::invalid_argument);
  const double unordered[] = {2, 1};
  EXPECT_THROW(registry.AddHistogram("h2", "Unordered.", {}, unordered), std::invalid_argument);
  auto& counter = registry.AddCounter("taken", "A counter.", {"a"});
  EXPECT_THROW(registry.AddGauge("taken", "Now a gauge.", {"a"}), std::invalid_argument);
  EXPECT_THROW(registry.AddCounter("taken", "Other labels.", {"b"}), std::invalid_argument);
  EXPECT_THROW(counter.WithLabels({"x", "y"}), std::invalid_argument);
}

TEST(MetricsCallbackGaugeTest, ACallbackGaugeIsReadAtEachScrapeAndGoesAwayWithItsRegistration) {
  Registry registry;
  long long depth = 3;
  {
    const auto registration =
        registry.AddCallbackGauge("queue_messages", "Messages by state.", {"state"}, [&depth] {
          return std::vector<GaugeSample>{{{"visible"}, static_cast<double>(depth)}, {{"dead"}, 1}};
        });
    EXPECT_EQ(registry.RenderText(),
              "# HELP queue_messages Messages by state.\n"
              "# TYPE queue_messages gauge\n"
              "queue_messages{state=\"visible\"} 3\n"
              "queue_messages{state=\"dead\"} 1\n");
    depth = 7;
    EXPECT_EQ(ParsePrometheusSamples(registry.RenderText()).at("queue_messages{state=\"visible\"}"), 7);
  }
  EXPECT_EQ(registry.RenderText(), "");
}

TEST(MetricsCallbackGaugeTest, ACallbackMayRegisterAndUpdateMetricsWhileItIsRead) {
  Registry registry;
  const auto registration = registry.AddCallbackGauge("outer", "Outer.", {}, [&registry] {
    registry.AddCounter("inner_reads_total", "Inner.").WithLabels({}).Increment();
    return std::vector<GaugeSample>{{{}, 1}};
  });
  registry.RenderText();
  EXPECT_EQ(ParsePrometheusSamples(registry.RenderText()).at("inner_reads_total"), 1);
}

TEST(MetricsConcurrencyTest, ConcurrentUpdatesOfOneChildAreAllCounted) {
  Registry registry;
  const double bounds[] = {0.5};
  auto& counter = registry.AddCounter("hits_total", "Hits.", {"route"});
  auto& histogram = registry.AddHistogram("took_seconds", "Took.", {"route"}, bounds);
  constexpr int kThreads = 8;
  constexpr int kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        // Every thread looks the child up each time, so first-use creation races too.
        counter.WithLabels({"/r" + std::to_string(i % 4)}).Increment();
        histogram.WithLabels({"/r"}).Observe(t % 2 == 0 ? 0.25 : 1.0);
      }
    });
  std::thread scraper([&] {
    for (int i = 0; i < 50; ++i) {
      const auto samples = ParsePrometheusSamples(registry.RenderText());
      // Within one scrape a histogram's +Inf bucket and its count always agree.
      const auto inf = samples.find("took_seconds_bucket{route=\"/r\",le=\"+Inf\"}");
      if (inf != samples.end()) {
        EXPECT_EQ(inf->second, samples.at("took_seconds_count{route=\"/r\"}"));
      }
    }
  });
  for (auto& thread : threads) thread.join();
  scraper.join();
  const auto samples = ParsePrometheusSamples(registry.RenderText());
  double total = 0;
  for (int r = 0; r < 4; ++r) total += samples.at("hits_total{route=\"/r" + std::to_string(r) + "\"}");
  EXPECT_EQ(total, kThreads * kEach);
  EXPECT_EQ(samples.at("took_seconds_count{route=\"/r\"}"), kThreads * kEach);
  EXPECT_EQ(samples.at("took_seconds_bucket{route=\"/r\",le=\"0.5\"}"), kThreads / 2 * kEach);
  EXPECT_EQ(samples.at("took_seconds_sum{route=\"/r\"}"),
            kThreads * kEach * 0.625);  // half the threads observe 1.25 s each
}

TEST(MetricsConcurrencyTest, RegistrationsFromManyThreadsYieldOneFamilyPerName) {
  Registry registry;
  std::vector<Family<Counter>*> seen(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      seen[t] = &registry.AddCounter("shared_total", "Shared.", {"k"});
      seen[t]->WithLabels({"v"}).Increment();
    });
  for (auto& thread : threads) thread.join();
  for (auto* family : seen) EXPECT_EQ(family, seen[0]);
  EXPECT_EQ(seen[0]->WithLabels({"v"}).Value(), 8);
}

}  // namespace
}  // namespace booklib::metrics
