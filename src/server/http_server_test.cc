// The HTTP server on loopback: keep-alive, timeouts, bad input, graceful shutdown.
#include "server/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/open_file_limit.h"

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
  (void)socket.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
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

// A blocking client socket made with plain system calls (no io_context, so it also works while
// the process is at its file-descriptor limit), from any loopback address (127.x.y.z: on Linux
// all of 127/8 is this machine, which gives a test several client addresses).
class RawClient {
 public:
  RawClient() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const timeval wait{10, 0};  // a safety bound for reads, not an assertion
    if (fd_ >= 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;
  ~RawClient() { Close(); }

  bool Connect(unsigned short port, const char* from = "127.0.0.1") {
    if (fd_ < 0) return false;
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) return false;
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    return ::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0;
  }
  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until `until` has arrived (empty: until the server closes the connection).
  std::string Read(std::string_view until = {}) {
    std::string reply;
    char chunk[4096];
    while (until.empty() || reply.find(until) == std::string::npos) {
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) {
        closed_ = n == 0 || errno == ECONNRESET;
        break;
      }
      reply.append(chunk, static_cast<std::size_t>(n));
    }
    return reply;
  }
  // One keep-alive request and its answer (whose body says "you asked for <path>").
  std::string Get(const std::string& path) {
    if (!Send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n")) return {};
    return Read("you asked for " + path + "\n");
  }
  // True when the server has closed the connection (reads end of stream, with nothing before it).
  bool ClosedByServer() { return Read().empty() && closed_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
  bool closed_ = false;
};

std::size_t OpenDescriptors() {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator("/proc/self/fd")) ++count;
  return count;
}

// Waits (without a deadline of its own: ctest's timeout is the bound) until `done` holds.
template <class Condition>
void WaitUntil(Condition done) {
  while (!done()) std::this_thread::sleep_for(milliseconds{5});
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

// Connection budgets. Caps are lowered so a test opens hundreds or a few thousand sockets, not the
// tens of thousands a production cap allows.

constexpr std::string_view kHalfARequest =
    "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc";

TEST_F(HttpServerTest, AFloodOfIdleConnectionsClosesTheOldestAndANewClientIsStillServed) {
  const std::size_t flood = std::min<std::size_t>(3000, OpenFileLimit() / 4);
  ServerOptions options;
  options.max_connections = 100;
  options.max_connections_per_address = 100;
  Start(options);
  const std::size_t descriptors_before = OpenDescriptors();
  std::vector<std::unique_ptr<RawClient>> idle;
  for (std::size_t i = 0; i < flood; ++i) {
    idle.push_back(std::make_unique<RawClient>());
    ASSERT_TRUE(idle.back()->Connect(port_)) << i;
  }
  WaitUntil([&] { return server_->Stats().closed_idle_for_cap + 100 >= flood; });
  EXPECT_LE(server_->Stats().open_connections, 100u);
  RawClient health;
  ASSERT_TRUE(health.Connect(port_, "127.0.0.9"));
  EXPECT_NE(health.Get("/health").find("HTTP/1.1 200"), std::string::npos);
  EXPECT_TRUE(idle.front()->ClosedByServer());          // the oldest went first
  EXPECT_EQ(server_->Stats().refused_connections, 0u);  // there was always an idle one to close
  idle.clear();
  health.Close();
  WaitUntil([&] { return server_->Stats().open_connections == 0; });
  WaitUntil([&] { return OpenDescriptors() <= descriptors_before + 2; });  // nothing leaked
  SUCCEED() << flood << " connections, " << server_->Stats().closed_idle_for_cap << " closed for the cap";
}

TEST_F(HttpServerTest, PastTheCapWithNoIdleConnectionANewOneGets503WithRetryAfter) {
  ServerOptions options;
  options.max_connections = 20;
  options.max_connections_per_address = 20;
  Start(options);
  const std::size_t descriptors_before = OpenDescriptors();
  std::vector<std::unique_ptr<RawClient>> busy;  // each in the middle of sending a body
  for (int i = 0; i < 20; ++i) {
    busy.push_back(std::make_unique<RawClient>());
    ASSERT_TRUE(busy.back()->Connect(port_));
    ASSERT_TRUE(busy.back()->Send(kHalfARequest));
  }
  // Busy once their headers are in (until then a connection counts as idle, and closable).
  WaitUntil(
      [&] { return server_->Stats().open_connections == 20 && server_->Stats().idle_connections == 0; });
  for (int i = 0; i < 200; ++i) {
    RawClient refused;
    ASSERT_TRUE(refused.Connect(port_));
    refused.Send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    const std::string reply = refused.Read();  // to the server's close
    ASSERT_TRUE(reply.starts_with("HTTP/1.1 503")) << i << ": " << reply;
    EXPECT_NE(reply.find("Retry-After: "), std::string::npos) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  }
  EXPECT_EQ(server_->Stats().refused_connections, 200u);
  EXPECT_EQ(requests_.load(), 0);  // no refused request was read, none of the busy ones finished
  busy.clear();
  WaitUntil([&] { return server_->Stats().open_connections == 0; });
  RawClient later;  // room again
  ASSERT_TRUE(later.Connect(port_));
  EXPECT_NE(later.Get("/health").find("HTTP/1.1 200"), std::string::npos);
  later.Close();
  WaitUntil([&] { return OpenDescriptors() <= descriptors_before + 2; });
}

TEST_F(HttpServerTest, OneAddressPastItsCapIsRefusedWhileAnotherIsServed) {
  ServerOptions options;
  options.max_connections = 100;
  options.max_connections_per_address = 3;
  Start(options);
  std::vector<std::unique_ptr<RawClient>> busy;
  for (int i = 0; i < 3; ++i) {
    busy.push_back(std::make_unique<RawClient>());
    ASSERT_TRUE(busy.back()->Connect(port_, "127.0.0.2"));
    ASSERT_TRUE(busy.back()->Send(kHalfARequest));
  }
  WaitUntil([&] { return server_->Stats().open_connections == 3 && server_->Stats().idle_connections == 0; });
  RawClient fourth;
  ASSERT_TRUE(fourth.Connect(port_, "127.0.0.2"));
  const std::string refused = fourth.Read();
  EXPECT_TRUE(refused.starts_with("HTTP/1.1 503")) << refused;
  EXPECT_NE(refused.find("Retry-After: "), std::string::npos) << refused;
  RawClient other;
  ASSERT_TRUE(other.Connect(port_, "127.0.0.3"));
  EXPECT_NE(other.Get("/health").find("HTTP/1.1 200"), std::string::npos);
  EXPECT_EQ(server_->Stats().refused_connections, 1u);
}

TEST_F(HttpServerTest, OneAddressPastItsCapLosesItsOwnOldestIdleConnectionNotAnotherAddresss) {
  ServerOptions options;
  options.max_connections = 100;
  options.max_connections_per_address = 2;
  Start(options);
  RawClient other;  // the oldest idle connection of all, from another address
  ASSERT_TRUE(other.Connect(port_, "127.0.0.3"));
  ASSERT_NE(other.Get("/a").find("200 OK"), std::string::npos);
  std::vector<std::unique_ptr<RawClient>> mine;
  for (int i = 0; i < 2; ++i) {
    mine.push_back(std::make_unique<RawClient>());
    ASSERT_TRUE(mine.back()->Connect(port_, "127.0.0.2"));
    ASSERT_NE(mine.back()->Get("/a").find("200 OK"), std::string::npos);
    WaitUntil([&] { return server_->Stats().idle_connections == static_cast<std::size_t>(i) + 2; });
  }
  RawClient third;
  ASSERT_TRUE(third.Connect(port_, "127.0.0.2"));
  EXPECT_NE(third.Get("/b").find("200 OK"), std::string::npos);
  EXPECT_TRUE(mine[0]->ClosedByServer());
  EXPECT_NE(mine[1]->Get("/c").find("200 OK"), std::string::npos);
  EXPECT_NE(other.Get("/c").find("200 OK"), std::string::npos);
  EXPECT_EQ(server_->Stats().closed_idle_for_cap, 1u);
}

TEST_F(HttpServerTest, PastTheCapTheOldestIdleConnectionIsClosedFirst) {
  ServerOptions options;
  options.max_connections = 3;
  Start(options);
  std::vector<std::unique_ptr<RawClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<RawClient>());
    ASSERT_TRUE(clients.back()->Connect(port_));
    ASSERT_NE(clients.back()->Get("/a").find("200 OK"), std::string::npos);
    // Idle (waiting for its next request) before the next one connects, so the order is known.
    WaitUntil([&] { return server_->Stats().idle_connections == static_cast<std::size_t>(i) + 1; });
  }
  RawClient fourth;
  ASSERT_TRUE(fourth.Connect(port_));
  EXPECT_NE(fourth.Get("/b").find("200 OK"), std::string::npos);
  EXPECT_TRUE(clients[0]->ClosedByServer());
  EXPECT_NE(clients[1]->Get("/c").find("200 OK"), std::string::npos);
  EXPECT_NE(clients[2]->Get("/c").find("200 OK"), std::string::npos);
  const ServerStats stats = server_->Stats();
  EXPECT_EQ(stats.closed_idle_for_cap, 1u);
  EXPECT_EQ(stats.refused_connections, 0u);
  EXPECT_EQ(stats.open_connections, 3u);
}

// Puts the process at its open-file limit (accept() fails with EMFILE) and back off it when it
// goes out of scope: the soft limit becomes one above the highest descriptor open now, and every
// free number below it is taken by a placeholder, so a descriptor the server closes is the only
// one to be had.
class AtTheDescriptorLimit {
 public:
  AtTheDescriptorLimit() {
    getrlimit(RLIMIT_NOFILE, &saved_);
    int highest = 0;
    for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
      highest = std::max(highest, std::stoi(entry.path().filename().string()));
    rlimit lowered = saved_;
    lowered.rlim_cur = static_cast<rlim_t>(highest) + 1;
    setrlimit(RLIMIT_NOFILE, &lowered);
    for (int fd; (fd = ::dup(2)) >= 0;) placeholders_.push_back(fd);
  }
  ~AtTheDescriptorLimit() {
    for (const int fd : placeholders_) ::close(fd);
    setrlimit(RLIMIT_NOFILE, &saved_);
  }

 private:
  rlimit saved_{};
  std::vector<int> placeholders_;
};

TEST_F(HttpServerTest, OutOfDescriptorsTheAcceptLoopBacksOffAndClosesAnIdleConnectionToServeANewOne) {
  ServerOptions options;
  options.max_connections = 10'000;  // the cap is not what stops it here: the descriptor limit is
  options.threads = 2;
  Start(options);
  RawClient idle;
  ASSERT_TRUE(idle.Connect(port_));
  ASSERT_NE(idle.Get("/a").find("200 OK"), std::string::npos);
  WaitUntil([&] { return server_->Stats().idle_connections == 1; });
  std::this_thread::sleep_for(milliseconds{1100});  // idle long enough to be closed for a descriptor
  RawClient newcomer;                               // their sockets made before the limit is lowered
  RawClient waiting;
  {
    const AtTheDescriptorLimit limit;
    ASSERT_TRUE(newcomer.Connect(port_));  // taken by the kernel; accept() fails for lack of an fd
    ASSERT_TRUE(newcomer.Send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    EXPECT_NE(newcomer.Read().find("200 OK"), std::string::npos);  // served once the idle one was closed
    EXPECT_TRUE(idle.ClosedByServer());
    EXPECT_GE(server_->Stats().accept_failures, 1u);
    EXPECT_EQ(server_->Stats().closed_idle_for_cap, 1u);
  }
  WaitUntil([&] { return server_->Stats().open_connections == 0; });  // the newcomer's fd closed too
  {
    const AtTheDescriptorLimit limit;  // at the limit again, and nothing idle left to close
    const auto failures_before = server_->Stats().accept_failures;
    ASSERT_TRUE(waiting.Connect(port_));
    std::this_thread::sleep_for(milliseconds{1000});
    const auto failures = server_->Stats().accept_failures - failures_before;
    EXPECT_GE(failures, 1u);
    EXPECT_LT(failures, 100u) << "a hot accept loop fails hundreds of thousands of times a second";
  }
  EXPECT_NE(waiting.Get("/health").find("200 OK"), std::string::npos);  // served once fds are back
  EXPECT_EQ(server_->Stats().closed_idle_for_cap, 1u);                  // served once fds are back
}

// Framing that two parsers could read differently (RFC 9112 6.1, 6.3) is refused and the
// connection closed, so what follows is never taken for a second request.

TEST_F(HttpServerTest, TransferEncodingOtherThanExactlyChunkedIs400AndClose) {
  Start();
  for (const char* coding :
       {"chunked, identity", "gzip, chunked", "identity", "chunked\r\nTransfer-Encoding: chunked"}) {
    const std::string reply =
        Exchange(port_, std::string("POST /x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: ") + coding +
                            "\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
                            "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << coding << ": " << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
    EXPECT_EQ(reply.find("smuggled"), std::string::npos) << reply;
  }
  EXPECT_EQ(requests_.load(), 0);
  EXPECT_EQ(server_->Stats().requests_rejected_early, 4u);
}

TEST_F(HttpServerTest, ContentLengthAndTransferEncodingTogetherIs400AndClose) {
  Start();
  const std::string reply = Exchange(port_,
                                     "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                                     "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                                     "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 400")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  EXPECT_EQ(reply.find("smuggled"), std::string::npos) << reply;
  EXPECT_EQ(requests_.load(), 0);
}

TEST_F(HttpServerTest, AChunkedBodyIsStillRead) {
  Start();
  const std::string reply = Exchange(port_,
                                     "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                                     "Connection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("you asked for /chunked"), std::string::npos);
}

// The admission callback decides on the header; its early answer goes out before any body byte.

class AdmissionTest : public testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options = QuietOptions();
    options.admit = [](const web::Request& head) {
      if (head.path == "/members") return web::Admission{1000, web::Response{401, {}, "log in first\n"}};
      if (head.path == "/photos") return web::Admission{1 << 20, std::nullopt};
      return web::Admission{1000, std::nullopt};
    };
    server_ = std::make_unique<HttpServer>(options, [this](const web::Request& request) {
      ++requests_;
      return web::Response{200, {}, "got " + std::to_string(request.body.size()) + " bytes\n"};
    });
    port_ = *server_->Start();
  }
  std::unique_ptr<HttpServer> server_;
  unsigned short port_ = 0;
  std::atomic<int> requests_{0};
};

TEST_F(AdmissionTest, AnEarlyAnswerIsSentOnTheHeaderAloneAndTheConnectionClosed) {
  RawClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.Send("POST /members HTTP/1.1\r\nHost: x\r\nContent-Length: 16000000\r\n\r\n"));
  const std::string reply = client.Read();  // only the header was sent; the answer comes, then the close
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  EXPECT_NE(reply.find("log in first"), std::string::npos) << reply;
  EXPECT_EQ(requests_.load(), 0);
  EXPECT_EQ(server_->Stats().requests_rejected_early, 1u);
}

TEST_F(AdmissionTest, ExpectContinueGetsTheEarlyAnswerInsteadOf100) {
  RawClient client;
  ASSERT_TRUE(client.Connect(port_));
  ASSERT_TRUE(client.Send(
      "POST /members HTTP/1.1\r\nHost: x\r\nContent-Length: 16000000\r\nExpect: 100-continue\r\n\r\n"));
  const std::string reply = client.Read();
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply;
  EXPECT_EQ(reply.find("100 Continue"), std::string::npos) << reply;
}

TEST_F(AdmissionTest, EachRouteGetsItsOwnLimit) {
  const std::string big(5000, 'x');
  std::string reply = Exchange(
      port_, "POST /photos HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5000\r\n\r\n" + big);
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 200")) << reply;
  EXPECT_NE(reply.find("got 5000 bytes"), std::string::npos);
  reply = Exchange(port_, "POST /forms HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  // A chunked body over the limit is cut off where it passes it.
  reply = Exchange(port_, "POST /forms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1388\r\n" +
                              big + "\r\n0\r\n\r\n");
  EXPECT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  EXPECT_EQ(requests_.load(), 1);
}

TEST(ConnectionCaps, DefaultsStayWellBelowTheOpenFileLimit) {
  for (const std::size_t limit : {64UL, 1024UL, 4096UL, 20'000UL, 1'048'576UL}) {
    const ConnectionCaps caps = DefaultConnectionCaps(limit);
    EXPECT_GE(caps.total, 1u) << limit;
    EXPECT_LE(caps.total + std::min<std::size_t>(256, limit / 2), limit) << limit;
    EXPECT_LE(caps.total, 50'000u);
    EXPECT_GE(caps.per_address, 1u);
    EXPECT_LE(caps.per_address, caps.total);
  }
  EXPECT_EQ(DefaultConnectionCaps(20'000).total, 15'000u);
}

TEST(ConnectionCaps, RaisingTheOpenFileLimitReachesTheHardLimit) {
  rlimit before{};
  getrlimit(RLIMIT_NOFILE, &before);
  const std::size_t raised = RaiseOpenFileLimit();
  if (before.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(raised, before.rlim_max);
  }
  EXPECT_GE(raised, static_cast<std::size_t>(before.rlim_cur));
}

}  // namespace
}  // namespace booklib::server
