// The one outbound HTTP client (libcurl): used by the metadata providers, the AWS client and the
// Lambda runtime loop. Synchronous; one HttpClient per thread, or guarded by the caller.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "net/address_policy.h"

namespace booklib::net {

struct HttpClientRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds total_timeout{10000};    // 0 = none (Lambda's /next long poll)
  std::size_t max_response_bytes = 4 * 1024 * 1024;  // larger bodies abort the transfer: kTooLarge
  bool follow_redirects = false;  // when true, up to 5 redirects; headers are the final response's
  bool https_only = false;        // refuse http:// (and any redirect to it): kInvalidArgument
  // PEM certificates to trust instead of the system's CA store (a private CA); empty: the system's.
  std::string trusted_ca_pem;
};

struct HttpClientResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  // First header value with lower-case `name`, or empty.
  std::string Header(std::string_view name) const;
};

// Transport failures are errors: kUnavailable for connect errors and timeouts ("timed out after
// 3000 ms connecting to host:port" / "... waiting for host:port"), kTooLarge when the body exceeds
// max_response_bytes, kInvalidArgument for a malformed URL or a scheme not allowed, kPermissionDenied
// when the connect policy refused every address the host resolved to (no connection was attempted).
// Any HTTP status is a success value. Never throws. Connections are kept alive between calls on the
// same HttpClient.
class HttpClient {
 public:
  // `may_connect` is asked before every socket this client opens, with the resolved address it is
  // about to connect to (every address tried, every redirect hop); a refused address is never
  // connected to. With a policy, proxies from the environment are not used (the policy would judge
  // the proxy, not the destination). Empty: any address.
  explicit HttpClient(ConnectPolicy may_connect = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Result<HttpClientResponse> Send(const HttpClientRequest& request);

 private:
  void* curl_;  // CURL*, reused across calls for connection keep-alive
  const ConnectPolicy may_connect_;
};

}  // namespace booklib::net
