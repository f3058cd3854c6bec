// What SqsQueue asks SQS for, checked against a scripted local HTTP server (no emulator needed).
#include <gtest/gtest.h>

#include <map>

#include "queue/sqs/sqs_queue.h"
#include "tests/support/fake_http_server.h"

namespace booklib {
namespace {

using nlohmann::json;
using test::FakeRequest;
using test::FakeResponse;

// Answers each SQS operation (by X-Amz-Target) with a fixed response and records the inputs.
class FakeSqs {
 public:
  FakeSqs() {
    server_.Handle("/", [this](const FakeRequest& request) {
      const std::string target = request.Header("x-amz-target");
      const std::string operation = target.substr(target.find('.') + 1);
      const std::lock_guard lock(mutex_);
      inputs_[operation] = json::parse(request.body);
      const auto it = answers_.find(operation);
      return it != answers_.end() ? it->second : FakeResponse::Json("{}");
    });
  }
  void Answer(const std::string& operation, FakeResponse response) {
    const std::lock_guard lock(mutex_);
    answers_[operation] = std::move(response);
  }
  json Input(const std::string& operation) {
    const std::lock_guard lock(mutex_);
    return inputs_[operation];
  }
  aws::AwsService Service() const { return aws::AwsService{server_.BaseUrl(), "sqs", "AmazonSQS"}; }

 private:
  test::FakeHttpServer server_;
  std::mutex mutex_;
  std::map<std::string, FakeResponse> answers_;
  std::map<std::string, json> inputs_;
};

class SqsRequestsTest : public testing::Test {
 protected:
  FakeSqs sqs_;
  aws::AwsJsonClient client_{sqs_.Service(), aws::Credentials{"AKID", "secret", ""}, "us-east-1",
                             aws::RetryPolicy{.max_attempts = 1}};
  SqsQueue queue_{client_, SqsQueueOptions{"https://sqs.us-east-1.amazonaws.com/123456789012/metadata", ""}};
};

TEST_F(SqsRequestsTest, ReceiveClampsToSqsLimitsAndReadsTheReceiveCount) {
  sqs_.Answer("ReceiveMessage", FakeResponse::Json(R"({"Messages":[{"MessageId":"m1","ReceiptHandle":"r1",
      "Body":"{\"user_book_id\":\"ub\"}","Attributes":{"ApproximateReceiveCount":"2"}}]})"));
  auto got = queue_.Receive(50, std::chrono::seconds{60});
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->size(), 1u);
  EXPECT_EQ((*got)[0].id, "m1");
  EXPECT_EQ((*got)[0].receipt_handle, "r1");
  EXPECT_EQ((*got)[0].body, R"({"user_book_id":"ub"})");
  EXPECT_EQ((*got)[0].receive_count, 2);
  const json input = sqs_.Input("ReceiveMessage");
  EXPECT_EQ(input["MaxNumberOfMessages"], 10);
  EXPECT_EQ(input["WaitTimeSeconds"], 20);
  EXPECT_EQ(input["AttributeNames"], json({"ApproximateReceiveCount"}));
  EXPECT_EQ(input["QueueUrl"], "https://sqs.us-east-1.amazonaws.com/123456789012/metadata");
}

TEST_F(SqsRequestsTest, AnEmptyReceiveIsAnEmptyBatch) {
  auto got = queue_.Receive(0, std::chrono::seconds{-3});
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
  EXPECT_EQ(sqs_.Input("ReceiveMessage")["MaxNumberOfMessages"], 1);
  EXPECT_EQ(sqs_.Input("ReceiveMessage")["WaitTimeSeconds"], 0);
}

TEST_F(SqsRequestsTest, RetryLaterChangesTheVisibilityOfThatDelivery) {
  const QueueMessage message{"m1", "r1", "body", 1};
  ASSERT_TRUE(queue_.RetryLater(message, std::chrono::seconds{90}, "Google Books answered 503"));
  EXPECT_EQ(sqs_.Input("ChangeMessageVisibility"),
            json({{"QueueUrl", "https://sqs.us-east-1.amazonaws.com/123456789012/metadata"},
                  {"ReceiptHandle", "r1"},
                  {"VisibilityTimeout", 90}}));
  ASSERT_TRUE(queue_.RetryLater(message, std::chrono::hours{24}, "later"));
  EXPECT_EQ(sqs_.Input("ChangeMessageVisibility")["VisibilityTimeout"], 43200);  // SQS's maximum
}

TEST_F(SqsRequestsTest, AnExpiredReceiptHandleIsNotFound) {
  sqs_.Answer("DeleteMessage", FakeResponse::Json(R"({"__type":"com.amazonaws.sqs#ReceiptHandleIsInvalid",
      "message":"The input receipt handle is invalid."})",
                                                  400));
  auto deleted = queue_.Delete(QueueMessage{"m1", "stale", "", 1});
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().code, ErrorCode::kNotFound);
}

TEST_F(SqsRequestsTest, StatsFindTheDeadLetterQueueThroughTheRedrivePolicy) {
  sqs_.Answer("GetQueueAttributes", FakeResponse::Json(R"({"Attributes":{
      "ApproximateNumberOfMessages":"4","ApproximateNumberOfMessagesNotVisible":"1",
      "RedrivePolicy":"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:123456789012:metadata-dlq\",\"maxReceiveCount\":3}"}})"));
  sqs_.Answer(
      "GetQueueUrl",
      FakeResponse::Json(R"({"QueueUrl":"https://sqs.us-east-1.amazonaws.com/123456789012/metadata-dlq"})"));
  auto stats = queue_.Stats();
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->visible, 4);
  EXPECT_EQ(stats->in_flight, 1);
  EXPECT_EQ(stats->dead_letters, 5);  // the fake answers the DLQ's attributes the same way
  EXPECT_EQ(sqs_.Input("GetQueueUrl"),
            json({{"QueueName", "metadata-dlq"}, {"QueueOwnerAWSAccountId", "123456789012"}}));
  EXPECT_EQ(sqs_.Input("GetQueueAttributes")["QueueUrl"],
            "https://sqs.us-east-1.amazonaws.com/123456789012/metadata-dlq");
}

TEST_F(SqsRequestsTest, PartlyFailedBatchDeletesAreReported) {
  sqs_.Answer("DeleteMessageBatch", FakeResponse::Json(R"({"Successful":[{"Id":"0"}],
      "Failed":[{"Id":"1","Code":"ReceiptHandleIsInvalid","Message":"bad","SenderFault":true}]})"));
  const std::vector<QueueMessage> messages = {{"a", "ra", "", 1}, {"b", "rb", "", 1}};
  auto deleted = queue_.DeleteMessages(messages);
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error().message,
            "DeleteMessageBatch: 1 deliveries not deleted (ReceiptHandleIsInvalid: bad)");
  EXPECT_EQ(sqs_.Input("DeleteMessageBatch")["Entries"],
            json::parse(R"([{"Id":"0","ReceiptHandle":"ra"},{"Id":"1","ReceiptHandle":"rb"}])"));
}

TEST(QueueArn, NamesTheAccountAndQueue) {
  const auto parts = ParseQueueArn("arn:aws:sqs:eu-west-1:000000000000:BookLibrary-Metadata-dev-dlq");
  ASSERT_TRUE(parts);
  EXPECT_EQ(parts->account_id, "000000000000");
  EXPECT_EQ(parts->queue_name, "BookLibrary-Metadata-dev-dlq");
  EXPECT_FALSE(ParseQueueArn("arn:aws:sns:eu-west-1:000000000000:topic"));
  EXPECT_FALSE(ParseQueueArn("not an arn"));
}

}  // namespace
}  // namespace booklib
