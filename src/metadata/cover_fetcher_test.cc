// CoverFetcher against fake image hosts on 127.0.0.1 (plain and TLS): images pass, everything else
// is refused, repeats are free, and production's policy never connects to a loopback address,
// whether named by the URL, by a host name or by a redirect hop.
#include "metadata/cover_fetcher.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

#include "tests/support/fake_http_server.h"

namespace booklib::metadata {
namespace {

using test::FakeHttpServer;
using test::FakeResponse;
using test::FakeTransport;

FakeResponse Png(std::size_t bytes = 100) {
  FakeResponse response = FakeResponse::Text(std::string(bytes, 'p'));
  response.headers = {{"Content-Type", "image/png"}};
  return response;
}

FakeResponse RedirectTo(const std::string& location, int status = 302) {
  return FakeResponse::Status(status).WithHeader("Location", location);
}

// The test policy for fakes on loopback: http or https, any address. Production never uses it.
CoverFetcherOptions AnyAddressOverHttpOrHttps(CoverFetcherOptions options = {}) {
  options.https_only = false;
  options.may_connect = [](const net::ConnectTarget&) { return true; };
  return options;
}

// Production's https-only rule, but the "public internet" is these ports on 127.0.0.1; every other
// address stays refused. Trusts the TLS fakes' certificate.
CoverFetcherOptions HttpsToLoopbackPorts(std::set<std::uint16_t> ports) {
  CoverFetcherOptions options;
  options.trusted_ca_pem = FakeHttpServer(FakeTransport::kHttps).CertificatePem();
  options.may_connect = [ports = std::move(ports)](const net::ConnectTarget& target) {
    return target.address == *net::ParseIpAddress("127.0.0.1") && ports.contains(target.port);
  };
  return options;
}

// Production's policy, trusting the TLS fakes' certificate (so a refusal is the address's fault).
CoverFetcherOptions ProductionPolicyTrustingFakes() {
  CoverFetcherOptions options;
  options.trusted_ca_pem = FakeHttpServer(FakeTransport::kHttps).CertificatePem();
  return options;
}

TEST(CoverFetcher, FetchesAnImageOnceAndServesRepeatsFromMemory) {
  FakeHttpServer host;
  host.Respond("/cover.png", Png());
  CoverFetcher fetcher(AnyAddressOverHttpOrHttps());
  for (int i = 0; i < 3; ++i) {
    auto image = fetcher.Fetch(host.BaseUrl() + "/cover.png");
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ((*image)->content_type, "image/png");
    EXPECT_EQ((*image)->bytes.size(), 100u);
  }
  EXPECT_EQ(host.RequestCount("/cover.png"), 1);
}

TEST(CoverFetcher, FetchesOverHttpsFromAnAddressThePolicyAllows) {
  FakeHttpServer host(FakeTransport::kHttps);
  host.Respond("/cover.png", Png(64));
  CoverFetcher fetcher(HttpsToLoopbackPorts({host.Port()}));
  auto image = fetcher.Fetch(host.BaseUrl() + "/cover.png");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ((*image)->bytes, std::string(64, 'p'));
}

TEST(CoverFetcher, RefusesWhatIsNotAnImage) {
  FakeHttpServer host;
  host.Respond("/page", FakeResponse::Text("<html>login</html>"));
  host.Respond("/gone", FakeResponse::Status(404));
  host.Respond("/broken", FakeResponse::Status(500));
  CoverFetcher fetcher(AnyAddressOverHttpOrHttps());
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/page").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/gone").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/broken").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(fetcher.Fetch("file:///etc/passwd").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(fetcher.Fetch("gopher://127.0.0.1:70/").error().code, ErrorCode::kPermissionDenied);
}

TEST(CoverFetcher, RefusesOversizeImages) {
  FakeHttpServer host;
  host.Respond("/huge.png", Png(300 * 1024));
  CoverFetcher fetcher(AnyAddressOverHttpOrHttps(CoverFetcherOptions{.max_image_bytes = 100 * 1024}));
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/huge.png").error().code, ErrorCode::kTooLarge);
}

TEST(CoverFetcher, ForgetsTheOldestImagesBeyondItsByteBudget) {
  FakeHttpServer host;
  host.Respond("/a.png", Png(600));
  host.Respond("/b.png", Png(600));
  CoverFetcher fetcher(AnyAddressOverHttpOrHttps(CoverFetcherOptions{.cache_bytes = 1000}));
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/a.png"));
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/b.png"));  // a.png no longer fits beside it
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/a.png"));
  EXPECT_EQ(host.RequestCount("/a.png"), 2);
  EXPECT_EQ(host.RequestCount("/b.png"), 1);
}

TEST(CoverFetcher, ByDefaultRefusesACoverOnLoopbackWithoutConnecting) {
  FakeHttpServer plain;
  FakeHttpServer tls(FakeTransport::kHttps);
  plain.Respond("/cover.png", Png());
  tls.Respond("/cover.png", Png());
  CoverFetcher strict;  // production's options, exactly
  EXPECT_EQ(strict.Fetch(plain.BaseUrl() + "/cover.png").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(strict.Fetch(tls.BaseUrl() + "/cover.png").error().code, ErrorCode::kPermissionDenied);
  // With the fake's certificate trusted, only the address can be what refuses it.
  CoverFetcher trusting(ProductionPolicyTrustingFakes());
  EXPECT_EQ(trusting.Fetch(tls.BaseUrl() + "/cover.png").error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(trusting.Fetch("https://[::1]:" + std::to_string(tls.Port()) + "/cover.png").error().code,
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(
      trusting.Fetch("https://[::ffff:127.0.0.1]:" + std::to_string(tls.Port()) + "/cover.png").error().code,
      ErrorCode::kPermissionDenied);
  EXPECT_EQ(plain.ConnectionCount(), 0);
  EXPECT_EQ(tls.ConnectionCount(), 0);
}

TEST(CoverFetcher, RefusesAHostNameThatResolvesToLoopbackAfterResolvingIt) {
  FakeHttpServer tls(FakeTransport::kHttps);  // its certificate is valid for "localhost" too
  tls.Respond("/cover.png", Png());
  CoverFetcher fetcher(ProductionPolicyTrustingFakes());
  const auto refused = fetcher.Fetch("https://localhost:" + std::to_string(tls.Port()) + "/cover.png");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(tls.ConnectionCount(), 0);
  // The same name is fetched once the policy allows the address it resolves to.
  CoverFetcher allowing(HttpsToLoopbackPorts({tls.Port()}));
  EXPECT_TRUE(allowing.Fetch("https://localhost:" + std::to_string(tls.Port()) + "/cover.png"));
}

TEST(CoverFetcher, RefusesARedirectToPlainHttpAtTheHop) {
  FakeHttpServer origin(FakeTransport::kHttps);
  FakeHttpServer downgrade;  // plain http on loopback
  downgrade.Respond("/cover.png", Png());
  origin.Respond("/cover.png", RedirectTo(downgrade.BaseUrl() + "/cover.png", 301));
  CoverFetcher fetcher(HttpsToLoopbackPorts({origin.Port(), downgrade.Port()}));  // ports are not the reason
  const auto refused = fetcher.Fetch(origin.BaseUrl() + "/cover.png");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(origin.RequestCount("/cover.png"), 1);
  EXPECT_EQ(downgrade.ConnectionCount(), 0);
}

TEST(CoverFetcher, RefusesARedirectToAnAddressThePolicyRefusesAtTheHop) {
  FakeHttpServer origin(FakeTransport::kHttps);
  FakeHttpServer internal(FakeTransport::kHttps);  // stands for a service on the private network
  internal.Respond("/admin", Png());
  origin.Respond("/by-address", RedirectTo(internal.BaseUrl() + "/admin"));
  origin.Respond("/by-name",
                 RedirectTo("https://localhost:" + std::to_string(internal.Port()) + "/admin", 307));
  origin.Respond("/relative", RedirectTo("//127.0.0.1:" + std::to_string(internal.Port()) + "/admin", 303));
  CoverFetcher fetcher(HttpsToLoopbackPorts({origin.Port()}));
  for (const char* path : {"/by-address", "/by-name", "/relative"}) {
    const auto refused = fetcher.Fetch(origin.BaseUrl() + path);
    ASSERT_FALSE(refused) << path;
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied) << path;
    EXPECT_EQ(origin.RequestCount(path), 1) << path;
  }
  EXPECT_EQ(internal.ConnectionCount(), 0);
}

TEST(CoverFetcher, FollowsAllowedRedirectsUpToItsLimit) {
  FakeHttpServer origin(FakeTransport::kHttps);
  FakeHttpServer archive(FakeTransport::kHttps);
  archive.Respond("/img/1.png", Png(10));
  origin.Respond("/b/id/1-L.jpg", RedirectTo(archive.BaseUrl() + "/img/1.png"));
  origin.Respond("/loop", RedirectTo("/loop"));
  CoverFetcherOptions options = HttpsToLoopbackPorts({origin.Port(), archive.Port()});
  options.max_redirects = 2;
  CoverFetcher fetcher(options);
  auto image = fetcher.Fetch(origin.BaseUrl() + "/b/id/1-L.jpg");
  ASSERT_TRUE(image) << image.error().message;
  EXPECT_EQ((*image)->bytes, std::string(10, 'p'));
  EXPECT_EQ(fetcher.Fetch(origin.BaseUrl() + "/loop").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(origin.RequestCount("/loop"), 3);  // the first request and two redirects followed
}

TEST(CoverFetcher, OneTimeBudgetCoversEveryRedirectHop) {
  using std::chrono::milliseconds;
  FakeHttpServer host;
  host.Respond("/slow-redirect", RedirectTo("/slow.png").WithDelay(milliseconds(200)));
  FakeResponse slow_image = Png();
  slow_image.delay = milliseconds(200);
  host.Respond("/slow.png", slow_image);
  // Each hop alone fits in 300 ms; both together cannot, whatever the machine's speed.
  CoverFetcher fetcher(AnyAddressOverHttpOrHttps(CoverFetcherOptions{.timeout = milliseconds(300)}));
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/slow-redirect").error().code, ErrorCode::kUnavailable);
}

TEST(CoverFetcher, SaysTheSameOpaqueThingWhetherAPortIsOpenOrClosed) {
  FakeHttpServer open;
  open.Respond("/", FakeResponse::Text("SSH-2.0-OpenSSH_9.2"));
  std::uint16_t closed_port = 0;
  {
    FakeHttpServer gone;
    closed_port = gone.Port();
  }
  const std::string open_url = "http://127.0.0.1:" + std::to_string(open.Port()) + "/";
  const std::string closed_url = "http://127.0.0.1:" + std::to_string(closed_port) + "/";
  CoverFetcher strict;
  const auto open_answer = strict.Fetch(open_url);
  const auto closed_answer = strict.Fetch(closed_url);
  ASSERT_FALSE(open_answer);
  ASSERT_FALSE(closed_answer);
  EXPECT_EQ(open_answer.error().code, closed_answer.error().code);
  EXPECT_EQ(open_answer.error().message, CoverFetcher::kCoverFetchFailed);
  EXPECT_EQ(closed_answer.error().message, CoverFetcher::kCoverFetchFailed);
  EXPECT_EQ(open.ConnectionCount(), 0);
  // Even where connecting is allowed, the text names no port, address or reason.
  CoverFetcher permissive(AnyAddressOverHttpOrHttps());
  EXPECT_EQ(permissive.Fetch(open_url).error().message, CoverFetcher::kCoverFetchFailed);
  EXPECT_EQ(permissive.Fetch(closed_url).error().message, CoverFetcher::kCoverFetchFailed);
  EXPECT_EQ(open.RequestCount("/"), 1);
}

}  // namespace
}  // namespace booklib::metadata
