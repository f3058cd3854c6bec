// What the HTTP providers share: the request they send and how an HTTP failure becomes an outcome.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain.h"
#include "core/error.h"
#include "metadata/metadata_config.h"
#include "net/http_client.h"
#include "net/http_client_pool.h"
#include "ports/metadata.h"

namespace booklib::metadata {

// GET `url` asking for JSON, with the timeouts, size cap and User-Agent of `config`.
net::HttpClientRequest JsonGetRequest(const MetadataConfig& config, std::string url);

// The outcome when no HTTP answer arrived (`error` from HttpClient::Send):
//   kTooLarge -> kMalformed (a book record that big is not one; retrying will not shrink it);
//   anything else (timeout, refused connection, bad base URL) -> kTransient.
// The reason reads "<provider>: <error message>".
MetadataLookup TransportFailure(std::string_view provider, const Error& error);

// The outcome of an answer whose status is not 200:
//   408, 429 and 5xx -> kTransient, retry_after from a Retry-After header in seconds;
//   400, 401, 403    -> kTransient: for these APIs they mean a bad or exhausted API key, or a
//                       location the provider refuses; an operator can fix that, and the queue's
//                       attempt limit bounds the retries if nobody does;
//   any other status -> kMalformed (the endpoint does not behave as documented).
// The reason reads "<provider>: HTTP <status>" plus ": <detail>" when `detail` is not empty.
MetadataLookup HttpStatusFailure(std::string_view provider, const net::HttpClientResponse& response,
                                 std::string_view detail);

// The delta-seconds form of Retry-After ("120"), capped at one day. nullopt for the HTTP-date
// form, negative or garbage values.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value);

// kTransient with reason "<provider>: <what()>", for an exception caught at a provider's boundary
// (resource exhaustion, a bug): retrying later may well succeed.
MetadataLookup UnexpectedFailure(std::string_view provider, const std::exception& error);

// One lookup against a provider's JSON API, the shape every provider shares: GET `url`
// (JsonGetRequest); no answer -> TransportFailure; a status other than 200 -> HttpStatusFailure
// with `error_detail(body)` (none when empty); a 200 body -> `parse(body)`; an exception on the
// way -> UnexpectedFailure. Never throws.
MetadataLookup LookUpJson(std::string_view provider, const MetadataConfig& config, net::HttpClientPool& http,
                          std::string url, const std::function<MetadataLookup(std::string_view body)>& parse,
                          const std::function<std::string(std::string_view body)>& error_detail = {});

// LookUpJson for a search: the same request and failure rules (a failure's outcome, reason and
// retry_after carried over), and a 200 body -> `parse(body)`. Never throws.
MetadataSearch SearchJson(std::string_view provider, const MetadataConfig& config, net::HttpClientPool& http,
                          std::string url, const std::function<MetadataSearch(std::string_view body)>& parse,
                          const std::function<std::string(std::string_view body)>& error_detail = {});

// kFound with `candidates`, or kNotFound with `not_found_reason` when there are none.
MetadataSearch FoundSearch(std::vector<MetadataCandidate> candidates, std::string not_found_reason);
// kMalformed with reason "<provider>: unreadable answer (<what>)".
MetadataSearch MalformedSearch(std::string_view provider, std::string_view what);

MetadataLookup FoundLookup(BookDetails details);
MetadataLookup NotFoundLookup(std::string reason);
// kMalformed with reason "<provider>: unreadable answer (<what>)".
MetadataLookup MalformedLookup(std::string_view provider, std::string_view what);

}  // namespace booklib::metadata
