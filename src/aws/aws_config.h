// Where AWS calls go and as whom: credentials, region and service endpoints from the environment.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "core/error.h"

namespace booklib::aws {

struct AwsConfig {
  Credentials credentials;
  std::string region;             // e.g. "us-east-1"
  std::string dynamodb_endpoint;  // base URL without a trailing slash
  std::string sqs_endpoint;
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv).
std::optional<std::string> ProcessEnvironment(std::string_view name);

// Reads the AWS SDK's variables:
//   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (required), AWS_SESSION_TOKEN (set by Lambda and STS);
//   AWS_REGION, else AWS_DEFAULT_REGION, else "us-east-1";
//   AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_SQS, else AWS_ENDPOINT_URL, else the public
//   endpoint of the region (DefaultEndpoint).
// Empty values count as unset. kInvalidArgument naming the variable when a required one is missing.
// Only environment credentials are supported (no profiles, no instance metadata).
Result<AwsConfig> AwsConfigFromEnvironment(const EnvironmentLookup& lookup = ProcessEnvironment);

// "https://<service>.<region>.amazonaws.com" (".amazonaws.com.cn" for the cn- regions).
std::string DefaultEndpoint(std::string_view service, std::string_view region);

}  // namespace booklib::aws
