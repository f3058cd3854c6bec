// Beast server: one acceptor, a session object per connection, all I/O with timeouts.
#include "server/http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <set>
#include <thread>

#include "core/log.h"
#include "crypto/crypto.h"

namespace booklib::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// Live sessions, so Stop() can close the idle ones and wait for the busy ones.
struct Registry {
  std::mutex mutex;
  std::condition_variable drained;
  std::set<Session*> sessions;
  bool stopping = false;
};

web::Request ToRequest(const http::request<http::string_body>& in, const tcp::endpoint& remote,
                       const ServerOptions& options) {
  web::Request out;
  out.method = std::string(in.method_string());
  const std::string_view target(in.target().data(), in.target().size());
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  for (const auto& field : in) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto [it, inserted] = out.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += (name == "cookie" ? "; " : ", ") + std::string(field.value());
  }
  out.body = in.body();
  out.remote_address = remote.address().to_string();
  out.secure = options.trust_forwarded_proto && out.Header("x-forwarded-proto") == "https";
  const std::string_view given_id = out.Header("x-request-id");
  const bool usable =
      !given_id.empty() && given_id.size() <= 64 &&
      given_id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") ==
          std::string_view::npos;
  out.request_id = usable ? std::string(given_id) : crypto::RandomHex(8);
  return out;
}

http::response<http::string_body> ToResponse(web::Response&& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  for (auto& [name, value] : in.headers) out.insert(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const RequestHandler& handler,
          Registry& registry)
      : stream_(std::move(socket)), options_(options), handler_(handler), registry_(registry) {
    remote_ = stream_.socket().remote_endpoint(ignored_);
    const std::lock_guard lock(registry_.mutex);
    registry_.sessions.insert(this);
  }
  ~Session() {
    const std::lock_guard lock(registry_.mutex);
    registry_.sessions.erase(this);
    registry_.drained.notify_all();
  }

  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Called on Stop(): a connection waiting for its next request is closed now.
  void CloseIfIdle() {
    auto self = weak_from_this().lock();
    if (!self) return;  // already on its way out (its destructor waits for the registry lock)
    asio::post(stream_.get_executor(), [self = std::move(self)] {
      if (!self->busy_) self->stream_.socket().close(self->ignored_);
    });
  }

 private:
  void ReadHeader() {
    busy_ = false;
    {
      const std::lock_guard lock(registry_.mutex);
      if (registry_.stopping) return Close();
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    // The real limit depends on the path; it is set once the header is in (OnHeader).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    stream_.expires_after(options_.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec == http::error::header_limit) return Reject(431, "request headers too large");
    if (ec == http::error::body_limit) return Reject(413, "request body too large");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset || ec == asio::error::eof)
      return Close();
    if (ec) return Reject(400, "malformed HTTP request");
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    const auto raw_target = header.target();
    const std::string_view target(raw_target.data(), raw_target.size());
    const auto limit = options_.path_body_limits.find(std::string(target.substr(0, target.find('?'))));
    const std::size_t body_limit =
        limit != options_.path_body_limits.end() ? limit->second : options_.body_limit;
    parser_->body_limit(body_limit);
    // Refuse a declared oversize body before reading it, so the client hears why.
    if (const auto length = parser_->content_length(); length && *length > body_limit)
      return Reject(413, "request body too large (at most " + std::to_string(body_limit) + " bytes)");
    stream_.expires_after(options_.read_timeout);
    if (beast::iequals(header[http::field::expect], "100-continue")) {
      auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
      return http::async_write(stream_, *go_on,
                               [self = shared_from_this(), go_on](beast::error_code write_ec, std::size_t) {
                                 if (write_ec) return self->Close();
                                 self->ReadBody();
                               });
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRequest, shared_from_this()));
  }

  void OnRequest(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return Reject(413, "request body too large");
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted)
      return Close();
    if (ec) return Reject(400, "malformed HTTP request");
    const http::request<http::string_body>& request = parser_->get();
    web::Request in = ToRequest(request, remote_, options_);
    web::Response out;
    try {
      out = handler_(in);
    } catch (const std::exception& e) {  // a bug must cost one request, not the server
      Log(LogLevel::kError, "handler threw", {{"error", e.what()}, {"request_id", in.request_id}});
      out = web::Response{500, {{"Content-Type", "text/plain"}}, "internal error\n"};
    }
    out.SetHeader("X-Request-Id", in.request_id);
    LogRequest(in, out.status);
    bool keep_alive = request.keep_alive();
    {
      const std::lock_guard lock(registry_.mutex);
      keep_alive = keep_alive && !registry_.stopping;
    }
    Write(ToResponse(std::move(out), request.version(), keep_alive));
  }

  void Reject(int status, std::string reason) {
    web::Response out{status, {{"Content-Type", "text/plain; charset=utf-8"}}, reason + "\n"};
    Log(LogLevel::kWarn, "rejected request", {{"status", std::to_string(status)}, {"reason", reason}});
    Write(ToResponse(std::move(out), 11, /*keep_alive=*/false));
  }

  void Write(http::response<http::string_body>&& response) {
    response_ = std::make_shared<http::response<http::string_body>>(std::move(response));
    stream_.expires_after(options_.read_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Fail(ec);
      const bool keep = self->response_->keep_alive();
      self->response_.reset();
      if (!keep) return self->Close();
      self->ReadHeader();
    });
  }

  void LogRequest(const web::Request& in, int status) const {
    if (!options_.log_requests) return;
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started_)
            .count();
    Log(LogLevel::kInfo, "request",
        {{"method", in.method},
         {"path", in.path},
         {"status", static_cast<long long>(status)},
         {"duration_ms", static_cast<double>(micros) / 1000.0},
         {"request_id", in.request_id}});
  }

  void Fail(beast::error_code) { Close(); }
  void Close() {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored_);
    stream_.socket().close(ignored_);
  }

  beast::tcp_stream stream_;
  const ServerOptions& options_;
  const RequestHandler& handler_;
  Registry& registry_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<http::response<http::string_body>> response_;
  tcp::endpoint remote_;
  beast::error_code ignored_;
  std::atomic<bool> busy_{false};
  std::chrono::steady_clock::time_point started_;
};

}  // namespace

struct HttpServer::Impl {
  Impl(ServerOptions o, RequestHandler h) : options(std::move(o)), handler(std::move(h)), acceptor(io) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), options, handler, registry)->Start();
      Accept();
    });
  }

  ServerOptions options;
  RequestHandler handler;
  asio::io_context io;
  tcp::acceptor acceptor;
  Registry registry;
  std::vector<std::thread> threads;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::mutex stop_mutex;
  std::condition_variable stopped_cv;
  bool stopped = false;
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Stop(); }

Result<unsigned short> HttpServer::Start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "bad listen address " + impl_->options.address);
  const tcp::endpoint endpoint{address, impl_->options.port};
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return Fail(ErrorCode::kUnavailable, "cannot listen on " + impl_->options.address + ":" +
                                             std::to_string(impl_->options.port) + ": " + ec.message());
  impl_->work.emplace(impl_->io.get_executor());
  impl_->Accept();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  return acceptor.local_endpoint().port();
}

void HttpServer::Stop() {
  {
    const std::lock_guard lock(impl_->stop_mutex);
    if (impl_->stopped || impl_->threads.empty()) {
      impl_->stopped = true;
      return;
    }
    impl_->stopped = true;
  }
  asio::post(impl_->io, [this] {
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
  });
  {
    std::unique_lock lock(impl_->registry.mutex);
    impl_->registry.stopping = true;
    for (Session* session : impl_->registry.sessions) session->CloseIfIdle();
    impl_->registry.drained.wait_for(lock, impl_->options.shutdown_grace,
                                     [this] { return impl_->registry.sessions.empty(); });
  }
  impl_->work.reset();
  impl_->io.stop();
  for (auto& thread : impl_->threads)
    if (thread.joinable()) thread.join();
  impl_->stopped_cv.notify_all();
}

void HttpServer::Wait() {
  std::unique_lock lock(impl_->stop_mutex);
  impl_->stopped_cv.wait(lock, [this] { return impl_->stopped; });
}

void WaitForTerminationSignal() {
  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](beast::error_code, int) {});
  signals_io.run();
}

void HttpServer::RunUntilSignalled() {
  WaitForTerminationSignal();
  Log(LogLevel::kInfo, "shutting down: finishing in-flight requests");
  Stop();
}

}  // namespace booklib::server
