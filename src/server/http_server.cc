// Beast server: a listener and a session per connection, each on its own strand; all I/O with timeouts.
#include "server/http_server.h"

#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "core/log.h"
#include "server/web_request.h"

namespace booklib::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// What the listener and the sessions share with Stop(): the live sessions (so Stop() can close the
// idle ones and wait for the busy ones) and whether the acceptor is closed yet. It must outlive the
// io_context: a session still queued in it unregisters itself when the io_context destroys it.
struct Registry {
  std::mutex mutex;
  std::condition_variable changed;  // a session ended, or the listener closed
  std::set<Session*> sessions;
  bool stopping = false;
  bool listener_closed = false;
};

http::response<http::string_body> ToResponse(web::Response&& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  for (auto& [name, value] : in.headers) out.insert(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// One connection. Its socket's executor is a strand of its own and every handler of the session runs
// there, so its members need no lock (only the registry, shared with Stop(), has one).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, const ServerOptions& options, const RequestHandler& handler,
          Registry& registry)
      : stream_(std::move(socket)), options_(options), handler_(handler), registry_(registry) {
    remote_ = stream_.socket().remote_endpoint(ignored_);
  }
  ~Session() {
    const std::lock_guard lock(registry_.mutex);
    registry_.sessions.erase(this);
    registry_.changed.notify_all();
  }

  // REQUIRES: owned by a shared_ptr. Registers here, not in the constructor: Stop() calls
  // weak_from_this() on registered sessions, which make_shared sets only after construction.
  void Start() {
    {
      const std::lock_guard lock(registry_.mutex);
      registry_.sessions.insert(this);
    }
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Called by Stop() from any thread, REQUIRES: registry mutex held. A connection waiting for its
  // next request is closed now, on the session's strand; a busy one finishes its request first
  // (it sees `stopping` and answers with Connection: close).
  void CloseIfIdle() {
    auto self = weak_from_this().lock();
    if (!self) return;  // already on its way out (its destructor waits for the registry lock)
    asio::post(stream_.get_executor(), [self = std::move(self)] {
      if (!self->busy_) self->Close();
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
    // The client went away (also halfway through a header), or Stop() closed the idle connection
    // (bad_descriptor: closed between two reads of one header).
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor || ec == asio::error::connection_reset || ec == asio::error::eof)
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
    busy_ = true;  // until the answer is out, also for a rejected request
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
  bool busy_ = false;  // a request is being read, handled or answered (not waiting for the next one)
  std::chrono::steady_clock::time_point started_;
};

// Accepts connections, Beast's listener shape: the acceptor lives on a strand of its own, so
// accepting, re-arming the next accept and closing never run at the same time.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& io, const ServerOptions& options, const RequestHandler& handler,
           Registry& registry)
      : io_(io),
        acceptor_(asio::make_strand(io)),
        options_(options),
        handler_(handler),
        registry_(registry) {}

  // Opens, binds and listens; returns the bound port. REQUIRES: before Run(), no io thread yet.
  Result<unsigned short> Listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) {
      const auto bound = acceptor_.local_endpoint(ec);
      if (!ec) return bound.port();
    }
    return Fail(ErrorCode::kUnavailable, "cannot listen on " + endpoint.address().to_string() + ":" +
                                             std::to_string(endpoint.port()) + ": " + ec.message());
  }

  void Run() {
    asio::dispatch(acceptor_.get_executor(),
                   beast::bind_front_handler(&Listener::Accept, shared_from_this()));
  }

  // From any thread: closes the acceptor on its strand, then marks the registry's listener_closed.
  // The pending accept ends with operation_aborted and is not re-armed.
  void Close() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->acceptor_.close(ignored);
      const std::lock_guard lock(self->registry_.mutex);
      self->registry_.listener_closed = true;
      self->registry_.changed.notify_all();
    });
  }

 private:
  void Accept() {
    // Each connection gets a strand of its own; the handler runs on the acceptor's strand.
    acceptor_.async_accept(asio::make_strand(io_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    // Closed by Stop(): a connection accepted just before the close is dropped (its socket closes).
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) std::make_shared<Session>(std::move(socket), options_, handler_, registry_)->Start();
    Accept();  // also after a failed accept (e.g. out of file descriptors): the next one may work
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  const ServerOptions& options_;
  const RequestHandler& handler_;
  Registry& registry_;
};

}  // namespace

// Shutdown: the first Stop() marks the registry stopping and starts a shutdown thread that closes
// the listener and every idle session through their strands, waits until the listener is
// closed and the sessions are gone (or the grace period passes), and only then stops the io_context
// and joins its threads. A thread of its own, so that Stop() from an io thread never joins itself.
struct HttpServer::Impl {
  enum class State { kIdle, kRunning, kStopping, kStopped };

  Impl(ServerOptions o, RequestHandler h)
      : options(std::move(o)),
        handler(std::move(h)),
        listener(std::make_shared<Listener>(io, options, handler, registry)) {}

  void Shutdown() {
    {
      std::unique_lock lock(registry.mutex);
      listener->Close();
      for (Session* session : registry.sessions) session->CloseIfIdle();
      const bool drained = registry.changed.wait_for(lock, options.shutdown_grace, [this] {
        return registry.listener_closed && registry.sessions.empty();
      });
      if (!drained)
        Log(LogLevel::kWarn, "shutdown grace period over; dropping connections still open",
            {{"connections", static_cast<long long>(registry.sessions.size())}});
    }
    work.reset();
    io.stop();  // after the grace period: a session still busy is dropped with the io_context
    for (auto& thread : threads) thread.join();
    const std::lock_guard lock(stop_mutex);
    state = State::kStopped;
    stopped.notify_all();
  }

  // Members are destroyed bottom-up: the io_context (with any session or handler still queued in it)
  // before the registry, handler and options those refer to.
  const ServerOptions options;
  const RequestHandler handler;
  Registry registry;
  asio::io_context io;
  std::shared_ptr<Listener> listener;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::mutex stop_mutex;  // guards state and shutdown_thread
  std::condition_variable stopped;
  State state = State::kIdle;
  std::thread shutdown_thread;  // runs Shutdown(); joined by ~HttpServer
};

HttpServer::HttpServer(ServerOptions options, RequestHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  Stop();
  if (impl_->shutdown_thread.joinable()) impl_->shutdown_thread.join();
}

Result<unsigned short> HttpServer::Start() {
  // Held throughout, so a Stop() from another thread (or a handler) waits for Start() to finish.
  const std::lock_guard lock(impl_->stop_mutex);
  if (impl_->state != Impl::State::kIdle)
    return Fail(ErrorCode::kInvalidArgument, "the server was already started or stopped");
  beast::error_code ec;
  const auto address = asio::ip::make_address(impl_->options.address, ec);
  if (ec) return Fail(ErrorCode::kInvalidArgument, "bad listen address " + impl_->options.address);
  const auto port = impl_->listener->Listen(tcp::endpoint{address, impl_->options.port});
  if (!port) return port;
  impl_->work.emplace(impl_->io.get_executor());
  impl_->listener->Run();
  for (int i = 0; i < std::max(1, impl_->options.threads); ++i)
    impl_->threads.emplace_back([this] { impl_->io.run(); });
  impl_->state = Impl::State::kRunning;
  return port;
}

void HttpServer::Stop() {
  std::unique_lock lock(impl_->stop_mutex);
  switch (impl_->state) {
    case Impl::State::kIdle:  // never started: nothing to drain
      impl_->state = Impl::State::kStopped;
      impl_->stopped.notify_all();
      return;
    case Impl::State::kRunning: {
      impl_->state = Impl::State::kStopping;
      {  // at once, so a request answered after Stop() was called says Connection: close
        const std::lock_guard registry_lock(impl_->registry.mutex);
        impl_->registry.stopping = true;
      }
      impl_->shutdown_thread = std::thread([impl = impl_.get()] { impl->Shutdown(); });
      break;
    }
    case Impl::State::kStopping:
    case Impl::State::kStopped:
      break;
  }
  // On an io thread (inside a request handler) waiting would wait for this very request.
  if (impl_->io.get_executor().running_in_this_thread()) return;
  impl_->stopped.wait(lock, [this] { return impl_->state == Impl::State::kStopped; });
}

void HttpServer::Wait() {
  std::unique_lock lock(impl_->stop_mutex);
  impl_->stopped.wait(lock, [this] { return impl_->state == Impl::State::kStopped; });
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
