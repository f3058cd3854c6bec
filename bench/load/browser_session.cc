// One reader's browser for the load tools (see browser_session.h).
#include "bench/load/browser_session.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "text/codec.h"

namespace booklib::bench {
namespace {

using asio::redirect_error;
using asio::use_awaitable;

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

std::string EncodeForm(const FormFields& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += text::PercentEncode(name) + "=" + text::PercentEncode(value);
  }
  return body;
}

BrowserSession::BrowserSession(asio::any_io_executor executor, asio::ip::tcp::endpoint server,
                               std::chrono::seconds timeout)
    : server_(server),
      host_(server.address().to_string() + ":" + std::to_string(server.port())),
      origin_("http://" + host_),
      timeout_(timeout),
      executor_(std::move(executor)) {}

asio::awaitable<Answer> BrowserSession::Get(std::string target) {
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::accept, "text/html");
  co_return co_await Send(std::move(request));
}

asio::awaitable<Answer> BrowserSession::PostForm(std::string target, const FormFields& fields) {
  FormFields with_token = fields;
  with_token.emplace_back("csrf_token", csrf_token_);
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  request.set(http::field::origin, origin_);
  request.body() = EncodeForm(with_token);
  co_return co_await Send(std::move(request));
}

asio::awaitable<Answer> BrowserSession::PostBody(std::string target, std::string content_type,
                                                 std::string body) {
  http::request<http::string_body> request{http::verb::post, target, 11};
  request.set(http::field::content_type, content_type);
  request.set(http::field::accept, "application/json");
  request.set(http::field::origin, origin_);
  request.set("X-CSRF-Token", csrf_token_);
  request.body() = std::move(body);
  co_return co_await Send(std::move(request));
}

asio::awaitable<Answer> BrowserSession::Send(http::request<http::string_body> request) {
  request.set(http::field::host, host_);
  request.set(http::field::user_agent, "booklib-load");
  if (const std::string cookies = CookieHeader(); !cookies.empty()) request.set(http::field::cookie, cookies);
  request.keep_alive(true);
  request.prepare_payload();

  Answer answer;
  const auto start = std::chrono::steady_clock::now();
  const auto fail = [&](const char* what, const beast::error_code& error) {
    answer.failure = error == beast::error::timeout ? "timeout" : what;
    answer.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
    stream_.reset();
    buffer_.clear();
  };
  beast::error_code error;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  // A kept-alive connection the server has closed meanwhile (its idle timeout) fails before any
  // answer; like a browser, send the request once more on a new connection.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const bool reused = stream_.has_value();
    if (!stream_) {
      stream_.emplace(executor_);
      stream_->expires_after(timeout_);
      co_await stream_->async_connect(server_, redirect_error(use_awaitable, error));
      if (error) {
        fail("connect", error);
        co_return answer;
      }
    }
    stream_->expires_after(timeout_);
    co_await http::async_write(*stream_, request, redirect_error(use_awaitable, error));
    if (!error) co_await http::async_read(*stream_, buffer_, parser, redirect_error(use_awaitable, error));
    const bool closed_before_answer = error && error != beast::error::timeout && !parser.got_some();
    if (reused && closed_before_answer) {
      stream_.reset();
      buffer_.clear();
      continue;
    }
    break;
  }
  if (error) {
    fail(parser.got_some() ? "read" : "write or read", error);
    co_return answer;
  }
  answer.latency =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  http::response<http::string_body> response = parser.release();
  answer.status = static_cast<int>(response.result_int());
  answer.location = std::string(response[http::field::location]);
  answer.retry_after = std::string(response[http::field::retry_after]);
  KeepCookies(response);
  KeepCsrfToken(response);
  if (!response.keep_alive()) {
    beast::error_code ignored;
    stream_->socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.reset();
    buffer_.clear();
  }
  answer.body = std::move(response.body());
  co_return answer;
}

void BrowserSession::KeepCookies(const http::response<http::string_body>& response) {
  for (const auto& field : response) {
    if (field.name() != http::field::set_cookie) continue;
    const std::string_view line(field.value().data(), field.value().size());
    const std::string_view pair = line.substr(0, line.find(';'));
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string name(Trimmed(pair.substr(0, equals)));
    const std::string value(Trimmed(pair.substr(equals + 1)));
    const bool expired = value.empty() || line.find("Max-Age=0") != std::string_view::npos ||
                         line.find("max-age=0") != std::string_view::npos;
    if (expired)
      cookies_.erase(name);
    else
      cookies_[name] = value;
  }
}

void BrowserSession::KeepCsrfToken(const http::response<http::string_body>& response) {
  static constexpr std::string_view kMeta = "<meta name=\"csrf-token\" content=\"";
  const std::string& body = response.body();
  const std::size_t at = body.find(kMeta);
  if (at == std::string::npos) return;
  const std::size_t from = at + kMeta.size();
  const std::size_t to = body.find('"', from);
  if (to != std::string::npos) csrf_token_ = body.substr(from, to - from);
}

std::string BrowserSession::CookieHeader() const {
  std::string header;
  for (const auto& [name, value] : cookies_) {
    if (!header.empty()) header += "; ";
    header += name + "=" + value;
  }
  return header;
}

}  // namespace booklib::bench
