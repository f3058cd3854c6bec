// Normalise a ?next= value like a browser does, then accept it only as a path on this origin.
#include "web/redirect_target.h"

#include <vector>

#include "text/ascii.h"

namespace booklib::web {
namespace {

// What a browser keeps of a Location: controls gone, spaces around trimmed, '\' read as '/'.
std::string NormaliseLikeABrowser(std::string_view next) {
  std::string out;
  out.reserve(next.size());
  for (const char c : next) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) continue;
    out.push_back(c == '\\' ? '/' : c);
  }
  const auto first = out.find_first_not_of(' ');
  if (first == std::string::npos) return {};
  return out.substr(first, out.find_last_not_of(' ') - first + 1);
}

bool IsDotSegment(std::string_view segment) {
  const std::string lowered = text::AsciiLower(segment);
  return lowered == "." || lowered == "%2e";
}

bool IsDotDotSegment(std::string_view segment) {
  const std::string lowered = text::AsciiLower(segment);
  return lowered == ".." || lowered == ".%2e" || lowered == "%2e." || lowered == "%2e%2e";
}

// "/a/./b/../c" -> "/a/c" (RFC 3986 section 5.2.4, with the WHATWG spellings of dot segments).
std::string ResolveDotSegments(std::string_view path) {
  std::vector<std::string_view> kept;
  std::size_t start = 1;  // path[0] == '/'
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string_view segment =
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    const bool last = slash == std::string_view::npos;
    if (IsDotDotSegment(segment)) {
      if (!kept.empty()) kept.pop_back();
      if (last) kept.emplace_back();
    } else if (IsDotSegment(segment)) {
      if (last) kept.emplace_back();
    } else {
      kept.push_back(segment);
    }
    if (last) break;
    start = slash + 1;
  }
  std::string resolved;
  for (const std::string_view segment : kept) resolved += "/" + std::string(segment);
  return resolved.empty() ? "/" : resolved;
}

}  // namespace

std::optional<std::string> LocalRedirectTarget(std::string_view next) {
  std::string target = NormaliseLikeABrowser(next);
  if (target.empty() || target[0] != '/' || (target.size() > 1 && target[1] == '/')) return std::nullopt;
  for (const char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f) return std::nullopt;
  const std::string_view path = std::string_view(target).substr(0, target.find_first_of("?#"));
  const std::string lowered = text::AsciiLower(path);
  if (lowered.find("%2f") != std::string::npos || lowered.find("%5c") != std::string::npos)
    return std::nullopt;
  if (ResolveDotSegments(path).starts_with("//")) return std::nullopt;
  return target;
}

}  // namespace booklib::web
