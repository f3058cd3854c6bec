// Route matching.
#include "web/router.h"

namespace booklib::web {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash);
  }
  return parts;
}

}  // namespace

Response TextResponse(int status, std::string_view text) {
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "text/plain; charset=utf-8");
  response.body = std::string(text) + "\n";
  return response;
}

void Router::Add(std::string method, std::string pattern, Handler handler, RouteRules rules) {
  std::vector<std::string> segments;
  for (std::string_view part : Split(pattern)) segments.emplace_back(part);
  routes_.push_back(
      Route{std::move(method), std::move(pattern), std::move(segments), std::move(handler), rules});
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path, PathParams& params) {
  if (route.segments.size() != path.size()) return false;
  PathParams found;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const std::string& segment = route.segments[i];
    if (segment.size() > 2 && segment.front() == '{' && segment.back() == '}') {
      found.emplace(segment.substr(1, segment.size() - 2), std::string(path[i]));
    } else if (segment != path[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

const Router::Route* Router::Find(const Request& request, PathParams& params, std::string& allowed,
                                  std::string_view* path_pattern) const {
  const auto path = Split(request.path);
  const std::string_view method = request.method == "HEAD" ? std::string_view{"GET"} : request.method;
  for (const Route& route : routes_) {
    if (!Match(route, path, params)) continue;
    if (route.method == method) return &route;
    allowed += (allowed.empty() ? "" : ", ") + route.method;
    if (path_pattern != nullptr && path_pattern->empty()) *path_pattern = route.pattern;
  }
  return nullptr;
}

const RouteRules* Router::RulesFor(const Request& request) const {
  PathParams params;
  std::string allowed;
  const Route* route = Find(request, params, allowed, nullptr);
  return route ? &route->rules : nullptr;
}

Response Router::Dispatch(const Request& request) const { return DispatchWithPattern(request).response; }

Router::Dispatched Router::DispatchWithPattern(const Request& request) const {
  PathParams params;
  std::string allowed;
  std::string_view path_pattern;
  if (const Route* route = Find(request, params, allowed, &path_pattern)) {
    Response response = route->handler(request, params);
    if (request.method == "HEAD") response.body.clear();
    return {std::move(response), route->pattern};
  }
  if (allowed.empty()) return {TextResponse(404, "Not found"), {}};
  Response response = TextResponse(405, "Method not allowed");
  response.SetHeader("Allow", allowed);
  return {std::move(response), path_pattern};
}

}  // namespace booklib::web
