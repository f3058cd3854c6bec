// AWS Signature Version 4 signing (see sigv4.h for the contract).
#include "aws/sigv4.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

#include "crypto/crypto.h"

namespace booklib::aws {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

bool IsUnreserved(unsigned char c) {
  return std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes %XX escapes; anything else (including a stray '%') is kept as is.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = HexValue(text[i + 1]);
      const int low = HexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
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
  return UriEncode(decoded, /*keep_slash=*/true);
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
    params.emplace_back(UriEncode(PercentDecode(name), false), UriEncode(PercentDecode(value), false));
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
    std::string& joined = merged[Lower(name)];
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
  const std::string lower = Lower(name);
  auto is_it = [&](const auto& header) { return Lower(header.first) == lower; };
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

std::string UriEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string AmzDate(std::chrono::system_clock::time_point time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[20];
  std::strftime(buffer, sizeof buffer, "%Y%m%dT%H%M%SZ", &tm);
  return buffer;
}

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
  return crypto::HexEncode(crypto::HmacSha256(signing_key, string_to_sign));
}

std::string Sign(RequestToSign& request, const Credentials& credentials, const SigningOptions& options) {
  const std::string amz_date = AmzDate(options.time);
  const std::string date = amz_date.substr(0, 8);
  SetHeader(request, "X-Amz-Date", amz_date);
  const bool has_token = !credentials.session_token.empty();
  if (has_token && options.sign_session_token)
    SetHeader(request, "X-Amz-Security-Token", credentials.session_token);
  if (options.add_content_sha256) SetHeader(request, "x-amz-content-sha256", crypto::Sha256Hex(request.body));
  std::erase_if(request.headers, [](const auto& header) { return Lower(header.first) == "authorization"; });

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
