// The Lambda Runtime API (2018-06-01) as the Lambda service serves it to a `booklib lambda` process,
// driven one invocation at a time by a test: Invoke() hands an event to the waiting
// GET /invocation/next and returns what the function posted back.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "tests/support/fake_http_server.h"

namespace booklib::test {

class FakeRuntimeApi {
 public:
  // What the function posted for one invocation.
  struct Answer {
    bool is_error = false;  // posted to .../error rather than .../response
    std::string body;
  };

  FakeRuntimeApi() {
    server_.Handle(kRuntime + "/invocation/next", [this](const FakeRequest&) { return NextInvocation(); });
    server_.HandlePrefix(kRuntime + "/invocation/",
                         [this](const FakeRequest& request) { return Record(request); });
    server_.HandlePrefix(kRuntime + "/init/error", [this](const FakeRequest& request) {
      const std::lock_guard lock(mutex_);
      init_error_ = request.body;
      changed_.notify_all();
      return FakeResponse::Status(202);
    });
  }
  ~FakeRuntimeApi() {
    Close();
    server_.Stop();  // before the members its handlers use go away
  }
  FakeRuntimeApi(const FakeRuntimeApi&) = delete;
  FakeRuntimeApi& operator=(const FakeRuntimeApi&) = delete;

  // AWS_LAMBDA_RUNTIME_API for the function: "127.0.0.1:PORT".
  std::string Address() const { return "127.0.0.1:" + std::to_string(server_.Port()); }

  // Queues `event` for the function's next GET /invocation/next (with a deadline 5 minutes ahead)
  // and waits up to `timeout` for its response or error; nullopt if none came.
  std::optional<Answer> Invoke(std::string event, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    const std::string id = "e2e-invocation-" + std::to_string(++invocations_);
    pending_.emplace_back(id, std::move(event));
    changed_.notify_all();
    changed_.wait_for(lock, timeout, [&] { return answers_.contains(id); });
    if (!answers_.contains(id)) return std::nullopt;
    return answers_.at(id);
  }

  // From now on every GET /invocation/next answers 500, as a runtime being torn down does: the
  // function's loop ends and the process exits.
  void Close() {
    const std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

  // The body posted to /init/error, if the function failed to initialise.
  std::optional<std::string> InitError() const {
    const std::lock_guard lock(mutex_);
    return init_error_;
  }

  int NextRequests() const { return server_.RequestCount(kRuntime + "/invocation/next"); }

 private:
  inline static const std::string kRuntime = "/2018-06-01/runtime";

  FakeResponse NextInvocation() {
    std::unique_lock lock(mutex_);
    // Lambda keeps `next` open until an event comes; bounded here so a forgotten test cannot hang.
    changed_.wait_for(lock, std::chrono::seconds{120}, [&] { return closed_ || !pending_.empty(); });
    if (closed_ || pending_.empty()) return FakeResponse::Status(500);
    auto [id, event] = std::move(pending_.front());
    pending_.pop_front();
    const auto deadline = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch() + std::chrono::minutes{5})
                              .count();
    return FakeResponse::Json(std::move(event))
        .WithHeader("Lambda-Runtime-Aws-Request-Id", id)
        .WithHeader("Lambda-Runtime-Deadline-Ms", std::to_string(deadline))
        .WithHeader("Lambda-Runtime-Invoked-Function-Arn",
                    "arn:aws:lambda:us-east-1:000000000000:function:booklib-e2e")
        .WithHeader("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
  }

  // POST /invocation/<id>/response or /invocation/<id>/error.
  FakeResponse Record(const FakeRequest& request) {
    const std::string prefix = kRuntime + "/invocation/";
    if (request.method != "POST") return FakeResponse::Status(405);
    const std::string rest = request.path.substr(prefix.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return FakeResponse::Status(404);
    const std::string id = rest.substr(0, slash);
    const std::string kind = rest.substr(slash + 1);
    if (kind != "response" && kind != "error") return FakeResponse::Status(404);
    const std::lock_guard lock(mutex_);
    answers_[id] = Answer{.is_error = kind == "error", .body = request.body};
    changed_.notify_all();
    return FakeResponse::Status(202);
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::pair<std::string, std::string>> pending_;  // request id, event
  std::map<std::string, Answer> answers_;
  std::optional<std::string> init_error_;
  bool closed_ = false;
  int invocations_ = 0;
  FakeHttpServer server_;
};

}  // namespace booklib::test
