// CloudWatch Embedded Metric Format lines of the Lambda functions, parsed as CloudWatch would.
#include "lambda/embedded_metrics.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/library.h"
#include "core/log.h"
#include "core/metadata_message.h"
#include "lambda/handlers.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"
#include "tests/support/scripted_metadata_provider.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;

// What CloudWatch requires of a record: _aws.Timestamp, one directive with the namespace, every
// dimension and metric named in it present as a top-level member. Returns the directive.
json ExpectValidEmf(const json& record) {
  EXPECT_TRUE(record.contains("_aws")) << record.dump();
  const json& aws = record["_aws"];
  EXPECT_TRUE(aws["Timestamp"].is_number_integer()) << record.dump();
  EXPECT_EQ(aws["CloudWatchMetrics"].size(), 1u) << record.dump();
  const json directive = aws["CloudWatchMetrics"][0];
  EXPECT_EQ(directive["Namespace"], "Booklib");
  for (const json& set : directive["Dimensions"])
    for (const json& dimension : set) {
      EXPECT_TRUE(record.contains(dimension.get<std::string>())) << dimension << " in " << record.dump();
      EXPECT_TRUE(record[dimension.get<std::string>()].is_string()) << "dimension values are strings";
    }
  for (const json& metric : directive["Metrics"])
    EXPECT_TRUE(record[metric["Name"].get<std::string>()].is_number()) << metric << " in " << record.dump();
  return directive;
}

TEST(EmbeddedMetricsTest, ARequestLineCountsTheRequestAndItsLatencyByMethodRouteAndStatus) {
  const auto at = std::chrono::system_clock::time_point(std::chrono::milliseconds(1767225600123));
  const json record = json::parse(RequestMetricsLine(
      {.method = "POST", .route = "/edit_book/{id}", .status = 303, .seconds = 0.0125, .request_id = "r-9"},
      at));
  const json directive = ExpectValidEmf(record);
  EXPECT_EQ(record["_aws"]["Timestamp"], 1767225600123);
  EXPECT_EQ(directive["Dimensions"], json::parse(R"([["Method","Route","Status"]])"));
  EXPECT_EQ(directive["Metrics"],
            json::parse(R"([{"Name":"Requests","Unit":"Count"},{"Name":"Latency","Unit":"Milliseconds"}])"));
  EXPECT_EQ(record["Method"], "POST");
  EXPECT_EQ(record["Route"], "/edit_book/{id}");
  EXPECT_EQ(record["Status"], "303");
  EXPECT_EQ(record["Requests"], 1);
  EXPECT_DOUBLE_EQ(record["Latency"].get<double>(), 12.5);
  EXPECT_EQ(record["request_id"], "r-9");  // a property, not a dimension
}

TEST(EmbeddedMetricsTest, AnUnmatchedPathAndAnInventedMethodKeepTheDimensionsSmall) {
  const json record = json::parse(RequestMetricsLine(
      {.method = "BREW", .route = "", .status = 404, .seconds = 0}, std::chrono::system_clock::now()));
  ExpectValidEmf(record);
  EXPECT_EQ(record["Method"], "other");
  EXPECT_EQ(record["Route"], "unmatched");
}

TEST(EmbeddedMetricsTest, TheRequestObserverWritesOneLinePerAnsweredRequest) {
  std::vector<std::string> lines;
  const auto observe = RequestMetricsWriter([&lines](std::string_view line) { lines.emplace_back(line); });
  observe({.method = "GET", .route = "/books", .status = 200, .seconds = 0.002});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0])["Route"], "/books");
}

class MetadataMessageProcessorTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
  }
  // Adds a book as a request with `request_id` would, and returns the message it queued.
  QueueMessage AddAndReceive(const std::string& isbn, const std::string& request_id) {
    const LogScope scope(request_id);
    BookForm form;
    form.isbn = isbn;
    EXPECT_TRUE(library_.AddBook("u1", form));
    auto got = queue_.Receive(1, std::chrono::seconds{0});
    EXPECT_TRUE(got && got->size() == 1);
    return got && !got->empty() ? got->front() : QueueMessage{};
  }

  test::ManualClock clock_;
  std::shared_ptr<test::MemoryDatabase> db_ = std::make_shared<test::MemoryDatabase>();
  test::MemoryStore store_{db_};
  test::MemoryQueue queue_{db_, clock_};
  Library library_{store_, queue_, clock_};
  test::ScriptedMetadataProvider provider_;
  MetadataSync sync_{store_, provider_};
  std::vector<json> lines_;
  MessageProcessor process_ = MetadataMessageProcessor(
      sync_, queue_, [this](std::string_view line) { lines_.push_back(json::parse(line)); });
};

TEST_F(MetadataMessageProcessorTest, ASyncedBookWritesASyncedOutcomeWithTheRequestIdOfTheAdd) {
  provider_.Answer("9781782276340", test::ScriptedMetadataProvider::Found("Found It"));
  const QueueMessage message = AddAndReceive("9781782276340", "api-req-1");
  EXPECT_EQ(DecodeMetadataMessage(message.body)->request_id, "api-req-1");
  EXPECT_TRUE(process_(message));
  ASSERT_EQ(lines_.size(), 1u);
  const json directive = ExpectValidEmf(lines_[0]);
  EXPECT_EQ(directive["Dimensions"], json::parse(R"([["Outcome"]])"));
  EXPECT_EQ(directive["Metrics"], json::parse(R"([{"Name":"SyncOutcomes","Unit":"Count"}])"));
  EXPECT_EQ(lines_[0]["Outcome"], "synced");
  EXPECT_EQ(lines_[0]["SyncOutcomes"], 1);
  EXPECT_EQ(lines_[0]["request_id"], "api-req-1");
}

TEST_F(MetadataMessageProcessorTest, NotFoundAndRetriedLookupsAreToldApart) {
  const QueueMessage missing = AddAndReceive("9781782276340", "");
  EXPECT_TRUE(process_(missing));  // final: deleted
  provider_.Answer("9780261102385", test::ScriptedMetadataProvider::Transient("HTTP 503"));
  const QueueMessage flaky = AddAndReceive("9780261102385", "");
  EXPECT_FALSE(process_(flaky));  // a batch item failure: SQS brings it back
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(lines_[0]["Outcome"], "not_found");
  EXPECT_FALSE(lines_[0].contains("request_id"));
  EXPECT_EQ(lines_[1]["Outcome"], "retried");
}

}  // namespace
}  // namespace booklib::lambda
