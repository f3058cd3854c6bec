// A form posted from another site is foreign even with a valid CSRF token; this site's are not.
#include "web/same_origin.h"

#include <gtest/gtest.h>

namespace booklib::web {
namespace {

Request Post(std::string origin, std::string referer, bool secure = false) {
  Request request;
  request.method = "POST";
  request.headers["host"] = "books.example:8080";
  if (!origin.empty()) request.headers["origin"] = std::move(origin);
  if (!referer.empty()) request.headers["referer"] = std::move(referer);
  request.secure = secure;
  return request;
}

TEST(IsSameOrigin, AcceptsThisSitesOriginOrReferer) {
  EXPECT_TRUE(IsSameOrigin(Post("http://books.example:8080", "")));
  EXPECT_TRUE(IsSameOrigin(Post("HTTP://Books.Example:8080", "")));
  EXPECT_TRUE(IsSameOrigin(Post("", "http://books.example:8080/add_book")));
  EXPECT_TRUE(IsSameOrigin(Post("https://books.example:8080", "", /*secure=*/true)));
  EXPECT_TRUE(IsSameOrigin(Post("", "")));  // neither sent: the CSRF token decides alone
}

TEST(IsSameOrigin, RefusesAnyOtherSite) {
  EXPECT_FALSE(IsSameOrigin(Post("https://evil.example", "")));
  EXPECT_FALSE(IsSameOrigin(Post("null", "")));
  EXPECT_FALSE(IsSameOrigin(Post("http://books.example:8080.evil.example", "")));
  EXPECT_FALSE(IsSameOrigin(Post("http://books.example", "")));  // another port is another origin
  EXPECT_FALSE(IsSameOrigin(Post("", "https://evil.example/books.example:8080")));
  EXPECT_FALSE(IsSameOrigin(Post("", "http://books.example:8080.evil.example/")));
  // Origin wins over a matching Referer.
  EXPECT_FALSE(IsSameOrigin(Post("https://evil.example", "http://books.example:8080/books")));
}

TEST(IsSameOrigin, OverHttpsAPlainHttpPageIsForeign) {
  EXPECT_FALSE(IsSameOrigin(Post("http://books.example:8080", "", /*secure=*/true)));
  EXPECT_FALSE(IsSameOrigin(Post("", "http://books.example:8080/books", /*secure=*/true)));
}

TEST(IsSameOrigin, WithoutAHostHeaderAnOriginCannotMatch) {
  Request request = Post("http://books.example:8080", "");
  request.headers.erase("host");
  EXPECT_FALSE(IsSameOrigin(request));
}

}  // namespace
}  // namespace booklib::web
