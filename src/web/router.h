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

// Who may call a route. kPublic: anyone, without a session lookup and never setting a cookie (static
// files, /health), so its answers can be cached by anyone. kAnyone: pages with or without a session.
// kUser: a signed-in reader's pages and forms (anonymous: to the login page, or a JSON 401).
// kApi: the JSON API, with a browser session or a personal token (Authorization: Bearer); a
// read-only token only on GET. kApiSession: the API with a browser session only (token management).
enum class Access { kPublic, kAnyone, kUser, kApi, kApiSession };
// How a state-changing request proves it came from this app's own page. kFormField: the form's
// csrf_token field. kHeader: the X-CSRF-Token header (or a multipart csrf_token field), needed from a
// browser session only: a Bearer token is not sent by browsers on their own. Every write with a
// session is also refused when its Origin/Referer names another site.
enum class Csrf { kNone, kFormField, kHeader };
// What a route's request body must be. kForm: urlencoded; kJson: a JSON object; kPhoto: a
// JPEG/PNG, a multipart form with the photo, or JSON ({"isbn": ...}); kNone: no body is read.
enum class Media { kNone, kForm, kJson, kPhoto };

// One route's rules, in the routing table with its handler: the app's wrapper, App::Admit (which
// the Beast server and the Lambda adapter call before reading a body) and the API document all
// read them from there.
struct RouteRules {
  Access access = Access::kAnyone;
  Csrf csrf = Csrf::kNone;
  Media media = Media::kNone;
  // > 0: this route may take a body that large (an upload), when the app admits it (App::Admit);
  // every other route takes the app's small default only.
  std::size_t large_body_limit = 0;
};

class Router {
 public:
  // `pattern` segments are literals or "{name}" (one non-empty segment). Routes match in order.
  void Add(std::string method, std::string pattern, Handler handler, RouteRules rules = {});

  // The rules of the route `request` (method and path; HEAD as GET) would run; nullptr when no
  // route matches (a 404 or 405 answer reads no body worth having).
  const RouteRules* RulesFor(const Request& request) const;

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
    RouteRules rules;
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
