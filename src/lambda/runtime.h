// A custom Lambda runtime: the Runtime API (2018-06-01) loop that feeds events to a handler.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/error.h"

namespace booklib::lambda {

// What Lambda says about one invocation (headers of GET /runtime/invocation/next).
struct InvocationContext {
  std::string request_id;            // Lambda-Runtime-Aws-Request-Id
  std::int64_t deadline_ms = 0;      // Lambda-Runtime-Deadline-Ms: Unix epoch milliseconds, 0 if absent
  std::string invoked_function_arn;  // Lambda-Runtime-Invoked-Function-Arn
  std::string trace_id;              // Lambda-Runtime-Trace-Id (also exported as _X_AMZN_TRACE_ID)

  // Time left before Lambda stops the invocation, never negative; nullopt if no deadline was given.
  // Handlers use it to bound outbound calls (e.g. the metadata lookups).
  std::optional<std::chrono::milliseconds> RemainingTime() const;
};

// Turns one event (JSON text) into the response payload (JSON text). An error is reported to
// Lambda as a function error ({"errorMessage", "errorType"}); it never ends the runtime loop.
using InvocationHandler =
    std::function<Result<std::string>(const std::string& event, const InvocationContext& context)>;

struct RuntimeOptions {
  std::string api_address;  // "host:port" of the Runtime API (AWS_LAMBDA_RUNTIME_API)
  // Stop after this many invocations (tests); nullopt = serve until the Runtime API fails.
  std::optional<int> max_invocations;
};

// Options from the environment: api_address from AWS_LAMBDA_RUNTIME_API.
// Returns kInvalidArgument when it is unset or empty (the process is not running inside Lambda).
Result<RuntimeOptions> RuntimeOptionsFromEnvironment();

// Loop: GET next (no total timeout, since the process may be frozen between events) -> set
// _X_AMZN_TRACE_ID -> handler -> POST .../response or .../error. A handler that throws is reported
// like one that returned an error.
// Returns success after max_invocations invocations; returns kUnavailable when the Runtime API cannot
// be reached, closes the connection, answers `next` with a non-200 status, or answers a post with a
// 5xx (Lambda's "container error": the process must exit).
Result<void> RunRuntime(const InvocationHandler& handler, const RuntimeOptions& options);

// POSTs `error` to /runtime/init/error. Returns kUnavailable when the post fails or is not accepted.
Result<void> ReportInitError(const RuntimeOptions& options, const Error& error);

// Builds the handler with `init`, then runs the loop: what `main` of a Lambda process returns.
// 0 when the loop ended successfully (max_invocations reached). Non-zero when `init` failed (after
// reporting the failure to /runtime/init/error) or the loop ended with an error.
using HandlerFactory = std::function<Result<InvocationHandler>()>;
int RunLambdaProcess(const HandlerFactory& init, const RuntimeOptions& options);

}  // namespace booklib::lambda
