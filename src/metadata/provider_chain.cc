// Wiring of the default metadata provider chain.
#include "metadata/provider_chain.h"

#include <utility>
#include <vector>

#include "metadata/caching_provider.h"
#include "metadata/fallback_provider.h"
#include "metadata/google_books.h"
#include "metadata/open_library.h"
#include "net/http_client_pool.h"

namespace booklib::metadata {

std::unique_ptr<MetadataProvider> MakeProviderChain(const MetadataConfig& config, const Clock& clock) {
  auto http = std::make_shared<net::HttpClientPool>();
  std::vector<std::unique_ptr<MetadataProvider>> in_order;
  in_order.push_back(std::make_unique<GoogleBooksProvider>(config, http));
  in_order.push_back(std::make_unique<OpenLibraryProvider>(config, http));
  auto fallback = std::make_unique<FallbackProvider>(std::move(in_order));
  return std::make_unique<CachingProvider>(std::move(fallback), clock, config.cache);
}

}  // namespace booklib::metadata
