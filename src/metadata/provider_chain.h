// The metadata provider the worker uses: cached, Google Books first, then Open Library.
#pragma once

#include <memory>

#include "metadata/metadata_config.h"
#include "ports/clock.h"
#include "ports/metadata.h"

namespace booklib::metadata {

// CachingProvider(FallbackProvider(GoogleBooksProvider, OpenLibraryProvider)) configured from
// `config`, the two sharing one HttpClientPool. Thread-safe.
// REQUIRES: `clock` outlives the returned provider.
std::unique_ptr<MetadataProvider> MakeProviderChain(const MetadataConfig& config, const Clock& clock);

}  // namespace booklib::metadata
