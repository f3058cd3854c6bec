// Test harness: a real booklib (composition root, SQLite file, Beast server on 127.0.0.1) and a
// small cookie-keeping browser that speaks HTTP to it.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/config.h"
#include "cli/services.h"
#include "metadata/cover_fetcher.h"
#include "net/http_client.h"
#include "server/http_server.h"
#include "web/form.h"

namespace booklib::test {

struct TestAppOptions {
  int workers = 0;                                       // in-process metadata pollers
  std::string metadata_base_url = "http://127.0.0.1:9";  // nothing listens there: lookups fail fast
  int visibility_timeout = 300;
  int retry_backoff = 0;  // seconds; tests retry at once unless they say otherwise
  int metadata_timeout_ms = 2000;
  bool trust_proxy = false;
  std::string database;            // default: a fresh temp file
  int password_iterations = 1000;  // keeps 50-user tests fast; production default is 600000
  // Cover fetching: production's policy (https, public addresses only) unless a test replaces it,
  // e.g. to fetch covers from a FakeHttpServer on 127.0.0.1.
  metadata::CoverFetcherOptions covers;
  bool metrics = false;  // serve /metrics (to loopback, or to metrics_token)
  std::string metrics_token;
  std::vector<std::string> cors_origins;  // BOOKLIB_CORS_ORIGINS
};

class TestApp {
 public:
  explicit TestApp(const TestAppOptions& options = {});
  ~TestApp();

  std::string BaseUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  unsigned short Port() const { return port_; }
  cli::Services& services() { return *services_; }
  const cli::Config& config() const { return config_; }

 private:
  cli::Config config_;
  std::unique_ptr<cli::Services> services_;
  std::unique_ptr<web::App> app_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<MetadataWorker> worker_;
  unsigned short port_ = 0;
};

struct Page {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string Header(std::string_view name) const;  // lower-case name
  std::vector<std::string> SetCookies() const;
};

// Keeps cookies like a browser, remembers the CSRF token of the last HTML page it saw.
class Browser {
 public:
  explicit Browser(std::string base_url) : base_(std::move(base_url)) {}

  Page Get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers = {});
  // Posts a urlencoded form; adds csrf_token (from the last page seen) unless the fields have one.
  Page PostForm(const std::string& path, web::FormFields fields,
                std::vector<std::pair<std::string, std::string>> headers = {});
  // Posts raw bytes; the CSRF token goes in X-CSRF-Token when `with_csrf`.
  Page PostRaw(const std::string& path, const std::string& content_type, const std::string& body,
               bool with_csrf = true, std::vector<std::pair<std::string, std::string>> headers = {});

  // Any method with a JSON body (none when empty), as the API takes it; X-CSRF-Token when `with_csrf`.
  Page Json(const std::string& method, const std::string& path, const std::string& body = "",
            std::vector<std::pair<std::string, std::string>> headers = {}, bool with_csrf = true);

  // Registers (if needed) and logs in; EXPECTs success.
  void SignUpAndLogIn(const std::string& username, const std::string& password = "long-enough-pw");
  std::string CsrfToken();  // the token of the last page, fetching /add_book or /login if none yet
  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  Page Send(net::HttpClientRequest request);

  std::string base_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
  net::HttpClient http_;
};

// The id in the first href="/edit_book/<id>" of a page, or "".
std::string FirstEditId(const std::string& html);

// Polls `done` every 50 ms until it is true or `timeout` has passed; its last answer.
inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// Whether `page` came back with `status` and says `text`; if not, the failure shows what it was.
inline testing::AssertionResult AnswersWith(const Page& page, int status, const std::string& text) {
  if (page.status == status && Contains(page.body, text)) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "wanted status " << status << " saying \"" << text
                                     << "\", got status " << page.status << ":\n"
                                     << page.body;
}

template <class Predicate>
bool WaitFor(Predicate done, std::chrono::milliseconds timeout = std::chrono::milliseconds{15000}) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return done();
}

}  // namespace booklib::test
