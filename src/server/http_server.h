// The HTTP/1.1 server (Boost.Beast): keep-alive, timeouts, size limits, graceful shutdown, request
// logs. It only translates between the wire and web::Request/web::Response.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/error.h"
#include "web/http.h"

namespace booklib::server {

// Budgets that keep one client (or many idle ones) from taking the server down. The timeouts:
// a connection may wait idle_timeout for the first byte of a request (new or kept alive), then has
// header_timeout for the rest of the header; a body gets body_timeout plus one second per
// body_min_rate bytes (declared, or the limit when chunked), at most body_timeout_max; an answer
// must be taken within write_timeout. Every limit cuts the connection, never a thread.
struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port (tests)
  int threads = 4;
  std::chrono::seconds idle_timeout{15};
  std::chrono::seconds header_timeout{10};
  std::chrono::seconds body_timeout{10};
  std::size_t body_min_rate = 64 * 1024;  // bytes per second
  std::chrono::seconds body_timeout_max{120};
  std::chrono::seconds write_timeout{30};
  std::chrono::seconds shutdown_grace{20};  // in-flight requests get this long after Stop()
  std::size_t header_limit = 16 * 1024;
  // Open connections, overall and per client address (the socket's peer). 0 = derived from the
  // process's open-file limit (DefaultConnectionCaps; behind a trusted proxy, where every
  // connection comes from the proxy, the per-address cap is then the overall one). A connection
  // past a cap makes the server close the oldest idle connection (waiting for a request) of that
  // address, or overall; when none is idle it is answered 503 with Retry-After and closed, its
  // request unread.
  std::size_t max_connections = 0;
  std::size_t max_connections_per_address = 0;
  // Decides on each request's header how large its body may be, or answers it at once
  // (web::App::Admit). Empty: every body may have body_limit bytes.
  std::function<web::Admission(const web::Request& head)> admit;
  std::size_t body_limit = 256 * 1024;
  bool trust_forwarded_proto = false;  // behind a TLS-terminating proxy: honour X-Forwarded-Proto
  bool log_requests = true;
};

// What the server has done so far, for /metrics. Totals since Start().
struct ServerStats {
  std::size_t open_connections = 0;           // now, refusals and closes in progress not counted
  std::size_t idle_connections = 0;           // now: open and waiting for a request
  std::uint64_t refused_connections = 0;      // answered 503 past a connection cap
  std::uint64_t closed_idle_for_cap = 0;      // idle connections closed to make room for a new one
  std::uint64_t requests_rejected_early = 0;  // answered from the header alone (413, 401, 400, 431...)
  std::uint64_t accept_failures = 0;          // accept() errors (e.g. out of file descriptors)
};

// Blocks the calling thread until the process receives SIGINT or SIGTERM.
void WaitForTerminationSignal();

using RequestHandler = std::function<web::Response(const web::Request&)>;

// Threads: Start() once; Stop() and Wait() from any thread. Each connection is served on a strand
// of its own by the `threads` io threads, so `handler` is called concurrently for different
// connections and must be thread-safe.
class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler);
  // Stop()s, then waits for the shutdown to finish.
  // REQUIRES: not called on one of the server's own threads (inside `handler`).
  ~HttpServer();

  // Binds and starts serving on the worker threads; returns the bound port. Returns kUnavailable if
  // the address cannot be bound, kInvalidArgument if it is malformed or the server was already
  // started or stopped (a server runs once).
  Result<unsigned short> Start();
  // Stops accepting, closes idle connections, lets in-flight requests finish (up to the grace
  // period; then their connections are dropped), then stops the worker threads and returns. Safe to
  // call from any thread, more than once, concurrently; before Start() it only marks the server
  // stopped. Called on one of the server's own threads (inside `handler`), it starts the shutdown
  // and returns at once: the drain and the join run on a shutdown thread, the calling request is
  // answered (with Connection: close), and Wait() or the destructor wait for the rest.
  void Stop();
  // Blocks until a Stop() (from any thread, or RunUntilSignalled()) has completed.
  // REQUIRES: not called inside `handler` (it would wait for its own request).
  void Wait();
  // Blocks until SIGINT or SIGTERM, then Stop()s.
  void RunUntilSignalled();
  // Thread-safe; any time, also before Start() (all zero) and after Stop().
  ServerStats Stats() const;
  // The connection caps in force (options, or derived from the open-file limit).
  std::size_t max_connections() const;
  std::size_t max_connections_per_address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace booklib::server
