// Tests of the API and SQS invocation handlers, called directly (the runtime loop has its own tests).
#include "lambda/handlers.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/fixtures.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;
using test::ReadFixture;

std::int64_t MillisecondsFromNow(std::chrono::milliseconds offset) {
  const auto now = std::chrono::system_clock::now().time_since_epoch() + offset;
  return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

InvocationContext ContextWithTimeLeft(std::chrono::milliseconds left) {
  InvocationContext context;
  context.request_id = "req-1";
  context.deadline_ms = MillisecondsFromNow(left);
  return context;
}

TEST(SqsHandlerTest, EveryMessageIsProcessedWhenTimeIsAmple) {
  std::vector<std::string> processed;
  const auto handler = SqsHandler([&](const QueueMessage& message) -> Result<void> {
    processed.push_back(message.id);
    return {};
  });

  const auto response =
      handler(ReadFixture("sqs_three_records.json"), ContextWithTimeLeft(std::chrono::minutes(5)));

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(processed.size(), 3u);
  EXPECT_EQ(json::parse(*response), json::parse(R"({"batchItemFailures":[]})"));
}

TEST(SqsHandlerTest, MessagesNotStartedBeforeTheDeadlineReserveAreReportedAsFailures) {
  int processed = 0;
  const auto handler = SqsHandler(
      [&](const QueueMessage&) -> Result<void> {
        ++processed;
        return {};
      },
      std::chrono::seconds(20));

  const auto response =
      handler(ReadFixture("sqs_three_records.json"), ContextWithTimeLeft(std::chrono::seconds(5)));

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(processed, 0);
  EXPECT_EQ(json::parse(*response)["batchItemFailures"].size(), 3u);
}

TEST(ApiHandlerTest, EventIsRoutedAndTheResponseIsPayloadFormat2) {
  const auto handler = ApiHandler([](const web::Request& request) {
    web::Response response;
    response.status = 201;
    response.body = request.method + " " + request.path + "?" + request.query;
    return response;
  });

  const auto response = handler(ReadFixture("apigw_v2_get_books.json"), InvocationContext{});

  ASSERT_TRUE(response.has_value());
  const json out = json::parse(*response);
  EXPECT_EQ(out["statusCode"], 201);
  EXPECT_EQ(out["body"], "GET /books/shelf one?status=to-read&next=%2Fbooks&q=a+b");
}

TEST(ApiHandlerTest, EventThatIsNotAnApiGatewayRequestIsAnError) {
  bool routed = false;
  const auto handler = ApiHandler([&](const web::Request&) {
    routed = true;
    return web::Response{};
  });

  const auto response = handler(ReadFixture("sqs_three_records.json"), InvocationContext{});

  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(routed);
}

web::Admission SmallBodiesOnly(const web::Request& head) {
  if (head.path == "/members-only") return web::Admission{10, web::Response{401, {}, "log in first"}};
  return web::Admission{10, std::nullopt};
}

TEST(ApiHandlerTest, ABodyOverTheRoutesLimitIsAnswered413WithoutBeingDispatched) {
  bool routed = false;
  const auto handler = ApiHandler(
      [&](const web::Request&) {
        routed = true;
        return web::Response{};
      },
      SmallBodiesOnly);

  // The fixture posts a form of more than 10 bytes.
  const auto response = handler(ReadFixture("apigw_v2_post_form_base64.json"), InvocationContext{});

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(json::parse(*response)["statusCode"], 413);
  EXPECT_FALSE(routed);
}

TEST(ApiHandlerTest, AnEarlyAnswerOfTheAdmissionIsSentInsteadOfDispatching) {
  bool routed = false;
  std::string seen_length;
  const auto handler = ApiHandler(
      [&](const web::Request&) {
        routed = true;
        return web::Response{};
      },
      [&](const web::Request& head) {
        seen_length = std::string(head.Header("content-length"));
        return web::Admission{1 << 20, web::Response{401, {}, "log in first"}};
      });

  const auto response = handler(ReadFixture("apigw_v2_post_form_base64.json"), InvocationContext{});

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(json::parse(*response)["statusCode"], 401);
  EXPECT_FALSE(routed);
  EXPECT_FALSE(seen_length.empty());
  EXPECT_NE(seen_length, "0");
}

TEST(ApiHandlerTest, ABodyWithinTheLimitIsDispatchedWithItsBody) {
  std::string body;
  const auto handler = ApiHandler(
      [&](const web::Request& request) {
        body = request.body;
        return web::Response{204, {}, ""};
      },
      [](const web::Request&) {
        return web::Admission{1 << 20, std::nullopt};
      });

  const auto response = handler(ReadFixture("apigw_v2_post_form_base64.json"), InvocationContext{});

  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(json::parse(*response)["statusCode"], 204);
  EXPECT_GT(body.size(), 10u);
}

}  // namespace
}  // namespace booklib::lambda
