// Request defaults and the status/transport -> outcome rules shared by the HTTP providers.
#include "metadata/provider_http.h"

#include <cctype>
#include <charconv>
#include <utility>

namespace booklib::metadata {
namespace {

MetadataLookup Lookup(MetadataLookup::Outcome outcome, std::string reason) {
  MetadataLookup lookup;
  lookup.outcome = outcome;
  lookup.reason = std::move(reason);
  return lookup;
}

bool IsRetryableStatus(int status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

bool IsConfigurationStatus(int status) { return status == 400 || status == 401 || status == 403; }

}  // namespace

net::HttpClientRequest JsonGetRequest(const MetadataConfig& config, std::string url) {
  net::HttpClientRequest request;
  request.method = "GET";
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}, {"User-Agent", config.user_agent}};
  request.connect_timeout = config.connect_timeout;
  request.total_timeout = config.total_timeout;
  request.max_response_bytes = config.max_response_bytes;
  return request;
}

MetadataLookup TransportFailure(std::string_view provider, const Error& error) {
  const auto outcome = error.code == ErrorCode::kTooLarge ? MetadataLookup::Outcome::kMalformed
                                                          : MetadataLookup::Outcome::kTransient;
  return Lookup(outcome, std::string(provider) + ": " + error.message);
}

MetadataLookup HttpStatusFailure(std::string_view provider, const net::HttpClientResponse& response,
                                 std::string_view detail) {
  std::string reason = std::string(provider) + ": HTTP " + std::to_string(response.status);
  if (!detail.empty()) reason += ": " + std::string(detail);
  if (!IsRetryableStatus(response.status) && !IsConfigurationStatus(response.status)) {
    return Lookup(MetadataLookup::Outcome::kMalformed, std::move(reason));
  }
  MetadataLookup lookup = Lookup(MetadataLookup::Outcome::kTransient, std::move(reason));
  lookup.retry_after = ParseRetryAfter(response.Header("retry-after"));
  return lookup;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  long long seconds = 0;
  const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (error == std::errc::result_out_of_range && end == value.data() + value.size() && value.front() != '-') {
    return std::chrono::hours(24);
  }
  if (error != std::errc() || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  constexpr long long kOneDay = 24 * 60 * 60;
  return std::chrono::seconds(seconds < kOneDay ? seconds : kOneDay);
}

MetadataLookup UnexpectedFailure(std::string_view provider, const std::exception& error) {
  return Lookup(MetadataLookup::Outcome::kTransient, std::string(provider) + ": " + error.what());
}

MetadataLookup FoundLookup(BookDetails details) {
  MetadataLookup lookup = Lookup(MetadataLookup::Outcome::kFound, "");
  lookup.details = std::move(details);
  return lookup;
}

MetadataLookup NotFoundLookup(std::string reason) {
  return Lookup(MetadataLookup::Outcome::kNotFound, std::move(reason));
}

MetadataLookup MalformedLookup(std::string_view provider, std::string_view what) {
  return Lookup(MetadataLookup::Outcome::kMalformed,
                std::string(provider) + ": unreadable answer (" + std::string(what) + ")");
}

MetadataLookup LookUpJson(std::string_view provider, const MetadataConfig& config, net::HttpClientPool& http,
                          std::string url, const std::function<MetadataLookup(std::string_view body)>& parse,
                          const std::function<std::string(std::string_view body)>& error_detail) {
  try {
    const auto response = http.Send(JsonGetRequest(config, std::move(url)));
    if (!response) return TransportFailure(provider, response.error());
    if (response->status != 200)
      return HttpStatusFailure(provider, *response, error_detail ? error_detail(response->body) : "");
    return parse(response->body);
  } catch (const std::exception& e) {  // e.g. bad_alloc; the port promises no exceptions
    return UnexpectedFailure(provider, e);
  }
}

MetadataSearch SearchJson(std::string_view provider, const MetadataConfig& config, net::HttpClientPool& http,
                          std::string url, const std::function<MetadataSearch(std::string_view body)>& parse,
                          const std::function<std::string(std::string_view body)>& error_detail) {
  std::optional<MetadataSearch> parsed;
  const MetadataLookup failure = LookUpJson(
      provider, config, http, std::move(url),
      [&](std::string_view body) {
        parsed = parse(body);
        return FoundLookup({});
      },
      error_detail);
  if (parsed && failure.outcome == MetadataLookup::Outcome::kFound) return std::move(*parsed);
  MetadataSearch search;
  search.outcome = failure.outcome;
  search.reason = failure.reason;
  search.retry_after = failure.retry_after;
  return search;
}

MetadataSearch FoundSearch(std::vector<MetadataCandidate> candidates, std::string not_found_reason) {
  MetadataSearch search;
  if (candidates.empty()) {
    search.outcome = MetadataSearch::Outcome::kNotFound;
    search.reason = std::move(not_found_reason);
    return search;
  }
  search.outcome = MetadataSearch::Outcome::kFound;
  search.candidates = std::move(candidates);
  return search;
}

MetadataSearch MalformedSearch(std::string_view provider, std::string_view what) {
  MetadataSearch search;
  search.outcome = MetadataSearch::Outcome::kMalformed;
  search.reason = std::string(provider) + ": unreadable answer (" + std::string(what) + ")";
  return search;
}

}  // namespace booklib::metadata
