// Beast server: a listener and a session per connection, each on its own strand; all I/O with
// timeouts, connections capped overall and per address, bodies admitted on their header.
#include "server/http_server.h"

#include <malloc.h>

#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <limits>
#include <list>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

#include "core/log.h"
#include "server/open_file_limit.h"
#include "server/web_request.h"
#include "text/ascii.h"

namespace booklib::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// How long a connection we are done with may still send (the rest of a refused request) before it
// is closed: closing with unread bytes would reset it and could destroy the answer on its way.
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::chrono::seconds kFarewellWriteTime{5};
// Connections being answered and closed outside the caps (refusals, early answers) at most at
// once; past this, new ones are closed without an answer. Part of the reserve below the fd limit.
constexpr int kMaxFarewells = 128;
// Out of descriptors, an idle connection is closed to free one only once it has been idle this long.
constexpr std::chrono::seconds kMinIdleToFreeDescriptor{1};
// After a request body at least this large the buffers are given back to the system.
constexpr std::size_t kLargeBody = 1024 * 1024;
// An answer at least this large is followed by malloc_trim once written (pages of thousands of books).
constexpr std::size_t kLargeAnswer = 512 * 1024;
// How often an idle server gives freed memory back (Impl::ArmIdleTrim).
constexpr std::chrono::seconds kIdleTrimPeriod{2};

// What the listener and the sessions share with Stop() and Stats(): the live sessions (so Stop()
// can close the idle ones and wait for the busy ones, and the caps can close the oldest idle one),
// and whether the acceptor is closed yet. It must outlive the io_context: a session still queued in
// it unregisters itself when the io_context destroys it.
struct Registry {
  struct AddressLoad {
    std::size_t open = 0;
    std::list<Session*> idle;  // oldest first
  };

  std::mutex mutex;
  std::condition_variable changed;  // a session ended, or the listener closed
  std::set<Session*> sessions;      // every session not yet destroyed, evicted ones too
  std::size_t open = 0;             // sessions admitted and not closed for a cap
  std::list<Session*> idle;         // sessions waiting for a request, oldest first
  std::map<std::string, AddressLoad> addresses;
  bool stopping = false;
  bool listener_closed = false;
  ConnectionCaps caps;

  std::atomic<std::uint64_t> refused{0};
  std::atomic<std::uint64_t> closed_idle_for_cap{0};
  std::atomic<std::uint64_t> rejected_early{0};
  std::atomic<std::uint64_t> accept_failures{0};
  std::atomic<int> farewells{0};
  std::atomic<std::uint64_t> answered{0};  // requests answered, for the idle trim

  // All REQUIRE: mutex held.
  // Makes room for `session` (closing the oldest idle connection of its address, or overall, when
  // a cap is reached) and registers it; false when there is no room (nothing idle to close).
  bool Admit(Session* session);
  void Remove(Session* session);
  void MarkIdle(Session* session);
  void MarkBusy(Session* session);
  // Closes the oldest idle session if it has been idle `min_idle` at least (out of file
  // descriptors); true if there was one.
  bool EvictOldestIdle(std::chrono::steady_clock::duration min_idle);

 private:
  void Evict(Session* session);
};

// The registry's view of one session. Guarded by Registry::mutex.
struct RegistrySlot {
  std::string address;
  bool registered = false;
  bool idle = false;
  bool evicted = false;  // closed for a cap: no longer counted as open
  std::chrono::steady_clock::time_point idle_since;
  std::list<Session*>::iterator idle_at;
  std::list<Session*>::iterator address_idle_at;
};

http::response<http::string_body> ToResponse(web::Response&& in, unsigned version, bool keep_alive) {
  http::response<http::string_body> out{static_cast<http::status>(in.status), version};
  for (auto& [name, value] : in.headers) out.insert(name, value);
  out.body() = std::move(in.body);
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

// Why a request's framing is refused (RFC 9112 6.1 and 6.3: a Transfer-Encoding other than
// exactly "chunked", or one beside a Content-Length, would let two parsers disagree on where the
// request ends), or empty when it is fine.
std::string FramingProblem(const http::request<http::string_body>& header) {
  const auto codings = header.count(http::field::transfer_encoding);
  if (codings == 0) return {};
  if (header.count(http::field::content_length) > 0)
    return "a request may not carry both Transfer-Encoding and Content-Length";
  const auto value = header[http::field::transfer_encoding];
  const std::string_view coding = text::TrimWhitespace(std::string_view(value.data(), value.size()));
  if (codings > 1 || text::AsciiLower(coding) != "chunked")
    return "unsupported Transfer-Encoding (only \"chunked\" is accepted)";
  return {};
}

// Answers a connection we are done with and closes it without reading its request: writes `bytes`,
// shuts down sending, then reads and drops what the peer still sends until it closes or kLingerTime
// passes. Outside the connection caps, so at most kMaxFarewells at once.
class Farewell : public std::enable_shared_from_this<Farewell> {
 public:
  static void Send(tcp::socket&& socket, std::string bytes, Registry& registry) {
    if (registry.farewells.fetch_add(1) >= kMaxFarewells) {
      registry.farewells.fetch_sub(1);
      beast::error_code ignored;
      (void)socket.close(ignored);
      return;
    }
    std::make_shared<Farewell>(std::move(socket), std::move(bytes), registry)->Start();
  }

  Farewell(tcp::socket&& socket, std::string bytes, Registry& registry)
      : stream_(std::move(socket)), bytes_(std::move(bytes)), registry_(registry) {}
  ~Farewell() { registry_.farewells.fetch_sub(1); }

 private:
  void Start() {
    stream_.expires_after(kFarewellWriteTime);
    asio::async_write(stream_, asio::buffer(bytes_),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return self->Close();
                        beast::error_code ignored;
                        (void)self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        self->stream_.expires_after(kLingerTime);
                        self->Drain();
                      });
  }
  void Drain() {
    stream_.async_read_some(asio::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec) return self->Close();  // the peer closed, or kLingerTime is over
                              self->Drain();
                            });
  }
  void Close() {
    beast::error_code ignored;
    (void)stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  std::string bytes_;
  Registry& registry_;
  std::array<char, 4096> sink_{};
};

std::string Serialize(const http::response<http::string_body>& response) {
  std::ostringstream out;
  out << response;
  return std::move(out).str();
}

std::string RefusalBytes() {
  http::response<http::string_body> refusal{http::status::service_unavailable, 11};
  refusal.set(http::field::content_type, "text/plain; charset=utf-8");
  refusal.set(http::field::retry_after, "5");
  refusal.body() = "the server is at its connection limit; try again shortly\n";
  refusal.keep_alive(false);
  refusal.prepare_payload();
  return Serialize(refusal);
}

// One connection. Its socket's executor is a strand of its own and every handler of the session runs
// there, so its members need no lock (only `slot_`, shared with the registry, has one: its mutex).
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, tcp::endpoint remote, const ServerOptions& options,
          const RequestHandler& handler, Registry& registry)
      : stream_(std::move(socket)),
        options_(options),
        handler_(handler),
        registry_(registry),
        remote_(std::move(remote)) {
    slot_.address = remote_.address().to_string();
  }
  ~Session() {
    const std::lock_guard lock(registry_.mutex);
    registry_.Remove(this);
    registry_.changed.notify_all();
  }

  // REQUIRES: owned by a shared_ptr, admitted by the registry (Registry::Admit, after
  // construction: Stop() calls weak_from_this() on registered sessions, which make_shared sets
  // only after construction).
  void Start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Session::ReadHeader, shared_from_this()));
  }

  // Past a connection cap with nothing idle to close: 503, and the request is never read.
  void Refuse() {
    registry_.refused.fetch_add(1);
    static const std::string kRefusal = RefusalBytes();
    Farewell::Send(stream_.release_socket(), kRefusal, registry_);
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

  // The registry closes this session to make room (REQUIRES: registry mutex held): at once if it
  // is still waiting for a request; a request that just arrived is answered with Connection: close.
  void CloseForCap() {
    auto self = weak_from_this().lock();
    if (!self) return;
    asio::post(stream_.get_executor(), [self = std::move(self)] {
      self->closing_for_cap_ = true;
      if (!self->busy_) self->Close();
    });
  }

  RegistrySlot& slot() { return slot_; }  // REQUIRES: registry mutex held

 private:
  void ReadHeader() {
    busy_ = false;
    {
      const std::lock_guard lock(registry_.mutex);
      if (registry_.stopping || slot_.evicted) return Close();
      registry_.MarkIdle(this);
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    // The real limit depends on the route and the client; it is set once the header is in (OnHeader).
    parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    if (buffer_.size() > 0) return ReadRestOfHeader();  // the next request is here already
    // Idle until the first byte; then the header must follow within header_timeout.
    stream_.expires_after(options_.idle_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec)
                                return self->Close();  // gone, idle too long, or closed by Stop() or a cap
                              self->buffer_.commit(n);
                              self->ReadRestOfHeader();
                            });
  }

  void ReadRestOfHeader() {
    if (!parser_) return Close();  // never: every read of a request starts with a new parser
    stream_.expires_after(options_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::OnHeader, shared_from_this()));
  }

  void OnHeader(beast::error_code ec, std::size_t) {
    if (ec == http::error::header_limit) return RejectEarly(431, "request headers too large");
    // The client went away (also halfway through a header), or Stop() closed the idle connection
    // (bad_descriptor: closed between two reads of one header).
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::bad_descriptor || ec == asio::error::connection_reset || ec == asio::error::eof)
      return Close();
    if (ec) return RejectEarly(400, "malformed HTTP request");
    if (!parser_) return Close();
    busy_ = true;
    {
      const std::lock_guard lock(registry_.mutex);
      registry_.MarkBusy(this);
    }
    started_ = std::chrono::steady_clock::now();
    const auto& header = parser_->get();
    if (const std::string problem = FramingProblem(header); !problem.empty())
      return RejectEarly(400, problem);
    head_ = ToRequest(header, remote_, options_);
    web::Admission admission{options_.body_limit, std::nullopt};
    if (options_.admit) {
      try {
        admission = options_.admit(*head_);
      } catch (const std::exception& e) {  // a bug must cost one request, not the server
        Log(LogLevel::kError, "admission check threw",
            {{"error", e.what()}, {"request_id", head_->request_id}});
        return RejectEarly(500, "internal error");
      }
    }
    if (admission.early) {
      registry_.rejected_early.fetch_add(1);
      LogRequest(*head_, admission.early->status);
      admission.early->SetHeader("X-Request-Id", head_->request_id);
      return Farewell::Send(stream_.release_socket(),
                            Serialize(ToResponse(std::move(*admission.early), 11, /*keep_alive=*/false)),
                            registry_);
    }
    upload_hold_ = std::move(admission.hold);  // until this request is answered or the connection goes
    parser_->body_limit(admission.body_limit);
    // Refuse a declared oversize body before reading it, so the client hears why.
    const auto length = parser_->content_length();
    if (length && *length > admission.body_limit)
      return RejectEarly(
          413, "request body too large (at most " + std::to_string(admission.body_limit) + " bytes)");
    const std::uint64_t expected = length ? *length : (parser_->chunked() ? admission.body_limit : 0);
    const auto body_time = options_.body_timeout +
                           std::chrono::seconds(expected / std::max<std::size_t>(1, options_.body_min_rate));
    stream_.expires_after(std::min<std::chrono::seconds>(body_time, options_.body_timeout_max));
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
    if (!parser_) return Close();
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRequest, shared_from_this()));
  }

  void OnRequest(beast::error_code ec, std::size_t) {
    if (ec == http::error::body_limit) return Reject(413, "request body too large");
    // The client went away mid-body, its time ran out, or Stop() closed the connection.
    if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
        ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof || ec == asio::error::bad_descriptor)
      return Close();
    if (ec) return Reject(400, "malformed HTTP request");
    if (!parser_ || !head_) return Close();
    const unsigned version = parser_->get().version();
    bool keep_alive = parser_->get().keep_alive();
    web::Request in = std::move(*head_);
    head_.reset();
    in.body = std::move(parser_->get().body());
    parser_.reset();
    const bool large_body = in.body.size() >= kLargeBody;
    web::Response out;
    try {
      out = handler_(in);
    } catch (const std::exception& e) {  // a bug must cost one request, not the server
      Log(LogLevel::kError, "handler threw", {{"error", e.what()}, {"request_id", in.request_id}});
      out = web::Response{500, {{"Content-Type", "text/plain"}}, "internal error\n"};
    }
    out.SetHeader("X-Request-Id", in.request_id);
    registry_.answered.fetch_add(1, std::memory_order_relaxed);
    LogRequest(in, out.status);
    upload_hold_.reset();
    if (large_body) {  // give a photo's megabytes back to the system, not to this thread's arena
      in.body = std::string();
      buffer_.shrink_to_fit();
      malloc_trim(0);
    }
    {
      const std::lock_guard lock(registry_.mutex);
      keep_alive = keep_alive && !registry_.stopping && !closing_for_cap_;
    }
    Write(ToResponse(std::move(out), version, keep_alive));
  }

  // An answer decided on the header alone; the body (if any) is never read.
  void RejectEarly(int status, std::string reason) {
    registry_.rejected_early.fetch_add(1);
    Reject(status, std::move(reason));
  }

  void Reject(int status, std::string reason) {
    web::Response out{status, {{"Content-Type", "text/plain; charset=utf-8"}}, reason + "\n"};
    Log(LogLevel::kWarn, "rejected request", {{"status", std::to_string(status)}, {"reason", reason}});
    Farewell::Send(stream_.release_socket(), Serialize(ToResponse(std::move(out), 11, /*keep_alive=*/false)),
                   registry_);
  }

  void Write(http::response<http::string_body>&& response) {
    busy_ = true;  // until the answer is out
    response_ = std::make_shared<http::response<http::string_body>>(std::move(response));
    stream_.expires_after(options_.write_timeout);
    http::async_write(stream_, *response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->Close();
      const bool keep = self->response_->keep_alive();
      const bool large = self->response_->body().size() >= kLargeAnswer;
      self->response_.reset();
      if (large) malloc_trim(0);  // a 3,000-book page's megabytes back to the system, not kept idle
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

  void Close() {
    (void)stream_.socket().shutdown(tcp::socket::shutdown_send, ignored_);
    (void)stream_.socket().close(ignored_);
  }

  beast::tcp_stream stream_;
  const ServerOptions& options_;
  const RequestHandler& handler_;
  Registry& registry_;
  RegistrySlot slot_;  // guarded by registry_.mutex
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<web::Request> head_;   // the request being read, its body still to come
  std::shared_ptr<void> upload_hold_;  // the admission's slot (web::Admission::hold) while its body is read
  std::shared_ptr<http::response<http::string_body>> response_;
  tcp::endpoint remote_;
  beast::error_code ignored_;
  bool busy_ = false;  // a request is being read, handled or answered (not waiting for the next one)
  bool closing_for_cap_ = false;  // the registry closed this session to make room: no keep-alive
  std::chrono::steady_clock::time_point started_;
};

bool Registry::Admit(Session* session) {
  RegistrySlot& slot = session->slot();
  AddressLoad& load = addresses[slot.address];
  const bool address_full = load.open >= caps.per_address;
  const bool all_full = open >= caps.total;
  if ((address_full && load.idle.empty()) || (all_full && idle.empty())) {
    if (load.open == 0 && load.idle.empty()) addresses.erase(slot.address);
    return false;
  }
  if (address_full)
    Evict(load.idle.front());  // frees a place overall too
  else if (all_full)
    Evict(idle.front());
  sessions.insert(session);
  slot.registered = true;
  ++open;
  ++load.open;
  MarkIdle(session);  // waiting for its first request: as closable as a kept-alive one
  return true;
}

bool Registry::EvictOldestIdle(std::chrono::steady_clock::duration min_idle) {
  if (idle.empty() || std::chrono::steady_clock::now() - idle.front()->slot().idle_since < min_idle)
    return false;
  Evict(idle.front());
  return true;
}

void Registry::Evict(Session* session) {
  MarkBusy(session);  // off the idle lists
  RegistrySlot& slot = session->slot();
  slot.evicted = true;
  --open;
  --addresses[slot.address].open;
  closed_idle_for_cap.fetch_add(1);
  session->CloseForCap();
}

void Registry::Remove(Session* session) {
  RegistrySlot& slot = session->slot();
  if (!slot.registered) return;
  MarkBusy(session);
  sessions.erase(session);
  slot.registered = false;
  const auto load = addresses.find(slot.address);
  if (!slot.evicted) {
    --open;
    if (load != addresses.end()) --load->second.open;
  }
  if (load != addresses.end() && load->second.open == 0 && load->second.idle.empty()) addresses.erase(load);
}

void Registry::MarkIdle(Session* session) {
  RegistrySlot& slot = session->slot();
  if (!slot.registered || slot.evicted || slot.idle) return;
  slot.idle = true;
  slot.idle_since = std::chrono::steady_clock::now();
  slot.idle_at = idle.insert(idle.end(), session);
  auto& address_idle = addresses[slot.address].idle;
  slot.address_idle_at = address_idle.insert(address_idle.end(), session);
}

void Registry::MarkBusy(Session* session) {
  RegistrySlot& slot = session->slot();
  if (!slot.idle) return;
  slot.idle = false;
  idle.erase(slot.idle_at);
  addresses[slot.address].idle.erase(slot.address_idle_at);
}

bool OutOfDescriptors(const beast::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// Accepts connections, Beast's listener shape: the acceptor lives on a strand of its own, so
// accepting, re-arming the next accept and closing never run at the same time.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(asio::io_context& io, const ServerOptions& options, const RequestHandler& handler,
           Registry& registry)
      : io_(io),
        acceptor_(asio::make_strand(io)),
        backoff_(acceptor_.get_executor()),
        options_(options),
        handler_(handler),
        registry_(registry) {}

  // Opens, binds and listens; returns the bound port. REQUIRES: before Run(), no io thread yet.
  Result<unsigned short> Listen(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    (void)acceptor_.open(endpoint.protocol(), ec);  // the error lands in `ec`, checked below
    if (!ec) (void)acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) (void)acceptor_.bind(endpoint, ec);
    if (!ec) (void)acceptor_.listen(asio::socket_base::max_listen_connections, ec);
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
  // The pending accept ends with operation_aborted and is not re-armed (nor after a backoff).
  void Close() {
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      (void)self->acceptor_.close(ignored);
      self->backoff_.cancel();
      const std::lock_guard lock(self->registry_.mutex);
      self->registry_.listener_closed = true;
      self->registry_.changed.notify_all();
    });
  }

 private:
  void Accept() {
    if (!acceptor_.is_open()) return;
    // Each connection gets a strand of its own; the handler runs on the acceptor's strand.
    acceptor_.async_accept(asio::make_strand(io_),
                           beast::bind_front_handler(&Listener::OnAccept, shared_from_this()));
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    // Closed by Stop(): a connection accepted just before the close is dropped (its socket closes).
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) return AcceptFailed(ec);
    failing_ = false;
    beast::error_code peer_ec;
    tcp::endpoint remote = socket.remote_endpoint(peer_ec);
    if (peer_ec) return Accept();  // gone already
    auto session =
        std::make_shared<Session>(std::move(socket), std::move(remote), options_, handler_, registry_);
    bool admitted = false;
    {
      const std::lock_guard lock(registry_.mutex);
      admitted = registry_.Admit(session.get());
    }
    if (admitted)
      session->Start();
    else
      session->Refuse();
    Accept();
  }

  // Out of file descriptors (or kernel memory) the pending connection stays in the backlog and
  // accept() fails again at once: retrying hot would spin a core. Close the oldest idle connection
  // to free a descriptor and try again after a pause. (Linux fails accept() with EMFILE even with
  // no connection pending, so a connection idle less than kMinIdleToFreeDescriptor, like the one
  // just accepted, is spared.)
  void AcceptFailed(const beast::error_code& ec) {
    registry_.accept_failures.fetch_add(1);
    if (ec == asio::error::connection_aborted) return Accept();  // that client gave up; the next may not
    if (!failing_) Log(LogLevel::kWarn, "accept failed; backing off", {{"error", ec.message()}});
    failing_ = true;
    const bool exhausted = OutOfDescriptors(ec);
    if (exhausted) {
      const std::lock_guard lock(registry_.mutex);
      registry_.EvictOldestIdle(kMinIdleToFreeDescriptor);
    }
    backoff_.expires_after(exhausted ? std::chrono::milliseconds{100} : std::chrono::milliseconds{20});
    backoff_.async_wait([self = shared_from_this()](beast::error_code wait_ec) {
      if (wait_ec) return;  // cancelled by Close()
      self->Accept();
    });
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  asio::steady_timer backoff_;  // on the acceptor's strand
  const ServerOptions& options_;
  const RequestHandler& handler_;
  Registry& registry_;
  bool failing_ = false;  // the last accept failed (logged once per run of failures)
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
        listener(std::make_shared<Listener>(io, options, handler, registry)) {
    const ConnectionCaps derived = DefaultConnectionCaps(OpenFileLimit());
    registry.caps.total = options.max_connections > 0 ? options.max_connections : derived.total;
    // Behind a trusted proxy every connection comes from the proxy: no per-address cap by default.
    const std::size_t per_address = options.trust_forwarded_proto ? registry.caps.total : derived.per_address;
    registry.caps.per_address =
        options.max_connections_per_address > 0 ? options.max_connections_per_address : per_address;
    registry.caps.per_address = std::min(registry.caps.per_address, registry.caps.total);
  }

  // Every kIdleTrimPeriod: when no request was answered in the last one, the memory freed since
  // goes back to the system once (malloc_trim), so a server left idle after a busy spell returns
  // to a low RSS; a busy server is never trimmed in its stride.
  void ArmIdleTrim() {
    trim_timer.expires_after(kIdleTrimPeriod);
    trim_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;  // cancelled: stopping
      const std::uint64_t now = registry.answered.load(std::memory_order_relaxed);
      if (now != answered_at_last_trim_check) {
        answered_at_last_trim_check = now;
        trimmed = false;
      } else if (!trimmed) {
        malloc_trim(0);
        trimmed = true;
      }
      ArmIdleTrim();
    });
  }

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
    asio::post(io, [this] { trim_timer.cancel(); });
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
  asio::steady_timer trim_timer{io};  // ArmIdleTrim; its handler runs on the io threads only
  std::uint64_t answered_at_last_trim_check = 0;
  bool trimmed = true;
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
  impl_->ArmIdleTrim();
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

ServerStats HttpServer::Stats() const {
  ServerStats stats;
  {
    const std::lock_guard lock(impl_->registry.mutex);
    stats.open_connections = impl_->registry.open;
    stats.idle_connections = impl_->registry.idle.size();
  }
  stats.refused_connections = impl_->registry.refused.load();
  stats.closed_idle_for_cap = impl_->registry.closed_idle_for_cap.load();
  stats.requests_rejected_early = impl_->registry.rejected_early.load();
  stats.accept_failures = impl_->registry.accept_failures.load();
  return stats;
}

std::size_t HttpServer::max_connections() const { return impl_->registry.caps.total; }
std::size_t HttpServer::max_connections_per_address() const { return impl_->registry.caps.per_address; }

void HttpServer::RunUntilSignalled() {
  WaitForTerminationSignal();
  Log(LogLevel::kInfo, "shutting down: finishing in-flight requests");
  Stop();
}

}  // namespace booklib::server
