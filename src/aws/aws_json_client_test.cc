// AwsJsonClient against a scripted local HTTP server: signing, error envelopes and retries.
#include "aws/aws_json_client.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "tests/support/fake_http_server.h"

namespace booklib::aws {
namespace {

using nlohmann::json;
using test::FakeHttpServer;
using test::FakeRequest;
using test::FakeResponse;

const Credentials kCredentials{"AKIDLOCAL", "local-secret", ""};

FakeResponse AwsErrorResponse(int status, const std::string& type, const std::string& message) {
  return FakeResponse::Json(json{{"__type", type}, {"message", message}}.dump(), status)
      .WithHeader("Content-Type", "application/x-amz-json-1.0");
}

class AwsJsonClientTest : public testing::Test {
 protected:
  AwsJsonClient MakeClient(Credentials credentials = kCredentials) {
    const AwsService service{server_.BaseUrl(), "dynamodb", "DynamoDB_20120810"};
    return AwsJsonClient(service, std::move(credentials), "eu-west-1",
                         RetryPolicy{.max_attempts = 4,
                                     .base_delay = std::chrono::milliseconds{1},
                                     .max_delay = std::chrono::milliseconds{5}});
  }

  FakeHttpServer server_;
};

// Recomputes the signature of a received request from the headers it says it signed.
std::string RecomputedAuthorization(const FakeRequest& received, const Credentials& credentials,
                                    const std::string& region, const std::string& service) {
  const std::string authorization = received.Header("authorization");
  const std::size_t list_start = authorization.find("SignedHeaders=") + 14;
  std::istringstream names(
      authorization.substr(list_start, authorization.find(',', list_start) - list_start));
  RequestToSign request{received.method, received.path, received.query, {}, received.body};
  for (std::string name; std::getline(names, name, ';');)
    request.headers.emplace_back(name, received.Header(name));
  const std::string amz_date = received.Header("x-amz-date");
  const std::string scope = CredentialScope(amz_date.substr(0, 8), region, service);
  const std::string signature = Signature(credentials.secret_access_key, amz_date.substr(0, 8), region,
                                          service, StringToSign(amz_date, scope, CanonicalRequest(request)));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" + scope + ", SignedHeaders=" +
         authorization.substr(list_start, authorization.find(',', list_start) - list_start) +
         ", Signature=" + signature;
}

TEST_F(AwsJsonClientTest, ACallPostsSignedJsonWithTheOperationAsTarget) {
  server_.Respond("/", FakeResponse::Json(R"({"Item":{"user_id":{"S":"u1"}}})"));
  auto client = MakeClient();
  auto result = client.Call("GetItem", json{{"TableName", "users"}});
  ASSERT_TRUE(result) << result.error().ToError().message;
  EXPECT_EQ((*result)["Item"]["user_id"]["S"], "u1");

  const auto last = server_.LastRequest();
  ASSERT_TRUE(last.has_value());
  const FakeRequest& received = *last;
  EXPECT_EQ(received.method, "POST");
  EXPECT_EQ(received.path, "/");
  EXPECT_EQ(received.Header("content-type"), "application/x-amz-json-1.0");
  EXPECT_EQ(received.Header("x-amz-target"), "DynamoDB_20120810.GetItem");
  EXPECT_EQ(json::parse(received.body), json({{"TableName", "users"}}));
  EXPECT_NE(received.Header("authorization").find("SignedHeaders=content-type;host;x-amz-date;x-amz-target,"),
            std::string::npos);
  EXPECT_EQ(received.Header("authorization"),
            RecomputedAuthorization(received, kCredentials, "eu-west-1", "dynamodb"));
}

TEST_F(AwsJsonClientTest, ASessionTokenIsSentAndSigned) {
  server_.Respond("/", FakeResponse::Json("{}"));
  const Credentials with_token{"ASIALOCAL", "local-secret", "token-from-lambda"};
  auto client = MakeClient(with_token);
  ASSERT_TRUE(client.Call("ListTables", json::object()));
  const auto last = server_.LastRequest();
  ASSERT_TRUE(last.has_value());
  const FakeRequest& received = *last;
  EXPECT_EQ(received.Header("x-amz-security-token"), "token-from-lambda");
  EXPECT_NE(received.Header("authorization").find(";x-amz-security-token;x-amz-target,"), std::string::npos);
  EXPECT_EQ(received.Header("authorization"),
            RecomputedAuthorization(received, with_token, "eu-west-1", "dynamodb"));
}

TEST_F(AwsJsonClientTest, AnEmptySuccessBodyIsAnEmptyObject) {
  server_.Respond("/", FakeResponse::Status(200));
  auto client = MakeClient();
  auto result = client.Call("DeleteMessage", json::object());
  ASSERT_TRUE(result);
  EXPECT_EQ(*result, json::object());
}

TEST_F(AwsJsonClientTest, AServerErrorIsRetriedUntilItSucceeds) {
  server_.RespondInOrder(
      "/", {AwsErrorResponse(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "oops"),
            FakeResponse::Status(503), FakeResponse::Json(R"({"Count":0})")});
  auto client = MakeClient();
  auto result = client.Call("Query", json::object());
  ASSERT_TRUE(result) << result.error().ToError().message;
  EXPECT_EQ((*result)["Count"], 0);
  EXPECT_EQ(server_.RequestCount("/"), 3);
}

TEST_F(AwsJsonClientTest, ThrottlingIsRetriedUntilItSucceeds) {
  server_.RespondInOrder(
      "/", {AwsErrorResponse(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                             "slow"),
            AwsErrorResponse(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slower"),
            FakeResponse::Json("{}")});
  auto client = MakeClient();
  EXPECT_TRUE(client.Call("PutItem", json::object()));
  EXPECT_EQ(server_.RequestCount("/"), 3);
}

TEST_F(AwsJsonClientTest, ADroppedConnectionIsRetried) {
  server_.RespondInOrder("/", {FakeResponse::CloseConnection(), FakeResponse::Json("{}")});
  auto client = MakeClient();
  EXPECT_TRUE(client.Call("GetItem", json::object()));
  EXPECT_EQ(server_.RequestCount("/"), 2);
}

TEST_F(AwsJsonClientTest, AFailedConditionIsReportedAtOnceAndNeverRetried) {
  server_.Respond("/",
                  AwsErrorResponse(400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
                                   "The conditional request failed"));
  auto client = MakeClient();
  auto result = client.Call("PutItem", json::object());
  ASSERT_FALSE(result);
  EXPECT_TRUE(result.error().IsConditionalCheckFailed());
  EXPECT_FALSE(result.error().retryable);
  EXPECT_EQ(result.error().message, "The conditional request failed");
  EXPECT_EQ(server_.RequestCount("/"), 1);
}

TEST_F(AwsJsonClientTest, PersistentThrottlingGivesUpAfterMaxAttemptsAsUnavailable) {
  server_.Respond("/",
                  AwsErrorResponse(400, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", "limit"));
  auto client = MakeClient();
  auto result = client.Call("PutItem", json::object());
  ASSERT_FALSE(result);
  EXPECT_EQ(server_.RequestCount("/"), 4);
  EXPECT_EQ(result.error().attempts, 4);
  const Error error = result.error().ToError();
  EXPECT_EQ(error.code, ErrorCode::kUnavailable);
  EXPECT_EQ(error.message, "PutItem failed: RequestLimitExceeded: limit (after 4 attempts)");
}

TEST_F(AwsJsonClientTest, AMissingTableIsAnInternalErrorNamingIt) {
  server_.Respond("/", AwsErrorResponse(400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                                        "Requested resource not found"));
  auto client = MakeClient();
  auto result = client.Call("GetItem", json::object());
  ASSERT_FALSE(result);
  EXPECT_EQ(server_.RequestCount("/"), 1);
  EXPECT_EQ(result.error().ToError().code, ErrorCode::kInternal);
  EXPECT_EQ(result.error().ToError().message,
            "GetItem failed: ResourceNotFoundException: Requested resource not found");
}

TEST_F(AwsJsonClientTest, AnUnreachableEndpointIsUnavailableAfterRetries) {
  FakeHttpServer gone;
  const std::string url = gone.BaseUrl();
  gone.Stop();
  AwsJsonClient client(AwsService{url, "sqs", "AmazonSQS"}, kCredentials, "us-east-1",
                       RetryPolicy{.max_attempts = 2, .base_delay = std::chrono::milliseconds{1}});
  auto result = client.Call("SendMessage", json::object());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().http_status, 0);
  EXPECT_EQ(result.error().attempts, 2);
  EXPECT_EQ(result.error().ToError().code, ErrorCode::kUnavailable);
}

TEST(AwsErrorEnvelope, TheTypeIsTheNameAfterTheHashOrBeforeAColon) {
  net::HttpClientResponse sqs{
      400, {}, R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"})"};
  EXPECT_EQ(ParseErrorResponse("SendMessage", sqs).type, "QueueDoesNotExist");
  net::HttpClientResponse local{400, {}, R"({"__type":"ConditionalCheckFailedException","Message":"nope"})"};
  EXPECT_TRUE(ParseErrorResponse("PutItem", local).IsConditionalCheckFailed());
  EXPECT_EQ(ParseErrorResponse("PutItem", local).message, "nope");
  net::HttpClientResponse header_only{
      400, {{"x-amzn-errortype", "ValidationException:http://internal.amazon.com/"}}, ""};
  EXPECT_EQ(ParseErrorResponse("Query", header_only).type, "ValidationException");
}

TEST(AwsErrorEnvelope, TooManyRequestsAndServerErrorsAreRetryableWhateverTheBody) {
  EXPECT_TRUE(ParseErrorResponse("X", net::HttpClientResponse{429, {}, "slow down"}).retryable);
  EXPECT_TRUE(
      ParseErrorResponse("X", net::HttpClientResponse{502, {}, "<html>bad gateway</html>"}).retryable);
  EXPECT_FALSE(
      ParseErrorResponse("X", net::HttpClientResponse{400, {}, R"({"__type":"ValidationException"})"})
          .retryable);
}

TEST(Backoff, DelaysStayUnderTheDoublingCeilingAndVary) {
  const RetryPolicy policy{.max_attempts = 10,
                           .base_delay = std::chrono::milliseconds{100},
                           .max_delay = std::chrono::milliseconds{1000}};
  std::mt19937_64 random{42};
  std::set<long long> seen;
  for (int retry = 0; retry < 8; ++retry) {
    const long long ceiling = std::min(1000LL, 100LL << retry);
    for (int i = 0; i < 50; ++i) {
      const auto delay = BackoffDelay(policy, retry, random).count();
      EXPECT_GE(delay, 0);
      EXPECT_LE(delay, ceiling);
      seen.insert(delay);
    }
  }
  EXPECT_GT(seen.size(), 50u);  // jitter, not a fixed schedule
}

TEST(AwsConfig, CredentialsRegionAndEndpointsComeFromTheEnvironment) {
  const std::map<std::string, std::string, std::less<>> env = {
      {"AWS_ACCESS_KEY_ID", "AKID"},
      {"AWS_SECRET_ACCESS_KEY", "secret"},
      {"AWS_SESSION_TOKEN", "token"},
      {"AWS_REGION", "eu-central-1"},
      {"AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:4566/"}};
  auto config = AwsConfigFromEnvironment([&](std::string_view name) -> std::optional<std::string> {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  });
  ASSERT_TRUE(config);
  EXPECT_EQ(config->credentials.session_token, "token");
  EXPECT_EQ(config->region, "eu-central-1");
  EXPECT_EQ(config->sqs_endpoint, "http://127.0.0.1:4566");
  EXPECT_EQ(config->dynamodb_endpoint, "https://dynamodb.eu-central-1.amazonaws.com");
}

TEST(AwsConfig, RegionDefaultsToUsEast1AndMissingKeysAreNamed) {
  auto only_keys = [](std::string_view name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID" || name == "AWS_SECRET_ACCESS_KEY") return "x";
    return std::nullopt;
  };
  auto config = AwsConfigFromEnvironment(only_keys);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->region, "us-east-1");
  EXPECT_EQ(config->sqs_endpoint, "https://sqs.us-east-1.amazonaws.com");
  auto missing = AwsConfigFromEnvironment([](std::string_view name) -> std::optional<std::string> {
    if (name == "AWS_ACCESS_KEY_ID") return "x";
    return std::nullopt;
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(missing.error().message, "AWS_SECRET_ACCESS_KEY is not set");
}

}  // namespace
}  // namespace booklib::aws
