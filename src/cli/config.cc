// The option table: one row per setting, its flag, environment variable and help.
#include "cli/config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <vector>

#include "crypto/crypto.h"

namespace booklib::cli {
namespace po = boost::program_options;
namespace {

struct OptionRow {
  const char* flag;
  const char* env;
  const char* help;
  std::function<std::string(const Config&)> get;
  std::function<Result<void>(Config&, const std::string&)> set;
};

std::function<Result<void>(Config&, const std::string&)> Text(std::string Config::*field) {
  return [field](Config& c, const std::string& v) -> Result<void> {
    c.*field = v;
    return {};
  };
}

std::function<Result<void>(Config&, const std::string&)> Number(int Config::*field, int min, int max,
                                                                const std::string& name) {
  return [field, min, max, name](Config& c, const std::string& v) -> Result<void> {
    try {
      std::size_t used = 0;
      const int value = std::stoi(v, &used);
      if (used != v.size() || value < min || value > max) throw std::out_of_range(v);
      c.*field = value;
      return {};
    } catch (const std::exception&) {
      return Fail(ErrorCode::kInvalidArgument, name + " must be a whole number from " + std::to_string(min) +
                                                   " to " + std::to_string(max) + ", got \"" + v + "\"");
    }
  };
}

std::function<Result<void>(Config&, const std::string&)> Flag(bool Config::*field) {
  return [field](Config& c, const std::string& v) -> Result<void> {
    c.*field = v == "1" || v == "true" || v == "yes" || v == "on";
    return {};
  };
}

const std::vector<OptionRow>& Rows() {
  static const std::vector<OptionRow> kRows = {
      {"data-dir", "BOOKLIB_DATA_DIR", "folder for the database and the generated secret key",
       [](const Config& c) { return c.data_dir; }, Text(&Config::data_dir)},
      {"database", "BOOKLIB_DATABASE", "SQLite database file (default <data-dir>/booklib.db)",
       [](const Config& c) { return c.database; }, Text(&Config::database)},
      {"secret-key", "SECRET_KEY", "key that signs session cookies (default: generated, kept in <data-dir>)",
       [](const Config&) { return std::string(); }, Text(&Config::secret_key)},
      {"address", "BOOKLIB_ADDRESS", "address to listen on", [](const Config& c) { return c.address; },
       Text(&Config::address)},
      {"port", "BOOKLIB_PORT", "TCP port to listen on (0 = any free port)",
       [](const Config& c) { return std::to_string(c.port); }, Number(&Config::port, 0, 65535, "port")},
      {"threads", "BOOKLIB_THREADS", "HTTP server threads",
       [](const Config& c) { return std::to_string(c.threads); },
       Number(&Config::threads, 1, 256, "threads")},
      {"max-connections", "BOOKLIB_MAX_CONNECTIONS",
       "open HTTP connections at most; past it the oldest idle one is closed, else 503 "
       "(0 = from the open-file limit, keeping a quarter of it, at least 256, free; at most 50000)",
       [](const Config& c) { return std::to_string(c.max_connections); },
       Number(&Config::max_connections, 0, 1'000'000, "max-connections")},
      {"max-connections-per-address", "BOOKLIB_MAX_CONNECTIONS_PER_ADDRESS",
       "open HTTP connections from one client address at most (0 = an eighth of max-connections, at least "
       "256; with --trust-proxy, max-connections)",
       [](const Config& c) { return std::to_string(c.max_connections_per_address); },
       Number(&Config::max_connections_per_address, 0, 1'000'000, "max-connections-per-address")},
      {"workers", "BOOKLIB_WORKERS",
       "metadata queue pollers (each handles a batch of up to 10 lookups at once); 0 = none in this process",
       [](const Config& c) { return std::to_string(c.workers); },
       Number(&Config::workers, 0, 256, "workers")},
      {"visibility-timeout", "BOOKLIB_VISIBILITY_TIMEOUT",
       "seconds a received metadata message stays hidden before it is delivered again",
       [](const Config& c) { return std::to_string(c.visibility_timeout); },
       Number(&Config::visibility_timeout, 1, 43200, "visibility-timeout")},
      {"max-receives", "BOOKLIB_MAX_RECEIVES", "deliveries of a message before it becomes a dead letter",
       [](const Config& c) { return std::to_string(c.max_receives); },
       Number(&Config::max_receives, 1, 1000, "max-receives")},
      {"retry-backoff", "BOOKLIB_RETRY_BACKOFF",
       "seconds before a failed lookup is retried (doubling, with jitter; a Retry-After header wins)",
       [](const Config& c) { return std::to_string(c.retry_backoff); },
       Number(&Config::retry_backoff, 0, 3600, "retry-backoff")},
      {"password-iterations", "BOOKLIB_PASSWORD_ITERATIONS", "PBKDF2-SHA256 rounds for new password hashes",
       [](const Config& c) { return std::to_string(c.password_iterations); },
       Number(&Config::password_iterations, 1000, 10'000'000, "password-iterations")},
      {"static-base", "BOOKLIB_STATIC_BASE", "URL prefix of app.css/app.js (e.g. an S3 or CDN URL)",
       [](const Config& c) { return c.static_base; }, Text(&Config::static_base)},
      {"page-cache-mb", "BOOKLIB_PAGE_CACHE_MB",
       "megabytes of rendered pages kept by their ETag, answered again while nothing they show changed (0 = "
       "off)",
       [](const Config& c) { return std::to_string(c.page_cache_mb); },
       Number(&Config::page_cache_mb, 0, 4096, "page-cache-mb")},
      {"cors-origins", "BOOKLIB_CORS_ORIGINS",
       "comma-separated origins (https://app.example) whose pages may call /api/v1 with a personal token "
       "(CORS); empty: none",
       [](const Config& c) {
         std::string joined;
         for (const std::string& origin : c.cors_origins) joined += (joined.empty() ? "" : ",") + origin;
         return joined;
       },
       [](Config& c, const std::string& v) -> Result<void> {
         c.cors_origins.clear();
         std::size_t at = 0;
         while (at <= v.size()) {
           std::size_t comma = v.find(',', at);
           if (comma == std::string::npos) comma = v.size();
           std::string origin = v.substr(at, comma - at);
           while (!origin.empty() && origin.back() == ' ') origin.pop_back();
           while (!origin.empty() && origin.front() == ' ') origin.erase(0, 1);
           if (origin.ends_with("/")) origin.pop_back();
           if (!origin.empty()) {
             if (!origin.starts_with("https://") && !origin.starts_with("http://"))
               return Fail(ErrorCode::kInvalidArgument,
                           "cors-origins must list origins like https://app.example, got \"" + origin + "\"");
             c.cors_origins.push_back(origin);
           }
           at = comma + 1;
         }
         return {};
       }},
      {"trust-proxy", "BOOKLIB_TRUST_PROXY",
       "behind one TLS proxy: trust X-Forwarded-Proto and the last X-Forwarded-For entry (1/0)",
       [](const Config& c) { return c.trust_proxy ? "1" : "0"; }, Flag(&Config::trust_proxy)},
      {"covers-from-private-addresses", "BOOKLIB_COVERS_FROM_PRIVATE_ADDRESSES",
       "also fetch covers (over https) from loopback and private-network addresses; off: public ones only "
       "(1/0)",
       [](const Config& c) { return c.covers_from_private_addresses ? "1" : "0"; },
       Flag(&Config::covers_from_private_addresses)},
      {"metrics", "BOOKLIB_METRICS",
       "serve GET /metrics (Prometheus text) to loopback clients and to the bearer token below (1/0)",
       [](const Config& c) { return c.metrics ? "1" : "0"; }, Flag(&Config::metrics)},
      {"metrics-token", "BOOKLIB_METRICS_TOKEN",
       "with --metrics: a scraper sending \"Authorization: Bearer <this>\" may read /metrics from anywhere",
       [](const Config&) { return std::string(); }, Text(&Config::metrics_token)},
      {"store", "BOOKLIB_STORE", "where data lives: sqlite | dynamodb",
       [](const Config& c) { return c.store; }, Text(&Config::store)},
      {"queue", "BOOKLIB_QUEUE", "metadata queue: sqlite | sqs", [](const Config& c) { return c.queue; },
       Text(&Config::queue)},
      {"google-books-api-key", "GOOGLE_BOOKS_API_KEY", "Google Books API key (optional)",
       [](const Config&) { return std::string(); }, Text(&Config::google_books_api_key)},
      {"google-books-country", "BOOKLIB_GOOGLE_BOOKS_COUNTRY",
       "two-letter country sent to Google Books (it answers 403 unknownLocation to many servers without one)",
       [](const Config& c) { return c.google_books_country; }, Text(&Config::google_books_country)},
      {"google-books-url", "BOOKLIB_GOOGLE_BOOKS_URL", "Google Books API base URL",
       [](const Config& c) { return c.google_books_url; }, Text(&Config::google_books_url)},
      {"open-library-url", "BOOKLIB_OPEN_LIBRARY_URL", "Open Library base URL",
       [](const Config& c) { return c.open_library_url; }, Text(&Config::open_library_url)},
      {"metadata-timeout-ms", "BOOKLIB_METADATA_TIMEOUT_MS", "total timeout of one provider request",
       [](const Config& c) { return std::to_string(c.metadata_timeout_ms); },
       Number(&Config::metadata_timeout_ms, 100, 120000, "metadata-timeout-ms")},
      {"users-table", "USERS_TABLE", "DynamoDB users table", [](const Config& c) { return c.users_table; },
       Text(&Config::users_table)},
      {"books-table", "BOOKS_TABLE", "DynamoDB books table", [](const Config& c) { return c.books_table; },
       Text(&Config::books_table)},
      {"user-books-table", "USER_BOOKS_TABLE", "DynamoDB user-books table",
       [](const Config& c) { return c.user_books_table; }, Text(&Config::user_books_table)},
      {"metadata-queue-url", "METADATA_QUEUE_URL", "SQS queue URL (with --queue=sqs)",
       [](const Config& c) { return c.metadata_queue_url; }, Text(&Config::metadata_queue_url)},
      {"log-level", "BOOKLIB_LOG_LEVEL", "debug | info | warn | error",
       [](const Config& c) { return c.log_level; }, Text(&Config::log_level)},
  };
  return kRows;
}

}  // namespace

void DescribeOptions(po::options_description& options) {
  const Config defaults;
  for (const OptionRow& row : Rows()) {
    std::string help = std::string(row.help) + " [env " + row.env + "]";
    const std::string value = row.get(defaults);
    if (!value.empty()) help += " (default: " + value + ")";
    options.add_options()(row.flag, po::value<std::string>(), help.c_str());
  }
}

Result<Config> LoadConfig(const po::variables_map& flags) {
  Config config;
  for (const OptionRow& row : Rows()) {
    if (const char* env = std::getenv(row.env); env && *env)
      if (auto ok = row.set(config, env); !ok) return std::unexpected(ok.error());
    if (flags.count(row.flag))
      if (auto ok = row.set(config, flags[row.flag].as<std::string>()); !ok)
        return std::unexpected(ok.error());
  }
  if (config.database.empty()) config.database = config.data_dir + "/booklib.db";
  if (config.store != "sqlite" && config.store != "dynamodb")
    return Fail(ErrorCode::kInvalidArgument,
                "store must be sqlite or dynamodb, got \"" + config.store + "\"");
  if (config.queue != "sqlite" && config.queue != "sqs")
    return Fail(ErrorCode::kInvalidArgument, "queue must be sqlite or sqs, got \"" + config.queue + "\"");
  if (config.queue == "sqs" && config.metadata_queue_url.empty())
    return Fail(ErrorCode::kInvalidArgument, "--queue=sqs needs METADATA_QUEUE_URL");
  return config;
}

Result<std::string> ResolveSecretKey(const Config& config) {
  if (!config.secret_key.empty()) {
    if (config.secret_key.size() < 32)
      return Fail(ErrorCode::kInvalidArgument, "SECRET_KEY must be at least 32 characters long");
    return config.secret_key;
  }
  const std::filesystem::path path = std::filesystem::path(config.data_dir) / "secret_key";
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (std::ifstream in{path}; in) {
    std::string key;
    std::getline(in, key);
    if (key.size() >= 32) return key;
  }
  std::string key = crypto::RandomHex(32);
  const mode_t old_mask = umask(077);
  std::ofstream out{path, std::ios::trunc};
  out << key << "\n";
  out.close();
  umask(old_mask);
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write the secret key to " + path.string());
  return key;
}

}  // namespace booklib::cli
