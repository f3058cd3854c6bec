// Cover images fetched by the server, so pages load covers from Booklib itself (no third-party
// requests from the reader's browser) and repeat views cost nothing upstream.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.h"
#include "net/http_client_pool.h"

namespace booklib::metadata {

struct CoverImage {
  std::string content_type;  // image/jpeg, image/png, image/gif or image/webp
  std::string bytes;
};

struct CoverFetcherOptions {
  std::size_t max_image_bytes = 2 * 1024 * 1024;
  std::size_t cache_bytes = 64 * 1024 * 1024;  // total size of remembered images
  std::chrono::milliseconds timeout{5000};
};

class CoverFetcher {
 public:
  explicit CoverFetcher(CoverFetcherOptions options = {},
                        std::shared_ptr<net::HttpClientPool> http = std::make_shared<net::HttpClientPool>());

  // The image at `url` (http or https), from memory when fetched before. kNotFound when the source
  // has no such image, kInvalidArgument when it answers something that is not an image,
  // kTooLarge over max_image_bytes, kUnavailable when it cannot be reached. Thread-safe.
  Result<std::shared_ptr<const CoverImage>> Fetch(const std::string& url);

 private:
  std::shared_ptr<const CoverImage> Cached(const std::string& url);
  void Remember(const std::string& url, std::shared_ptr<const CoverImage> image);

  const CoverFetcherOptions options_;
  const std::shared_ptr<net::HttpClientPool> http_;
  std::mutex mutex_;
  std::list<std::string> recency_;  // most recent first
  struct Entry {
    std::shared_ptr<const CoverImage> image;
    std::list<std::string>::iterator recency;
  };
  std::unordered_map<std::string, Entry> entries_;
  std::size_t cached_bytes_ = 0;
};

}  // namespace booklib::metadata
