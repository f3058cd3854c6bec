// SqsQueue against an SQS emulator: the Queue contract plus the seed's queue settings, stats,
// long polling and batch deletes. Start one with `eval "$(scripts/emulators.sh start)"`; without
// AWS_ENDPOINT_URL_SQS every test here is skipped.
#include "queue/sqs/sqs_queue.h"

#include <memory>

#include "crypto/crypto.h"
#include "ports/queue_contract.h"
#include "queue/sqs/sqs_setup.h"

namespace booklib {
namespace {

using nlohmann::json;

bool EmulatorConfigured() { return aws::ProcessEnvironment("AWS_ENDPOINT_URL_SQS").has_value(); }

std::unique_ptr<aws::AwsJsonClient> MakeClient() {
  auto config = aws::AwsConfigFromEnvironment();
  if (!config) return nullptr;
  return std::make_unique<aws::AwsJsonClient>(aws::SqsService(*config), config->credentials, config->region);
}

// A client and a queue (with DLQ) under a fresh name, kept alive together.
struct SqsFixture {
  std::unique_ptr<aws::AwsJsonClient> client;
  QueueUrls urls;
  std::unique_ptr<SqsQueue> queue;
};

std::shared_ptr<SqsFixture> MakeFixture(std::chrono::seconds visibility) {
  if (!EmulatorConfigured()) return nullptr;
  auto fixture = std::make_shared<SqsFixture>();
  fixture->client = MakeClient();
  if (!fixture->client) return nullptr;
  QueueSettings settings{.name = "booklib-test-" + crypto::RandomHex(4), .visibility_timeout = visibility};
  auto urls = CreateQueues(*fixture->client, settings);
  EXPECT_TRUE(urls) << urls.error().message;
  if (!urls) return nullptr;
  fixture->urls = *urls;
  fixture->queue = std::make_unique<SqsQueue>(*fixture->client, SqsQueueOptions{urls->queue_url, ""});
  return fixture;
}

// The contract runs on what the composition root builds: MakeSqsQueue from the environment.
std::shared_ptr<Queue> MakeContractQueue(const Clock& /*clock: SQS keeps its own*/,
                                         std::chrono::seconds visibility) {
  auto fixture = MakeFixture(visibility);
  if (!fixture) return nullptr;
  return MakeSqsQueue(*aws::AwsConfigFromEnvironment(), SqsQueueOptions{fixture->urls.queue_url, ""});
}

INSTANTIATE_TEST_SUITE_P(Sqs, QueueContract,
                         testing::Values(QueueFactory{"sqs emulator", MakeContractQueue,
                                                      /*keeps_own_time=*/true}));

class SqsQueueTest : public testing::Test {
 protected:
  void SetUp() override {
    if (!EmulatorConfigured())
      GTEST_SKIP() << "AWS_ENDPOINT_URL_SQS is not set; run scripts/emulators.sh start";
    fixture_ = MakeFixture(std::chrono::seconds{300});
    ASSERT_TRUE(fixture_);
  }
  SqsQueue& queue() { return *fixture_->queue; }
  json Attributes(const std::string& url) {
    auto out = fixture_->client->Call("GetQueueAttributes", {{"QueueUrl", url}, {"AttributeNames", {"All"}}});
    EXPECT_TRUE(out);
    return out ? (*out)["Attributes"] : json::object();
  }

  std::shared_ptr<SqsFixture> fixture_;
};

TEST_F(SqsQueueTest, CreateQueuesAppliesTheSeedsSettingsAndCanRunAgain) {
  const json attributes = Attributes(fixture_->urls.queue_url);
  EXPECT_EQ(attributes["VisibilityTimeout"], "300");
  EXPECT_EQ(attributes["MessageRetentionPeriod"], "1209600");
  EXPECT_EQ(attributes["ReceiveMessageWaitTimeSeconds"], "20");
  const json policy = json::parse(attributes["RedrivePolicy"].get<std::string>());
  EXPECT_EQ(policy["deadLetterTargetArn"], Attributes(fixture_->urls.dead_letter_queue_url)["QueueArn"]);
  EXPECT_EQ(policy["maxReceiveCount"], "3");
  EXPECT_EQ(Attributes(fixture_->urls.dead_letter_queue_url)["MessageRetentionPeriod"], "1209600");

  const std::string name = fixture_->urls.queue_url.substr(fixture_->urls.queue_url.rfind('/') + 1);
  auto again = CreateQueues(*fixture_->client, QueueSettings{.name = name});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->queue_url, fixture_->urls.queue_url);
  // Settings that differ from the existing queue's are applied, not refused.
  auto changed = CreateQueues(*fixture_->client,
                              QueueSettings{.name = name, .visibility_timeout = std::chrono::seconds{60}});
  ASSERT_TRUE(changed) << changed.error().message;
  EXPECT_EQ(Attributes(fixture_->urls.queue_url)["VisibilityTimeout"], "60");
}

TEST_F(SqsQueueTest, StatsCountWaitingAndInFlightMessages) {
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(queue().Send("m" + std::to_string(i)));
  auto got = queue().Receive(1, std::chrono::seconds{1});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  auto stats = queue().Stats();
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_EQ(stats->visible, 2);
  EXPECT_EQ(stats->in_flight, 1);
  EXPECT_EQ(stats->dead_letters, 0);
}

TEST_F(SqsQueueTest, BatchDeleteAcknowledgesMoreThanTenDeliveries) {
  for (int i = 0; i < 12; ++i) ASSERT_TRUE(queue().Send("b" + std::to_string(i)));
  std::vector<QueueMessage> all;
  for (int round = 0; round < 10 && all.size() < 12; ++round) {
    auto got = queue().Receive(10, std::chrono::seconds{1});
    ASSERT_TRUE(got);
    all.insert(all.end(), got->begin(), got->end());
  }
  ASSERT_EQ(all.size(), 12u);
  ASSERT_TRUE(queue().DeleteMessages(all));
  auto stats = queue().Stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->visible + stats->in_flight, 0);
}

TEST_F(SqsQueueTest, RetryingADeliveryThatIsNoLongerInFlightIsNotFound) {
  ASSERT_TRUE(queue().Send("once"));
  auto got = queue().Receive(1, std::chrono::seconds{1});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->size(), 1u);
  ASSERT_TRUE(queue().Delete((*got)[0]));
  EXPECT_EQ(queue().RetryLater((*got)[0], std::chrono::seconds{5}, "late").error().code,
            ErrorCode::kNotFound);
}

TEST_F(SqsQueueTest, AQueueWithoutDeadLetterQueueRedrivesNothing) {
  auto created =
      fixture_->client->Call("CreateQueue", {{"QueueName", "booklib-plain-" + crypto::RandomHex(4)}});
  ASSERT_TRUE(created);
  SqsQueue plain(*fixture_->client, SqsQueueOptions{(*created)["QueueUrl"], ""});
  EXPECT_EQ(plain.Redrive().value_or(-1), 0);
  EXPECT_EQ(plain.Stats()->dead_letters, 0);
}

}  // namespace
}  // namespace booklib
