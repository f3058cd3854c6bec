// FakeHttpServer: a scriptable in-process HTTP/1.1 server on 127.0.0.1 for tests of HTTP clients.
//
// Usage:
//   booklib::test::FakeHttpServer server;                       // listening on an ephemeral port
//   server.Respond("/volumes", FakeResponse::Json(R"({"totalItems":0})"));
//   server.Handle("/echo", [](const FakeRequest& r) { return FakeResponse::Text(r.body); });
//   server.Respond("/slow", FakeResponse::Json("{}").WithDelay(std::chrono::milliseconds(500)));
//   server.Respond("/stuck", FakeResponse::Hang());              // never answers
//   ... point the code under test at server.BaseUrl() ("http://127.0.0.1:PORT") ...
//   booklib::test::FakeHttpServer tls(booklib::test::FakeTransport::kHttps);  // "https://127.0.0.1:PORT",
//   ... trusting tls.CertificatePem() (self-signed, for 127.0.0.1 and localhost) ...
//   EXPECT_EQ(server.RequestCount("/volumes"), 1);
//   EXPECT_EQ(server.LastRequest()->query, "q=isbn:9780316030571");
//
// Every connection is served by its own thread, so a delayed or hanging answer never holds up
// another connection. Connections are kept alive when the client asks for it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace booklib::test {

// One request as the server received it.
struct FakeRequest {
  std::string method;                                        // "GET", "POST", ...
  std::string target;                                        // as sent: path plus "?query" if any
  std::string path;                                          // target without the query
  std::string query;                                         // raw query without '?', not decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;

  // First value of header `name` (lower-case), or empty.
  std::string Header(std::string_view name) const;
};

// What the server does with one request: answer (after an optional delay), or misbehave.
struct FakeResponse {
  enum class Behavior {
    kAnswer,           // send status, headers and body
    kHang,             // read the request, never answer; the connection stays open until Stop()
    kCloseConnection,  // read the request, close the connection without a byte of answer
  };

  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // sent as given; may repeat
  std::string body;
  std::chrono::milliseconds delay{0};  // wait this long before answering (or closing)
  Behavior behavior = Behavior::kAnswer;
  // Send the body with Transfer-Encoding: chunked and no Content-Length, so the client only learns
  // the size while reading it.
  bool chunked = false;

  // Status 200 unless given; Content-Type set to application/json / text/plain.
  static FakeResponse Json(std::string body, int status = 200);
  static FakeResponse Text(std::string body, int status = 200);
  // A status with an empty body.
  static FakeResponse Status(int status);
  static FakeResponse Hang();
  static FakeResponse CloseConnection();
  // 200 with a chunked body of `bytes` bytes of JSON-ish filler (for response-size caps).
  static FakeResponse Oversize(std::size_t bytes);

  FakeResponse& WithHeader(std::string name, std::string value);
  FakeResponse& WithDelay(std::chrono::milliseconds wait);
};

// Computes the response for one request. Called on the connection's own thread, concurrently with
// other connections' handlers. A handler may block (e.g. a long poll waiting for a test to supply
// an event) but must return eventually: Stop() waits for running handlers.
using FakeHandler = std::function<FakeResponse(const FakeRequest&)>;

enum class FakeTransport {
  kHttp,   // plain HTTP/1.1
  kHttps,  // HTTP/1.1 over TLS with a self-signed certificate made for this process
};

class FakeHttpServer {
 public:
  // Binds 127.0.0.1 on an ephemeral port and starts accepting. Throws if it cannot bind.
  explicit FakeHttpServer(FakeTransport transport = FakeTransport::kHttp);
  // Stop()s.
  ~FakeHttpServer();
  FakeHttpServer(const FakeHttpServer&) = delete;
  FakeHttpServer& operator=(const FakeHttpServer&) = delete;

  std::uint16_t Port() const { return port_; }
  // "http://127.0.0.1:PORT" (or https://), without a trailing slash.
  std::string BaseUrl() const;
  // kHttps: the server's certificate (PEM), valid for 127.0.0.1 and localhost; clients trust it as
  // their only CA. The same for every kHttps server of the process. kHttp: empty.
  std::string CertificatePem() const;

  // Routing, by path (the target without its query): an exact Handle() match wins, then the
  // longest HandlePrefix() match, then the default handler; with none of these, 404.
  // Registering again for the same path replaces the earlier handler. Safe while serving.
  void Handle(std::string path, FakeHandler handler);
  void HandlePrefix(std::string prefix, FakeHandler handler);
  void HandleDefault(FakeHandler handler);
  // Handle(path) with a handler that always returns `response`.
  void Respond(std::string path, FakeResponse response);
  // Handle(path) with a handler that returns the responses in order, then repeats the last one.
  // REQUIRES: responses is not empty.
  void RespondInOrder(std::string path, std::vector<FakeResponse> responses);

  // Requests received (counted when read, before the handler runs).
  int RequestCount(std::string_view path) const;
  int TotalRequestCount() const;
  // TCP connections accepted so far (keep-alive reuse shows as fewer connections than requests).
  int ConnectionCount() const;
  // The most recent requests, oldest first (at most kRecordedRequests).
  std::vector<FakeRequest> Requests() const;
  std::optional<FakeRequest> LastRequest() const;
  // Blocks until RequestCount(path) >= count or `timeout` passes; returns whether it got there.
  bool WaitForRequests(std::string_view path, int count, std::chrono::milliseconds timeout) const;

  // Stops accepting, wakes delayed and hanging answers (they close without answering), shuts
  // every connection down and joins all threads. Idempotent.
  void Stop();

  static constexpr std::size_t kRecordedRequests = 100;

 private:
  struct Connection;

  void AcceptLoop();
  void Serve(Connection& connection);
  // Returns false when the connection must close.
  bool ServeOneRequest(Connection& connection);
  FakeHandler FindHandler(const std::string& path) const;
  void Record(const FakeRequest& request);
  // Waits `delay`, or until Stop(); returns false if stopped.
  bool Sleep(std::chrono::milliseconds delay) const;
  void JoinFinishedConnections();

  struct Impl;  // Asio objects, kept out of this header
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
  std::thread accept_thread_;

  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;  // a request arrived, or stopping
  bool stopping_ = false;
  std::map<std::string, FakeHandler, std::less<>> exact_handlers_;
  std::map<std::string, FakeHandler, std::less<>> prefix_handlers_;
  FakeHandler default_handler_;
  std::map<std::string, int, std::less<>> request_counts_;
  int total_requests_ = 0;
  int connections_accepted_ = 0;
  std::deque<FakeRequest> recorded_;
  std::list<std::unique_ptr<Connection>> connections_;
};

}  // namespace booklib::test
