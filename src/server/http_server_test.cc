// The HTTP server on loopback: keep-alive, timeouts, bad input, graceful shutdown.
#include "server/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace booklib::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using std::chrono::milliseconds;

// True when 127.0.0.1:port takes a connection; then `bytes` are sent on it, and it is closed after
// `hold` (a kept-alive connection sitting idle meanwhile).
bool ConnectAndSend(unsigned short port, std::string_view bytes = {}, milliseconds hold = milliseconds{0}) {
  asio::io_context io;
  tcp::socket socket(io);
  boost::system::error_code ec;
  socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) return false;
  if (!bytes.empty()) asio::write(socket, asio::buffer(bytes.data(), bytes.size()), ec);
  if (hold.count() > 0) std::this_thread::sleep_for(hold);
  return true;
}

bool Accepts(unsigned short port) { return ConnectAndSend(port); }

// Sends raw bytes on a fresh connection and reads until the server closes it (or `limit` passes).
std::string Exchange(unsigned short port, const std::string& bytes, milliseconds limit = milliseconds{5000}) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(bytes));
  std::string reply;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  char chunk[4096];
  boost::system::error_code ec;
  socket.non_blocking(true);
  while (std::chrono::steady_clock::now() < deadline) {
    const std::size_t n = socket.read_some(asio::buffer(chunk), ec);
    if (ec == asio::error::would_block) {
      std::this_thread::sleep_for(milliseconds{10});
      continue;
    }
    if (ec) break;
    reply.append(chunk, n);
  }
  return reply;
}

class HttpServerTest : public testing::Test {
 protected:
  void Start(ServerOptions options = {}) {
    options.port = 0;
    options.log_requests = false;
    server_ = std::make_unique<HttpServer>(options, [this](const web::Request& request) {
      ++requests_;
      if (request.path == "/slow") std::this_thread::sleep_for(milliseconds{800});
      return web::Response{200, {{"Content-Type", "text/plain"}}, "you asked for " + request.path + "\n"};
    });
    port_ = *server_->Start();
  }
  std::unique_ptr<HttpServer> server_;
  unsigned short port_ = 0;
  std::atomic<int> requests_{0};
};

TEST_F(HttpServerTest, ServesSeveralRequestsOnOneKeptAliveConnection) {
  Start();
  const std::string reply = Exchange(port_,
                                     "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
                                     "GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(reply.find("you asked for /a"), std::string::npos);
  EXPECT_NE(reply.find("you asked for /b"), std::string::npos);
  EXPECT_NE(reply.find("X-Request-Id"), std::string::npos);
}

TEST_F(HttpServerTest, AnswersGarbageWith400AndStaysUp) {
  Start();
  const std::string reply = Exchange(port_, "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(Exchange(port_, "GET /ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").find("200 OK"),
            std::string::npos);
}

TEST_F(HttpServerTest, RefusesADeclaredOversizeBodyBeforeReadingIt) {
  ServerOptions options;
  options.body_limit = 1000;
  Start(options);
  const std::string reply = Exchange(port_, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(HttpServerTest, ClosesAConnectionThatStaysIdle) {
  ServerOptions options;
  options.idle_timeout = std::chrono::seconds{1};
  Start(options);
  const auto start = std::chrono::steady_clock::now();
  const std::string reply = Exchange(port_, "", milliseconds{5000});
  EXPECT_TRUE(reply.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{4000});  // closed by the server
}

TEST_F(HttpServerTest, ClosesARequestThatNeverFinishes) {
  ServerOptions options;
  options.body_timeout = std::chrono::seconds{1};
  Start(options);
  const auto start = std::chrono::steady_clock::now();
  Exchange(port_, "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a bit", milliseconds{5000});
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{4000});
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(HttpServerTest, StopLetsAnInFlightRequestFinish) {
  Start();
  auto reply = std::async(std::launch::async, [this] {
    return Exchange(port_, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n", milliseconds{5000});
  });
  while (requests_.load() == 0) std::this_thread::sleep_for(milliseconds{10});
  server_->Stop();  // while /slow is being handled
  const std::string text = reply.get();
  EXPECT_NE(text.find("200 OK"), std::string::npos) << text;
  EXPECT_NE(text.find("you asked for /slow"), std::string::npos);
  EXPECT_NE(text.find("Connection: close"), std::string::npos);
  EXPECT_FALSE(Accepts(port_));  // no longer accepting
}

// Regression: Stop() used to call shared_from_this() on a session whose last reference was just
// dropped (its destructor waiting for the registry lock) and died of std::bad_weak_ptr.
TEST(HttpServerStop, SurvivesConnectionsClosingAtTheSameMoment) {
  for (int round = 0; round < 20; ++round) {
    ServerOptions options;
    options.port = 0;
    options.log_requests = false;
    HttpServer server(options, [](const web::Request&) { return web::Response{200, {}, "ok"}; });
    const unsigned short port = *server.Start();
    std::atomic<bool> stop{false};
    std::thread clients([&] {
      while (!stop) ConnectAndSend(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    });
    std::this_thread::sleep_for(milliseconds{20});
    server.Stop();
    stop = true;
    clients.join();
  }
  SUCCEED() << "20 stops while connections were closing, no crash";
}

ServerOptions QuietOptions() {
  ServerOptions options;
  options.port = 0;
  options.log_requests = false;
  return options;
}

// Regression: Stop() closed the acceptor on one io thread while the accept handler re-armed
// async_accept on another (ThreadSanitizer saw the race every time; about 1 run in 40 crashed).
TEST(HttpServerStop, SurvivesManyRestartsWhileClientsConnectSendAndLeave) {
  for (int round = 0; round < 30; ++round) {
    ServerOptions options = QuietOptions();
    options.threads = 4;
    HttpServer server(options, [](const web::Request&) { return web::Response{200, {}, "ok"}; });
    const unsigned short port = *server.Start();
    std::atomic<bool> stop{false};
    auto client = [&](const std::string& bytes, bool stay) {
      while (!stop) ConnectAndSend(port, bytes, stay ? milliseconds{5} : milliseconds{0});
    };
    std::thread closing(client, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false);
    std::thread staying(client, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", true);
    std::thread leaving(client, "GET / HT", false);  // gone halfway through the request line
    std::this_thread::sleep_for(milliseconds{round % 10});
    server.Stop();
    EXPECT_FALSE(Accepts(port)) << "round " << round;
    stop = true;
    closing.join();
    staying.join();
    leaving.join();
  }
}

TEST(HttpServerStop, FromInsideARequestHandlerAnswersThatRequestAndShutsDown) {
  ServerOptions options = QuietOptions();
  options.shutdown_grace = std::chrono::seconds{5};
  HttpServer* self = nullptr;
  HttpServer server(options, [&self](const web::Request&) {
    self->Stop();  // on an io thread: must neither wait for this request nor join its own thread
    return web::Response{200, {}, "stopping\n"};
  });
  self = &server;
  const unsigned short port = *server.Start();
  const auto start = std::chrono::steady_clock::now();
  const std::string reply = Exchange(port, "GET /stop HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  server.Wait();
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{4000});  // not the grace period
  EXPECT_FALSE(Accepts(port));
}

TEST(HttpServerStop, FromSeveralThreadsAtOnceEachReturnsOnlyOnceTheServerStopped) {
  ServerOptions options = QuietOptions();
  std::atomic<bool> request_started{false};
  std::atomic<bool> request_finished{false};
  HttpServer server(options, [&](const web::Request&) {
    request_started = true;
    std::this_thread::sleep_for(milliseconds{500});
    request_finished = true;
    return web::Response{200, {}, "slow\n"};
  });
  const unsigned short port = *server.Start();
  auto reply = std::async(std::launch::async,
                          [port] { return Exchange(port, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"); });
  while (!request_started) std::this_thread::sleep_for(milliseconds{5});
  std::vector<std::thread> stoppers;
  std::atomic<int> returned_early{0};
  for (int i = 0; i < 4; ++i)
    stoppers.emplace_back([&] {
      server.Stop();
      if (!request_finished) ++returned_early;
    });
  for (auto& stopper : stoppers) stopper.join();
  EXPECT_EQ(returned_early.load(), 0);
  EXPECT_TRUE(reply.get().starts_with("HTTP/1.1 200"));
  EXPECT_FALSE(Accepts(port));
}

TEST(HttpServerStop, ClosesAnIdleKeptAliveConnectionWithoutWaitingForTheGracePeriod) {
  ServerOptions options = QuietOptions();
  options.shutdown_grace = std::chrono::seconds{10};
  HttpServer server(options, [](const web::Request&) { return web::Response{200, {}, "ok"}; });
  const unsigned short port = *server.Start();
  auto reply = std::async(std::launch::async, [port] {
    return Exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", milliseconds{8000});
  });
  std::this_thread::sleep_for(milliseconds{200});  // answered; the connection now waits for more
  const auto start = std::chrono::steady_clock::now();
  server.Stop();
  EXPECT_TRUE(reply.get().starts_with("HTTP/1.1 200"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, milliseconds{3000});  // the server closed it
}

TEST(HttpServerStop, AServerRunsOnlyOnce) {
  HttpServer server(QuietOptions(), [](const web::Request&) { return web::Response{200, {}, "ok"}; });
  ASSERT_TRUE(server.Start().has_value());
  EXPECT_FALSE(server.Start().has_value());
  server.Stop();
  EXPECT_FALSE(server.Start().has_value());
  server.Stop();  // again: nothing left to do
}

TEST(HttpServerStop, StopBeforeStartReturnsAndWaitDoesNotBlock) {
  HttpServer server(QuietOptions(), [](const web::Request&) { return web::Response{200, {}, "ok"}; });
  server.Stop();
  server.Wait();
  EXPECT_FALSE(server.Start().has_value());
}

}  // namespace
}  // namespace booklib::server
