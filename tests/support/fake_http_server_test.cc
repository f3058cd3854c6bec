// FakeHttpServer's own contract: routing, recording, concurrency, misbehaviours and a prompt Stop.
#include "tests/support/fake_http_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <stdexcept>
#include <vector>

#include "net/http_client.h"

namespace booklib::test {
namespace {

using namespace std::chrono_literals;

net::HttpClientResponse GetOrFail(const FakeHttpServer& server, const std::string& target) {
  net::HttpClient client;
  net::HttpClientRequest request;
  request.url = server.BaseUrl() + target;
  auto response = client.Send(request);
  if (!response) throw std::runtime_error(response.error().message);
  return *response;
}

TEST(FakeHttpServerTest, ListensOnLoopbackWithAnEphemeralPort) {
  const FakeHttpServer server;

  EXPECT_GT(server.Port(), 0);
  EXPECT_EQ(server.BaseUrl(), "http://127.0.0.1:" + std::to_string(server.Port()));
}

TEST(FakeHttpServerTest, AnExactPathWinsOverAPrefixWhichWinsOverTheDefault) {
  FakeHttpServer server;
  server.Respond("/a/b", FakeResponse::Text("exact"));
  server.HandlePrefix("/a/", [](const FakeRequest&) { return FakeResponse::Text("short prefix"); });
  server.HandlePrefix("/a/c", [](const FakeRequest&) { return FakeResponse::Text("long prefix"); });
  server.HandleDefault([](const FakeRequest&) { return FakeResponse::Text("default", 418); });

  EXPECT_EQ(GetOrFail(server, "/a/b?x=1").body, "exact");
  EXPECT_EQ(GetOrFail(server, "/a/c/d").body, "long prefix");
  EXPECT_EQ(GetOrFail(server, "/a/z").body, "short prefix");
  EXPECT_EQ(GetOrFail(server, "/elsewhere").status, 418);
}

TEST(FakeHttpServerTest, AnUnroutedPathIsA404) {
  FakeHttpServer server;

  EXPECT_EQ(GetOrFail(server, "/nothing").status, 404);
}

TEST(FakeHttpServerTest, RecordsAndCountsRequestsPerPath) {
  FakeHttpServer server;
  server.Respond("/x", FakeResponse::Status(204));

  GetOrFail(server, "/x?first");
  GetOrFail(server, "/x?second");
  GetOrFail(server, "/y");

  EXPECT_EQ(server.RequestCount("/x"), 2);
  EXPECT_EQ(server.RequestCount("/y"), 1);
  EXPECT_EQ(server.RequestCount("/z"), 0);
  EXPECT_EQ(server.TotalRequestCount(), 3);
  const auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].target, "/x?first");
  EXPECT_EQ(requests[1].query, "second");
  EXPECT_EQ(requests[2].method, "GET");
  EXPECT_EQ(server.LastRequest()->path, "/y");
  EXPECT_FALSE(server.LastRequest()->Header("host").empty());
}

TEST(FakeHttpServerTest, RespondInOrderRepeatsTheLastResponse) {
  FakeHttpServer server;
  server.RespondInOrder("/r",
                        {FakeResponse::Status(500), FakeResponse::Status(503), FakeResponse::Status(200)});

  std::vector<int> statuses;
  for (int i = 0; i < 4; ++i) statuses.push_back(GetOrFail(server, "/r").status);

  EXPECT_EQ(statuses, (std::vector<int>{500, 503, 200, 200}));
}

TEST(FakeHttpServerTest, DelayedAnswersToParallelRequestsDoNotWaitForEachOther) {
  FakeHttpServer server;
  server.Respond("/slow", FakeResponse::Text("late").WithDelay(400ms));
  constexpr int kParallel = 20;

  const auto started = std::chrono::steady_clock::now();
  std::vector<std::future<int>> statuses;
  for (int i = 0; i < kParallel; ++i) {
    statuses.push_back(
        std::async(std::launch::async, [&server] { return GetOrFail(server, "/slow").status; }));
  }
  for (auto& status : statuses) EXPECT_EQ(status.get(), 200);
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(server.RequestCount("/slow"), kParallel);
  EXPECT_LT(elapsed, 3s);  // serialised would be 8 s
}

TEST(FakeHttpServerTest, AThrowingHandlerAnswers500AndTheServerKeepsServing) {
  FakeHttpServer server;
  server.Handle("/boom", [](const FakeRequest&) -> FakeResponse { throw std::runtime_error("kaput"); });
  server.Respond("/fine", FakeResponse::Text("ok"));

  const auto boom = GetOrFail(server, "/boom");

  EXPECT_EQ(boom.status, 500);
  EXPECT_NE(boom.body.find("kaput"), std::string::npos);
  EXPECT_EQ(GetOrFail(server, "/fine").status, 200);
}

TEST(FakeHttpServerTest, StopReturnsPromptlyWhileARequestHangs) {
  FakeHttpServer server;
  server.Respond("/stuck", FakeResponse::Hang());
  auto pending = std::async(std::launch::async, [&server] {
    net::HttpClient client;
    net::HttpClientRequest request;
    request.url = server.BaseUrl() + "/stuck";
    request.total_timeout = 10s;
    return client.Send(request);
  });
  ASSERT_TRUE(server.WaitForRequests("/stuck", 1, 5s));

  const auto started = std::chrono::steady_clock::now();
  server.Stop();
  const auto stopped_after = std::chrono::steady_clock::now() - started;

  EXPECT_LT(stopped_after, 1s);
  const auto response = pending.get();
  ASSERT_FALSE(response.has_value());
  EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace booklib::test
