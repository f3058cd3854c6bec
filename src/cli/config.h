// Configuration of every booklib command: environment variables (the seed's names where it has
// them), overridden by command-line flags. Defaults run with nothing set.
#pragma once

#include <boost/program_options.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"

namespace booklib::cli {

struct Config {
  std::string data_dir = "./data";
  std::string database;    // default <data_dir>/booklib.db
  std::string secret_key;  // SECRET_KEY; default: generated once and kept in <data_dir>/secret_key
  std::string address = "127.0.0.1";
  int port = 8080;
  int threads = 4;
  int max_connections = 0;              // 0 = derived from the open-file limit (server/open_file_limit.h)
  int max_connections_per_address = 0;  // 0 = derived from max_connections
  int workers = 8;                      // in-process metadata pollers in `serve`; 0 = none
  int visibility_timeout = 300;
  int max_receives = 3;
  int retry_backoff = 5;  // seconds before the first retry of a failed lookup; doubles each time
  int password_iterations = 600000;
  std::string static_base = "/static";
  bool trust_proxy = false;
  // Origins (https://app.example) whose pages may call /api/v1 from a browser (CORS); none by default.
  std::vector<std::string> cors_origins;
  int page_cache_mb = 8;  // rendered pages kept by ETag (web/page_cache.h); 0 = off
  // Fetch covers (https still) from loopback and private addresses too: only for a catalogue on
  // the operator's own network, or a test's fake one. Off: public addresses only (no SSRF).
  bool covers_from_private_addresses = false;
  // GET /metrics (Prometheus text): off unless enabled; then served to loopback clients (not with
  // trust_proxy, where the proxy is the loopback client) and to "Authorization: Bearer <token>".
  bool metrics = false;
  std::string metrics_token;
  std::string store = "sqlite";  // sqlite | dynamodb
  std::string queue = "sqlite";  // sqlite | sqs
  // Metadata providers.
  std::string google_books_api_key;
  std::string google_books_country;  // sent as &country= (Google refuses many cloud addresses without it)
  std::string google_books_url = "https://www.googleapis.com/books/v1";
  std::string open_library_url = "https://openlibrary.org";
  int metadata_timeout_ms = 10000;
  // AWS (the seed's names).
  std::string users_table = "BookLibrary-Users-dev";
  std::string books_table = "BookLibrary-Books-dev";
  std::string user_books_table = "BookLibrary-UserBooks-dev";
  std::string metadata_queue_url;
  std::string log_level = "info";
};

// Adds every option to `options` (flag --name, with its environment variable in the help).
void DescribeOptions(boost::program_options::options_description& options);

// Environment first, then the flags parsed into `flags`. kInvalidArgument naming a bad value.
Result<Config> LoadConfig(const boost::program_options::variables_map& flags);

// SECRET_KEY if set; else the key kept in <data_dir>/secret_key, made (0600) on first run.
Result<std::string> ResolveSecretKey(const Config& config);

}  // namespace booklib::cli
