// The Runtime API loop over net::HttpClient, following Lambda's "custom runtime" documentation.
#include "lambda/runtime.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <exception>
#include <nlohmann/json.hpp>
#include <utility>

#include "core/log.h"
#include "net/http_client.h"

namespace booklib::lambda {
namespace {

// Events reach 6 MB (synchronous invokes); an SQS batch of 10 x 256 KB stays far below.
constexpr std::size_t kMaxEventBytes = 7 * 1024 * 1024;

struct Invocation {
  std::string event;
  InvocationContext context;
};

std::int64_t ParseMilliseconds(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  return error == std::errc() && end == text.data() + text.size() ? value : 0;
}

// X-Ray reads the trace header of the current invocation from this variable.
void ExportTraceId(const std::string& trace_id) {
  if (trace_id.empty()) {
    ::unsetenv("_X_AMZN_TRACE_ID");
  } else {
    ::setenv("_X_AMZN_TRACE_ID", trace_id.c_str(), /*overwrite=*/1);
  }
}

std::string ErrorType(const Error& error) { return std::string("Booklib.") + ErrorCodeName(error.code); }

std::string ErrorBody(const Error& error) {
  const nlohmann::json body = {
      {"errorMessage", error.message},
      {"errorType", ErrorType(error)},
      {"stackTrace", nlohmann::json::array()},
  };
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The Runtime API's endpoints, over one keep-alive connection.
class RuntimeClient {
 public:
  explicit RuntimeClient(const std::string& api_address)
      : base_url_("http://" + api_address + "/2018-06-01/runtime") {}

  Result<Invocation> Next() {
    net::HttpClientRequest request;
    request.method = "GET";
    request.url = base_url_ + "/invocation/next";
    request.total_timeout = std::chrono::milliseconds(0);  // frozen between events: never time out
    request.max_response_bytes = kMaxEventBytes;
    auto response = http_.Send(request);
    if (!response) return std::unexpected(response.error());
    if (response->status != 200) {
      return Fail(ErrorCode::kUnavailable,
                  "runtime API answered next with " + std::to_string(response->status));
    }
    Invocation invocation{.event = std::move(response->body), .context = ContextFrom(*response)};
    if (invocation.context.request_id.empty()) {
      return Fail(ErrorCode::kUnavailable, "runtime API sent an event without Lambda-Runtime-Aws-Request-Id");
    }
    return invocation;
  }

  Result<int> PostResponse(const std::string& request_id, std::string payload) {
    return Post("/invocation/" + request_id + "/response", std::move(payload), {});
  }

  Result<int> PostInvocationError(const std::string& request_id, const Error& error) {
    return PostError("/invocation/" + request_id + "/error", error);
  }

  Result<int> PostInitError(const Error& error) { return PostError("/init/error", error); }

 private:
  static InvocationContext ContextFrom(const net::HttpClientResponse& response) {
    return InvocationContext{
        .request_id = response.Header("lambda-runtime-aws-request-id"),
        .deadline_ms = ParseMilliseconds(response.Header("lambda-runtime-deadline-ms")),
        .invoked_function_arn = response.Header("lambda-runtime-invoked-function-arn"),
        .trace_id = response.Header("lambda-runtime-trace-id"),
    };
  }

  Result<int> PostError(const std::string& path, const Error& error) {
    return Post(
        path, ErrorBody(error),
        {{"Content-Type", "application/json"}, {"Lambda-Runtime-Function-Error-Type", ErrorType(error)}});
  }

  // The HTTP status of the post; transport failures are errors.
  Result<int> Post(const std::string& path, std::string body,
                   std::vector<std::pair<std::string, std::string>> headers) {
    net::HttpClientRequest request;
    request.method = "POST";
    request.url = base_url_ + path;
    request.headers = std::move(headers);
    request.body = std::move(body);
    auto response = http_.Send(request);
    if (!response) return std::unexpected(response.error());
    return response->status;
  }

  net::HttpClient http_;
  const std::string base_url_;
};

// Runs the handler; an exception becomes an error, so one bad event cannot end the process.
Result<std::string> Invoke(const InvocationHandler& handler, const Invocation& invocation) {
  try {
    return handler(invocation.event, invocation.context);
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("handler threw: ") + e.what());
  } catch (...) {
    return Fail(ErrorCode::kInternal, "handler threw a non-standard exception");
  }
}

// 2xx: accepted. 4xx: this invocation's report was refused (e.g. payload too large), which is
// logged and survived. 5xx: the container is broken and the process must exit.
Result<void> CheckPostStatus(const Result<int>& status, std::string_view what) {
  if (!status) return std::unexpected(status.error());
  if (*status >= 200 && *status < 300) return {};
  const std::string message =
      "runtime API answered " + std::string(what) + " with " + std::to_string(*status);
  if (*status >= 500) return Fail(ErrorCode::kUnavailable, message);
  Log(LogLevel::kWarn, "lambda runtime refused a report", {{"error", message}});
  return {};
}

Result<void> ServeOne(RuntimeClient& client, const InvocationHandler& handler) {
  auto invocation = client.Next();
  if (!invocation) return std::unexpected(invocation.error());
  ExportTraceId(invocation->context.trace_id);
  const std::string& id = invocation->context.request_id;
  auto payload = Invoke(handler, *invocation);
  if (payload) return CheckPostStatus(client.PostResponse(id, std::move(*payload)), "a response");
  Log(LogLevel::kError, "lambda invocation failed", {{"request_id", id}, {"error", payload.error().message}});
  return CheckPostStatus(client.PostInvocationError(id, payload.error()), "an error");
}

Result<InvocationHandler> BuildHandler(const HandlerFactory& init) {
  try {
    return init();
  } catch (const std::exception& e) {
    return Fail(ErrorCode::kInternal, std::string("initialisation threw: ") + e.what());
  }
}

}  // namespace

std::optional<std::chrono::milliseconds> InvocationContext::RemainingTime() const {
  if (deadline_ms == 0) return std::nullopt;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return std::max(std::chrono::milliseconds(0), std::chrono::milliseconds(deadline_ms) - now);
}

Result<RuntimeOptions> RuntimeOptionsFromEnvironment() {
  const char* address = std::getenv("AWS_LAMBDA_RUNTIME_API");
  if (address == nullptr || *address == '\0') {
    return Fail(ErrorCode::kInvalidArgument, "AWS_LAMBDA_RUNTIME_API is not set: not running inside Lambda");
  }
  return RuntimeOptions{.api_address = address, .max_invocations = std::nullopt};
}

Result<void> RunRuntime(const InvocationHandler& handler, const RuntimeOptions& options) {
  RuntimeClient client(options.api_address);
  for (int served = 0; !options.max_invocations || served < *options.max_invocations; ++served) {
    if (auto done = ServeOne(client, handler); !done) return done;
  }
  return {};
}

Result<void> ReportInitError(const RuntimeOptions& options, const Error& error) {
  RuntimeClient client(options.api_address);
  const auto status = client.PostInitError(error);
  if (!status) return std::unexpected(status.error());
  if (*status < 200 || *status >= 300) {
    return Fail(ErrorCode::kUnavailable, "runtime API answered init/error with " + std::to_string(*status));
  }
  return {};
}

int RunLambdaProcess(const HandlerFactory& init, const RuntimeOptions& options) {
  auto handler = BuildHandler(init);
  if (!handler) {
    Log(LogLevel::kError, "lambda initialisation failed", {{"error", handler.error().message}});
    if (auto reported = ReportInitError(options, handler.error()); !reported) {
      Log(LogLevel::kError, "lambda init failure not reported", {{"error", reported.error().message}});
    }
    return 1;
  }
  if (auto done = RunRuntime(*handler, options); !done) {
    Log(LogLevel::kError, "lambda runtime loop ended", {{"error", done.error().message}});
    return 1;
  }
  return 0;
}

}  // namespace booklib::lambda
