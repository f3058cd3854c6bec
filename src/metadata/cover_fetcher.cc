// Cover download with redirects followed by hand, type and size checks, and a byte-bounded LRU.
#include "metadata/cover_fetcher.h"

#include <algorithm>

#include "core/log.h"
#include "net/url.h"

namespace booklib::metadata {
namespace {

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// Logs why `url` could not be fetched and returns the one opaque error every caller sees.
std::unexpected<Error> Refuse(ErrorCode code, std::string_view reason, const std::string& url,
                              int status = 0) {
  if (code != ErrorCode::kNotFound) {
    if (status != 0) {
      Log(LogLevel::kWarn, "cover fetch failed",
          {{"reason", std::string(reason)}, {"url", url}, {"status", status}});
    } else {
      Log(LogLevel::kWarn, "cover fetch failed", {{"reason", std::string(reason)}, {"url", url}});
    }
  }
  return Fail(code, CoverFetcher::kCoverFetchFailed);
}

// What the log calls a transport failure of HttpClient::Send.
std::string_view TransportReason(ErrorCode code) {
  switch (code) {
    case ErrorCode::kPermissionDenied:
      return "blocked address";
    case ErrorCode::kTooLarge:
      return "too large";
    case ErrorCode::kInvalidArgument:
      return "bad url";
    default:
      return "network error";
  }
}

bool IsImageType(std::string_view type) {
  for (std::string_view allowed : {"image/jpeg", "image/png", "image/gif", "image/webp"})
    if (type.starts_with(allowed)) return true;
  return false;
}

}  // namespace

CoverFetcher::CoverFetcher(CoverFetcherOptions options)
    : options_(std::move(options)), http_(/*max_idle=*/16, options_.may_connect) {}

bool CoverFetcher::SchemeAllowed(const std::string& url) const {
  const std::string scheme = net::SchemeOf(url);
  return scheme == "https" || (!options_.https_only && scheme == "http");
}

Result<net::HttpClientResponse> CoverFetcher::Get(const std::string& url, std::chrono::milliseconds timeout) {
  net::HttpClientRequest request;
  request.url = url;
  request.connect_timeout = std::min(request.connect_timeout, timeout);
  request.total_timeout = timeout;
  request.max_response_bytes = options_.max_image_bytes;
  request.follow_redirects = false;  // each hop is checked here before it is requested
  request.https_only = options_.https_only;
  request.trusted_ca_pem = options_.trusted_ca_pem;
  request.headers = {{"Accept", "image/*"}};
  return http_.Send(request);
}

std::shared_ptr<const CoverImage> CoverFetcher::Cached(const std::string& url) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(url);
  if (it == entries_.end()) return nullptr;
  recency_.splice(recency_.begin(), recency_, it->second.recency);
  return it->second.image;
}

void CoverFetcher::Remember(const std::string& url, std::shared_ptr<const CoverImage> image) {
  const std::lock_guard lock(mutex_);
  if (entries_.contains(url) || image->bytes.size() > options_.cache_bytes) return;
  while (cached_bytes_ + image->bytes.size() > options_.cache_bytes && !recency_.empty()) {
    const auto oldest = entries_.find(recency_.back());
    cached_bytes_ -= oldest->second.image->bytes.size();
    entries_.erase(oldest);
    recency_.pop_back();
  }
  recency_.push_front(url);
  cached_bytes_ += image->bytes.size();
  entries_.emplace(url, Entry{std::move(image), recency_.begin()});
}

Result<std::shared_ptr<const CoverImage>> CoverFetcher::Fetch(const std::string& url) {
  if (!SchemeAllowed(url)) return Refuse(ErrorCode::kPermissionDenied, "scheme not allowed", url);
  if (auto cached = Cached(url)) return cached;
  // One time budget for all the hops, as when curl followed redirects itself.
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  std::string hop = url;
  for (int redirects = 0;; ++redirects) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return Refuse(ErrorCode::kUnavailable, "network error", hop);
    auto response = Get(hop, left);
    if (!response) return Refuse(response.error().code, TransportReason(response.error().code), hop);
    if (IsRedirect(response->status)) {
      if (redirects == options_.max_redirects)
        return Refuse(ErrorCode::kUnavailable, "too many redirects", hop);
      auto next = net::ResolveRedirect(hop, response->Header("location"));
      if (!next) return Refuse(ErrorCode::kUnavailable, "bad redirect", hop, response->status);
      if (!SchemeAllowed(*next))
        return Refuse(ErrorCode::kPermissionDenied, "redirect scheme not allowed", *next);
      hop = std::move(*next);
      continue;
    }
    if (response->status == 404 || response->status == 410)
      return Refuse(ErrorCode::kNotFound, "no such cover", hop, response->status);
    if (response->status != 200) return Refuse(ErrorCode::kUnavailable, "http status", hop, response->status);
    const std::string type = response->Header("content-type");
    if (!IsImageType(type)) return Refuse(ErrorCode::kInvalidArgument, "not an image", hop);
    auto image = std::make_shared<const CoverImage>(
        CoverImage{type.substr(0, type.find(';')), std::move(response->body)});
    Remember(url, image);
    return image;
  }
}

}  // namespace booklib::metadata
