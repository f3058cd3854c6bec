// Tests of the runtime loop and the handler adapters against a fake Lambda Runtime API.
#include "lambda/runtime.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "lambda/handlers.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/fixtures.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;
using test::FakeRequest;
using test::FakeResponse;
using test::ReadFixture;

const std::string kRuntimePath = "/2018-06-01/runtime";
const std::string kNextPath = kRuntimePath + "/invocation/next";

// The Runtime API as Lambda serves it: `next` hands out the queued events, then closes the
// connection (as a dying sandbox would); every post is accepted with 202.
class FakeRuntime {
 public:
  FakeRuntime() {
    server_.HandlePrefix(kRuntimePath + "/invocation/",
                         [](const FakeRequest&) { return FakeResponse::Status(202); });
    server_.Respond(kRuntimePath + "/init/error", FakeResponse::Status(202));
  }

  // An event as `next` returns it, with Lambda's per-invocation headers.
  static FakeResponse Event(const std::string& request_id, std::string body) {
    return FakeResponse::Json(std::move(body))
        .WithHeader("Lambda-Runtime-Aws-Request-Id", request_id)
        .WithHeader("Lambda-Runtime-Deadline-Ms", "32503680000000")
        .WithHeader("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:eu-west-1:111122223333:function:BookLibrary-API-dev")
        .WithHeader("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  }

  void ServeEvents(std::vector<FakeResponse> events) {
    events.push_back(FakeResponse::CloseConnection());
    server_.RespondInOrder(kNextPath, std::move(events));
  }

  RuntimeOptions Options(std::optional<int> max_invocations) const {
    return RuntimeOptions{.api_address = "127.0.0.1:" + std::to_string(server_.Port()),
                          .max_invocations = max_invocations};
  }

  // The last request posted to `path` under the runtime prefix, if any.
  std::optional<FakeRequest> Posted(const std::string& path) const {
    std::optional<FakeRequest> found;
    for (const FakeRequest& request : server_.Requests()) {
      if (request.method == "POST" && request.path == kRuntimePath + path) found = request;
    }
    return found;
  }

  int RequestCount(const std::string& path) const { return server_.RequestCount(kRuntimePath + path); }

 private:
  test::FakeHttpServer server_;
};

web::Response TwoCookiesRoute(const web::Request& request) {
  web::Response response;
  response.status = 303;
  response.headers = {{"Location", "/books"},
                      {"Set-Cookie", "session=new; Path=/; HttpOnly; Secure; SameSite=Lax"},
                      {"Set-Cookie", "flash=Book%20added; Path=/"}};
  response.body = "seen " + request.method + " " + request.path;
  return response;
}

Result<std::string> EchoHandler(const std::string& event, const InvocationContext&) { return event; }

TEST(LambdaRuntimeTest, ApiInvocationRoundTripPostsBothSetCookieValuesInTheCookiesArray) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-1", ReadFixture("apigw_v2_get_books.json"))});

  ASSERT_TRUE(RunRuntime(ApiHandler(TwoCookiesRoute), runtime.Options(1)).has_value());

  const auto posted = runtime.Posted("/invocation/req-1/response");
  ASSERT_TRUE(posted.has_value());
  const json response = json::parse(posted->body);
  EXPECT_EQ(response["statusCode"], 303);
  EXPECT_EQ(response["cookies"], json::array({"session=new; Path=/; HttpOnly; Secure; SameSite=Lax",
                                              "flash=Book%20added; Path=/"}));
  EXPECT_EQ(response["headers"], json({{"Location", "/books"}}));
  EXPECT_EQ(response["body"], "seen GET /books/shelf one");
}

TEST(LambdaRuntimeTest, RouterSeesTheDecodedBase64BodyAndTheRawQueryString) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-form", ReadFixture("apigw_v2_post_form_base64.json")),
                       FakeRuntime::Event("req-query", ReadFixture("apigw_v2_get_books.json"))});
  std::vector<web::Request> seen;
  const auto route = [&](const web::Request& request) {
    seen.push_back(request);
    return web::Response{};
  };

  ASSERT_TRUE(RunRuntime(ApiHandler(route), runtime.Options(2)).has_value());

  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].body, "title=Dune&isbn=978-0-441-01359-3&note=%C3%A9t%C3%A9");
  EXPECT_EQ(seen[1].query, "status=to-read&next=%2Fbooks&q=a+b");
  EXPECT_TRUE(runtime.Posted("/invocation/req-form/response").has_value());
  EXPECT_TRUE(runtime.Posted("/invocation/req-query/response").has_value());
}

TEST(LambdaRuntimeTest, SqsBatchWithOneFailingRecordReportsExactlyThatMessageAsFailed) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-sqs", ReadFixture("sqs_three_records.json"))});
  std::vector<std::string> processed;
  const auto process = [&](const QueueMessage& message) -> Result<void> {
    processed.push_back(message.id);
    if (message.body.find("ub-0002") != std::string::npos)
      return Fail(ErrorCode::kUnavailable, "Google Books 503");
    return {};
  };

  ASSERT_TRUE(RunRuntime(SqsHandler(process), runtime.Options(1)).has_value());

  EXPECT_EQ(processed.size(), 3u);
  const auto posted = runtime.Posted("/invocation/req-sqs/response");
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(
      json::parse(posted->body),
      json::parse(R"({"batchItemFailures":[{"itemIdentifier":"7b1e0c2a-1f0e-4d55-9a51-0c5f3d2e9a02"}]})"));
}

TEST(LambdaRuntimeTest, SqsMessageWhoseProcessingThrowsIsReportedAsFailedAndTheOthersSucceed) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-sqs", ReadFixture("sqs_three_records.json"))});
  const auto process = [](const QueueMessage& message) -> Result<void> {
    if (message.receive_count == 1) throw std::runtime_error("boom");
    return {};
  };

  ASSERT_TRUE(RunRuntime(SqsHandler(process), runtime.Options(1)).has_value());

  const auto posted = runtime.Posted("/invocation/req-sqs/response");
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(json::parse(posted->body)["batchItemFailures"],
            json::parse(R"([{"itemIdentifier":"7b1e0c2a-1f0e-4d55-9a51-0c5f3d2e9a01"}])"));
}

TEST(LambdaRuntimeTest, MalformedEventIsPostedToTheErrorEndpointAndTheNextEventIsStillServed) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-bad", R"({"hello": "not an API Gateway event"})"),
                       FakeRuntime::Event("req-good", ReadFixture("apigw_v2_get_books.json"))});

  ASSERT_TRUE(RunRuntime(ApiHandler(TwoCookiesRoute), runtime.Options(2)).has_value());

  const auto error = runtime.Posted("/invocation/req-bad/error");
  ASSERT_TRUE(error.has_value());
  const json body = json::parse(error->body);
  EXPECT_EQ(body["errorType"], "Booklib.invalid_argument");
  EXPECT_FALSE(body["errorMessage"].get<std::string>().empty());
  EXPECT_EQ(error->Header("lambda-runtime-function-error-type"), "Booklib.invalid_argument");
  EXPECT_FALSE(runtime.Posted("/invocation/req-bad/response").has_value());
  EXPECT_TRUE(runtime.Posted("/invocation/req-good/response").has_value());
}

TEST(LambdaRuntimeTest, MalformedSqsEventIsPostedToTheErrorEndpointSoTheWholeBatchIsRetried) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-bad", R"({"Records": [{"body": "no id"}]})")});

  ASSERT_TRUE(
      RunRuntime(SqsHandler([](const QueueMessage&) -> Result<void> { return {}; }), runtime.Options(1)));

  EXPECT_TRUE(runtime.Posted("/invocation/req-bad/error").has_value());
  EXPECT_FALSE(runtime.Posted("/invocation/req-bad/response").has_value());
}

TEST(LambdaRuntimeTest, HandlerThatThrowsIsReportedAsAnInternalError) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-1", "{}")});
  const auto throwing = [](const std::string&, const InvocationContext&) -> Result<std::string> {
    throw std::runtime_error("out of cheese");
  };

  ASSERT_TRUE(RunRuntime(throwing, runtime.Options(1)).has_value());

  const auto error = runtime.Posted("/invocation/req-1/error");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(json::parse(error->body)["errorType"], "Booklib.internal");
  EXPECT_NE(json::parse(error->body)["errorMessage"].get<std::string>().find("out of cheese"),
            std::string::npos);
}

TEST(LambdaRuntimeTest, HandlerSeesTheInvocationContextAndTheTraceIdInTheEnvironment) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-ctx", "{}")});
  std::optional<InvocationContext> seen;
  std::string trace_env;
  const auto handler = [&](const std::string&, const InvocationContext& context) -> Result<std::string> {
    seen = context;
    const char* trace = std::getenv("_X_AMZN_TRACE_ID");
    trace_env = trace == nullptr ? "" : trace;
    return std::string("{}");
  };

  ASSERT_TRUE(RunRuntime(handler, runtime.Options(1)).has_value());

  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->request_id, "req-ctx");
  EXPECT_EQ(seen->deadline_ms, 32503680000000);
  EXPECT_EQ(seen->invoked_function_arn, "arn:aws:lambda:eu-west-1:111122223333:function:BookLibrary-API-dev");
  EXPECT_EQ(trace_env, "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  EXPECT_GT(seen->RemainingTime().value(), std::chrono::hours(24));
}

TEST(LambdaRuntimeTest, PassedDeadlineLeavesNoRemainingTime) {
  InvocationContext context;
  context.deadline_ms = 1000;
  EXPECT_EQ(context.RemainingTime(), std::chrono::milliseconds(0));
  EXPECT_EQ(InvocationContext{}.RemainingTime(), std::nullopt);
}

TEST(LambdaRuntimeTest, RuntimeApiClosingTheConnectionEndsTheLoopWithAnError) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-1", "{\"n\":1}")});

  const auto ended = RunRuntime(EchoHandler, runtime.Options(std::nullopt));

  ASSERT_FALSE(ended.has_value());
  EXPECT_EQ(ended.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(runtime.Posted("/invocation/req-1/response").value().body, "{\"n\":1}");
}

TEST(LambdaRuntimeTest, InitFailureIsPostedToInitErrorAndTheProcessExitsNonZero) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-1", "{}")});
  const HandlerFactory failing_init = []() -> Result<InvocationHandler> {
    return Fail(ErrorCode::kInvalidArgument, "USERS_TABLE is not set");
  };

  const int exit_code = RunLambdaProcess(failing_init, runtime.Options(1));

  EXPECT_NE(exit_code, 0);
  const auto posted = runtime.Posted("/init/error");
  ASSERT_TRUE(posted.has_value());
  EXPECT_EQ(json::parse(posted->body)["errorMessage"], "USERS_TABLE is not set");
  EXPECT_EQ(runtime.RequestCount("/invocation/next"), 0);
}

TEST(LambdaRuntimeTest, SuccessfulInitServesEventsAndExitsZeroAfterTheLastOne) {
  FakeRuntime runtime;
  runtime.ServeEvents({FakeRuntime::Event("req-1", "{\"a\":1}"), FakeRuntime::Event("req-2", "{\"b\":2}")});
  const HandlerFactory init = []() -> Result<InvocationHandler> { return InvocationHandler(EchoHandler); };

  EXPECT_EQ(RunLambdaProcess(init, runtime.Options(2)), 0);

  EXPECT_EQ(runtime.Posted("/invocation/req-2/response").value().body, "{\"b\":2}");
  EXPECT_FALSE(runtime.Posted("/init/error").has_value());
}

TEST(LambdaRuntimeTest, OptionsFromEnvironmentRequireTheRuntimeApiAddress) {
  ::unsetenv("AWS_LAMBDA_RUNTIME_API");
  EXPECT_FALSE(RuntimeOptionsFromEnvironment().has_value());
  ::setenv("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001", 1);
  EXPECT_EQ(RuntimeOptionsFromEnvironment().value().api_address, "127.0.0.1:9001");
  ::unsetenv("AWS_LAMBDA_RUNTIME_API");
}

}  // namespace
}  // namespace booklib::lambda
