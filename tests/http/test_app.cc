// Harness implementation: temp database, server on an ephemeral port, cookie jar.
#include "tests/http/test_app.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <regex>

#include "crypto/crypto.h"
#include "text/codec.h"

namespace booklib::test {

TestApp::TestApp(const TestAppOptions& options) {
  const auto dir = std::filesystem::temp_directory_path() / ("booklib-test-" + crypto::RandomHex(6));
  std::filesystem::create_directories(dir);
  config_.data_dir = dir.string();
  config_.database = options.database.empty() ? (dir / "booklib.db").string() : options.database;
  config_.secret_key = std::string(64, 'k');
  config_.password_iterations = options.password_iterations;
  config_.workers = options.workers;
  config_.visibility_timeout = options.visibility_timeout;
  config_.retry_backoff = options.retry_backoff;
  config_.google_books_url = options.metadata_base_url + "/books/v1";
  config_.open_library_url = options.metadata_base_url;
  config_.metadata_timeout_ms = options.metadata_timeout_ms;
  config_.trust_proxy = options.trust_proxy;
  config_.metrics = options.metrics;
  config_.metrics_token = options.metrics_token;
  config_.cors_origins = options.cors_origins;
  auto services = cli::BuildServices(config_);
  if (!services) throw std::runtime_error(services.error().message);
  services_ = std::move(*services);
  app_ = cli::BuildWebApp(*services_, config_, config_.secret_key, options.covers);
  server::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 4;
  server_options.log_requests = false;
  server_options.trust_forwarded_proto = options.trust_proxy;
  server_options.admit = [this](const web::Request& head) { return app_->Admit(head); };
  server_ = std::make_unique<server::HttpServer>(server_options,
                                                 [this](const web::Request& r) { return app_->Handle(r); });
  auto port = server_->Start();
  if (!port) throw std::runtime_error(port.error().message);
  port_ = *port;
  worker_ = std::make_unique<MetadataWorker>(*services_->queue, *services_->sync, services_->clock,
                                             WorkerOptions{.pollers = options.workers});
  if (options.workers > 0) worker_->Start();
}

TestApp::~TestApp() {
  worker_->Stop();
  server_->Stop();
}

std::string Page::Header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (key == name) return value;
  return "";
}

std::vector<std::string> Page::SetCookies() const {
  std::vector<std::string> out;
  for (const auto& [key, value] : headers)
    if (key == "set-cookie") out.push_back(value);
  return out;
}

Page Browser::Send(net::HttpClientRequest request) {
  std::string cookie_header;
  for (const auto& [name, value] : cookies_)
    cookie_header += (cookie_header.empty() ? "" : "; ") + name + "=" + value;
  if (!cookie_header.empty()) request.headers.emplace_back("Cookie", cookie_header);
  request.url = base_ + request.url;
  request.max_response_bytes = 8 * 1024 * 1024;
  auto response = http_.Send(request);
  if (!response) {
    ADD_FAILURE() << "request failed: " << response.error().message;
    return Page{};
  }
  Page page{response->status, response->body, response->headers};
  for (const std::string& set : page.SetCookies()) {
    const auto eq = set.find('=');
    const auto semi = set.find(';');
    const std::string name = set.substr(0, eq);
    const std::string value =
        set.substr(eq + 1, semi == std::string::npos ? std::string::npos : semi - eq - 1);
    if (value.empty() || set.find("Max-Age=0") != std::string::npos)
      cookies_.erase(name);
    else
      cookies_[name] = value;
  }
  static const std::regex kMeta(R"re(<meta name="csrf-token" content="([0-9a-f]+)">)re");
  std::smatch match;
  if (std::regex_search(page.body, match, kMeta)) csrf_ = match[1];
  return page;
}

Page Browser::Get(const std::string& path, std::vector<std::pair<std::string, std::string>> headers) {
  net::HttpClientRequest request;
  request.url = path;
  request.headers = std::move(headers);
  return Send(std::move(request));
}

Page Browser::PostForm(const std::string& path, web::FormFields fields,
                       std::vector<std::pair<std::string, std::string>> headers) {
  if (!fields.contains("csrf_token")) fields["csrf_token"] = CsrfToken();
  std::string body;
  for (const auto& [name, value] : fields)
    body +=
        (body.empty() ? "" : "&") + text::PercentEncode(name, true) + "=" + text::PercentEncode(value, true);
  return PostRaw(path, "application/x-www-form-urlencoded", body, /*with_csrf=*/false, std::move(headers));
}

Page Browser::PostRaw(const std::string& path, const std::string& content_type, const std::string& body,
                      bool with_csrf, std::vector<std::pair<std::string, std::string>> headers) {
  net::HttpClientRequest request;
  request.method = "POST";
  request.url = path;
  request.body = body;
  request.headers = std::move(headers);
  request.headers.emplace_back("Content-Type", content_type);
  if (with_csrf) request.headers.emplace_back("X-CSRF-Token", CsrfToken());
  return Send(std::move(request));
}

Page Browser::Json(const std::string& method, const std::string& path, const std::string& body,
                   std::vector<std::pair<std::string, std::string>> headers, bool with_csrf) {
  net::HttpClientRequest request;
  request.method = method;
  request.url = path;
  request.body = body;
  request.headers = std::move(headers);
  if (!body.empty()) request.headers.emplace_back("Content-Type", "application/json");
  if (with_csrf) request.headers.emplace_back("X-CSRF-Token", CsrfToken());
  return Send(std::move(request));
}

std::string Browser::CsrfToken() {
  if (csrf_.empty()) Get(cookies_.contains("booklib_session") ? "/add_book" : "/login");
  return csrf_;
}

void Browser::SignUpAndLogIn(const std::string& username, const std::string& password) {
  Get("/register");
  const Page registered = PostForm("/register", {{"username", username},
                                                 {"email", username + "@example.com"},
                                                 {"password", password},
                                                 {"confirm_password", password}});
  EXPECT_EQ(registered.status, 303) << registered.body;
  Get("/login");
  const Page logged_in = PostForm("/login", {{"email", username + "@example.com"}, {"password", password}});
  EXPECT_EQ(logged_in.status, 303) << logged_in.body;
  Get("/books");  // a page of the logged-in session, for its CSRF token
}

std::string FirstEditId(const std::string& html) {
  static const std::regex kEdit(R"re(href="/edit_book/([0-9a-f-]+)")re");
  std::smatch match;
  return std::regex_search(html, match, kEdit) ? std::string(match[1]) : std::string();
}

}  // namespace booklib::test
