// Tests of the SQS event mapping and the partial batch response.
#include "lambda/sqs_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fixtures.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;
using test::ReadFixture;

TEST(SqsEventTest, EveryRecordBecomesAMessageInOrder) {
  const auto messages = MessagesFromSqsEvent(ReadFixture("sqs_three_records.json"));
  ASSERT_TRUE(messages.has_value());
  ASSERT_EQ(messages->size(), 3u);
  EXPECT_EQ((*messages)[0].id, "7b1e0c2a-1f0e-4d55-9a51-0c5f3d2e9a01");
  EXPECT_EQ((*messages)[0].receipt_handle, "AQEBreceipt-one");
  EXPECT_EQ((*messages)[0].body, R"({"user_book_id": "ub-0001"})");
  EXPECT_EQ((*messages)[1].id, "7b1e0c2a-1f0e-4d55-9a51-0c5f3d2e9a02");
  EXPECT_EQ((*messages)[2].body, R"({"user_book_id": "ub-0003"})");
}

TEST(SqsEventTest, ApproximateReceiveCountBecomesTheReceiveCount) {
  const auto messages = MessagesFromSqsEvent(ReadFixture("sqs_three_records.json"));
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ((*messages)[0].receive_count, 1);
  EXPECT_EQ((*messages)[1].receive_count, 3);
  EXPECT_EQ((*messages)[2].receive_count, 2);
}

TEST(SqsEventTest, MissingOrUnreadableReceiveCountIsZero) {
  const auto messages = MessagesFromSqsEvent(
      R"({"Records":[{"messageId":"a","body":"x"},{"messageId":"b","attributes":{"ApproximateReceiveCount":"2x"}}]})");
  ASSERT_TRUE(messages.has_value());
  EXPECT_EQ((*messages)[0].receive_count, 0);
  EXPECT_EQ((*messages)[1].receive_count, 0);
}

TEST(SqsEventTest, EmptyRecordsGiveNoMessages) {
  const auto messages = MessagesFromSqsEvent(R"({"Records": []})");
  ASSERT_TRUE(messages.has_value());
  EXPECT_TRUE(messages->empty());
}

TEST(SqsEventTest, EventsThatAreNotSqsEventsAreRejected) {
  for (const char* bad :
       {"", "{", "[]", R"({"records": []})", R"({"Records": {}})", R"({"Records": [{"body": "no id"}]})",
        R"({"Records": [{"messageId": ""}]})", R"({"Records": ["text"]})"}) {
    const auto messages = MessagesFromSqsEvent(bad);
    ASSERT_FALSE(messages.has_value()) << bad;
    EXPECT_EQ(messages.error().code, ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(SqsEventTest, BatchResponseListsEachFailedIdAsAnItemIdentifier) {
  const json out = json::parse(BatchItemFailuresJson({"id2", "id4"}));
  EXPECT_EQ(out, json::parse(R"({"batchItemFailures":[{"itemIdentifier":"id2"},{"itemIdentifier":"id4"}]})"));
}

TEST(SqsEventTest, BatchResponseWithoutFailuresHasAnEmptyList) {
  EXPECT_EQ(json::parse(BatchItemFailuresJson({})), json::parse(R"({"batchItemFailures":[]})"));
}

}  // namespace
}  // namespace booklib::lambda
