// ResolveRedirect and SchemeOf over libcurl's URL API (curl_url).
#include "net/url.h"

#include <curl/curl.h>

#include <memory>

namespace booklib::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlStringDeleter {
  void operator()(char* text) const { curl_free(text); }
};
using CurlString = std::unique_ptr<char, CurlStringDeleter>;

// `url` parsed into a fresh handle, or null when it is not an absolute URL.
UrlHandle Parse(std::string_view url) {
  UrlHandle handle(curl_url());
  if (!handle) return nullptr;
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return nullptr;
  return handle;
}

// One part of a parsed URL, or empty.
std::string Part(CURLU* url, CURLUPart part) {
  char* raw = nullptr;
  if (curl_url_get(url, part, &raw, 0) != CURLUE_OK) return "";
  const CurlString owned(raw);
  return raw != nullptr ? std::string(raw) : "";
}

}  // namespace

Result<std::string> ResolveRedirect(std::string_view from_url, std::string_view location) {
  UrlHandle url = Parse(from_url);
  if (!url) return Fail(ErrorCode::kInvalidArgument, "not an absolute URL");
  const std::string target(location);
  if (target.empty()) return Fail(ErrorCode::kInvalidArgument, "empty Location");
  // Setting CURLUPART_URL on a handle that holds a URL resolves `target` relative to it.
  if (curl_url_set(url.get(), CURLUPART_URL, target.c_str(), 0) != CURLUE_OK)
    return Fail(ErrorCode::kInvalidArgument, "Location is not a URL");
  std::string resolved = Part(url.get(), CURLUPART_URL);
  if (resolved.empty()) return Fail(ErrorCode::kInvalidArgument, "Location is not a URL");
  return resolved;
}

std::string SchemeOf(std::string_view url) {
  const UrlHandle handle = Parse(url);
  return handle ? Part(handle.get(), CURLUPART_SCHEME) : "";
}

}  // namespace booklib::net
