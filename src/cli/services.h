// The composition root: builds the adapters chosen by the configuration and the core services on
// top of them. The only place that knows every adapter.
#pragma once

#include <memory>

#include "cli/config.h"
#include "core/accounts.h"
#include "core/api_tokens.h"
#include "core/book_search.h"
#include "core/library.h"
#include "core/metadata_sync.h"
#include "core/metadata_worker.h"
#include "metadata/cover_fetcher.h"
#include "metrics/metrics.h"
#include "ports/clock.h"
#include "ports/metadata.h"
#include "ports/queue.h"
#include "ports/store.h"
#include "sqlite/database.h"
#include "web/app.h"

namespace booklib::cli {

struct Services {
  SystemClock clock;
  std::shared_ptr<Store> store;
  std::shared_ptr<Queue> queue;
  std::shared_ptr<sqlite::Database> database;  // the SQLite file, when the store or queue uses one
  std::unique_ptr<MetadataProvider> metadata;
  std::unique_ptr<Accounts> accounts;
  std::unique_ptr<Library> library;
  std::unique_ptr<ApiTokens> api_tokens;  // personal tokens of the API
  std::unique_ptr<MetadataSync> sync;
  std::unique_ptr<BookSearch> book_search;  // over `metadata`: the add page's search
  // The store answers a read, and the store and queue can take writes now (for /ready).
  std::function<Result<void>()> readiness_check;
  // booklib_queue_messages{state="visible"|"in_flight"|"dead_letter"}, read from queue->Stats() at
  // each scrape. Last, so it is unregistered before the queue it reads goes.
  metrics::CallbackRegistration queue_depth_gauge;
};

Result<std::unique_ptr<Services>> BuildServices(const Config& config);

// The web app over `services`, with photo scanning, the readiness check, cover fetching and /metrics
// (as configured) wired in. `covers` defaults to production's policy (https to public addresses
// only); only tests that serve covers from a fake server on 127.0.0.1 pass a permissive one.
// `on_request` (if any) is told of every answered request (the Lambda's Embedded Metric Format lines).
std::unique_ptr<web::App> BuildWebApp(Services& services, const Config& config, std::string secret_key,
                                      metadata::CoverFetcherOptions covers = {},
                                      web::RequestObserver on_request = {});

}  // namespace booklib::cli
