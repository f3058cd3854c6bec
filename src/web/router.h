// The routing table: method + path pattern ("/edit_book/{id}") -> handler.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "web/http.h"

namespace booklib::web {

using PathParams = std::map<std::string, std::string>;
using Handler = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  // `pattern` segments are literals or "{name}" (one non-empty segment). Routes match in order.
  // `large_body_limit` > 0: this route may take a body that large (an upload), when the app admits
  // it (App::Admit); every other route takes the app's small default only.
  void Add(std::string method, std::string pattern, Handler handler, std::size_t large_body_limit = 0);

  // The large_body_limit of the route `request` (method and path; HEAD as GET) would run; 0 when it
  // has none, or when no route matches (a 404 or 405 answer reads no body worth having).
  std::size_t LargeBodyLimit(const Request& request) const;

  // Runs the matching handler. No path match -> 404; path matches but not the method -> 405
  // with Allow. HEAD runs GET's handler and drops the body.
  Response Dispatch(const Request& request) const;

  // Dispatch's response and the pattern that answered ("/edit_book/{id}"; for a 405, the first
  // pattern whose path matched), or "" when no route's path matched (404): a label for metrics
  // that, unlike the raw path, takes one value per route. Valid as long as the router.
  struct Dispatched {
    Response response;
    std::string_view pattern;
  };
  Dispatched DispatchWithPattern(const Request& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
    std::size_t large_body_limit = 0;
  };
  // The route for the request's method and path; nullptr if none (`allowed` lists the methods of
  // routes whose path matched, for a 405, and `path_pattern`, when given, the first such route's pattern).
  const Route* Find(const Request& request, PathParams& params, std::string& allowed,
                    std::string_view* path_pattern) const;
  static bool Match(const Route& route, const std::vector<std::string_view>& path, PathParams& params);

  std::vector<Route> routes_;
};

// Plain-text-free error page body helpers shared by the router and the app.
Response TextResponse(int status, std::string_view text);

}  // namespace booklib::web
