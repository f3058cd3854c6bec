// The JSON API on a real server over loopback: personal tokens (made, used, read-only, revoked,
// made up, another reader's), the session's CSRF header on writes, errors in the API's shape, and
// what the library page's model looks like through it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/http/test_app.h"

namespace booklib::test {
namespace {

using nlohmann::json;
using Headers = std::vector<std::pair<std::string, std::string>>;

json Body(const Page& page) { return json::parse(page.body, nullptr, /*allow_exceptions=*/false); }

// The error code of an API answer ({"error": {"code": ...}}), or "" when it has none.
std::string ErrorCode(const Page& page) {
  const json body = Body(page);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return body["error"].value("code", "");
}

class ApiTest : public testing::Test {
 protected:
  void SetUp() override { owner_.SignUpAndLogIn("ada"); }

  // A token made with the owner's browser session; its secret.
  std::string MakeToken(const std::string& scope, const std::string& name = "script") {
    const Page made = owner_.Json("POST", "/api/v1/tokens", json{{"name", name}, {"scope", scope}}.dump());
    EXPECT_EQ(made.status, 201) << made.body;
    token_ids_.push_back(Body(made).value("id", ""));
    return Body(made).value("secret", "");
  }

  // The API called with `secret` as a Bearer token and no cookie at all.
  Page WithToken(const std::string& secret, const std::string& method, const std::string& path,
                 const std::string& body = "") {
    Browser client(app_.BaseUrl());
    return client.Json(method, path, body, {{"Authorization", "Bearer " + secret}}, /*with_csrf=*/false);
  }

  TestApp app_;
  Browser owner_{app_.BaseUrl()};
  std::vector<std::string> token_ids_;
};

TEST_F(ApiTest, ATokenIsShownOnceStoredHashedAndOpensItsOwnersLibrary) {
  const std::string secret = MakeToken("read-write");
  ASSERT_TRUE(secret.starts_with("bkl_")) << secret;
  EXPECT_EQ(secret.size(), 4u + 43u);

  const Page me = WithToken(secret, "GET", "/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(Body(me)["username"], "ada");
  EXPECT_EQ(Body(me)["auth"], "token");
  EXPECT_EQ(Body(me)["scope"], "read-write");
  EXPECT_TRUE(me.SetCookies().empty()) << "a token's answers set no cookie";

  const Page added = WithToken(secret, "POST", "/api/v1/books", R"({"isbn": "978-0-441-17271-9"})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Body(added)["isbn"], "9780441172719");
  EXPECT_EQ(Body(added)["sync_status"], "PENDING");
  EXPECT_EQ(added.Header("location"), "/api/v1/books/" + Body(added)["id"].get<std::string>());

  // The list shows no secret, and the use was recorded.
  const Page listed = owner_.Json("GET", "/api/v1/tokens");
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(Body(listed)["tokens"].size(), 1u);
  EXPECT_FALSE(Contains(listed.body, secret));
  EXPECT_FALSE(Contains(listed.body, "secret"));
  EXPECT_TRUE(Body(listed)["tokens"][0]["last_used_at"].is_string()) << listed.body;
  // The database holds the hash, never the secret.
  EXPECT_FALSE(Contains(owner_.Get("/account").body, secret))
      << "the account page shows the secret only once";
}

TEST_F(ApiTest, AReadOnlyTokenReadsButEveryWriteIs403) {
  const std::string writer = MakeToken("read-write");
  const Page added = WithToken(writer, "POST", "/api/v1/books", R"({"title": "Typed by hand"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = Body(added)["id"];

  const std::string reader = MakeToken("read");
  EXPECT_EQ(WithToken(reader, "GET", "/api/v1/books").status, 200);
  EXPECT_EQ(WithToken(reader, "GET", "/api/v1/books/" + id).status, 200);
  for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"POST", "/api/v1/books", R"({"title": "x"})"},
           {"PATCH", "/api/v1/books/" + id, R"({"rating": 4})"},
           {"DELETE", "/api/v1/books/" + id, ""},
           {"POST", "/api/v1/shelves", R"({"name": "x"})"}}) {
    const Page refused = WithToken(reader, method, path, body);
    EXPECT_EQ(refused.status, 403) << method << " " << path << ": " << refused.body;
    EXPECT_EQ(ErrorCode(refused), "permission_denied");
  }
  const Page still = WithToken(reader, "GET", "/api/v1/books/" + id);
  EXPECT_EQ(Body(still)["rating"], nullptr) << "nothing was written";
}

TEST_F(ApiTest, ARevokedTokenAndAMadeUpOneAre401) {
  const std::string secret = MakeToken("read-write");
  ASSERT_EQ(WithToken(secret, "GET", "/api/v1/me").status, 200);
  const Page revoked = owner_.Json("DELETE", "/api/v1/tokens/" + token_ids_.back());
  ASSERT_EQ(revoked.status, 204) << revoked.body;
  const Page after = WithToken(secret, "GET", "/api/v1/me");
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(ErrorCode(after), "unauthenticated");
  EXPECT_TRUE(Contains(after.Header("www-authenticate"), "Bearer")) << after.Header("www-authenticate");

  for (const std::string& made_up : {std::string("bkl_") + std::string(43, 'A'), std::string("not-a-token"),
                                     std::string(""), secret + "x"}) {
    const Page refused = WithToken(made_up, "GET", "/api/v1/books");
    EXPECT_EQ(refused.status, 401) << made_up << ": " << refused.body;
    EXPECT_EQ(ErrorCode(refused), "unauthenticated");
  }
}

TEST_F(ApiTest, AnotherReadersIdsAre404ForEveryOperation) {
  const std::string secret = MakeToken("read-write");
  const Page added = WithToken(secret, "POST", "/api/v1/books", R"({"title": "Ada's own"})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = Body(added)["id"];

  Browser other(app_.BaseUrl());
  other.SignUpAndLogIn("grace");
  const Page made = other.Json("POST", "/api/v1/tokens", R"({"name": "g", "scope": "read-write"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string theirs = Body(made)["secret"];
  for (const auto& [method, path, body] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"GET", "/api/v1/books/" + id, std::string()},
           {"PATCH", "/api/v1/books/" + id, std::string(R"({"rating": 1})")},
           {"DELETE", "/api/v1/books/" + id, std::string()},
           {"GET", "/api/v1/books/" + id + "/reads", std::string()},
           {"POST", "/api/v1/books/" + id + "/reads", std::string(R"({"finished_on": "2020-01-01"})")},
           {"PUT", "/api/v1/books/" + id + "/progress", std::string(R"({"value": 3, "unit": "page"})")},
           {"PUT", "/api/v1/books/" + id + "/shelves/Mine", std::string()},
           {"POST", "/api/v1/books/" + id + "/retry", std::string()}}) {
    const Page refused = WithToken(theirs, method, path, body);
    EXPECT_EQ(refused.status, 404) << method << " " << path << ": " << refused.body;
    EXPECT_EQ(ErrorCode(refused), "not_found");
  }
  // Nor may another reader revoke Ada's token.
  EXPECT_EQ(other.Json("DELETE", "/api/v1/tokens/" + token_ids_.back()).status, 404);
  EXPECT_EQ(WithToken(secret, "GET", "/api/v1/books/" + id).status, 200) << "untouched";
  EXPECT_EQ(WithToken(theirs, "GET", "/api/v1/books").status, 200);
  EXPECT_EQ(Body(WithToken(theirs, "GET", "/api/v1/books"))["total"], 0);
}

TEST_F(ApiTest, SessionWritesNeedTheCsrfHeaderAndASameSiteOrigin) {
  const Page no_header = owner_.Json("POST", "/api/v1/books", R"({"title": "x"})", {}, /*with_csrf=*/false);
  EXPECT_EQ(no_header.status, 403) << no_header.body;
  EXPECT_EQ(ErrorCode(no_header), "permission_denied");
  const Page wrong = owner_.Json("POST", "/api/v1/books", R"({"title": "x"})", {{"X-CSRF-Token", "forged"}},
                                 /*with_csrf=*/false);
  EXPECT_EQ(wrong.status, 403);
  const Page foreign =
      owner_.Json("POST", "/api/v1/books", R"({"title": "x"})", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(owner_.Json("DELETE", "/api/v1/tokens/whatever", "", {}, /*with_csrf=*/false).status, 403);
  EXPECT_EQ(Body(owner_.Json("GET", "/api/v1/books"))["total"], 0) << "nothing was added";
  const Page with_header = owner_.Json("POST", "/api/v1/books", R"({"title": "x"})");
  EXPECT_EQ(with_header.status, 201) << with_header.body;
  // Tokens are made and revoked with the browser session only.
  const std::string secret = MakeToken("read-write");
  const Page by_token = WithToken(secret, "POST", "/api/v1/tokens", R"({"name": "more"})");
  EXPECT_EQ(by_token.status, 403) << by_token.body;
  EXPECT_EQ(WithToken(secret, "GET", "/api/v1/tokens").status, 403);
}

TEST_F(ApiTest, BadInputIsA4xxInTheApisShapeNeverHtmlNorA500) {
  const std::string secret = MakeToken("read-write");
  const Page added = WithToken(secret, "POST", "/api/v1/books", R"({"isbn": "9780441172719"})");
  ASSERT_EQ(added.status, 201);
  const std::string id = Body(added)["id"];
  struct Case {
    std::string method, path, body;
    int status;
    std::string code, field;
  };
  for (const Case& c : std::vector<Case>{
           {"POST", "/api/v1/books", "{not json", 400, "invalid_argument", ""},
           {"POST", "/api/v1/books", "[1, 2]", 400, "invalid_argument", ""},
           {"POST", "/api/v1/books", R"({"isbn": "9780441172719"})", 409, "already_exists", "isbn"},
           {"POST", "/api/v1/books", R"({"isbn": "978044117271"})", 400, "invalid_argument", "isbn"},
           {"POST", "/api/v1/books", R"({"title": 5})", 400, "invalid_argument", "title"},
           {"POST", "/api/v1/books", R"({"colour": "red"})", 400, "invalid_argument", "colour"},
           {"POST", "/api/v1/books", "{}", 400, "invalid_argument", "isbn"},
           {"PATCH", "/api/v1/books/" + id, R"({"rating": 4.25})", 400, "invalid_argument", "rating"},
           {"PATCH", "/api/v1/books/" + id, R"({"status": "lost"})", 400, "invalid_argument", "status"},
           {"PATCH", "/api/v1/books/" + id, R"({"owned": "yes"})", 400, "invalid_argument", "owned"},
           {"PATCH", "/api/v1/books/" + id, R"({"page_count": 0})", 400, "invalid_argument", "page_count"},
           {"PATCH", "/api/v1/books/" + id, R"({"status_date": "2020-01-01"})", 400, "invalid_argument",
            "status_date"},
           {"PUT", "/api/v1/books/" + id + "/progress", R"({"value": 150, "unit": "percent"})", 400,
            "invalid_argument", "value"},
           {"POST", "/api/v1/books/" + id + "/reads",
            R"({"started_on": "2020-02-01", "finished_on": "2020-01-01"})", 400, "invalid_argument",
            "finished_on"},
           {"GET", "/api/v1/books?sort=sideways", "", 400, "invalid_argument", "sort"},
           {"GET", "/api/v1/books/nope", "", 404, "not_found", ""},
           {"PATCH", "/api/v1/shelves/Nothing", R"({"name": "x"})", 404, "not_found", ""},
       }) {
    const Page answer = WithToken(secret, c.method, c.path, c.body);
    EXPECT_EQ(answer.status, c.status) << c.method << " " << c.path << " " << c.body << ": " << answer.body;
    EXPECT_EQ(ErrorCode(answer), c.code) << c.method << " " << c.path << " " << c.body << ": " << answer.body;
    EXPECT_EQ(Body(answer)["error"].value("field", ""), c.field) << c.body << ": " << answer.body;
    EXPECT_TRUE(answer.Header("content-type").starts_with("application/json"))
        << answer.Header("content-type");
  }
  // An address or a method the API does not have is answered in the API's shape too.
  const Page nowhere = WithToken(secret, "GET", "/api/v1/nothing-here");
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(ErrorCode(nowhere), "not_found");
  const Page wrong_method = WithToken(secret, "PUT", "/api/v1/books");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(ErrorCode(wrong_method), "method_not_allowed");
  EXPECT_EQ(wrong_method.Header("allow"), "GET, POST");
  // A PATCH with one bad part writes none of its parts.
  const Page mixed = WithToken(secret, "PATCH", "/api/v1/books/" + id, R"({"owned": true, "rating": 9})");
  EXPECT_EQ(mixed.status, 400);
  EXPECT_EQ(Body(WithToken(secret, "GET", "/api/v1/books/" + id))["owned"], false);
  // A form body is not JSON.
  Browser client(app_.BaseUrl());
  const Page form = client.PostRaw("/api/v1/books", "application/x-www-form-urlencoded", "title=x",
                                   /*with_csrf=*/false, {{"Authorization", "Bearer " + secret}});
  EXPECT_EQ(form.status, 415) << form.body;
  EXPECT_EQ(ErrorCode(form), "unsupported_media_type");
}

TEST_F(ApiTest, AnOversizedBodyIsRefusedBeforeItIsReadInTheApisShape) {
  const std::string secret = MakeToken("read-write");
  Browser client(app_.BaseUrl());
  const std::string huge(300 * 1024, ' ');  // over the 256 KiB a JSON body may have
  const Page refused = client.Json("POST", "/api/v1/books", "{\"title\": \"x\"}" + huge,
                                   {{"Authorization", "Bearer " + secret}}, /*with_csrf=*/false);
  EXPECT_EQ(refused.status, 413) << refused.body;
  EXPECT_EQ(ErrorCode(refused), "too_large");
  EXPECT_TRUE(Contains(Body(refused)["error"]["message"].get<std::string>(), "256 KiB")) << refused.body;
  // A photo may be large, from a token too, but not from nobody.
  const Page anonymous = client.PostRaw("/api/v1/scan", "image/jpeg", std::string(2 << 20, 'x'), false);
  EXPECT_EQ(anonymous.status, 401) << anonymous.body;
  EXPECT_EQ(ErrorCode(anonymous), "unauthenticated");
  const Page not_a_photo = client.PostRaw("/api/v1/scan", "image/jpeg", std::string(2 << 20, 'x'), false,
                                          {{"Authorization", "Bearer " + secret}});
  EXPECT_EQ(not_a_photo.status, 400) << not_a_photo.body;
  EXPECT_EQ(ErrorCode(not_a_photo), "invalid_argument");
}

TEST(ApiCors, OnlyAConfiguredOriginIsAnsweredAndNeverWithCredentials) {
  TestApp app(TestAppOptions{.cors_origins = {"https://app.example"}});
  Browser browser(app.BaseUrl());
  browser.SignUpAndLogIn("cora");
  const Page made = browser.Json("POST", "/api/v1/tokens", R"({"name": "spa", "scope": "read"})");
  ASSERT_EQ(made.status, 201) << made.body;
  const std::string secret = Body(made)["secret"];
  Browser client(app.BaseUrl());
  const Page preflight =
      client.Json("OPTIONS", "/api/v1/books", "",
                  {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "GET"}},
                  /*with_csrf=*/false);
  EXPECT_EQ(preflight.status, 204) << preflight.body;
  EXPECT_EQ(preflight.Header("access-control-allow-origin"), "https://app.example");
  EXPECT_TRUE(Contains(preflight.Header("access-control-allow-headers"), "Authorization"));
  const Page allowed =
      client.Json("GET", "/api/v1/books", "",
                  {{"Origin", "https://app.example"}, {"Authorization", "Bearer " + secret}}, false);
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.Header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(allowed.Header("access-control-allow-credentials"), "");
  const Page other =
      client.Json("GET", "/api/v1/books", "",
                  {{"Origin", "https://evil.example"}, {"Authorization", "Bearer " + secret}}, false);
  EXPECT_EQ(other.Header("access-control-allow-origin"), "")
      << "an origin not configured gets no CORS header";
  const Page page = client.Json("GET", "/books", "", {{"Origin", "https://app.example"}}, false);
  EXPECT_EQ(page.Header("access-control-allow-origin"), "") << "pages are never shared";
  const Page not_api =
      client.Json("OPTIONS", "/books", "",
                  {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}}, false);
  EXPECT_EQ(not_api.status, 403);
}

TEST(ApiCors, WithoutConfiguredOriginsThereIsNoCors) {
  TestApp app;
  Browser client(app.BaseUrl());
  const Page preflight =
      client.Json("OPTIONS", "/api/v1/books", "",
                  {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "GET"}},
                  /*with_csrf=*/false);
  EXPECT_NE(preflight.status, 204);
  EXPECT_EQ(preflight.Header("access-control-allow-origin"), "");
}

TEST_F(ApiTest, APatchChangesWhatItNamesInOneWriteAndTheListFollowsTheLibraryPage) {
  const std::string secret = MakeToken("read-write");
  const Page added = WithToken(secret, "POST", "/api/v1/books",
                               R"({"title": "Dune", "author": "Frank Herbert", "page_count": 412})");
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string id = Body(added)["id"];
  const Page changed = WithToken(
      secret, "PATCH", "/api/v1/books/" + id,
      R"({"status": "read", "status_date": "2025-06-01", "rating": 4.5, "owned": true, "review": "Spice.",
                    "series": "Dune", "series_index": "1"})");
  ASSERT_EQ(changed.status, 200) << changed.body;
  const json entry = Body(changed);
  EXPECT_EQ(entry["status"], "read");
  EXPECT_EQ(entry["rating"], 4.5);
  EXPECT_EQ(entry["owned"], true);
  EXPECT_EQ(entry["review"], "Spice.");
  EXPECT_EQ(entry["date_read"], "2025-06-01");
  EXPECT_EQ(entry["read_count"], 1);
  EXPECT_EQ(entry["title"], "Dune") << "untouched details stay";
  EXPECT_EQ(entry["page_count"], 412);
  EXPECT_EQ(entry["typed"]["series"], "Dune");

  ASSERT_EQ(WithToken(secret, "PUT", "/api/v1/books/" + id + "/shelves/Sci%20fi").status, 200);
  const Page found = WithToken(secret, "GET", "/api/v1/books?q=herbert&shelf=sci%20fi&status=read");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(Body(found)["total"], 1);
  EXPECT_EQ(Body(found)["books"][0]["shelves"], json::array({"Sci fi"}));
  EXPECT_EQ(Body(found)["status_counts"]["read"], 1);
  EXPECT_EQ(Body(found)["links"]["self"], "/api/v1/books?q=herbert&status=read&shelf=sci%20fi");
  // Validated like the page: the same ETag answers 304 until something changes.
  const std::string etag = found.Header("etag");
  ASSERT_FALSE(etag.empty());
  Browser client(app_.BaseUrl());
  const Headers again{{"Authorization", "Bearer " + secret}, {"If-None-Match", etag}};
  EXPECT_EQ(client.Json("GET", "/api/v1/books?q=herbert&shelf=sci%20fi&status=read", "", again, false).status,
            304);
  ASSERT_EQ(WithToken(secret, "PATCH", "/api/v1/books/" + id, R"({"notes": "reread"})").status, 200);
  EXPECT_EQ(client.Json("GET", "/api/v1/books?q=herbert&shelf=sci%20fi&status=read", "", again, false).status,
            200);
}

TEST_F(ApiTest, TheDocumentAndItsReferencePageAreServedByBooklibItself) {
  Browser anyone(app_.BaseUrl());
  const Page document = anyone.Get("/api/v1/openapi.json");
  ASSERT_EQ(document.status, 200);
  const json doc = Body(document);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_TRUE(doc["paths"].contains("/api/v1/books"));
  const Page reference = anyone.Get("/api/docs");
  ASSERT_EQ(reference.status, 200);
  EXPECT_TRUE(Contains(reference.body, "swagger-ui-bundle")) << reference.body;
  EXPECT_FALSE(Contains(reference.body, "https://")) << "nothing from another origin";
  // The viewer's files are this server's own.
  const std::size_t at = reference.body.find("/static/swagger-ui-bundle.");
  ASSERT_NE(at, std::string::npos);
  const std::string script = reference.body.substr(at, reference.body.find('"', at) - at);
  const Page bundle = anyone.Get(script);
  EXPECT_EQ(bundle.status, 200);
  EXPECT_GT(bundle.body.size(), 100000u);
  EXPECT_TRUE(Contains(owner_.Get("/account").body, "/api/docs")) << "linked from the account page";
}

}  // namespace
}  // namespace booklib::test
