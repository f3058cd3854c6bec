// AWS Signature Version 4 signing (see sigv4.h for the contract).
#include "aws/sigv4.h"

#include <algorithm>
#include <map>

#include "crypto/crypto.h"
#include "ports/clock.h"
#include "text/ascii.h"
#include "text/codec.h"

namespace booklib::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

// Decodes %XX escapes; text with a broken escape (a stray '%') is taken as it is.
std::string PercentDecode(std::string_view text) {
  return text::PercentDecode(text, /*plus_is_space=*/false).value_or(std::string(text));
}

// Trims the value and collapses every run of spaces and tabs inside it into one space.
std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (const char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = std::min(path.find('/', start), path.size());
    segments.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return segments;
}

// Removes "." and ".." segments and empty segments (repeated slashes), keeping a trailing slash.
std::string NormalizePath(std::string_view path) {
  const std::vector<std::string> raw = SplitPath(path);
  std::vector<std::string> kept;
  for (const std::string& segment : raw) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string out;
  for (const std::string& segment : kept) out += "/" + segment;
  const std::string& last = raw.back();
  const bool trailing_slash = last.empty() || last == "." || last == "..";
  if (out.empty() || trailing_slash) out += "/";
  return out;
}

std::string CanonicalPath(std::string_view path, PathStyle style) {
  std::string decoded = PercentDecode(path);
  if (decoded.empty() || decoded.front() != '/') decoded.insert(decoded.begin(), '/');
  if (style == PathStyle::kNormalize) decoded = NormalizePath(decoded);
  return text::PercentEncode(decoded, /*keep_slash=*/true);
}

// Parameters encoded, sorted by name then value, joined with '&'.
std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  std::size_t start = 0;
  while (start < query.size()) {
    const std::size_t amp = std::min(query.find('&', start), query.size());
    const std::string_view param = query.substr(start, amp - start);
    start = amp + 1;
    if (param.empty()) continue;
    const std::size_t eq = param.find('=');
    const std::string_view name = param.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? "" : param.substr(eq + 1);
    params.emplace_back(text::PercentEncode(PercentDecode(name)), text::PercentEncode(PercentDecode(value)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

// Lower-cased names in sorted order, each with its values joined by ','.
std::map<std::string, std::string> CanonicalHeaders(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::map<std::string, std::string> merged;
  for (const auto& [name, value] : headers) {
    std::string& joined = merged[text::AsciiLower(name)];
    if (!joined.empty()) joined += ',';
    joined += CanonicalHeaderValue(value);
  }
  return merged;
}

std::string SignedHeaderNames(const std::map<std::string, std::string>& canonical_headers) {
  std::string names;
  for (const auto& entry : canonical_headers) {
    if (!names.empty()) names += ';';
    names += entry.first;
  }
  return names;
}

// Replaces the first header called `name` (any case) in place and drops its repeats, or appends it.
void SetHeader(RequestToSign& request, std::string_view name, std::string value) {
  const std::string lower = text::AsciiLower(name);
  auto is_it = [&](const auto& header) { return text::AsciiLower(header.first) == lower; };
  const auto first = std::find_if(request.headers.begin(), request.headers.end(), is_it);
  if (first == request.headers.end()) {
    request.headers.emplace_back(std::string(name), std::move(value));
    return;
  }
  first->second = std::move(value);
  request.headers.erase(std::remove_if(std::next(first), request.headers.end(), is_it),
                        request.headers.end());
}

}  // namespace

std::string AmzDate(std::chrono::system_clock::time_point time) { return FormatUtc(time, "%Y%m%dT%H%M%SZ"); }

std::string CredentialScope(std::string_view date_yyyymmdd, std::string_view region,
                            std::string_view service) {
  return std::string(date_yyyymmdd) + "/" + std::string(region) + "/" + std::string(service) +
         "/aws4_request";
}

std::string CanonicalRequest(const RequestToSign& request, PathStyle path_style) {
  const auto headers = CanonicalHeaders(request.headers);
  std::string out = request.method + "\n";
  out += CanonicalPath(request.path, path_style) + "\n";
  out += CanonicalQuery(request.query) + "\n";
  for (const auto& [name, value] : headers) out += name + ":" + value + "\n";
  out += "\n";
  out += SignedHeaderNames(headers) + "\n";
  out += crypto::Sha256Hex(request.body);
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out +=
      "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" + crypto::Sha256Hex(canonical_request);
  return out;
}

std::string Signature(std::string_view secret_access_key, std::string_view date_yyyymmdd,
                      std::string_view region, std::string_view service, std::string_view string_to_sign) {
  const std::string date_key = crypto::HmacSha256("AWS4" + std::string(secret_access_key), date_yyyymmdd);
  const std::string region_key = crypto::HmacSha256(date_key, region);
  const std::string service_key = crypto::HmacSha256(region_key, service);
  const std::string signing_key = crypto::HmacSha256(service_key, "aws4_request");
  return text::HexEncode(crypto::HmacSha256(signing_key, string_to_sign));
}

std::string Sign(RequestToSign& request, const Credentials& credentials, const SigningOptions& options) {
  const std::string amz_date = AmzDate(options.time);
  const std::string date = amz_date.substr(0, 8);
  SetHeader(request, "X-Amz-Date", amz_date);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && options.sign_session_token)
    SetHeader(request, "X-Amz-Security-Token", credentials.session_token);
  if (options.add_content_sha256) SetHeader(request, "x-amz-content-sha256", crypto::Sha256Hex(request.body));
  std::erase_if(request.headers,
                [](const auto& header) { return text::AsciiLower(header.first) == "authorization"; });

  const std::string canonical = CanonicalRequest(request, options.path_style);
  const std::string scope = CredentialScope(date, options.region, options.service);
  const std::string signature = Signature(credentials.secret_access_key, date, options.region,
                                          options.service, StringToSign(amz_date, scope, canonical));
  std::string authorization(kAlgorithm);
  authorization += " Credential=" + credentials.access_key_id + "/" + scope;
  authorization += ", SignedHeaders=" + SignedHeaderNames(CanonicalHeaders(request.headers));
  authorization += ", Signature=" + signature;

  if (has_token && !options.sign_session_token)
    SetHeader(request, "X-Amz-Security-Token", credentials.session_token);
  request.headers.emplace_back("Authorization", authorization);
  return authorization;
}

}  // namespace booklib::aws
