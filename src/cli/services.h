// The composition root: builds the adapters chosen by the configuration and the core services on
// top of them. The only place that knows every adapter.
#pragma once

#include <memory>

#include "cli/config.h"
#include "core/accounts.h"
#include "core/library.h"
#include "core/metadata_sync.h"
#include "core/metadata_worker.h"
#include "ports/clock.h"
#include "ports/metadata.h"
#include "ports/queue.h"
#include "ports/store.h"
#include "web/app.h"

namespace booklib::cli {

struct Services {
  SystemClock clock;
  std::shared_ptr<Store> store;
  std::shared_ptr<Queue> queue;
  std::unique_ptr<MetadataProvider> metadata;
  std::unique_ptr<Accounts> accounts;
  std::unique_ptr<Library> library;
  std::unique_ptr<MetadataSync> sync;
  std::function<Result<void>()> health_check;  // reads from the store; fails when it cannot
};

Result<std::unique_ptr<Services>> BuildServices(const Config& config);

// The web app over `services`, with photo scanning and the health check wired in.
std::unique_ptr<web::App> BuildWebApp(Services& services, const Config& config, std::string secret_key);

}  // namespace booklib::cli
