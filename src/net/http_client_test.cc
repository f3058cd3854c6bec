// HttpClient against the in-process fake server: statuses, headers, bodies, timeouts and size caps.
#include "net/http_client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/fake_http_server.h"

namespace booklib::net {
namespace {

using namespace std::chrono_literals;
using test::FakeHttpServer;
using test::FakeResponse;

// A loopback port whose listen queue is full: the kernel drops further connection attempts, so
// connecting never completes (the client can only time out). Linux behaviour.
class UnacceptedPort {
 public:
  UnacceptedPort() {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    if (listener_ < 0) throw std::runtime_error("socket() failed");
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(listener_, reinterpret_cast<sockaddr*>(&address), size) != 0 || listen(listener_, 0) != 0)
      throw std::runtime_error("cannot listen on a loopback port");
    if (getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &size) != 0)
      throw std::runtime_error("getsockname() failed");
    port_ = ntohs(address.sin_port);
    for (int i = 0; i < 3; ++i) {  // fill the queue
      const int filler = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      if (filler < 0) throw std::runtime_error("socket() failed");
      // Non-blocking: EINPROGRESS is the expected answer, the connection stays queued.
      (void)connect(filler, reinterpret_cast<sockaddr*>(&address), size);
      fillers_.push_back(filler);
    }
  }
  ~UnacceptedPort() {
    for (const int filler : fillers_) close(filler);
    close(listener_);
  }
  UnacceptedPort(const UnacceptedPort&) = delete;
  UnacceptedPort& operator=(const UnacceptedPort&) = delete;

  int Port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

// Whether `response` is a failure with `code` whose message contains `mentioning`; if not, the
// failure says what came back instead.
testing::AssertionResult FailedWith(const Result<HttpClientResponse>& response, ErrorCode code,
                                    std::string_view mentioning = "") {
  if (response.has_value())
    return testing::AssertionFailure() << "succeeded with status " << response->status;
  if (response.error().code == code && response.error().message.find(mentioning) != std::string::npos) {
    return testing::AssertionSuccess();
  }
  return testing::AssertionFailure() << "failed with error code " << static_cast<int>(response.error().code)
                                     << ": " << response.error().message;
}

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientRequest Get(const std::string& path) const {
    HttpClientRequest request;
    request.url = server_.BaseUrl() + path;
    return request;
  }

  // Sends `request`, which must fail as kUnavailable with `message`, and well within the 2 s after
  // which a client that ignored its timeouts would still be waiting.
  void ExpectTimesOutAsUnavailable(const HttpClientRequest& request, const std::string& message) {
    const auto started = std::chrono::steady_clock::now();
    const auto response = client_.Send(request);
    const auto elapsed = std::chrono::steady_clock::now() - started;

    ASSERT_FALSE(response.has_value());
    EXPECT_EQ(response.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(response.error().message, message);
    EXPECT_LT(elapsed, 2s);
  }

  FakeHttpServer server_;
  HttpClient client_;
};

TEST_F(HttpClientTest, ReturnsStatusBodyAndLowerCasedHeaders) {
  server_.Respond("/book", FakeResponse::Json(R"({"title":"Dune"})").WithHeader("X-Request-Id", "abc"));

  const auto response = client_.Send(Get("/book"));

  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, R"({"title":"Dune"})");
  EXPECT_EQ(response->Header("x-request-id"), "abc");
  EXPECT_EQ(response->Header("content-type"), "application/json; charset=UTF-8");
  EXPECT_EQ(response->Header("x-absent"), "");
}

TEST_F(HttpClientTest, AnErrorStatusIsAResponseNotAFailure) {
  server_.Respond("/missing", FakeResponse::Text("nope", 404));

  const auto response = client_.Send(Get("/missing"));

  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->body, "nope");
}

TEST_F(HttpClientTest, SendsMethodHeadersAndBodyAsGiven) {
  server_.Respond("/queue", FakeResponse::Json("{}"));
  HttpClientRequest request = Get("/queue?Action=Send");
  request.method = "POST";
  request.headers = {{"X-Amz-Target", "AmazonSQS.SendMessage"}, {"X-Empty", ""}};
  request.body = R"({"MessageBody":"hello"})";

  ASSERT_TRUE(client_.Send(request).has_value());

  const auto received = server_.LastRequest();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->method, "POST");
  EXPECT_EQ(received->path, "/queue");
  EXPECT_EQ(received->query, "Action=Send");
  EXPECT_EQ(received->Header("x-amz-target"), "AmazonSQS.SendMessage");
  EXPECT_EQ(received->body, R"({"MessageBody":"hello"})");
  EXPECT_EQ(received->Header("expect"), "");  // no 100-continue round trip
  bool saw_empty_header = false;
  for (const auto& [name, value] : received->headers) saw_empty_header |= name == "x-empty" && value.empty();
  EXPECT_TRUE(saw_empty_header);
}

TEST_F(HttpClientTest, SendsPutAndDeleteWithTheirOwnMethod) {
  server_.Respond("/item", FakeResponse::Status(204));
  HttpClientRequest put = Get("/item");
  put.method = "PUT";
  put.body = "data";
  HttpClientRequest remove = Get("/item");
  remove.method = "DELETE";

  ASSERT_TRUE(client_.Send(put).has_value());
  const auto after_put = server_.LastRequest();
  ASSERT_TRUE(client_.Send(remove).has_value());
  const auto after_delete = server_.LastRequest();

  EXPECT_EQ(after_put->method, "PUT");
  EXPECT_EQ(after_put->body, "data");
  EXPECT_EQ(after_delete->method, "DELETE");
  EXPECT_EQ(after_delete->body, "");
}

TEST_F(HttpClientTest, ReusesOneConnectionForSuccessiveRequests) {
  server_.Respond("/ping", FakeResponse::Text("pong"));

  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client_.Send(Get("/ping")).has_value());

  EXPECT_EQ(server_.RequestCount("/ping"), 3);
  EXPECT_EQ(server_.ConnectionCount(), 1);
}

TEST_F(HttpClientTest, AServerThatNeverAnswersTimesOutAsUnavailableWithinTheTotalTimeout) {
  server_.Respond("/stuck", FakeResponse::Hang());
  HttpClientRequest request = Get("/stuck");
  request.total_timeout = 300ms;

  ExpectTimesOutAsUnavailable(
      request, "timed out after 300 ms waiting for 127.0.0.1:" + std::to_string(server_.Port()));
}

TEST_F(HttpClientTest, AConnectionThatIsNeverAcceptedTimesOutAsUnavailableWhileConnecting) {
  const UnacceptedPort port;
  HttpClientRequest request;
  request.url = "http://127.0.0.1:" + std::to_string(port.Port()) + "/";
  request.connect_timeout = 300ms;

  ExpectTimesOutAsUnavailable(
      request, "timed out after 300 ms connecting to 127.0.0.1:" + std::to_string(port.Port()));
}

TEST_F(HttpClientTest, ARefusedConnectionIsUnavailable) {
  const std::string url = server_.BaseUrl() + "/";
  server_.Stop();  // nothing listens on the port any more
  HttpClientRequest request;
  request.url = url;

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kUnavailable, "could not connect to 127.0.0.1:"));
}

TEST_F(HttpClientTest, AConnectionClosedWithoutAnAnswerIsUnavailable) {
  server_.Respond("/drop", FakeResponse::CloseConnection());

  EXPECT_TRUE(FailedWith(client_.Send(Get("/drop")), ErrorCode::kUnavailable));
}

TEST_F(HttpClientTest, AChunkedBodyOverTheCapIsAbortedAsTooLarge) {
  server_.Respond("/huge", FakeResponse::Oversize(8 * 1024 * 1024));
  HttpClientRequest request = Get("/huge");
  request.max_response_bytes = 64 * 1024;

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kTooLarge, "exceeds 65536 bytes"));
}

TEST_F(HttpClientTest, ABodyWithAnnouncedLengthOverTheCapIsTooLarge) {
  server_.Respond("/big", FakeResponse::Text(std::string(2048, 'a')));
  HttpClientRequest request = Get("/big");
  request.max_response_bytes = 1024;

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kTooLarge));
}

TEST_F(HttpClientTest, ABodyExactlyAtTheCapIsAccepted) {
  server_.Respond("/exact", FakeResponse::Oversize(1024));
  HttpClientRequest request = Get("/exact");
  request.max_response_bytes = 1024;

  const auto response = client_.Send(request);

  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->body.size(), 1024u);
}

TEST_F(HttpClientTest, TheClientWorksAgainAfterAFailedTransfer) {
  server_.Respond("/huge", FakeResponse::Oversize(1024 * 1024));
  server_.Respond("/ok", FakeResponse::Text("fine"));
  HttpClientRequest huge = Get("/huge");
  huge.max_response_bytes = 100;

  ASSERT_FALSE(client_.Send(huge).has_value());
  const auto response = client_.Send(Get("/ok"));

  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->body, "fine");
}

TEST_F(HttpClientTest, RedirectsAreReturnedUnlessFollowingIsAsked) {
  server_.Respond("/old", FakeResponse::Status(302).WithHeader("Location", "/new"));
  server_.Respond("/new", FakeResponse::Text("moved here"));
  HttpClientRequest follow = Get("/old");
  follow.follow_redirects = true;

  const auto as_is = client_.Send(Get("/old"));
  const auto followed = client_.Send(follow);

  ASSERT_TRUE(as_is.has_value());
  EXPECT_EQ(as_is->status, 302);
  EXPECT_EQ(as_is->Header("location"), "/new");
  ASSERT_TRUE(followed.has_value());
  EXPECT_EQ(followed->status, 200);
  EXPECT_EQ(followed->body, "moved here");
  EXPECT_EQ(followed->Header("location"), "");  // headers are the final response's
}

TEST_F(HttpClientTest, AMalformedUrlIsAnInvalidArgument) {
  HttpClientRequest request;
  request.url = "not a url";

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kInvalidArgument));
}

TEST_F(HttpClientTest, AConnectPolicyIsAskedWithTheResolvedAddressAndPortBeforeEveryConnection) {
  server_.Respond("/ping", FakeResponse::Text("pong"));
  std::mutex mutex;
  std::vector<std::string> asked;
  HttpClient checked([&](const ConnectTarget& target) {
    const std::lock_guard lock(mutex);
    asked.push_back(ToString(target.address) + ":" + std::to_string(target.port));
    return target.address == *ParseIpAddress("127.0.0.1");
  });
  HttpClientRequest by_name;
  by_name.url = "http://localhost:" + std::to_string(server_.Port()) + "/ping";

  const auto response = checked.Send(by_name);

  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->body, "pong");
  const std::string expected = "127.0.0.1:" + std::to_string(server_.Port());
  EXPECT_NE(std::find(asked.begin(), asked.end(), expected), asked.end());  // "localhost" as resolved
}

TEST_F(HttpClientTest, AnAddressThePolicyRefusesIsNeverConnectedTo) {
  server_.Respond("/secret", FakeResponse::Text("internal"));
  HttpClient public_only(PublicAddressesOnly());
  HttpClientRequest by_name;
  by_name.url = "http://localhost:" + std::to_string(server_.Port()) + "/secret";

  EXPECT_TRUE(
      FailedWith(public_only.Send(Get("/secret")), ErrorCode::kPermissionDenied, "address not allowed"));
  EXPECT_TRUE(FailedWith(public_only.Send(by_name), ErrorCode::kPermissionDenied, "address not allowed"));
  EXPECT_EQ(server_.ConnectionCount(), 0);
}

TEST_F(HttpClientTest, AFollowedRedirectIsCheckedByThePolicyToo) {
  FakeHttpServer internal;
  internal.Respond("/admin", FakeResponse::Text("internal"));
  server_.Respond("/old", FakeResponse::Status(302).WithHeader("Location", internal.BaseUrl() + "/admin"));
  const std::uint16_t allowed_port = server_.Port();
  HttpClient checked([allowed_port](const ConnectTarget& target) { return target.port == allowed_port; });
  HttpClientRequest follow = Get("/old");
  follow.follow_redirects = true;

  EXPECT_TRUE(FailedWith(checked.Send(follow), ErrorCode::kPermissionDenied));
  EXPECT_EQ(server_.RequestCount("/old"), 1);
  EXPECT_EQ(internal.ConnectionCount(), 0);
}

TEST_F(HttpClientTest, HttpsOnlyRefusesPlainHttpWithoutConnecting) {
  server_.Respond("/ping", FakeResponse::Text("pong"));
  HttpClientRequest request = Get("/ping");
  request.https_only = true;

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kInvalidArgument));
  EXPECT_EQ(server_.ConnectionCount(), 0);
}

TEST_F(HttpClientTest, TrustsTheGivenCertificateInsteadOfTheSystemStore) {
  FakeHttpServer tls(test::FakeTransport::kHttps);
  tls.Respond("/ping", FakeResponse::Text("pong over tls"));
  HttpClientRequest request;
  request.url = tls.BaseUrl() + "/ping";

  EXPECT_TRUE(FailedWith(client_.Send(request), ErrorCode::kUnavailable));  // self-signed: not trusted
  request.trusted_ca_pem = tls.CertificatePem();
  const auto response = client_.Send(request);
  ASSERT_TRUE(response.has_value()) << response.error().message;
  EXPECT_EQ(response->body, "pong over tls");
}

}  // namespace
}  // namespace booklib::net
