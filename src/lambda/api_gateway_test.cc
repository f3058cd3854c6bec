// Tests of the API Gateway payload 2.0 mapping, on the fixtures in testdata/.
#include "lambda/api_gateway.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/fixtures.h"

namespace booklib::lambda {
namespace {

using nlohmann::json;
using test::ReadFixture;

web::Request ParseFixture(const std::string& name) {
  auto request = RequestFromApiGatewayEvent(ReadFixture(name));
  EXPECT_TRUE(request.has_value()) << (request ? "" : request.error().message);
  return request.value_or(web::Request{});
}

// A minimal valid event with `extra` members merged in.
std::string MinimalEvent(const json& extra) {
  json event = {
      {"version", "2.0"},
      {"rawPath", "/"},
      {"rawQueryString", ""},
      {"requestContext", {{"http", {{"method", "GET"}, {"sourceIp", "192.0.2.1"}}}, {"requestId", "r-1"}}},
  };
  event.update(extra);
  return event.dump();
}

TEST(ApiGatewayRequestTest, PathIsPercentDecodedAndQueryStringKeptRaw) {
  const web::Request request = ParseFixture("apigw_v2_get_books.json");
  EXPECT_EQ(request.path, "/books/shelf one");
  EXPECT_EQ(request.query, "status=to-read&next=%2Fbooks&q=a+b");
}

TEST(ApiGatewayRequestTest, CookiesArrayIsJoinedIntoOneCookieHeader) {
  const web::Request request = ParseFixture("apigw_v2_get_books.json");
  EXPECT_EQ(request.headers.at("cookie"), "session=s3ss10n; theme=dark");
}

TEST(ApiGatewayRequestTest, HeaderNamesAreLowerCased) {
  const web::Request request = ParseFixture("apigw_v2_get_books.json");
  EXPECT_EQ(request.headers.at("accept-language"), "en-GB,en;q=0.8");
  EXPECT_EQ(request.headers.count("Accept-Language"), 0u);
}

TEST(ApiGatewayRequestTest, MethodSourceIpAndRequestIdComeFromTheRequestContext) {
  const web::Request request = ParseFixture("apigw_v2_get_books.json");
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.remote_address, "203.0.113.7");
  EXPECT_EQ(request.request_id, "Xk2bWhzvjoEEMdQ=");
}

TEST(ApiGatewayRequestTest, RequestsThroughApiGatewayAreSecure) {
  EXPECT_TRUE(ParseFixture("apigw_v2_get_books.json").secure);
}

TEST(ApiGatewayRequestTest, Base64BodyIsDecoded) {
  const web::Request request = ParseFixture("apigw_v2_post_form_base64.json");
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.body, "title=Dune&isbn=978-0-441-01359-3&note=%C3%A9t%C3%A9");
  EXPECT_EQ(request.headers.at("content-type"), "application/x-www-form-urlencoded");
}

TEST(ApiGatewayRequestTest, PlainBodyIsTakenAsIs) {
  const auto request = RequestFromApiGatewayEvent(MinimalEvent({{"body", R"({"isbn":"0441013597"})"}}));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->body, R"({"isbn":"0441013597"})");
}

TEST(ApiGatewayRequestTest, HeaderNamesDifferingOnlyInCaseAreJoinedWithCommas) {
  const auto request =
      RequestFromApiGatewayEvent(MinimalEvent({{"headers", {{"X-Tag", "a"}, {"x-tag", "b"}}}}));
  ASSERT_TRUE(request.has_value());
  EXPECT_THAT(request->headers.at("x-tag"), testing::AnyOf("a, b", "b, a"));
}

TEST(ApiGatewayRequestTest, EmptyRawPathMeansTheRoot) {
  const auto request = RequestFromApiGatewayEvent(MinimalEvent({{"rawPath", ""}}));
  ASSERT_TRUE(request.has_value());
  EXPECT_EQ(request->path, "/");
}

TEST(ApiGatewayRequestTest, MalformedEventsAreRejectedAsInvalidArguments) {
  const std::string bad_events[] = {
      "not json",
      "[1, 2]",
      R"({"rawPath": "/", "requestContext": {}})",
      MinimalEvent({{"rawPath", nullptr}}),
      MinimalEvent({{"rawPath", "/bad%zzescape"}}),
      MinimalEvent({{"body", "***"}, {"isBase64Encoded", true}}),
      MinimalEvent({{"headers", {{"accept", 5}}}}),
      MinimalEvent({{"cookies", "session=1"}}),
  };
  for (const std::string& event : bad_events) {
    const auto request = RequestFromApiGatewayEvent(event);
    ASSERT_FALSE(request.has_value()) << event;
    EXPECT_EQ(request.error().code, ErrorCode::kInvalidArgument) << event;
  }
}

TEST(ApiGatewayResponseTest, EverySetCookieBecomesItsOwnCookieAndNeverAHeader) {
  web::Response response;
  response.status = 302;
  response.headers = {{"Location", "/books"},
                      {"Set-Cookie", "session=abc; Path=/; HttpOnly; Secure"},
                      {"set-cookie", "flash=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}};
  const json out = json::parse(ApiGatewayResponseJson(response));
  EXPECT_EQ(out["statusCode"], 302);
  EXPECT_EQ(out["cookies"], json::array({"session=abc; Path=/; HttpOnly; Secure",
                                         "flash=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"}));
  EXPECT_EQ(out["headers"], json({{"Location", "/books"}}));
}

TEST(ApiGatewayResponseTest, RepeatedHeadersAreJoinedWithCommas) {
  web::Response response;
  response.headers = {{"Vary", "Cookie"}, {"vary", "Accept-Encoding"}};
  const json out = json::parse(ApiGatewayResponseJson(response));
  EXPECT_EQ(out["headers"], json({{"Vary", "Cookie, Accept-Encoding"}}));
  EXPECT_FALSE(out.contains("cookies"));
}

TEST(ApiGatewayResponseTest, Utf8TextBodyIsSentAsText) {
  web::Response response;
  response.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  response.body = "<h1>Étagère — 本</h1>";
  const json out = json::parse(ApiGatewayResponseJson(response));
  EXPECT_EQ(out["statusCode"], 200);
  EXPECT_EQ(out["body"], "<h1>Étagère — 本</h1>");
  EXPECT_EQ(out["isBase64Encoded"], false);
}

TEST(ApiGatewayResponseTest, BinaryBodyIsSentAsBase64) {
  web::Response response;
  response.headers = {{"Content-Type", "image/png"}};
  response.body = std::string("\x89PNG\r\n\x1a\n\0\xff", 10);
  const json out = json::parse(ApiGatewayResponseJson(response));
  EXPECT_EQ(out["isBase64Encoded"], true);
  EXPECT_EQ(out["body"], "iVBORw0KGgoA/w==");
}

TEST(ApiGatewayResponseTest, InvalidUtf8SequencesMakeTheBodyBinary) {
  for (const std::string body : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "abc\xe2\x82"}) {
    web::Response response;
    response.body = body;
    EXPECT_EQ(json::parse(ApiGatewayResponseJson(response))["isBase64Encoded"], true);
  }
}

}  // namespace
}  // namespace booklib::lambda
