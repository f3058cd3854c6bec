// One reader's browser for the load tools: a keep-alive HTTP/1.1 connection to Booklib with its own
// cookie jar and the CSRF token of the last page it was shown.
#pragma once

// clang-format off
#include <utility>  // first: Boost 1.74's awaitable.hpp uses std::exchange without including it
// clang-format on
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace booklib::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

// What one request got: a status, or (status 0) the reason there was none.
struct Answer {
  int status = 0;
  // With status 0: "connect", "write or read" (closed before any answer), "read" or "timeout".
  std::string failure;
  std::string location;
  std::string retry_after;
  std::string body;
  std::chrono::microseconds latency{0};  // from the first byte sent (or the connect) to the last read
};

using FormFields = std::vector<std::pair<std::string, std::string>>;

class BrowserSession {
 public:
  // Talks to `server` (127.0.0.1:PORT); a request without a full answer after `timeout` fails.
  BrowserSession(asio::any_io_executor executor, asio::ip::tcp::endpoint server,
                 std::chrono::seconds timeout);

  asio::awaitable<Answer> Get(std::string target);
  // An urlencoded form with the current CSRF token added as field csrf_token.
  asio::awaitable<Answer> PostForm(std::string target, const FormFields& fields);
  // A raw body with the current CSRF token in X-CSRF-Token (as the page's script sends it).
  asio::awaitable<Answer> PostBody(std::string target, std::string content_type, std::string body);

  // The token of the last HTML page seen (pages carry it in <meta name="csrf-token">); empty before.
  const std::string& csrf_token() const { return csrf_token_; }
  bool HasCookie(const std::string& name) const { return cookies_.contains(name); }

 private:
  asio::awaitable<Answer> Send(http::request<http::string_body> request);
  void KeepCookies(const http::response<http::string_body>& response);
  void KeepCsrfToken(const http::response<http::string_body>& response);
  std::string CookieHeader() const;

  asio::ip::tcp::endpoint server_;
  std::string host_;    // "127.0.0.1:PORT", also the Origin's host
  std::string origin_;  // "http://127.0.0.1:PORT"
  std::chrono::seconds timeout_;
  std::optional<beast::tcp_stream> stream_;  // empty: connect before the next request
  asio::any_io_executor executor_;
  beast::flat_buffer buffer_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_token_;
};

// "a=1&b=two%20words" (application/x-www-form-urlencoded, spaces as %20).
std::string EncodeForm(const FormFields& fields);

}  // namespace booklib::bench
