// The HTTP/1.1 server (Boost.Beast): keep-alive, timeouts, size limits, graceful shutdown, request
// logs. It only translates between the wire and web::Request/web::Response.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/error.h"
#include "web/http.h"

namespace booklib::server {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0 = any free port (tests)
  int threads = 4;
  std::chrono::seconds read_timeout{30};    // to receive one whole request once it started
  std::chrono::seconds idle_timeout{75};    // keep-alive connection without a request
  std::chrono::seconds shutdown_grace{20};  // in-flight requests get this long after Stop()
  std::size_t header_limit = 16 * 1024;
  std::size_t body_limit = 1024 * 1024;
  // Larger body limits for specific paths (photo uploads).
  std::map<std::string, std::size_t> path_body_limits = {{"/scan_isbn", 16 * 1024 * 1024}};
  bool trust_forwarded_proto = false;  // behind a TLS-terminating proxy: honour X-Forwarded-Proto
  bool log_requests = true;
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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace booklib::server
