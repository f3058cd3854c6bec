// HttpClient over one reused libcurl easy handle: timeouts, a streaming size cap, lower-cased headers.
#include "net/http_client.h"

#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "text/ascii.h"

namespace booklib::net {
namespace {

// curl_global_init is not thread-safe on every build; run it exactly once, before the first handle.
void InitCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// "host[:port]" of an absolute URL, for error messages.
std::string HostOf(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) url.remove_prefix(scheme_end + 3);
  const auto authority_end = url.find_first_of("/?#");
  if (authority_end != std::string_view::npos) url = url.substr(0, authority_end);
  const auto at = url.rfind('@');  // never echo user:password
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  return std::string(url);
}

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using HeaderList = std::unique_ptr<curl_slist, SlistDeleter>;

// State shared with the curl callbacks during one transfer.
struct Transfer {
  std::size_t max_body_bytes = 0;
  bool too_large = false;
  const ConnectPolicy* may_connect = nullptr;  // null: any address
  int refused_addresses = 0;                   // sockets the policy refused to open (this hop)
  int allowed_addresses = 0;                   // sockets it let open (this hop)
  HttpClientResponse response;
};

// The address and port curl is about to connect to; nullopt for a family other than IPv4/IPv6.
std::optional<ConnectTarget> TargetOf(const curl_sockaddr& address) {
  ConnectTarget target;
  if (address.family == AF_INET && address.addrlen >= sizeof(sockaddr_in)) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address.addr, sizeof v4);
    target.address.family = IpAddress::Family::kV4;
    std::memcpy(target.address.bytes.data(), &v4.sin_addr, 4);
    target.port = ntohs(v4.sin_port);
    return target;
  }
  if (address.family == AF_INET6 && address.addrlen >= sizeof(sockaddr_in6)) {
    sockaddr_in6 v6{};  // curl's storage behind `addr` is large enough for the whole sockaddr_in6
    std::memcpy(&v6, &address.addr, sizeof v6);
    target.address.family = IpAddress::Family::kV6;
    std::memcpy(target.address.bytes.data(), &v6.sin6_addr, 16);
    target.port = ntohs(v6.sin6_port);
    return target;
  }
  return std::nullopt;
}

// CURLOPT_OPENSOCKETFUNCTION: curl calls this for every socket it would connect, with the address
// already resolved, so the check is on what is actually connected to (DNS rebinding cannot slip a
// second answer past it). Returning CURL_SOCKET_BAD makes curl try its next address, or fail with
// CURLE_COULDNT_CONNECT; nothing is sent.
curl_socket_t OnOpenSocket(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(user);
  if (transfer == nullptr) return CURL_SOCKET_BAD;
  const std::optional<ConnectTarget> target = TargetOf(*address);
  if (transfer->may_connect == nullptr || !target || !(*transfer->may_connect)(*target)) {
    ++transfer->refused_addresses;
    return CURL_SOCKET_BAD;
  }
  ++transfer->allowed_addresses;
  return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  std::string& body = transfer->response.body;
  if (body.size() + bytes > transfer->max_body_bytes) {
    transfer->too_large = true;
    return 0;  // any count other than `bytes` aborts the transfer with CURLE_WRITE_ERROR
  }
  body.append(data, bytes);
  return bytes;
}

// Called once per header line, status lines included. A new status line (after a 1xx or a followed
// redirect) starts a fresh header set, so only the final response's headers remain.
size_t OnHeaderLine(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t bytes = size * count;
  const std::string_view line(data, bytes);
  auto& headers = transfer->response.headers;
  if (line.starts_with("HTTP/")) {
    headers.clear();
    return bytes;
  }
  if ((line.front() == ' ' || line.front() == '\t') && !headers.empty()) {  // obsolete line folding
    headers.back().second += ' ';
    headers.back().second += text::TrimWhitespace(line);
    return bytes;
  }
  if (line == "\r\n" || line == "\n") {  // the blank line that ends a response's headers
    // Sockets opened so far served this response; a refusal after it belongs to the next hop.
    transfer->refused_addresses = 0;
    transfer->allowed_addresses = 0;
    return bytes;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;
  headers.emplace_back(text::AsciiLower(text::TrimWhitespace(line.substr(0, colon))),
                       std::string(text::TrimWhitespace(line.substr(colon + 1))));
  return bytes;
}

HeaderList BuildHeaderList(const HttpClientRequest& request) {
  HeaderList list;
  bool has_expect = false;
  const auto append = [&list](const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown != nullptr) {
      (void)list.release();
      list.reset(grown);
    }
  };
  for (const auto& [name, value] : request.headers) {
    if (text::AsciiLower(name) == "expect") has_expect = true;
    // curl drops "Name:" with no value; "Name;" is its spelling for an empty header.
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  // Without this curl waits for "100 Continue" before sending larger bodies: a needless round trip.
  if (!has_expect) append("Expect:");
  return list;
}

void SetMethodAndBody(CURL* curl, const HttpClientRequest& request) {
  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    return;
  }
  if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
  }
  if (request.method != "POST") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
}

long Millis(std::chrono::milliseconds duration) { return static_cast<long>(duration.count()); }

Error TimeoutError(CURL* curl, const HttpClientRequest& request, const std::string& host) {
  curl_off_t connected_after_us = 0;
  curl_easy_getinfo(curl, CURLINFO_CONNECT_TIME_T, &connected_after_us);
  const bool while_connecting = connected_after_us == 0;
  std::chrono::milliseconds limit = request.total_timeout;
  if (while_connecting && (limit.count() == 0 || request.connect_timeout < limit)) {
    limit = request.connect_timeout;
  }
  const char* phase = while_connecting ? "connecting to" : "waiting for";
  return Error{ErrorCode::kUnavailable,
               "timed out after " + std::to_string(limit.count()) + " ms " + phase + " " + host};
}

Error TransferError(CURL* curl, CURLcode code, const Transfer& transfer, const HttpClientRequest& request,
                    const char* detail) {
  const std::string host = HostOf(request.url);
  const std::string why = detail[0] != '\0' ? detail : curl_easy_strerror(code);
  if (code == CURLE_COULDNT_CONNECT && transfer.refused_addresses > 0 && transfer.allowed_addresses == 0)
    return Error{ErrorCode::kPermissionDenied, "refused to connect to " + host + ": address not allowed"};
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Error{ErrorCode::kTooLarge, "response from " + host + " exceeds " +
                                           std::to_string(request.max_response_bytes) + " bytes"};
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return TimeoutError(curl, request, host);
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return Error{ErrorCode::kInvalidArgument, "bad URL '" + request.url + "': " + why};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
      return Error{ErrorCode::kUnavailable, "could not connect to " + host + ": " + why};
    default:
      return Error{ErrorCode::kUnavailable, "request to " + host + " failed: " + why};
  }
}

}  // namespace

std::string HttpClientResponse::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

HttpClient::HttpClient(ConnectPolicy may_connect) : curl_(nullptr), may_connect_(std::move(may_connect)) {
  InitCurlOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

Result<HttpClientResponse> HttpClient::Send(const HttpClientRequest& request) {
  auto* curl = static_cast<CURL*>(curl_);
  if (curl == nullptr) return Fail(ErrorCode::kInternal, "libcurl could not create a handle");

  // Reset clears the previous request's options but keeps the connection cache (keep-alive).
  curl_easy_reset(curl);
  Transfer transfer;
  transfer.max_body_bytes = request.max_response_bytes;
  if (may_connect_) transfer.may_connect = &may_connect_;
  char detail[CURL_ERROR_SIZE] = {};
  const HeaderList headers = BuildHeaderList(request);

  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  const char* const protocols = request.https_only ? "https" : "http,https";
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, protocols);
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  if (may_connect_) {
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, OnOpenSocket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &transfer);
    curl_easy_setopt(curl, CURLOPT_PROXY, "");  // never via http_proxy & co.
  }
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  // Debian's libcurl looks for CA certificates where Amazon Linux has none; the Lambda package
  // bundles its own and names it in CURL_CA_BUNDLE (or SSL_CERT_FILE).
  static const char* const ca_bundle = [] {
    const char* path = std::getenv("CURL_CA_BUNDLE");
    return path && *path ? path : std::getenv("SSL_CERT_FILE");
  }();
  if (ca_bundle && *ca_bundle) curl_easy_setopt(curl, CURLOPT_CAINFO, ca_bundle);
  curl_blob trusted_ca{const_cast<char*>(request.trusted_ca_pem.data()), request.trusted_ca_pem.size(),
                       CURL_BLOB_COPY};
  if (!request.trusted_ca_pem.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &trusted_ca);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl can decode
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, Millis(request.connect_timeout));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, Millis(request.total_timeout));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, request.follow_redirects ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
  // Rejects early when Content-Length is announced; OnBody enforces the cap for chunked bodies.
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(request.max_response_bytes));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeaderLine);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);
  SetMethodAndBody(curl, request);

  const CURLcode code = curl_easy_perform(curl);
  // The error buffer and header list die with this frame; curl must not keep pointers to them.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, nullptr);
  if (code != CURLE_OK) return std::unexpected(TransferError(curl, code, transfer, request, detail));

  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  transfer.response.status = static_cast<int>(status);
  return std::move(transfer.response);
}

}  // namespace booklib::net
