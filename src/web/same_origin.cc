// Origin and Referer against the Host header and the request's scheme.
#include "web/same_origin.h"

#include "text/ascii.h"

namespace booklib::web {
namespace {

// "https://host" matches "https://host" and, for a Referer, "https://host/any/path".
bool NamesSite(const std::string& url, const std::string& site, bool is_referer) {
  if (url == site) return true;
  return is_referer && url.size() > site.size() && url.starts_with(site) &&
         (url[site.size()] == '/' || url[site.size()] == '?');
}

}  // namespace

bool IsSameOrigin(const Request& request) {
  const std::string origin = text::AsciiLower(request.Header("origin"));
  const std::string referer = text::AsciiLower(request.Header("referer"));
  if (origin.empty() && referer.empty()) return true;
  const std::string host = text::AsciiLower(request.Header("host"));
  if (host.empty()) return false;
  const bool is_referer = origin.empty();
  const std::string& url = is_referer ? referer : origin;
  if (NamesSite(url, "https://" + host, is_referer)) return true;
  return !request.secure && NamesSite(url, "http://" + host, is_referer);
}

}  // namespace booklib::web
