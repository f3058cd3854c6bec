// FakeHttpServer: blocking Beast reads and writes, one thread per connection, one accept thread.
#include "tests/support/fake_http_server.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <exception>
#include <stdexcept>

#include "text/ascii.h"

namespace booklib::test {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

// A self-signed certificate and its key, in PEM.
struct TlsIdentity {
  std::string certificate_pem;
  std::string key_pem;
};

std::string PemOf(const std::function<int(BIO*)>& write) {
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio || write(bio.get()) != 1) throw std::runtime_error("fake server: PEM encoding failed");
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

void AddExtension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value);
  if (extension == nullptr || X509_add_ext(certificate, extension, -1) != 1)
    throw std::runtime_error("fake server: certificate extension failed");
  X509_EXTENSION_free(extension);
}

// An ECDSA P-256 certificate for 127.0.0.1 and localhost, its own CA, valid for a week.
TlsIdentity MakeSelfSignedIdentity() {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  const std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
  if (!key || !certificate) throw std::runtime_error("fake server: key generation failed");
  X509* cert = certificate.get();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 7L * 24 * 3600);
  X509_set_pubkey(cert, key.get());
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                             -1, -1, 0);
  X509_set_issuer_name(cert, name);
  AddExtension(cert, NID_basic_constraints, "critical,CA:TRUE");
  AddExtension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
  AddExtension(cert, NID_subject_key_identifier, "hash");
  AddExtension(cert, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  if (X509_sign(cert, key.get(), EVP_sha256()) == 0) throw std::runtime_error("fake server: signing failed");
  return TlsIdentity{
      PemOf([cert](BIO* bio) { return PEM_write_bio_X509(bio, cert); }),
      PemOf([&key](BIO* bio) {
        return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
      }),
  };
}

// Made once: key generation is cheap, but every kHttps server sharing one certificate lets a client
// trust them all with one PEM.
const TlsIdentity& ProcessIdentity() {
  static const TlsIdentity identity = MakeSelfSignedIdentity();
  return identity;
}

constexpr std::uint64_t kMaxRequestBodyBytes = 64 * 1024 * 1024;

FakeRequest ToFakeRequest(const http::request<http::string_body>& message) {
  FakeRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const auto question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers.emplace_back(text::AsciiLower(std::string(field.name_string())),
                                 std::string(field.value()));
  }
  request.body = message.body();
  return request;
}

http::response<http::string_body> ToBeastResponse(const FakeResponse& response, bool keep_alive) {
  http::response<http::string_body> message;
  message.version(11);
  message.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers) message.insert(name, value);
  message.body() = response.body;
  if (response.chunked) {
    message.chunked(true);
  } else {
    message.content_length(response.body.size());
  }
  message.keep_alive(keep_alive);
  return message;
}

// Runs the handler; a throwing handler becomes a 500 rather than a dead server thread.
FakeResponse Invoke(const FakeHandler& handler, const FakeRequest& request) {
  try {
    return handler(request);
  } catch (const std::exception& e) {
    return FakeResponse::Text(std::string("fake handler threw: ") + e.what(), 500);
  } catch (...) {
    return FakeResponse::Text("fake handler threw", 500);
  }
}

}  // namespace

// ---- FakeRequest / FakeResponse -------------------------------------------------------------

std::string FakeRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

namespace {

// What Json() and Text() answer: `body` as `content_type`, with `status`.
FakeResponse Content(std::string body, int status, std::string content_type) {
  FakeResponse response = FakeResponse::Status(status).WithHeader("Content-Type", std::move(content_type));
  response.body = std::move(body);
  return response;
}

}  // namespace

FakeResponse FakeResponse::Json(std::string body, int status) {
  return Content(std::move(body), status, "application/json; charset=UTF-8");
}

FakeResponse FakeResponse::Text(std::string body, int status) {
  return Content(std::move(body), status, "text/plain; charset=UTF-8");
}

FakeResponse FakeResponse::Status(int status) {
  FakeResponse response;
  response.status = status;
  return response;
}

FakeResponse FakeResponse::Hang() {
  FakeResponse response;
  response.behavior = Behavior::kHang;
  return response;
}

FakeResponse FakeResponse::CloseConnection() {
  FakeResponse response;
  response.behavior = Behavior::kCloseConnection;
  return response;
}

FakeResponse FakeResponse::Oversize(std::size_t bytes) {
  FakeResponse response = Json(std::string(bytes, 'x'));
  response.chunked = true;
  return response;
}

FakeResponse& FakeResponse::WithHeader(std::string name, std::string value) {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

FakeResponse& FakeResponse::WithDelay(std::chrono::milliseconds wait) {
  delay = wait;
  return *this;
}

// ---- FakeHttpServer -------------------------------------------------------------------------

struct FakeHttpServer::Impl {
  asio::io_context io;  // sockets need one; nothing runs it (all I/O here is blocking)
  tcp::acceptor acceptor{io};
  std::unique_ptr<ssl::context> tls;  // kHttps only
};

// A connection's socket is used by its own thread only; other threads touch `fd` (to shut the
// socket down on Stop) and the flags, and only under the server's mutex while `open`.
struct FakeHttpServer::Connection {
  explicit Connection(tcp::socket accepted) : socket(std::move(accepted)), fd(socket.native_handle()) {}

  tcp::socket socket;
  const int fd;
  std::unique_ptr<ssl::stream<tcp::socket&>> tls;  // over `socket`, kHttps only
  boost::beast::flat_buffer buffer;
  bool open = true;       // guarded by mutex_
  bool finished = false;  // guarded by mutex_; the thread is about to return
  std::thread thread;
};

FakeHttpServer::FakeHttpServer(FakeTransport transport) : impl_(std::make_unique<Impl>()) {
  if (transport == FakeTransport::kHttps) {
    const TlsIdentity& identity = ProcessIdentity();
    impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(asio::buffer(identity.certificate_pem));
    impl_->tls->use_private_key(asio::buffer(identity.key_pem), ssl::context::pem);
  }
  const tcp::endpoint loopback(asio::ip::make_address_v4("127.0.0.1"), 0);
  impl_->acceptor.open(loopback.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(loopback);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  port_ = impl_->acceptor.local_endpoint().port();
  accept_thread_ = std::thread([this] { AcceptLoop(); });
}

FakeHttpServer::~FakeHttpServer() { Stop(); }

std::string FakeHttpServer::BaseUrl() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::string FakeHttpServer::CertificatePem() const {
  return impl_->tls ? ProcessIdentity().certificate_pem : "";
}

void FakeHttpServer::Handle(std::string path, FakeHandler handler) {
  const std::lock_guard lock(mutex_);
  exact_handlers_[std::move(path)] = std::move(handler);
}

void FakeHttpServer::HandlePrefix(std::string prefix, FakeHandler handler) {
  const std::lock_guard lock(mutex_);
  prefix_handlers_[std::move(prefix)] = std::move(handler);
}

void FakeHttpServer::HandleDefault(FakeHandler handler) {
  const std::lock_guard lock(mutex_);
  default_handler_ = std::move(handler);
}

void FakeHttpServer::Respond(std::string path, FakeResponse response) {
  Handle(std::move(path), [response = std::move(response)](const FakeRequest&) { return response; });
}

void FakeHttpServer::RespondInOrder(std::string path, std::vector<FakeResponse> responses) {
  auto script = std::make_shared<std::vector<FakeResponse>>(std::move(responses));
  auto next = std::make_shared<std::size_t>(0);
  auto guard = std::make_shared<std::mutex>();
  Handle(std::move(path), [script, next, guard](const FakeRequest&) {
    const std::lock_guard lock(*guard);
    const std::size_t index = std::min(*next, script->size() - 1);
    ++*next;
    return (*script)[index];
  });
}

int FakeHttpServer::RequestCount(std::string_view path) const {
  const std::lock_guard lock(mutex_);
  const auto found = request_counts_.find(path);
  return found == request_counts_.end() ? 0 : found->second;
}

int FakeHttpServer::TotalRequestCount() const {
  const std::lock_guard lock(mutex_);
  return total_requests_;
}

int FakeHttpServer::ConnectionCount() const {
  const std::lock_guard lock(mutex_);
  return connections_accepted_;
}

std::vector<FakeRequest> FakeHttpServer::Requests() const {
  const std::lock_guard lock(mutex_);
  return {recorded_.begin(), recorded_.end()};
}

std::optional<FakeRequest> FakeHttpServer::LastRequest() const {
  const std::lock_guard lock(mutex_);
  if (recorded_.empty()) return std::nullopt;
  return recorded_.back();
}

bool FakeHttpServer::WaitForRequests(std::string_view path, int count,
                                     std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    const auto found = request_counts_.find(path);
    return found != request_counts_.end() && found->second >= count;
  });
}

void FakeHttpServer::Stop() {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  changed_.notify_all();

  // Wake the blocking accept(): shutting a listening socket down does on Linux; a connection to
  // ourselves does everywhere. Either way AcceptLoop then sees stopping_.
  ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
  {
    asio::io_context io;
    tcp::socket wake(io);
    boost::system::error_code ignored;
    (void)wake.connect(tcp::endpoint(asio::ip::make_address_v4("127.0.0.1"), port_), ignored);
  }
  if (accept_thread_.joinable()) accept_thread_.join();
  boost::system::error_code ignored;
  (void)impl_->acceptor.close(ignored);

  {
    const std::lock_guard lock(mutex_);
    for (const auto& connection : connections_) {
      if (connection->open) ::shutdown(connection->fd, SHUT_RDWR);  // unblocks its read or write
    }
  }
  // The accept thread is gone, so the list no longer changes.
  for (const auto& connection : connections_) {
    if (connection->thread.joinable()) connection->thread.join();
  }
  connections_.clear();
}

void FakeHttpServer::AcceptLoop() {
  for (;;) {
    tcp::socket socket(impl_->io);
    boost::system::error_code error;
    (void)impl_->acceptor.accept(socket, error);
    JoinFinishedConnections();
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (error) continue;
    (void)socket.set_option(tcp::no_delay(true), error);
    ++connections_accepted_;
    Connection& connection = *connections_.emplace_back(std::make_unique<Connection>(std::move(socket)));
    try {
      connection.thread = std::thread([this, &connection] { Serve(connection); });
    } catch (const std::system_error&) {  // out of threads: drop this connection
      connections_.pop_back();
    }
  }
}

void FakeHttpServer::JoinFinishedConnections() {
  std::list<std::unique_ptr<Connection>> finished;
  {
    const std::lock_guard lock(mutex_);
    for (auto it = connections_.begin(); it != connections_.end();) {
      const auto next = std::next(it);
      if ((*it)->finished) finished.splice(finished.end(), connections_, it);
      it = next;
    }
  }
  for (const auto& connection : finished) connection->thread.join();
}

void FakeHttpServer::Serve(Connection& connection) {
  bool ready = true;
  if (impl_->tls) {
    connection.tls = std::make_unique<ssl::stream<tcp::socket&>>(connection.socket, *impl_->tls);
    boost::system::error_code error;
    (void)connection.tls->handshake(ssl::stream_base::server, error);
    ready = !error;  // e.g. a client that refused the certificate
  }
  while (ready && ServeOneRequest(connection)) {
  }
  const std::lock_guard lock(mutex_);
  boost::system::error_code ignored;
  (void)connection.socket.shutdown(tcp::socket::shutdown_both, ignored);
  (void)connection.socket.close(ignored);
  connection.open = false;
  connection.finished = true;
}

bool FakeHttpServer::ServeOneRequest(Connection& connection) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(kMaxRequestBodyBytes);
  boost::system::error_code error;
  if (connection.tls) {
    http::read(*connection.tls, connection.buffer, parser, error);
  } else {
    http::read(connection.socket, connection.buffer, parser, error);
  }
  if (error) return false;  // end of stream, a broken request, or Stop()

  const http::request<http::string_body>& message = parser.get();
  const FakeRequest request = ToFakeRequest(message);
  Record(request);
  const FakeResponse response = Invoke(FindHandler(request.path), request);

  if (!Sleep(response.delay)) return false;
  switch (response.behavior) {
    case FakeResponse::Behavior::kHang: {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_; });
      return false;
    }
    case FakeResponse::Behavior::kCloseConnection:
      return false;
    case FakeResponse::Behavior::kAnswer:
      break;
  }
  auto answer = ToBeastResponse(response, message.keep_alive());
  if (connection.tls) {
    http::write(*connection.tls, answer, error);
  } else {
    http::write(connection.socket, answer, error);
  }
  return !error && answer.keep_alive();
}

FakeHandler FakeHttpServer::FindHandler(const std::string& path) const {
  const std::lock_guard lock(mutex_);
  if (const auto exact = exact_handlers_.find(path); exact != exact_handlers_.end()) return exact->second;
  const FakeHandler* longest = nullptr;
  std::size_t longest_size = 0;
  for (const auto& [prefix, handler] : prefix_handlers_) {
    if (path.starts_with(prefix) && (longest == nullptr || prefix.size() > longest_size)) {
      longest = &handler;
      longest_size = prefix.size();
    }
  }
  if (longest != nullptr) return *longest;
  if (default_handler_) return default_handler_;
  return [](const FakeRequest& request) {
    return FakeResponse::Text("fake server: no handler for " + request.path, 404);
  };
}

void FakeHttpServer::Record(const FakeRequest& request) {
  {
    const std::lock_guard lock(mutex_);
    ++request_counts_[request.path];
    ++total_requests_;
    recorded_.push_back(request);
    if (recorded_.size() > kRecordedRequests) recorded_.pop_front();
  }
  changed_.notify_all();
}

bool FakeHttpServer::Sleep(std::chrono::milliseconds delay) const {
  std::unique_lock lock(mutex_);
  if (delay.count() <= 0) return !stopping_;
  return !changed_.wait_for(lock, delay, [this] { return stopping_; });
}

}  // namespace booklib::test
