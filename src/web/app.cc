// Request context (session, CSRF, flash), access checks and page rendering shared by handlers.
#include "web/app.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "core/log.h"
#include "crypto/crypto.h"
#include "text/ascii.h"
#include "text/codec.h"
#include "web/api_json.h"
#include "web/json_response.h"
#include "web/same_origin.h"
#include "web/static_assets.h"

namespace booklib::web {
namespace {

constexpr std::string_view kSessionCookie = "booklib_session";
constexpr std::string_view kCsrfCookie = "booklib_csrf";
constexpr std::string_view kFlashCookie = "booklib_flash";

// The Content-Length of a request, if it states one (digits only).
std::optional<std::uint64_t> DeclaredBodyLength(const Request& request) {
  const std::string_view text = request.Header("content-length");
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string_view::npos)
    return std::nullopt;
  return std::stoull(std::string(text));
}

bool WantsJson(const Request& request) {
  return request.Header("content-type").starts_with("application/json") ||
         request.Header("accept").starts_with("application/json");
}

}  // namespace

int HttpStatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kTooLarge:
      return 413;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kTooManyRequests:
      return 429;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

void SetRetryAfter(Response& response, const Error& error) {
  if (error.retry_after_seconds > 0)
    response.SetHeader("Retry-After", std::to_string(error.retry_after_seconds));
}

std::string ReaderMessage(const Error& error) {
  if (error.detail != ErrorDetail::kNone)
    return "Booklib cannot save or read your data right now (a storage problem on the server). "
           "Nothing was changed; please try again in a few minutes.";
  if (error.code == ErrorCode::kInternal) return "Something went wrong on the server; please try again.";
  return error.message;
}

std::string RequestContext::CsrfToken() const { return signer->CsrfToken(csrf_cookie, session_id); }

const std::string& RequestContext::UserId() const {
  if (!user) throw std::logic_error("a signed-in route ran without a signed-in user");
  return user->id;
}

App::App(Accounts& accounts, Library& library, AppOptions options)
    : accounts_(accounts),
      library_(library),
      options_(std::move(options)),
      signer_(options_.secret_key),
      upload_slots_(UploadSlots::Make(options_.max_uploads_per_user)),
      page_cache_(std::make_shared<PageCache>(options_.page_cache_bytes)) {
  AddRoutes();
}

App::~App() = default;

Response App::Handle(const Request& request) const {
  const LogScope log_scope(request.request_id);  // every line logged for this request names it
  const auto started = std::chrono::steady_clock::now();
  Router::Dispatched dispatched{};
  const std::string_view origin = request.Header("origin");
  const bool cors = !origin.empty() && std::find(options_.cors_origins.begin(), options_.cors_origins.end(),
                                                 origin) != options_.cors_origins.end();
  if (request.method == "OPTIONS" && cors) {
    dispatched.response = Preflight(request);
  } else {
    dispatched = router_.DispatchWithPattern(request);
  }
  Response response = std::move(dispatched.response);
  if (dispatched.pattern.empty() && response.status == 404) response = NoSuchPage(request);
  // Whether this is an API path is asked only of the answers that need it (a 405, a CORS origin).
  if (response.status == 405 &&
      IsApiRoute(request)) {  // the API answers in its own shape, with the Allow list kept
    const std::string allow = response.FindHeader("Allow").value_or("");
    response = ApiError(405, "method_not_allowed", "This address takes " + allow + " only.");
    response.SetHeader("Allow", allow);
  }
  if (cors && IsApiRoute(request)) {
    // A configured origin's page may read the API's answers; with a token only, never the cookie.
    response.SetHeader("Access-Control-Allow-Origin", std::string(origin));
    response.SetHeader("Access-Control-Expose-Headers", "ETag, Location, Retry-After");
    response.AddHeader("Vary", "Origin");
  }
  Decorate(request, response);
  const AnsweredRequest answered{
      request.method, dispatched.pattern, response.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(), request.request_id};
  RecordRequest(answered);
  if (options_.on_request) options_.on_request(answered);
  return response;
}

bool App::IsApiRoute(const Request& request) const {
  Request probe;
  probe.path = request.path;
  for (const char* method : {"GET", "POST", "PATCH", "PUT", "DELETE"}) {
    probe.method = method;
    const RouteRules* rules = router_.RulesFor(probe);
    if (rules != nullptr && rules->access == Access::kApi) return true;
  }
  return false;
}

Response App::Preflight(const Request& request) const {
  Request probe;
  probe.path = request.path;
  probe.method = std::string(request.Header("access-control-request-method"));
  const RouteRules* rules = router_.RulesFor(probe);
  if (rules == nullptr || rules->access != Access::kApi)
    return ApiError(403, "permission_denied", "Only the API may be called from another origin.");
  Response response;
  response.status = 204;
  response.SetHeader("Access-Control-Allow-Methods", "GET, POST, PATCH, PUT, DELETE");
  response.SetHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match");
  response.SetHeader("Access-Control-Max-Age", "600");
  return response;
}

void App::Decorate(const Request& request, Response& response) const {
  // Every "come back later" says when; handlers that know better have set it already.
  if ((response.status == 429 || response.status == 503) && !response.FindHeader("Retry-After"))
    response.SetHeader("Retry-After", "5");
  // Over HTTPS (directly or via a trusted proxy), browsers are told to never use plain HTTP here.
  if (request.secure) response.SetHeader("Strict-Transport-Security", "max-age=31536000");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "same-origin");
  if (!response.FindHeader("Content-Security-Policy"))
    response.SetHeader("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' https: data: blob:; media-src 'self' blob:; "
                       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
}

Admission App::Admit(const Request& head) const {
  const std::size_t small = options_.max_form_bytes;
  const std::optional<std::uint64_t> declared = DeclaredBodyLength(head);
  const bool chunked = !head.Header("transfer-encoding").empty();
  if (!chunked && declared.value_or(0) <= small) return Admission{small, std::nullopt};
  const RouteRules* rules = router_.RulesFor(head);
  const std::size_t large = rules != nullptr ? rules->large_body_limit : 0;
  const auto refuse = [&](Response response) {
    Decorate(head, response);
    return Admission{small, std::move(response)};
  };
  // The API's routes refuse in the API's shape; the seed's upload in its JSON; pages in text.
  const bool api =
      rules != nullptr && (rules->access == Access::kApi || rules->access == Access::kApiSession);
  const auto json_error = [&](int status, std::string_view code, const std::string& why) {
    return api ? ApiError(status, code, why) : JsonError(status, why);
  };
  const auto too_large = [&](std::size_t limit) {
    const std::string why =
        "The request body is too large (at most " + std::to_string(limit / 1024) + " KiB).";
    return refuse(api || large > 0 || WantsJson(head) ? json_error(413, "too_large", why)
                                                      : TextResponse(413, why));
  };
  if (large == 0) return declared ? too_large(small) : Admission{small, std::nullopt};
  // An upload route: a large body only from a signed-in reader whose page sent its token, or (on an
  // API route) from a live personal token.
  const bool bearer = rules->access == Access::kApi && !head.Header("authorization").empty();
  RequestContext ctx = bearer ? BareContext(head) : MakeContext(head);
  if (bearer) {
    if (auto refused = AuthenticateToken(ctx)) {
      if (!declared) return Admission{small, std::nullopt};
      return refuse(*std::move(refused));
    }
  }
  const bool allowed =
      ctx.user && (bearer || (IsSameOrigin(head) && CsrfOk(ctx, head.Header("x-csrf-token"))));
  if (!allowed) {
    if (!declared) return Admission{small, std::nullopt};  // chunked: the small limit applies
    if (!ctx.user)
      return refuse(json_error(401, "unauthenticated", "Please log in before uploading a photo."));
    if (!IsSameOrigin(head))
      return refuse(
          json_error(403, "permission_denied", "This request came from another site and was refused."));
    return refuse(
        json_error(403, "permission_denied",
                   "Missing or stale CSRF token (send it in X-CSRF-Token): reload the page and try again."));
  }
  if (declared && *declared > large) return too_large(large);
  auto slot = upload_slots_->TryTake(ctx.UserId());
  if (!slot) {
    Response busy = json_error(429, "too_many_requests",
                               "You are already sending " + std::to_string(upload_slots_->per_user()) +
                                   " photos; wait for them to finish and try again.");
    busy.SetHeader("Retry-After", "5");
    return refuse(std::move(busy));
  }
  return Admission{large, std::nullopt, std::move(slot)};
}

RequestContext App::BareContext(const Request& request) const {
  RequestContext ctx(request);
  ctx.signer = &signer_;
  return ctx;
}

RequestContext App::MakeContext(const Request& request) const {
  RequestContext ctx(request);
  ctx.signer = &signer_;
  const auto cookies = ParseCookies(request.Header("cookie"));
  if (const auto it = cookies.find(std::string(kSessionCookie)); it != cookies.end()) {
    if (auto session_id = signer_.Verify(kSessionCookie, it->second)) {
      if (auto user = accounts_.UserForSession(*session_id)) {
        ctx.user = std::move(*user);
        ctx.session_id = *session_id;
      }
    }
  }
  if (const auto it = cookies.find(std::string(kCsrfCookie)); it != cookies.end())
    if (auto seed = signer_.Verify(kCsrfCookie, it->second)) ctx.csrf_cookie = *seed;
  if (ctx.csrf_cookie.empty()) {
    ctx.csrf_cookie = crypto::RandomHex(16);
    ctx.set_csrf_cookie = true;
  }
  if (const auto it = cookies.find(std::string(kFlashCookie)); it != cookies.end()) {
    if (auto encoded = signer_.Verify(kFlashCookie, it->second)) {
      const std::string text = text::PercentDecode(*encoded, false).value_or("");
      const auto colon = text.find(':');
      if (colon != std::string::npos) ctx.flash.emplace(text.substr(0, colon), text.substr(colon + 1));
    }
    ctx.set_cookies.push_back(SetCookieValue(kFlashCookie, "", {.max_age = 0, .secure = request.secure}));
  }
  return ctx;
}

std::string App::ClientAddress(const Request& request) const {
  if (!options_.trust_proxy) return request.remote_address;
  const std::string_view forwarded = request.Header("x-forwarded-for");
  const std::string last(text::TrimWhitespace(forwarded.substr(forwarded.rfind(',') + 1)));
  return last.empty() ? request.remote_address : last;
}

bool App::CsrfOk(const RequestContext& ctx, std::string_view token) const {
  return !ctx.set_csrf_cookie && signer_.CheckCsrfToken(token, ctx.csrf_cookie, ctx.session_id);
}

void App::Finish(RequestContext& ctx, Response& response) const {
  if (ctx.set_csrf_cookie)
    ctx.set_cookies.push_back(SetCookieValue(kCsrfCookie, signer_.Sign(kCsrfCookie, ctx.csrf_cookie),
                                             {.max_age = 365LL * 24 * 3600, .secure = ctx.request.secure}));
  for (auto& cookie : ctx.set_cookies) response.AddHeader("Set-Cookie", std::move(cookie));
  if (!response.FindHeader("Cache-Control")) response.SetHeader("Cache-Control", "no-store");
}

Handler App::Wrap(PageHandler handler, RouteRules rules) const {
  if (rules.access == Access::kPublic)
    return [this, handler](const Request& request, const PathParams& params) {
      RequestContext ctx = BareContext(request);
      return (this->*handler)(ctx, params);
    };
  if (rules.access == Access::kApi || rules.access == Access::kApiSession)
    return [this, handler, rules](const Request& request, const PathParams& params) {
      const bool bearer = !request.Header("authorization").empty();
      RequestContext ctx = bearer ? BareContext(request) : MakeContext(request);
      if (!bearer) ctx.set_cookies.clear();  // an API answer leaves the flash for the next page
      std::optional<Response> refused = bearer ? AuthenticateToken(ctx) : std::nullopt;
      if (!refused) refused = RefuseApiCall(ctx, rules);
      Response response = refused ? *std::move(refused) : (this->*handler)(ctx, params);
      if (!ctx.token) {
        ctx.set_csrf_cookie = false;  // the page that sent the request keeps its token
        Finish(ctx, response);
      } else if (!response.FindHeader("Cache-Control")) {
        response.SetHeader("Cache-Control", "no-store");
      }
      return response;
    };
  return [this, handler, rules](const Request& request, const PathParams& params) {
    RequestContext ctx = MakeContext(request);
    const bool json = rules.media == Media::kPhoto || WantsJson(request);
    Response response;
    if (rules.access == Access::kUser && !ctx.user) {
      response = json
                     ? JsonError(401, "Please log in")
                     : Redirect(ctx, "/login?next=" + text::PercentEncode(request.path, /*keep_slash=*/true));
    } else if (request.method == "POST" && !IsSameOrigin(request)) {
      const std::string why = "This request came from another site and was refused.";
      response = json ? JsonError(403, why) : ErrorPage(ctx, 403, "Refused", why);
    } else if (request.method == "POST" && rules.media == Media::kForm) {
      auto form = ReadForm(ctx);
      if (!form) {
        response = ErrorPage(ctx, form.error().code == ErrorCode::kTooLarge ? 413 : 400, "That did not work",
                             form.error().message);
      } else if (rules.csrf == Csrf::kFormField && !CsrfOk(ctx, Field(*form, "csrf_token"))) {
        response =
            ErrorPage(ctx, 403, "This form has expired",
                      "For your safety the form could not be accepted (missing or stale security token). "
                      "Go back, reload the page and try again.");
      } else {
        ctx.form = std::move(*form);
        response = (this->*handler)(ctx, params);
      }
    } else {
      response = (this->*handler)(ctx, params);
    }
    Finish(ctx, response);
    return response;
  };
}

std::optional<Response> App::AuthenticateToken(RequestContext& ctx) const {
  const std::string_view header = ctx.request.Header("authorization");
  const auto refuse = [](std::string_view why) {
    Response response = ApiError(401, "unauthenticated", why);
    response.SetHeader("WWW-Authenticate", "Bearer realm=\"booklib\"");
    return response;
  };
  constexpr std::string_view kBearer = "bearer ";
  if (header.size() <= kBearer.size() || text::AsciiLower(header.substr(0, kBearer.size())) != kBearer)
    return refuse("Send a personal token as Authorization: Bearer <token>.");
  if (options_.api_tokens == nullptr) return refuse("Personal tokens are not enabled on this server.");
  auto grant = options_.api_tokens->Authenticate(text::TrimWhitespace(header.substr(kBearer.size())));
  if (!grant) {
    if (grant.error().code == ErrorCode::kUnauthenticated) return refuse(grant.error().message);
    return ApiErrorFor(grant.error());
  }
  ctx.user = std::move(grant->user);
  ctx.token = std::move(grant->token);
  return std::nullopt;
}

std::optional<Response> App::RefuseApiCall(RequestContext& ctx, const RouteRules& rules) const {
  const Request& request = ctx.request;
  const bool write = request.method != "GET" && request.method != "HEAD";
  if (!ctx.user)
    return ApiError(401, "unauthenticated", "Log in, or send a personal token as Authorization: Bearer.");
  if (ctx.token) {
    if (rules.access == Access::kApiSession)
      return ApiError(403, "permission_denied",
                      "Tokens are managed from a signed-in browser (the account page), not with a token.");
    if (write && ctx.token->scope != TokenScope::kReadWrite)
      return ApiError(403, "permission_denied", "This token is read-only; writing needs a read-write token.");
  } else if (write) {
    if (!IsSameOrigin(request))
      return ApiError(403, "permission_denied", "This request came from another site and was refused.");
    if (rules.csrf == Csrf::kHeader && !CsrfOk(ctx, request.Header("x-csrf-token")))
      return ApiError(403, "permission_denied",
                      "Missing or stale CSRF token: send the page's token in X-CSRF-Token.");
  }
  if (write && rules.media == Media::kJson && !text::TrimWhitespace(request.body).empty() &&
      !request.Header("content-type").starts_with("application/json"))
    return ApiError(415, "unsupported_media_type", "Send the request body as application/json.");
  if (request.body.size() > options_.max_form_bytes && rules.large_body_limit == 0)
    return ApiError(413, "too_large",
                    "The request body is too large (at most " +
                        std::to_string(options_.max_form_bytes / 1024) + " KiB).");
  return std::nullopt;
}

Result<FormFields> App::ReadForm(const RequestContext& ctx) const {
  const Request& request = ctx.request;
  if (request.body.size() > options_.max_form_bytes)
    return Fail(ErrorCode::kTooLarge, "The form is too large (at most " +
                                          std::to_string(options_.max_form_bytes / 1024) + " KiB).");
  const std::string_view type = request.Header("content-type");
  if (!type.starts_with("application/x-www-form-urlencoded") && !(type.empty() && request.body.empty()))
    return Fail(
        ErrorCode::kInvalidArgument,
        "Forms must be sent as application/x-www-form-urlencoded, not \"" + std::string(type) + "\".");
  auto fields = ParseUrlEncoded(request.body);
  if (!fields)
    return Fail(ErrorCode::kInvalidArgument, "The form data was malformed: " + fields.error().message);
  return fields;
}

std::string App::LibraryEtag(RequestContext& ctx) const {
  if (!ctx.user || ctx.flash || ctx.set_csrf_cookie || !ctx.set_cookies.empty()) return "";
  auto version = library_.Version(ctx.user->id);
  if (!version) return "";
  std::string basis = *version;
  const std::string csrf_token = ctx.CsrfToken();
  for (const std::string_view part :
       {std::string_view(ctx.request.path), std::string_view(ctx.request.query), std::string_view(csrf_token),
        std::string_view(ctx.user->id), std::string_view(ctx.user->username),
        std::string_view(options_.build_id), std::string_view(options_.static_base)}) {
    basis += '\n';
    basis += part;
  }
  return "W/\"" + crypto::Sha256Hex(basis).substr(0, 32) + "\"";
}

// If-None-Match: "*" or a list of tags; a weak comparison (RFC 9110 13.1.2), as for GET.
std::optional<Response> App::NotModified(const RequestContext& ctx, const std::string& etag) {
  if (etag.empty()) return std::nullopt;
  const std::string_view wanted = ctx.request.Header("if-none-match");
  const std::string_view opaque = std::string_view(etag).substr(2);  // without W/
  bool match = text::TrimWhitespace(wanted) == "*";
  for (std::size_t at = 0; !match && at < wanted.size();) {
    std::size_t comma = wanted.find(',', at);
    if (comma == std::string_view::npos) comma = wanted.size();
    std::string_view tag = text::TrimWhitespace(wanted.substr(at, comma - at));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    match = tag == opaque;
    at = comma + 1;
  }
  if (!match) return std::nullopt;
  Response response;
  response.status = 304;
  return Validated(std::move(response), etag);
}

std::optional<Response> App::CachedPage(const std::string& etag, std::string_view content_type) const {
  if (etag.empty()) return std::nullopt;
  auto body = page_cache_->Find(etag);
  if (!body) return std::nullopt;
  Response response;
  response.SetHeader("Content-Type", std::string(content_type));
  response.body = *body;
  return Validated(std::move(response), etag);
}

Response App::KeepPage(const std::string& etag, Response response) const {
  if (!etag.empty() && response.status == 200) page_cache_->Put(etag, response.body);
  return Validated(std::move(response), etag);
}

Response App::Validated(Response response, const std::string& etag) {
  if (etag.empty() || (response.status != 200 && response.status != 304)) return response;
  response.SetHeader("ETag", etag);
  response.SetHeader("Cache-Control", "private, no-cache");
  return response;
}

PageFrame App::Frame(RequestContext& ctx, std::string_view title) const {
  static const std::string app_css = HashedStaticName("app.css");
  static const std::string app_js = HashedStaticName("app.js");
  static const std::string favicon = HashedStaticName("favicon.svg");
  PageFrame frame;
  frame.page_title = std::string(title);
  frame.static_base = options_.static_base;
  frame.app_css = app_css;
  frame.app_js = app_js;
  frame.favicon = favicon;
  frame.csrf_token = ctx.CsrfToken();
  if (ctx.user) frame.user = UserView{ctx.user->username};
  if (ctx.flash) frame.flash = FlashView{ctx.flash->first, ctx.flash->second};
  return frame;
}

Response App::RenderFramed(RequestContext& ctx, std::string_view title, int status, BodyRef body,
                           std::size_t& size_hint) const {
  const PageFrame frame = Frame(ctx, title);
  Response response;
  response.status = status;
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  response.body.reserve(size_hint);
  HtmlOut out(response.body);
  RenderLayout(out, frame, body);
  // Next time room for this one and an eighth more; a huge page once does not keep huge buffers.
  size_hint = std::min<std::size_t>(response.body.size() + response.body.size() / 8 + 256, 1 << 20);
  return response;
}

Response App::ErrorPage(RequestContext& ctx, int status, std::string_view heading,
                        std::string_view message) const {
  return RenderPage(ctx, heading, ErrorPageView{std::string(heading), std::string(message)}, status);
}

// A page for a path no route has, in the layout with a way home (JSON for a JSON client).
Response App::NoSuchPage(const Request& request) const {
  if (request.path.starts_with("/api/"))
    return ApiError(404, "not_found", "There is no API operation at this address.");
  if (WantsJson(request)) return JsonError(404, "Not found");
  RequestContext ctx = MakeContext(request);
  Response response =
      ErrorPage(ctx, 404, "Page not found",
                "There is no page at this address. It may have moved, or the link may be mistyped.");
  Finish(ctx, response);
  if (request.method == "HEAD") response.body.clear();
  return response;
}

Response App::Redirect(RequestContext& ctx, std::string location, const std::string& flash_text,
                       const std::string& flash_kind) const {
  Response response;
  response.status = 303;
  response.SetHeader("Location", std::move(location));
  if (!flash_text.empty()) {
    const std::string encoded = text::PercentEncode(flash_kind + ":" + flash_text, /*keep_slash=*/true);
    ctx.set_cookies.push_back(SetCookieValue(kFlashCookie, signer_.Sign(kFlashCookie, encoded),
                                             {.max_age = 60, .secure = ctx.request.secure}));
  }
  return response;
}

}  // namespace booklib::web
