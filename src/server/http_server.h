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

class HttpServer {
 public:
  HttpServer(ServerOptions options, RequestHandler handler);
  ~HttpServer();

  // Binds and starts serving on the worker threads; returns the bound port.
  Result<unsigned short> Start();
  // Stops accepting, closes idle connections, lets in-flight requests finish (up to the grace
  // period), then returns. Safe to call from any thread, more than once.
  void Stop();
  // Blocks until Stop() completes (or SIGINT/SIGTERM when WaitForSignals is used).
  void Wait();
  // Blocks until SIGINT or SIGTERM, then Stop()s.
  void RunUntilSignalled();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace booklib::server
