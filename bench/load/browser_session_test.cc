// BrowserSession against a loopback server: cookies and the page's CSRF token are kept, and a
// request is resent once when a kept-alive connection turns out closed, never on a fresh one.
#include "bench/load/browser_session.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>

#include "tests/support/fake_http_server.h"

namespace booklib::bench {
namespace {

using test::FakeHttpServer;
using test::FakeResponse;

class BrowserSessionTest : public testing::Test {
 protected:
  // Runs `steps` on a session talking to `server_` until it is done.
  void Run(std::function<asio::awaitable<void>(BrowserSession&)> steps) {
    asio::io_context io;
    BrowserSession browser(io.get_executor(),
                           asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_.Port()),
                           std::chrono::seconds{10});
    asio::co_spawn(
        io, [&]() -> asio::awaitable<void> { co_await steps(browser); }, asio::detached);
    io.run();
  }

  FakeHttpServer server_;
};

TEST_F(BrowserSessionTest, ResendsOnceWhenTheServerClosedAKeptAliveConnection) {
  server_.RespondInOrder(
      "/page", {FakeResponse::Text("first"), FakeResponse::CloseConnection(), FakeResponse::Text("third")});
  Answer first;
  Answer second;
  Run([&](BrowserSession& browser) -> asio::awaitable<void> {
    first = co_await browser.Get("/page");
    second = co_await browser.Get("/page");
  });
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "third");
  EXPECT_EQ(server_.RequestCount("/page"), 3);
  EXPECT_EQ(server_.ConnectionCount(), 2);
}

TEST_F(BrowserSessionTest, DoesNotResendOnAFreshConnection) {
  server_.RespondInOrder("/page", {FakeResponse::CloseConnection(), FakeResponse::Text("second")});
  Answer answer;
  Run([&](BrowserSession& browser) -> asio::awaitable<void> { answer = co_await browser.Get("/page"); });
  EXPECT_EQ(answer.status, 0);
  EXPECT_EQ(answer.failure, "write or read");
  EXPECT_EQ(server_.RequestCount("/page"), 1);
}

TEST_F(BrowserSessionTest, SendsBackItsCookiesAndThePagesCsrfToken) {
  server_.Respond("/login", FakeResponse::Text(R"(<head><meta name="csrf-token" content="tok123"></head>)")
                                .WithHeader("Set-Cookie", "session=abc; Path=/; HttpOnly")
                                .WithHeader("Set-Cookie", "flash=hello; Path=/"));
  server_.Respond("/next", FakeResponse::Text("").WithHeader("Set-Cookie", "flash=; Max-Age=0; Path=/"));
  server_.Handle("/form", [](const test::FakeRequest& request) {
    return FakeResponse::Text(request.Header("cookie") + "|" + request.body + "|" + request.Header("origin"));
  });
  Answer echoed;
  Run([&](BrowserSession& browser) -> asio::awaitable<void> {
    co_await browser.Get("/login");
    co_await browser.Get("/next");
    const FormFields form = {{"isbn", "978 0"}};
    echoed = co_await browser.PostForm("/form", form);
  });
  EXPECT_EQ(echoed.body,
            "session=abc|isbn=978%200&csrf_token=tok123|http://127.0.0.1:" + std::to_string(server_.Port()));
}

}  // namespace
}  // namespace booklib::bench
