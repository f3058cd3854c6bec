// Request budgets through the real app: only a signed-in reader whose page sent its CSRF token
// may send a large body, and everybody else is answered on the header, before the body is sent.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "tests/http/test_app.h"
#include "tests/support/synthetic_barcodes.h"

namespace booklib::test {
namespace {

// Sends `bytes` on a fresh loopback connection and reads what comes back until the server closes it.
// Nothing more is sent: a request with a declared body stops after its header.
// `wait_seconds` bounds each wait for bytes (a safety bound, not an assertion).
std::string SendOnlyThis(unsigned short port, std::string_view bytes, int wait_seconds = 10) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  const timeval wait{wait_seconds, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  std::string reply;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0 &&
      ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    char chunk[4096];
    for (ssize_t n; (n = ::recv(fd, chunk, sizeof chunk, 0)) > 0;)
      reply.append(chunk, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return reply;
}

std::string PhotoHeader(unsigned short port, std::size_t length, const std::string& extra = "") {
  return "POST /scan_isbn HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
         "\r\nContent-Type: image/png\r\nContent-Length: " + std::to_string(length) + "\r\n" + extra + "\r\n";
}

std::string CookieHeader(Browser& browser) {
  return "Cookie: booklib_session=" + browser.cookies()["booklib_session"] +
         "; booklib_csrf=" + browser.cookies()["booklib_csrf"] + "\r\n";
}

// A loopback connection that sends `bytes` and then stalls (sends nothing more) until closed.
class StalledConnection {
 public:
  StalledConnection(unsigned short port, std::string_view bytes) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    sent_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&server), sizeof server) == 0 &&
            ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
  }
  ~StalledConnection() { ::close(fd_); }
  // What the server has sent, waiting up to `seconds` for the first bytes (a safety bound).
  std::string Received(int seconds) {
    const timeval wait{seconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    char chunk[4096];
    const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
    return n > 0 ? std::string(chunk, static_cast<std::size_t>(n)) : std::string();
  }
  StalledConnection(const StalledConnection&) = delete;
  StalledConnection& operator=(const StalledConnection&) = delete;
  bool sent() const { return sent_; }

 private:
  int fd_;
  bool sent_ = false;
};

class UploadBudgetTest : public testing::Test {
 protected:
  TestApp app_;
  Browser ada_{app_.BaseUrl()};
};

TEST_F(UploadBudgetTest, APhotoUploadWithoutASessionIsAnswered401BeforeItsBodyIsSent) {
  const std::string reply = SendOnlyThis(app_.Port(), PhotoHeader(app_.Port(), 16'000'000));
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
  EXPECT_NE(reply.find("log in"), std::string::npos) << reply;
  EXPECT_NE(reply.find("application/json"), std::string::npos) << reply;
}

TEST_F(UploadBudgetTest, ExpectContinueWithoutASessionGets401InsteadOfContinue) {
  const std::string reply =
      SendOnlyThis(app_.Port(), PhotoHeader(app_.Port(), 16'000'000, "Expect: 100-continue\r\n"));
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 401")) << reply;
  EXPECT_EQ(reply.find("100 Continue"), std::string::npos) << reply;
}

TEST_F(UploadBudgetTest, ASignedInUploadWithoutTheCsrfHeaderIsAnswered403BeforeItsBody) {
  ada_.SignUpAndLogIn("ada");
  const std::string reply =
      SendOnlyThis(app_.Port(), PhotoHeader(app_.Port(), 8'000'000, CookieHeader(ada_)));
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 403")) << reply;
  EXPECT_NE(reply.find("CSRF"), std::string::npos) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

TEST_F(UploadBudgetTest, ASignedInUploadOverThePhotoLimitIsAnswered413BeforeItsBody) {
  ada_.SignUpAndLogIn("ada");
  const std::string reply = SendOnlyThis(
      app_.Port(),
      PhotoHeader(app_.Port(), 17u << 20, CookieHeader(ada_) + "X-CSRF-Token: " + ada_.CsrfToken() + "\r\n"));
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

TEST_F(UploadBudgetTest, AFormOverTheSmallLimitIsAnswered413BeforeItsBodyEvenWhenSignedIn) {
  ada_.SignUpAndLogIn("ada");
  const std::string reply = SendOnlyThis(
      app_.Port(),
      "POST /add_book HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
      "Content-Length: 2000000\r\n" +
          CookieHeader(ada_) + "\r\n");
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 413")) << reply;
  EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

TEST_F(UploadBudgetTest, ASignedInReaderWithTheCsrfHeaderStillUploadsALargePhoto) {
  ada_.SignUpAndLogIn("ada");
  // A noisy camera-like photo (PNG barely compresses noise) far over the 256 KiB form limit.
  GrayImage photo = synthetic::PhotoBackground(1400, 1000, 7);
  synthetic::AddNoise(photo, 12.0, 7);
  synthetic::Paste(synthetic::RenderEan13Label("9781782276340"), photo, 200, 300);
  const std::string png = synthetic::EncodePng(photo);
  ASSERT_GT(png.size(), 512u << 10);  // twice the form limit
  const Page page = ada_.PostRaw("/scan_isbn", "image/png", png);
  EXPECT_EQ(page.status, 200) << page.body;
  const auto json = nlohmann::json::parse(page.body, nullptr, /*allow_exceptions=*/false);
  ASSERT_TRUE(json.is_object()) << page.body;
  EXPECT_EQ(json.value("isbn", ""), "9781782276340");
  EXPECT_EQ(ada_.Get("/health").status, 200);
}

TEST_F(UploadBudgetTest, OneReaderSendsAtMostFourLargeUploadsAtOnce) {
  ada_.SignUpAndLogIn("ada");
  const std::string origin = "Origin: " + app_.BaseUrl() + "\r\n";
  // Expect: 100-continue makes the server say when it has admitted an upload (it answers 100
  // Continue only then), so the test knows each slot is taken before it asks for a fifth.
  const std::string upload = PhotoHeader(
      app_.Port(), 4'000'000,
      CookieHeader(ada_) + origin + "X-CSRF-Token: " + ada_.CsrfToken() + "\r\nExpect: 100-continue\r\n");
  // Four uploads whose bodies never come hold all of ada's slots.
  std::vector<std::unique_ptr<StalledConnection>> stalled;
  for (int i = 0; i < 4; ++i) {
    stalled.push_back(std::make_unique<StalledConnection>(app_.Port(), upload));
    ASSERT_TRUE(stalled.back()->sent());
    const std::string admitted = stalled.back()->Received(10);
    ASSERT_TRUE(admitted.starts_with("HTTP/1.1 100 Continue")) << i << ": " << admitted;
  }
  const std::string reply = SendOnlyThis(app_.Port(), upload);
  ASSERT_TRUE(reply.starts_with("HTTP/1.1 429")) << reply;
  EXPECT_NE(reply.find("Retry-After: 5"), std::string::npos) << reply;
  EXPECT_NE(reply.find("wait for them to finish"), std::string::npos) << reply;

  // Another reader is not affected, and ada's slot comes back when one of her uploads goes away.
  Browser bob(app_.BaseUrl());
  bob.SignUpAndLogIn("bob");
  // A 300 KiB body that is no photo: admitted (over the form limit), then answered as unreadable.
  const std::string not_a_photo(300 * 1024, 'x');
  const Page bobs = bob.PostRaw("/scan_isbn", "image/png", not_a_photo);
  EXPECT_NE(bobs.status, 429) << bobs.body;
  EXPECT_LT(bobs.status, 500) << bobs.body;
  stalled.pop_back();
  Page adas;
  EXPECT_TRUE(WaitFor([&] {
    adas = ada_.PostRaw("/scan_isbn", "image/png", not_a_photo);
    return adas.status != 429;
  })) << "ada's large upload is admitted again once one of hers is gone";
  EXPECT_LT(adas.status, 500) << adas.body;
}

}  // namespace
}  // namespace booklib::test
