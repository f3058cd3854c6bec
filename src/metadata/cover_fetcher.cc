// Cover download with type and size checks, and a byte-bounded LRU of images.
#include "metadata/cover_fetcher.h"

namespace booklib::metadata {
namespace {

bool IsImageType(std::string_view type) {
  for (std::string_view allowed : {"image/jpeg", "image/png", "image/gif", "image/webp"})
    if (type.starts_with(allowed)) return true;
  return false;
}

}  // namespace

CoverFetcher::CoverFetcher(CoverFetcherOptions options, std::shared_ptr<net::HttpClientPool> http)
    : options_(options), http_(std::move(http)) {}

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
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return Fail(ErrorCode::kInvalidArgument, "a cover URL must be http or https");
  if (auto cached = Cached(url)) return cached;
  net::HttpClientRequest request;
  request.url = url;
  request.total_timeout = options_.timeout;
  request.max_response_bytes = options_.max_image_bytes;
  request.follow_redirects = true;  // Open Library's cover URLs redirect to the archive
  request.headers = {{"Accept", "image/*"}};
  auto response = http_->Send(request);
  if (!response) return std::unexpected(response.error());
  if (response->status == 404 || response->status == 410)
    return Fail(ErrorCode::kNotFound, "no cover at " + url);
  if (response->status != 200)
    return Fail(ErrorCode::kUnavailable, "cover source answered HTTP " + std::to_string(response->status));
  const std::string type = response->Header("content-type");
  if (!IsImageType(type))
    return Fail(ErrorCode::kInvalidArgument, "cover source sent \"" + type + "\", not an image");
  auto image = std::make_shared<const CoverImage>(
      CoverImage{type.substr(0, type.find(';')), std::move(response->body)});
  Remember(url, image);
  return image;
}

}  // namespace booklib::metadata
