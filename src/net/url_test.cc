// ResolveRedirect on RFC 3986's reference resolution cases that Location headers use, and SchemeOf.
#include "net/url.h"

#include <gtest/gtest.h>

namespace booklib::net {
namespace {

TEST(Url, ResolvesAbsoluteAndRelativeLocationsAgainstTheUrlRedirectedFrom) {
  const std::string from = "https://covers.example.org/b/id/1-L.jpg?x=1";
  EXPECT_EQ(*ResolveRedirect(from, "https://archive.example.net/img/1.jpg"),
            "https://archive.example.net/img/1.jpg");
  EXPECT_EQ(*ResolveRedirect(from, "/other.jpg"), "https://covers.example.org/other.jpg");
  EXPECT_EQ(*ResolveRedirect(from, "2-L.jpg"), "https://covers.example.org/b/id/2-L.jpg");
  EXPECT_EQ(*ResolveRedirect(from, "//cdn.example.org/c.jpg"), "https://cdn.example.org/c.jpg");
  EXPECT_EQ(*ResolveRedirect(from, "http://127.0.0.1:8080/admin"), "http://127.0.0.1:8080/admin");
}

TEST(Url, RefusesWhatIsNotAUrl) {
  EXPECT_EQ(ResolveRedirect("not a url", "/x").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveRedirect("https://example.org/", "").error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(ResolveRedirect("https://example.org/", "http://exa mple.org/").error().code,
            ErrorCode::kInvalidArgument);
}

TEST(Url, SchemeOfIsLowerCasedAndEmptyForWhatIsNotAnAbsoluteUrl) {
  EXPECT_EQ(SchemeOf("HTTPS://Example.org/a"), "https");
  EXPECT_EQ(SchemeOf("http://127.0.0.1/"), "http");
  EXPECT_EQ(SchemeOf("example.org/a"), "");
  EXPECT_EQ(SchemeOf(""), "");
}

}  // namespace
}  // namespace booklib::net
