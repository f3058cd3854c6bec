// HttpClientPool: concurrent sends each get their own client; idle clients are kept and reused.
#include "net/http_client_pool.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <vector>

#include "tests/support/fake_http_server.h"

namespace booklib::net {
namespace {

using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeResponse;

TEST(HttpClientPoolTest, ConcurrentSendsAllSucceedAndClientsAreKeptForReuse) {
  FakeHttpServer server;
  server.Respond("/slow", FakeResponse::Text("ok").WithDelay(200ms));
  HttpClientPool pool(4);
  HttpClientRequest request;
  request.url = server.BaseUrl() + "/slow";

  std::vector<std::future<int>> statuses;
  for (int i = 0; i < 8; ++i) {
    statuses.push_back(std::async(std::launch::async, [&] {
      auto response = pool.Send(request);
      return response ? response->status : -1;
    }));
  }
  for (auto& status : statuses) EXPECT_EQ(status.get(), 200);

  EXPECT_EQ(server.RequestCount("/slow"), 8);
  EXPECT_EQ(pool.IdleCount(), 4u);
}

TEST(HttpClientPoolTest, SequentialSendsReuseOneWarmConnection) {
  FakeHttpServer server;
  server.Respond("/ping", FakeResponse::Text("pong"));
  HttpClientPool pool;
  HttpClientRequest request;
  request.url = server.BaseUrl() + "/ping";

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(pool.Send(request).has_value());

  EXPECT_EQ(server.ConnectionCount(), 1);
  EXPECT_EQ(pool.IdleCount(), 1u);
}

}  // namespace
}  // namespace booklib::net
