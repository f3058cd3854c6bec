// CoverFetcher against a fake image host: images pass, everything else is refused, repeats are free.
#include "metadata/cover_fetcher.h"

#include <gtest/gtest.h>

#include "tests/support/fake_http_server.h"

namespace booklib::metadata {
namespace {

using test::FakeHttpServer;
using test::FakeResponse;

FakeResponse Png(std::size_t bytes = 100) {
  FakeResponse response = FakeResponse::Text(std::string(bytes, 'p'));
  response.headers = {{"Content-Type", "image/png"}};
  return response;
}

TEST(CoverFetcher, FetchesAnImageOnceAndServesRepeatsFromMemory) {
  FakeHttpServer host;
  host.Respond("/cover.png", Png());
  CoverFetcher fetcher;
  for (int i = 0; i < 3; ++i) {
    auto image = fetcher.Fetch(host.BaseUrl() + "/cover.png");
    ASSERT_TRUE(image) << image.error().message;
    EXPECT_EQ((*image)->content_type, "image/png");
    EXPECT_EQ((*image)->bytes.size(), 100u);
  }
  EXPECT_EQ(host.RequestCount("/cover.png"), 1);
}

TEST(CoverFetcher, RefusesWhatIsNotAnImage) {
  FakeHttpServer host;
  host.Respond("/page", FakeResponse::Text("<html>login</html>"));
  host.Respond("/gone", FakeResponse::Status(404));
  host.Respond("/broken", FakeResponse::Status(500));
  CoverFetcher fetcher;
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/page").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/gone").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/broken").error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(fetcher.Fetch("file:///etc/passwd").error().code, ErrorCode::kInvalidArgument);
}

TEST(CoverFetcher, RefusesOversizeImages) {
  FakeHttpServer host;
  host.Respond("/huge.png", Png(300 * 1024));
  CoverFetcher fetcher(CoverFetcherOptions{.max_image_bytes = 100 * 1024});
  EXPECT_EQ(fetcher.Fetch(host.BaseUrl() + "/huge.png").error().code, ErrorCode::kTooLarge);
}

TEST(CoverFetcher, ForgetsTheOldestImagesBeyondItsByteBudget) {
  FakeHttpServer host;
  host.Respond("/a.png", Png(600));
  host.Respond("/b.png", Png(600));
  CoverFetcher fetcher(CoverFetcherOptions{.cache_bytes = 1000});
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/a.png"));
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/b.png"));  // a.png no longer fits beside it
  ASSERT_TRUE(fetcher.Fetch(host.BaseUrl() + "/a.png"));
  EXPECT_EQ(host.RequestCount("/a.png"), 2);
  EXPECT_EQ(host.RequestCount("/b.png"), 1);
}

}  // namespace
}  // namespace booklib::metadata
