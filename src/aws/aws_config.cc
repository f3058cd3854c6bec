// AWS configuration from environment variables (see aws_config.h).
#include "aws/aws_config.h"

#include <cstdlib>

namespace booklib::aws {
namespace {

std::optional<std::string> NonEmpty(const EnvironmentLookup& lookup, std::string_view name) {
  auto value = lookup(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::string WithoutTrailingSlash(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

std::string Endpoint(const EnvironmentLookup& lookup, std::string_view service_variable,
                     std::string_view service, std::string_view region) {
  if (auto url = NonEmpty(lookup, service_variable)) return WithoutTrailingSlash(*url);
  if (auto url = NonEmpty(lookup, "AWS_ENDPOINT_URL")) return WithoutTrailingSlash(*url);
  return DefaultEndpoint(service, region);
}

}  // namespace

std::optional<std::string> ProcessEnvironment(std::string_view name) {
  const char* value = std::getenv(std::string(name).c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

std::string DefaultEndpoint(std::string_view service, std::string_view region) {
  const bool china = region.starts_with("cn-");
  return "https://" + std::string(service) + "." + std::string(region) +
         (china ? ".amazonaws.com.cn" : ".amazonaws.com");
}

Result<AwsConfig> AwsConfigFromEnvironment(const EnvironmentLookup& lookup) {
  AwsConfig config;
  auto key_id = NonEmpty(lookup, "AWS_ACCESS_KEY_ID");
  if (!key_id) return Fail(ErrorCode::kInvalidArgument, "AWS_ACCESS_KEY_ID is not set");
  auto secret = NonEmpty(lookup, "AWS_SECRET_ACCESS_KEY");
  if (!secret) return Fail(ErrorCode::kInvalidArgument, "AWS_SECRET_ACCESS_KEY is not set");
  config.credentials = Credentials{*key_id, *secret, NonEmpty(lookup, "AWS_SESSION_TOKEN").value_or("")};
  config.region =
      NonEmpty(lookup, "AWS_REGION").value_or(NonEmpty(lookup, "AWS_DEFAULT_REGION").value_or("us-east-1"));
  config.dynamodb_endpoint = Endpoint(lookup, "AWS_ENDPOINT_URL_DYNAMODB", "dynamodb", config.region);
  config.sqs_endpoint = Endpoint(lookup, "AWS_ENDPOINT_URL_SQS", "sqs", config.region);
  return config;
}

}  // namespace booklib::aws
