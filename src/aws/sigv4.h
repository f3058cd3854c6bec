// AWS Signature Version 4: canonical request, string to sign, signing key and Authorization header.
//
// Contract, checked against the AWS SigV4 test suite (testdata/sigv4/):
// - Every header of the request is signed (name lower-cased, value trimmed, inner runs of
//   whitespace collapsed, repeated headers joined with ','), so the caller decides what is signed
//   by what it puts in `headers`. REQUIRES: a Host header whose value is exactly what goes on the
//   wire (curl sends a given Host header unchanged).
// - `path` and `query` are unencoded (as written in the suite's .req files); percent-escapes in
//   them are decoded first, so an already-encoded URL gives the same result. Every byte outside
//   A-Z a-z 0-9 - _ . ~ is encoded once.
// - Paths are normalized (dot segments removed, repeated slashes collapsed) unless
//   PathStyle::kAsIs, which S3 requires.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace booklib::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys; set for STS / Lambda role credentials
};

enum class PathStyle { kNormalize, kAsIs };

// The parts of an HTTP request that take part in the signature.
struct RequestToSign {
  std::string method = "POST";
  std::string path = "/";
  std::string query;  // without '?': "a=1&b=2"
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct SigningOptions {
  std::string region;
  std::string service;  // signing name: "dynamodb", "sqs", ...
  std::chrono::system_clock::time_point time;
  PathStyle path_style = PathStyle::kNormalize;
  // With a session token: true signs X-Amz-Security-Token (what DynamoDB and SQS expect);
  // false adds it after signing (the suite's post-sts-header-after).
  bool sign_session_token = true;
  // Adds a signed x-amz-content-sha256 header with the payload hash (S3 requires it).
  bool add_content_sha256 = false;
};

// "20150830T123600Z".
std::string AmzDate(std::chrono::system_clock::time_point time);

// "20150830/us-east-1/service/aws4_request".
std::string CredentialScope(std::string_view date_yyyymmdd, std::string_view region,
                            std::string_view service);

// Task 1: the canonical request of `request` as it is (no headers added).
std::string CanonicalRequest(const RequestToSign& request, PathStyle path_style = PathStyle::kNormalize);

// Task 2: "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>".
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);

// Task 3: hex HMAC-SHA256 of string_to_sign under the key derived from the secret, date, region
// and service.
std::string Signature(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                      std::string_view region, std::string_view service, std::string_view string_to_sign);

// Task 4: signs `request` in place. Sets X-Amz-Date (replacing any), adds X-Amz-Security-Token
// when credentials carry a session token, x-amz-content-sha256 when asked, and appends the
// Authorization header last. Returns the Authorization value.
std::string Sign(RequestToSign& request, const Credentials& credentials, const SigningOptions& options);

}  // namespace booklib::aws
