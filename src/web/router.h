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
  void Add(std::string method, std::string pattern, Handler handler);

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
  };
  static bool Match(const Route& route, const std::vector<std::string_view>& path, PathParams& params);

  std::vector<Route> routes_;
};

// Plain-text-free error page body helpers shared by the router and the app.
Response TextResponse(int status, std::string_view text);

}  // namespace booklib::web
