// AWS JSON 1.0 protocol client (DynamoDB, SQS): signed POSTs, error envelopes, retries with backoff.
//
// A call is `POST <endpoint>/` with Content-Type application/x-amz-json-1.0 and
// X-Amz-Target <prefix>.<Operation>, signed with SigV4 (host, content-type, x-amz-date,
// x-amz-target and, with a session token, x-amz-security-token).
//
// Retries: throttling errors (IsThrottling), HTTP 429 and 5xx, and transport failures are retried
// up to RetryPolicy::max_attempts in all, sleeping a "full jitter" exponential backoff between
// attempts. Everything else, notably ConditionalCheckFailedException, is returned at once.
// Thread-safe: concurrent calls each borrow their own connection from a net::HttpClientPool.
#pragma once

#include <chrono>
#include <expected>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/aws_config.h"
#include "aws/sigv4.h"
#include "core/error.h"
#include "net/http_client.h"
#include "net/http_client_pool.h"

namespace booklib::aws {

// Which service a client talks to.
struct AwsService {
  std::string endpoint;       // base URL, e.g. "https://dynamodb.us-east-1.amazonaws.com"
  std::string signing_name;   // "dynamodb" | "sqs"
  std::string target_prefix;  // "DynamoDB_20120810" | "AmazonSQS"
};

AwsService DynamoDbService(const AwsConfig& config);
AwsService SqsService(const AwsConfig& config);

struct RetryPolicy {
  int max_attempts = 5;  // including the first; 1 = never retry
  std::chrono::milliseconds base_delay{50};
  std::chrono::milliseconds max_delay{5000};
};

// Full jitter: a uniform random delay in [0, min(max_delay, base_delay * 2^retry)], retry >= 0.
std::chrono::milliseconds BackoffDelay(const RetryPolicy& policy, int retry, std::mt19937_64& random);

// Error short names that mean "slow down" (ThrottlingException,
// ProvisionedThroughputExceededException, RequestLimitExceeded, ...).
bool IsThrottling(std::string_view type);

// A failed call, as the service reported it.
struct AwsError {
  std::string operation;  // "PutItem"
  int http_status = 0;    // 0 when no HTTP answer came (connect failure, timeout)
  std::string type;       // short code after any '#': "ConditionalCheckFailedException"; "" without answer
  std::string message;
  bool retryable = false;  // throttling, 429, 5xx or transport: a later call may succeed
  int attempts = 1;        // how many requests were sent

  bool Is(std::string_view short_type) const { return type == short_type; }
  // DynamoDB's "the condition of this write did not hold": never retried, callers decide.
  bool IsConditionalCheckFailed() const { return Is("ConditionalCheckFailedException"); }
  // kUnavailable when retryable, kInternal otherwise (a bug, a missing table, bad credentials);
  // the message names the operation, the type and the service's message.
  Error ToError() const;
};

template <class T>
using AwsResult = std::expected<T, AwsError>;

// Turns a non-2xx answer into an AwsError. The type comes from the body's "__type" (or "code"),
// else the x-amzn-ErrorType header; "com.amazonaws.dynamodb.v20120810#X" and "X:detail" give "X".
// The message comes from "message" or "Message".
AwsError ParseErrorResponse(std::string_view operation, const net::HttpClientResponse& response);

struct CallOptions {
  // Per attempt. Long polls (SQS ReceiveMessage) need more than their wait time.
  std::chrono::milliseconds total_timeout{10000};
};

class AwsJsonClient {
 public:
  AwsJsonClient(AwsService service, Credentials credentials, std::string region, RetryPolicy retry = {});
  ~AwsJsonClient();
  AwsJsonClient(const AwsJsonClient&) = delete;
  AwsJsonClient& operator=(const AwsJsonClient&) = delete;

  // Calls `operation` (e.g. "PutItem") with `input` as the JSON body. Returns the response body
  // parsed (an empty object for an empty body), or the last attempt's error.
  AwsResult<nlohmann::json> Call(std::string_view operation, const nlohmann::json& input,
                                 const CallOptions& options = {});

  const AwsService& service() const { return service_; }
  const RetryPolicy& retry_policy() const { return retry_; }

 private:
  AwsResult<nlohmann::json> CallOnce(std::string_view operation, const std::string& body,
                                     const CallOptions& options);
  net::HttpClientRequest SignedRequest(std::string_view operation, const std::string& body,
                                       const CallOptions& options) const;

  const AwsService service_;
  const Credentials credentials_;
  const std::string region_;
  const RetryPolicy retry_;
  std::string host_;  // authority of the endpoint, sent and signed as Host
  std::string path_;  // path of the endpoint, "/" for the AWS services
  std::string url_;   // the endpoint with that path

  net::HttpClientPool connections_;  // one client per concurrent call, kept alive between calls
};

}  // namespace booklib::aws
