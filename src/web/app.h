// The web application: the seed's HTML routes and /scan_isbn over the core use cases. It turns a
// transport-neutral Request into a Response; the Beast server and the Lambda adapter both call it.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/accounts.h"
#include "core/api_tokens.h"
#include "core/book_search.h"
#include "core/library.h"
#include "web/cookies.h"
#include "web/form.h"
#include "web/http.h"
#include "web/page_cache.h"
#include "web/request_metrics.h"
#include "web/router.h"
#include "web/upload_slots.h"
#include "web/views.h"

namespace booklib::web {

// Reads the ISBN from a barcode photo (JPEG or PNG bytes). kInvalidArgument/kTooLarge with a
// reason the user can act on.
using IsbnImageDecoder = std::function<Result<std::string>(std::string_view image)>;

// The bytes and type of a cover image at a URL (served from the server's cache when it has them).
struct CoverImageBytes {
  std::string content_type;
  std::string bytes;
};
// kNotFound answers 404 "No cover"; any other error 502 with a fixed text (the error's message is
// not shown).
using CoverSource = std::function<Result<CoverImageBytes>(const std::string& url)>;

struct AppOptions {
  std::string secret_key;               // signs cookies; at least 32 bytes
  std::string static_base = "/static";  // where pages load app.css/app.js from
  // Every request body may have max_form_bytes; only an upload route (Body::kUpload in the route
  // table) takes up to max_upload_bytes (a photo and its multipart framing), and only from a
  // signed-in reader whose page sent its CSRF token in X-CSRF-Token (App::Admit).
  std::size_t max_form_bytes = 256 * 1024;
  std::size_t max_upload_bytes = 16 * 1024 * 1024;
  std::size_t max_image_bytes = 15 * 1024 * 1024;
  // Large uploads one reader may send at once (more get 429 with Retry-After on their header).
  int max_uploads_per_user = 4;
  IsbnImageDecoder decode_isbn_image;  // empty: image scanning answers 415
  // /ready: the store and queue are reachable and can take writes now; empty = always ready.
  // (/health is liveness only: it answers while the process does, whatever the store's state.)
  std::function<Result<void>()> readiness_check;
  // Fetches catalogue covers for /covers/<id>; empty: cards link the provider's URL directly.
  CoverSource cover_source;
  // Behind one trusted reverse proxy (the server's trust_forwarded_proto): the client's address is
  // the last X-Forwarded-For entry, the one that proxy appended. Otherwise the header is ignored,
  // since any client can send it.
  bool trust_proxy = false;
  // GET /metrics: off by default (web/request_metrics.h).
  MetricsAccess metrics;
  // Told of every answered request (route pattern, status, time); empty: only /metrics counts them.
  RequestObserver on_request;
  // GET /add_book/search asks it (it must outlive the App); null: the page says the book services
  // did not answer.
  const BookSearch* book_search = nullptr;
  // Names this build (cli/build_id.h) in the pages' validators, so a new binary's pages are never
  // taken for an old one's; empty in tests (one binary).
  std::string build_id;
  // Rendered pages kept by ETag (web/page_cache.h); 0 turns the cache off.
  std::size_t page_cache_bytes = std::size_t{8} << 20;
  // Personal API tokens (it must outlive the App); null: the API takes browser sessions only and
  // says so to a Bearer token.
  ApiTokens* api_tokens = nullptr;
  // Origins (scheme://host[:port]) whose pages may call the API from a browser (CORS); empty: none.
  std::vector<std::string> cors_origins;
};

// Everything a handler needs about the request beyond the Request itself.
struct RequestContext {
  explicit RequestContext(const Request& r) : request(r) {}
  const Request& request;
  std::optional<User> user;
  std::string session_id;
  std::string csrf_cookie;  // the browser's CSRF seed (verified), maybe freshly made
  bool set_csrf_cookie = false;
  std::optional<std::pair<std::string, std::string>> flash;  // shown on this page (kind, text)
  FormFields form;                       // a POST's fields, parsed and CSRF-checked before the handler runs
  std::vector<std::string> set_cookies;  // Set-Cookie values to add to the response
  // Set when the caller is an API client with a personal token (Authorization: Bearer); then
  // `user` is the token's owner and no cookie is read or set.
  std::optional<ApiToken> token;
  std::string CsrfToken() const;
  // The signed-in reader's id. Only for kUser routes, whose wrapper has resolved `user`; anywhere
  // else it throws std::logic_error (a bug: the server answers 500 and logs it).
  const std::string& UserId() const;
  const CookieSigner* signer = nullptr;
};

// The HTTP status that tells a client what kind of error this is (400, 404, 409, 413, 503, 500).
int HttpStatusFor(const Error& error);
// Adds Retry-After to `response` when `error` says when to come back (retry_after_seconds > 0).
void SetRetryAfter(Response& response, const Error& error);
// What a reader may be told about `error`: its message when it is about their request (invalid
// input, not found, taken, too large, throttled, busy); a plain sentence for storage failures
// (ErrorDetail) and internal errors, whose message (the engine's words, paths) is for the log only.
std::string ReaderMessage(const Error& error);

class App {
 public:
  App(Accounts& accounts, Library& library, AppOptions options);
  ~App();

  Response Handle(const Request& request) const;

  // Decided on a request's header (`head`: its body not read yet, Content-Length or
  // Transfer-Encoding telling what comes): how large a body the transport may read for it. The
  // small default (max_form_bytes) for every route; an upload route's max_upload_bytes only for a
  // signed-in reader with a valid X-CSRF-Token header and a same-site Origin. A declared body over
  // what is allowed is answered at once (`early`): 401 without a session, 403 without the token,
  // 413 when too large, in JSON for the upload routes; the transport must not read the body.
  // Thread-safe, like Handle.
  Admission Admit(const Request& head) const;

 private:
  using PageHandler = Response (App::*)(RequestContext&, const PathParams&) const;

  // The routing table (routes.cc): every route with its rules (router.h), which Wrap enforces
  // before the handler runs.
  void AddRoutes();
  Handler Wrap(PageHandler handler, RouteRules rules) const;
  // The API's checks (kApi, kApiSession): who calls (session or Bearer token), the token's scope,
  // the session's Origin and X-CSRF-Token on writes, the body's media type. nullopt: run the handler.
  std::optional<Response> RefuseApiCall(RequestContext& ctx, const RouteRules& rules) const;
  // The caller of an API request with Authorization: Bearer, into ctx.user and ctx.token; the answer
  // when the token is refused (401).
  std::optional<Response> AuthenticateToken(RequestContext& ctx) const;
  // The request's session, CSRF seed and flash from its cookies.
  RequestContext MakeContext(const Request& request) const;
  // No cookie read (public routes, Bearer-token API calls).
  RequestContext BareContext(const Request& request) const;
  bool CsrfOk(const RequestContext& ctx, std::string_view token) const;
  // Who sent the request, for login throttling: see AppOptions::trust_proxy.
  std::string ClientAddress(const Request& request) const;
  void Finish(RequestContext& ctx, Response& response) const;
  // CORS (AppOptions::cors_origins): whether a route of the request's path is an API route (kApi),
  // and the answer to a configured origin's preflight OPTIONS request.
  bool IsApiRoute(const Request& request) const;
  Response Preflight(const Request& request) const;
  // The headers every answer carries (security headers, Retry-After on 429/503).
  void Decorate(const Request& request, Response& response) const;

  // Pages and actions (handlers_*.cc).
  Response ShowHome(RequestContext& ctx, const PathParams&) const;
  Response ShowRegister(RequestContext& ctx, const PathParams&) const;
  Response DoRegister(RequestContext& ctx, const PathParams&) const;
  Response ShowLogin(RequestContext& ctx, const PathParams&) const;
  Response DoLogin(RequestContext& ctx, const PathParams&) const;
  Response ShowLogout(RequestContext& ctx, const PathParams&) const;
  Response DoLogout(RequestContext& ctx, const PathParams&) const;
  Response ShowBooks(RequestContext& ctx, const PathParams&) const;
  Response ShowAddBook(RequestContext& ctx, const PathParams&) const;
  Response DoAddBook(RequestContext& ctx, const PathParams&) const;
  Response ShowEditBook(RequestContext& ctx, const PathParams& params) const;
  Response DoEditBook(RequestContext& ctx, const PathParams& params) const;
  Response ShowManualUpdate(RequestContext& ctx, const PathParams& params) const;
  Response DoManualUpdate(RequestContext& ctx, const PathParams& params) const;
  Response DoDeleteBook(RequestContext& ctx, const PathParams& params) const;
  Response DoRetryBook(RequestContext& ctx, const PathParams& params) const;
  Response DoScanIsbn(RequestContext& ctx, const PathParams&) const;
  Response ShowCover(RequestContext& ctx, const PathParams& params) const;
  // The account page: personal API tokens made, listed and revoked (handlers_account.cc).
  Response ShowAccount(RequestContext& ctx, const PathParams&) const;
  Response DoCreateToken(RequestContext& ctx, const PathParams&) const;
  Response DoRevokeToken(RequestContext& ctx, const PathParams& params) const;
  Response AccountView(RequestContext& ctx, AccountPage page, int status = 200) const;
  // Adding a book by searching its title or author (handlers_search.cc).
  Response ShowSearchBooks(RequestContext& ctx, const PathParams&) const;
  Response ShowHealth(RequestContext& ctx, const PathParams&) const;
  Response ShowReady(RequestContext& ctx, const PathParams&) const;
  Response ShowMetrics(RequestContext& ctx, const PathParams&) const;
  Response ShowStatic(RequestContext& ctx, const PathParams& params) const;
  // The book page and the shelves page (handlers_book_page.cc).
  Response ShowBookPage(RequestContext& ctx, const PathParams& params) const;
  Response DoSetBookStatus(RequestContext& ctx, const PathParams& params) const;
  Response DoAddRead(RequestContext& ctx, const PathParams& params) const;
  Response DoEditRead(RequestContext& ctx, const PathParams& params) const;
  Response DoDeleteRead(RequestContext& ctx, const PathParams& params) const;
  Response DoSetProgress(RequestContext& ctx, const PathParams& params) const;
  Response DoSetBookRating(RequestContext& ctx, const PathParams& params) const;
  Response DoSaveReview(RequestContext& ctx, const PathParams& params) const;
  Response DoSetOwned(RequestContext& ctx, const PathParams& params) const;
  Response DoAddToShelf(RequestContext& ctx, const PathParams& params) const;
  Response DoRemoveFromShelf(RequestContext& ctx, const PathParams& params) const;
  Response DoRetryFromBookPage(RequestContext& ctx, const PathParams& params) const;
  Response ShowDeleteBookPage(RequestContext& ctx, const PathParams& params) const;
  Response DoDeleteFromBookPage(RequestContext& ctx, const PathParams& params) const;
  Response ShowShelves(RequestContext& ctx, const PathParams&) const;
  Response DoCreateShelf(RequestContext& ctx, const PathParams&) const;
  Response DoRenameShelf(RequestContext& ctx, const PathParams&) const;
  Response ShowDeleteShelf(RequestContext& ctx, const PathParams&) const;
  Response DoDeleteShelf(RequestContext& ctx, const PathParams&) const;
  // The book page (with the core's reason for a refused form when `error` is set) and the answer
  // to one of its forms: back to the page with `done`, the page with the reason (400), or the error
  // page (404 for a missing or someone else's id). The same pair for the shelves page.
  Response BookPage(RequestContext& ctx, const LibraryEntry& entry, std::string_view error, int status) const;
  Response BookActionAnswer(RequestContext& ctx, const std::string& id, const Result<void>& outcome,
                            const std::string& done) const;
  Response ShelvesPage(RequestContext& ctx, std::string_view error, int status) const;
  Response ShelfActionAnswer(RequestContext& ctx, const Result<void>& outcome, const std::string& done) const;
  // The error page for a use case's error: its HTTP status and reader's words, `not_found` as the
  // heading of a 404, Retry-After when the error says when to come back.
  Response CoreErrorPage(RequestContext& ctx, const Error& error, std::string_view not_found) const;

  // Shared pieces of the handlers.
  Result<FormFields> ReadForm(const RequestContext& ctx) const;
  // `page` (a view of views.h) in the layout, as one buffer.
  template <class Page>
  Response RenderPage(RequestContext& ctx, std::string_view title, const Page& page, int status = 200) const {
    // Sized as this thread's last page of this kind was, so the buffer grows at most once.
    thread_local std::size_t size_hint = 4096;
    return RenderFramed(
        ctx, title, status,
        BodyRef{&page, [](HtmlOut& out, const PageFrame& frame,
                          const void* body) { RenderBody(out, frame, *static_cast<const Page*>(body)); }},
        size_hint);
  }
  Response RenderFramed(RequestContext& ctx, std::string_view title, int status, BodyRef body,
                        std::size_t& size_hint) const;
  // The validator of a page that shows the reader's library and nothing else that changes: a weak
  // ETag over their library version (Store::LibraryVersion), the address, their CSRF token, their
  // name and this build. Empty when the page must not be validated: a flash to show, a cookie to
  // set, nobody signed in, or the version unreadable (the page then renders as ever).
  std::string LibraryEtag(RequestContext& ctx) const;
  // With `etag` set: 304 (no body) when the request's If-None-Match holds it; otherwise nullopt,
  // and Validated() marks the page's answer as revalidate-every-time with that ETag.
  static std::optional<Response> NotModified(const RequestContext& ctx, const std::string& etag);
  static Response Validated(Response response, const std::string& etag);
  // The page rendered before under `etag` (PageCache), validated; nullopt when none is kept.
  std::optional<Response> CachedPage(const std::string& etag,
                                     std::string_view content_type = "text/html; charset=utf-8") const;
  // `response`, the page under `etag`, kept for the next request with that ETag, then Validated().
  Response KeepPage(const std::string& etag, Response response) const;
  // What the layout and every page see of the request: the reader, the flash, the CSRF token.
  PageFrame Frame(RequestContext& ctx, std::string_view title) const;
  Response ErrorPage(RequestContext& ctx, int status, std::string_view heading,
                     std::string_view message) const;
  Response BookFormPage(RequestContext& ctx, const LibraryEntry& entry, const BookForm* typed, bool manual,
                        std::string_view error) const;
  Response ShowBookForm(RequestContext& ctx, const PathParams& params, bool manual) const;
  Response SaveBookForm(RequestContext& ctx, const PathParams& params, bool manual) const;
  // Library page, cards and home (lib-web).
  Response NoSuchPage(const Request& request) const;

  Response Redirect(RequestContext& ctx, std::string location, const std::string& flash_text = "",
                    const std::string& flash_kind = "info") const;
  Response ScanJson(RequestContext& ctx, std::string_view isbn_text) const;

  // The JSON API, /api/v1 (handlers_api.cc; the document is api/openapi.json).
  Response ApiMe(RequestContext& ctx, const PathParams&) const;
  Response ApiListBooks(RequestContext& ctx, const PathParams&) const;
  Response ApiAddBook(RequestContext& ctx, const PathParams&) const;
  Response ApiGetBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiUpdateBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiDeleteBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiRetryBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiSetProgress(RequestContext& ctx, const PathParams& params) const;
  Response ApiListReads(RequestContext& ctx, const PathParams& params) const;
  Response ApiAddRead(RequestContext& ctx, const PathParams& params) const;
  Response ApiEditRead(RequestContext& ctx, const PathParams& params) const;
  Response ApiDeleteRead(RequestContext& ctx, const PathParams& params) const;
  Response ApiShelveBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiUnshelveBook(RequestContext& ctx, const PathParams& params) const;
  Response ApiListShelves(RequestContext& ctx, const PathParams&) const;
  Response ApiCreateShelf(RequestContext& ctx, const PathParams&) const;
  Response ApiRenameShelf(RequestContext& ctx, const PathParams& params) const;
  Response ApiDeleteShelf(RequestContext& ctx, const PathParams& params) const;
  Response ApiScan(RequestContext& ctx, const PathParams&) const;
  Response ApiListTokens(RequestContext& ctx, const PathParams&) const;
  Response ApiCreateToken(RequestContext& ctx, const PathParams&) const;
  Response ApiRevokeToken(RequestContext& ctx, const PathParams& params) const;
  Response ApiDocument(RequestContext& ctx, const PathParams&) const;
  Response ShowApiReference(RequestContext& ctx, const PathParams&) const;
  // The entry `id` of the caller as the API shows it, with `status` (200, 201), or the error.
  Response ApiEntryAnswer(RequestContext& ctx, std::string_view id, int status = 200) const;
  // The entry's reads, and the reader's shelves, as the API answers them.
  Response ApiReadsAnswer(RequestContext& ctx, std::string_view id, int status = 200) const;
  Response ApiShelvesAnswer(RequestContext& ctx, int status = 200) const;

  Accounts& accounts_;
  Library& library_;
  AppOptions options_;
  CookieSigner signer_;
  std::shared_ptr<UploadSlots> upload_slots_;
  std::shared_ptr<PageCache> page_cache_;
  Router router_;
};

}  // namespace booklib::web
