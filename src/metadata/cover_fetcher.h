// Cover images fetched by the server, so pages load covers from Booklib itself (no third-party
// requests from the reader's browser) and repeat views cost nothing upstream. A cover URL comes
// from a provider's answer, so it is fetched as untrusted input: https only, public addresses only
// (judged on the socket actually connected, every redirect hop followed by hand and checked).
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
#include "net/address_policy.h"
#include "net/http_client_pool.h"

namespace booklib::metadata {

struct CoverImage {
  std::string content_type;  // image/jpeg, image/png, image/gif or image/webp
  std::string bytes;
};

struct CoverFetcherOptions {
  std::size_t max_image_bytes = 2 * 1024 * 1024;
  std::size_t cache_bytes = 64 * 1024 * 1024;  // total size of remembered images
  std::chrono::milliseconds timeout{5000};     // for the whole fetch, every redirect hop included
  int max_redirects = 3;                       // Open Library's covers take one, to the archive
  // Where covers may come from. The defaults are production's: https only, public addresses only.
  // Tests that fetch from a fake server on 127.0.0.1 say so by replacing these.
  bool https_only = true;
  net::ConnectPolicy may_connect = net::PublicAddressesOnly();
  std::string trusted_ca_pem;  // PEM CAs to trust instead of the system's; empty: the system's
};

class CoverFetcher {
 public:
  explicit CoverFetcher(CoverFetcherOptions options = {});

  // The image at `url`, from memory when fetched before. Every failure carries the same message,
  // kCoverFetchFailed, so nothing about the network behind it (an open or closed port, a refused
  // address) reaches whoever shows it; the log line "cover fetch failed" says why for the operator.
  // Codes: kNotFound when the source has no such image (404, 410); kPermissionDenied for a URL or
  // redirect not allowed by the options (scheme, or an address the policy refused: never connected
  // to); kInvalidArgument for a malformed URL or an answer that is not an image; kTooLarge over
  // max_image_bytes; kUnavailable when the source cannot be reached, answers another status or
  // redirects more than max_redirects times. Thread-safe.
  Result<std::shared_ptr<const CoverImage>> Fetch(const std::string& url);

  static constexpr const char* kCoverFetchFailed = "cover could not be fetched";

 private:
  // One GET of `url` within `timeout`: its response, redirects included (not followed).
  Result<net::HttpClientResponse> Get(const std::string& url, std::chrono::milliseconds timeout);
  bool SchemeAllowed(const std::string& url) const;
  std::shared_ptr<const CoverImage> Cached(const std::string& url);
  void Remember(const std::string& url, std::shared_ptr<const CoverImage> image);

  const CoverFetcherOptions options_;
  net::HttpClientPool http_;  // every connection checked against options_.may_connect
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
