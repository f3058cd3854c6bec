// AWS JSON 1.0 protocol over net::HttpClient (see aws_json_client.h).
#include "aws/aws_json_client.h"

#include <algorithm>
#include <iterator>
#include <thread>

#include "core/log.h"

namespace booklib::aws {
namespace {

using nlohmann::json;

constexpr std::string_view kContentType = "application/x-amz-json-1.0";

// Splits "scheme://authority/path" into the authority and the path ("/" when absent).
std::pair<std::string, std::string> AuthorityAndPath(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  const std::string_view rest = scheme_end == std::string_view::npos ? url : url.substr(scheme_end + 3);
  const std::size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return {std::string(rest), "/"};
  return {std::string(rest.substr(0, slash)), std::string(rest.substr(slash))};
}

// "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException" -> "ConditionalCheckFailedException";
// "ValidationException:http://internal.amazon.com/coral/..." -> "ValidationException".
std::string ShortErrorType(std::string_view type) {
  const std::size_t hash = type.rfind('#');
  if (hash != std::string_view::npos) type.remove_prefix(hash + 1);
  const std::size_t colon = type.find(':');
  if (colon != std::string_view::npos) type = type.substr(0, colon);
  return std::string(type);
}

std::string StringMember(const json& object, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    const auto it = object.find(name);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
  }
  return "";
}

bool IsRetryableStatus(int status) { return status == 429 || status >= 500; }

}  // namespace

AwsService DynamoDbService(const AwsConfig& config) {
  return AwsService{config.dynamodb_endpoint, "dynamodb", "DynamoDB_20120810"};
}

AwsService SqsService(const AwsConfig& config) { return AwsService{config.sqs_endpoint, "sqs", "AmazonSQS"}; }

std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, std::mt19937_64& random) {
  const int doublings = std::clamp(retry, 0, 30);
  const long long ceiling =
      std::min<long long>(policy.max_delay.count(), policy.base_delay.count() * (1LL << doublings));
  if (ceiling <= 0) return std::chrono::milliseconds{0};
  std::uniform_int_distribution<long long> pick(0, ceiling);
  return std::chrono::milliseconds{pick(random)};
}

bool IsThrottling(std::string_view type) {
  static constexpr std::string_view kThrottling[] = {
      "ThrottlingException",
      "Throttling",
      "ThrottledException",
      "RequestThrottledException",
      "RequestThrottled",
      "TooManyRequestsException",
      "ProvisionedThroughputExceededException",
      "TransactionInProgressException",
      "RequestLimitExceeded",
      "BandwidthLimitExceeded",
      "LimitExceededException",
      "SlowDown",
      "PriorRequestNotComplete",
      "EC2ThrottledException",
  };
  return std::find(std::begin(kThrottling), std::end(kThrottling), type) != std::end(kThrottling);
}

Error AwsError::ToError() const {
  std::string text = operation + " failed";
  if (!type.empty()) text += ": " + type;
  if (http_status != 0 && type.empty()) text += ": HTTP " + std::to_string(http_status);
  if (!message.empty()) text += ": " + message;
  if (attempts > 1) text += " (after " + std::to_string(attempts) + " attempts)";
  return Error{retryable ? ErrorCode::kUnavailable : ErrorCode::kInternal, text};
}

AwsError ParseErrorResponse(std::string_view operation, const net::HttpClientResponse& response) {
  AwsError error;
  error.operation = std::string(operation);
  error.http_status = response.status;
  const json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    error.type = ShortErrorType(StringMember(body, {"__type", "code", "Code"}));
    error.message = StringMember(body, {"message", "Message", "errorMessage"});
  }
  if (error.type.empty()) error.type = ShortErrorType(response.Header("x-amzn-errortype"));
  if (error.message.empty() && !body.is_object()) error.message = response.body.substr(0, 200);
  error.retryable = IsRetryableStatus(response.status) || IsThrottling(error.type);
  return error;
}

AwsJsonClient::AwsJsonClient(AwsService service, Credentials credentials, std::string region,
                             RetryPolicy retry)
    : service_(std::move(service)),
      credentials_(std::move(credentials)),
      region_(std::move(region)),
      retry_(retry) {
  auto [authority, path] = AuthorityAndPath(service_.endpoint);
  host_ = std::move(authority);
  path_ = std::move(path);
  url_ = path_ == "/" && !service_.endpoint.ends_with('/') ? service_.endpoint + "/" : service_.endpoint;
}

AwsJsonClient::~AwsJsonClient() = default;

AwsResult<nlohmann::json> AwsJsonClient::Call(std::string_view operation, const nlohmann::json& input,
                                              const CallOptions& options) {
  const std::string body = input.dump(-1, ' ', false, json::error_handler_t::replace);
  thread_local std::mt19937_64 random{std::random_device{}()};
  for (int attempt = 1;; ++attempt) {
    auto result = CallOnce(operation, body, options);
    if (result) return result;
    result.error().attempts = attempt;
    if (!result.error().retryable || attempt >= retry_.max_attempts) return result;
    const auto delay = BackoffDelay(retry_, attempt - 1, random);
    Log(LogLevel::kWarn, "aws call failed, retrying",
        {{"operation", std::string(operation)},
         {"attempt", std::to_string(attempt)},
         {"error", result.error().ToError().message},
         {"delay_ms", std::to_string(delay.count())}});
    std::this_thread::sleep_for(delay);
  }
}

AwsResult<nlohmann::json> AwsJsonClient::CallOnce(std::string_view operation, const std::string& body,
                                                  const CallOptions& options) {
  auto response = connections_.Send(SignedRequest(operation, body, options));
  if (!response) {
    const bool transient = response.error().code == ErrorCode::kUnavailable;
    return std::unexpected(AwsError{std::string(operation), 0, "", response.error().message, transient});
  }
  if (response->status < 200 || response->status >= 300) {
    return std::unexpected(ParseErrorResponse(operation, *response));
  }
  if (response->body.empty()) return json::object();
  json parsed = json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    return std::unexpected(AwsError{std::string(operation), response->status, "InvalidResponse",
                                    "the response body is not JSON", false});
  }
  return parsed;
}

net::HttpClientRequest AwsJsonClient::SignedRequest(std::string_view operation, const std::string& body,
                                                    const CallOptions& options) const {
  RequestToSign to_sign;
  to_sign.method = "POST";
  to_sign.path = path_;
  to_sign.headers = {{"Host", host_},
                     {"Content-Type", std::string(kContentType)},
                     {"X-Amz-Target", service_.target_prefix + "." + std::string(operation)}};
  to_sign.body = body;
  SigningOptions signing;
  signing.region = region_;
  signing.service = service_.signing_name;
  signing.time = std::chrono::system_clock::now();
  Sign(to_sign, credentials_, signing);

  net::HttpClientRequest request;
  request.method = "POST";
  request.url = url_;
  request.headers = std::move(to_sign.headers);
  request.body = body;
  request.total_timeout = options.total_timeout;
  request.max_response_bytes = 32 * 1024 * 1024;  // a 1 MB Query page or a 16 MB BatchGetItem answer fits
  return request;
}

}  // namespace booklib::aws
