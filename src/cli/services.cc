// Adapter selection: SQLite by default; DynamoDB and SQS when configured.
#include "cli/services.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "aws/aws_config.h"
#include "cli/build_id.h"
#include "metadata/cover_fetcher.h"
#include "metadata/provider_chain.h"
#include "queue/sqlite_queue.h"
#include "queue/sqs/sqs_queue.h"
#include "scan/isbn_barcode.h"
#include "store/dynamodb/dynamo_store.h"
#include "store/sqlite/sqlite_store.h"

namespace booklib::cli {

Result<std::unique_ptr<Services>> BuildServices(const Config& config) {
  auto services = std::make_unique<Services>();
  if (config.store == "sqlite" || config.queue == "sqlite") {
    std::error_code ec;
    const auto folder = std::filesystem::path(config.database).parent_path();
    if (!folder.empty()) std::filesystem::create_directories(folder, ec);
    auto db = sqlite::Database::Open(config.database);
    if (!db) return std::unexpected(db.error());
    services->database = *db;
    if (config.store == "sqlite") services->store = std::make_shared<SqliteStore>(*db);
    if (config.queue == "sqlite") {
      SqliteQueueOptions options;
      options.visibility_timeout = std::chrono::seconds{config.visibility_timeout};
      options.max_receives = config.max_receives;
      services->queue = std::make_shared<SqliteQueue>(*db, services->clock, options);
    }
  }
  if (config.store == "dynamodb" || config.queue == "sqs") {
    auto aws = aws::AwsConfigFromEnvironment();
    if (!aws) return std::unexpected(aws.error());
    if (config.store == "dynamodb") {
      DynamoStoreOptions options;
      options.tables = {config.users_table, config.books_table, config.user_books_table};
      services->store = MakeDynamoStore(*aws, options, services->clock);
    }
    if (config.queue == "sqs")
      services->queue = MakeSqsQueue(*aws, SqsQueueOptions{config.metadata_queue_url});
  }

  // Ready when the store answers a read (a lookup of an id that never exists goes all the way to
  // SQLite or DynamoDB and comes back "not found"), the queue answers, and a SQLite file could take
  // a write now. (DynamoDB and SQS are not written to: reachable is what can be checked cheaply.)
  services->readiness_check = [store = services->store, queue = services->queue,
                               database = services->database]() -> Result<void> {
    auto probe = store->FindUserById("readiness-check");
    if (!probe && probe.error().code != ErrorCode::kNotFound) return std::unexpected(probe.error());
    if (auto stats = queue->Stats(); !stats) return std::unexpected(stats.error());
    if (database)
      if (auto writable = database->CheckWritable(); !writable) return writable;
    return {};
  };

  services->queue_depth_gauge = metrics::Registry::Default().AddCallbackGauge(
      "booklib_queue_messages", "Metadata queue messages: waiting, received and not yet done, dead letters.",
      {"state"}, [queue = services->queue]() -> std::vector<metrics::GaugeSample> {
        const auto stats = queue->Stats();
        if (!stats) return {};  // a queue that does not answer has no depth to show (and /ready fails)
        return {{{"visible"}, static_cast<double>(stats->visible)},
                {{"in_flight"}, static_cast<double>(stats->in_flight)},
                {{"dead_letter"}, static_cast<double>(stats->dead_letters)}};
      });

  metadata::MetadataConfig metadata;
  metadata.google_books_base_url = config.google_books_url;
  metadata.open_library_base_url = config.open_library_url;
  metadata.google_books_api_key = config.google_books_api_key;
  metadata.google_books_country = config.google_books_country;
  metadata.total_timeout = std::chrono::milliseconds{config.metadata_timeout_ms};
  services->metadata = metadata::MakeProviderChain(metadata, services->clock);

  AccountPolicy policy;
  policy.password_iterations = config.password_iterations;
  // Several processes may share a DynamoDB store: a logout elsewhere holds here within 5 s.
  if (config.store == "dynamodb") policy.session_cache_ttl = std::chrono::seconds{5};
  // At most threads - 1 requests wait on hashing at once, so one HTTP thread always serves the rest
  // (/health, pages); hashing takes at most half the cores, the other half serve requests.
  const int hashing_admitted = std::max(1, config.threads - 1);
  policy.hashing_threads =
      std::clamp(static_cast<int>(std::thread::hardware_concurrency()) / 2, 1, hashing_admitted);
  policy.hashing_max_queued = hashing_admitted - policy.hashing_threads;
  services->accounts = std::make_unique<Accounts>(*services->store, services->clock, policy);
  services->library = std::make_unique<Library>(*services->store, *services->queue, services->clock);
  services->api_tokens = std::make_unique<ApiTokens>(*services->store, services->clock);
  SyncPolicy sync_policy;
  sync_policy.max_attempts = config.max_receives;
  sync_policy.base_backoff = std::chrono::seconds{config.retry_backoff};
  services->sync = std::make_unique<MetadataSync>(*services->store, *services->metadata, sync_policy);
  services->book_search = std::make_unique<BookSearch>(*services->store, *services->metadata);
  return services;
}

std::unique_ptr<web::App> BuildWebApp(Services& services, const Config& config, std::string secret_key,
                                      metadata::CoverFetcherOptions covers, web::RequestObserver on_request) {
  web::AppOptions options;
  options.secret_key = std::move(secret_key);
  options.static_base = config.static_base;
  options.build_id = BuildId();
  options.page_cache_bytes = static_cast<std::size_t>(config.page_cache_mb) << 20;
  options.decode_isbn_image = [](std::string_view image) { return DecodeIsbnFromImage(image); };
  options.readiness_check = services.readiness_check;
  options.trust_proxy = config.trust_proxy;
  options.metrics = {.enabled = config.metrics, .bearer_token = config.metrics_token};
  options.on_request = std::move(on_request);
  options.book_search = services.book_search.get();
  options.api_tokens = services.api_tokens.get();
  options.cors_origins = config.cors_origins;
  if (config.covers_from_private_addresses)
    covers.may_connect = [](const net::ConnectTarget&) { return true; };  // https_only still holds
  options.cover_source = [fetcher = std::make_shared<metadata::CoverFetcher>(std::move(covers))](
                             const std::string& url) -> Result<web::CoverImageBytes> {
    auto image = fetcher->Fetch(url);
    if (!image) return std::unexpected(image.error());
    return web::CoverImageBytes{(*image)->content_type, (*image)->bytes};
  };
  return std::make_unique<web::App>(*services.accounts, *services.library, std::move(options));
}

}  // namespace booklib::cli
