// The routing table: exact paths, {params}, 404, 405 with Allow, HEAD.
#include "web/router.h"

#include <gtest/gtest.h>

namespace booklib::web {
namespace {

Request Make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

Handler Echo(const std::string& name) {
  return [name](const Request&, const PathParams& params) {
    Response response = TextResponse(200, name);
    for (const auto& [key, value] : params) response.body += key + "=" + value + "\n";
    return response;
  };
}

class RouterTest : public testing::Test {
 protected:
  void SetUp() override {
    router_.Add("GET", "/books", Echo("list"));
    router_.Add("GET", "/edit_book/{id}", Echo("edit-form"));
    router_.Add("POST", "/edit_book/{id}", Echo("edit-save"));
    router_.Add("POST", "/delete_book/{id}", Echo("delete"));
  }
  Router router_;
};

TEST_F(RouterTest, MatchesExactPathsAndCapturesParameters) {
  EXPECT_EQ(router_.Dispatch(Make("GET", "/books")).body, "list\n");
  const Response edit = router_.Dispatch(Make("POST", "/edit_book/abc-123"));
  EXPECT_EQ(edit.body, "edit-save\nid=abc-123\n");
}

TEST_F(RouterTest, ToleratesATrailingSlash) {
  EXPECT_EQ(router_.Dispatch(Make("GET", "/books/")).status, 200);
}

TEST_F(RouterTest, UnknownPathsAre404AndParametersNeedASegment) {
  EXPECT_EQ(router_.Dispatch(Make("GET", "/nothing")).status, 404);
  EXPECT_EQ(router_.Dispatch(Make("GET", "/edit_book")).status, 404);
  EXPECT_EQ(router_.Dispatch(Make("GET", "/edit_book/a/b")).status, 404);
}

TEST_F(RouterTest, AWrongMethodIs405WithTheAllowedOnes) {
  const Response response = router_.Dispatch(Make("GET", "/delete_book/x"));
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.FindHeader("allow"), "POST");
}

TEST_F(RouterTest, HeadRunsGetWithoutABody) {
  const Response response = router_.Dispatch(Make("HEAD", "/books"));
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
}

TEST_F(RouterTest, TheAnsweringPatternNamesTheRouteNotThePath) {
  const auto edit = router_.DispatchWithPattern(Make("POST", "/edit_book/abc-123"));
  EXPECT_EQ(edit.response.body, "edit-save\nid=abc-123\n");
  EXPECT_EQ(edit.pattern, "/edit_book/{id}");
  EXPECT_EQ(router_.DispatchWithPattern(Make("HEAD", "/books/")).pattern, "/books");
  const auto wrong_method = router_.DispatchWithPattern(Make("GET", "/delete_book/x"));
  EXPECT_EQ(wrong_method.response.status, 405);
  EXPECT_EQ(wrong_method.pattern, "/delete_book/{id}");
  const auto unknown = router_.DispatchWithPattern(Make("GET", "/etc/passwd"));
  EXPECT_EQ(unknown.response.status, 404);
  EXPECT_EQ(unknown.pattern, "");
}

TEST(RouterRules, EachRouteCarriesItsOwnRulesAndNoMatchHasNone) {
  Router router;
  router.Add("POST", "/upload/{id}", Echo("upload"),
             RouteRules{.access = Access::kUser,
                        .csrf = Csrf::kHeader,
                        .media = Media::kPhoto,
                        .large_body_limit = 16u << 20});
  router.Add("GET", "/upload/{id}", Echo("show"), RouteRules{.access = Access::kPublic});
  router.Add("POST", "/form", Echo("form"), RouteRules{.access = Access::kUser, .media = Media::kForm});
  const RouteRules* upload = router.RulesFor(Make("POST", "/upload/7"));
  ASSERT_NE(upload, nullptr);
  EXPECT_EQ(upload->large_body_limit, 16u << 20);
  EXPECT_EQ(upload->media, Media::kPhoto);
  EXPECT_EQ(upload->csrf, Csrf::kHeader);
  ASSERT_NE(router.RulesFor(Make("GET", "/upload/7")), nullptr);  // same path, another method
  EXPECT_EQ(router.RulesFor(Make("GET", "/upload/7"))->access, Access::kPublic);
  EXPECT_EQ(router.RulesFor(Make("HEAD", "/upload/7"))->access, Access::kPublic);
  EXPECT_EQ(router.RulesFor(Make("GET", "/upload/7"))->large_body_limit, 0u);
  EXPECT_EQ(router.RulesFor(Make("POST", "/form"))->media, Media::kForm);
  EXPECT_EQ(router.RulesFor(Make("POST", "/nothing")), nullptr);
  EXPECT_EQ(router.RulesFor(Make("PUT", "/upload/7")), nullptr);  // 405
}

}  // namespace
}  // namespace booklib::web
