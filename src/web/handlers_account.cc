// Account pages: home, register, login, logout, health and static files.
#include "text/codec.h"
#include "web/app.h"
#include "web/book_view.h"
#include "web/json_response.h"
#include "web/redirect_target.h"
#include "web/static_assets.h"

namespace booklib::web {
namespace {

constexpr std::string_view kSessionCookie = "booklib_session";

// Where to go after logging in: `next` when a browser would stay on this origin, else the library.
std::string SafeNext(const std::string& next) { return LocalRedirectTarget(next).value_or("/books"); }

// The login form posts back to /login?next=... only for a target SafeNext would keep.
void SetFormNext(LoginPage& page, const std::string& next) {
  const auto target = LocalRedirectTarget(next);
  if (!target) return;
  page.next = true;
  page.next_encoded = text::PercentEncode(*target, /*keep_slash=*/true);
}

std::string QueryParam(const Request& request, const std::string& name) {
  auto fields = ParseUrlEncoded(request.query);
  return fields ? Field(*fields, name) : std::string();
}

}  // namespace

Response App::ShowRegister(RequestContext& ctx, const PathParams&) const {
  if (ctx.user) return Redirect(ctx, "/books");
  return RenderPage(ctx, "Register", RegisterPage{});
}

Response App::DoRegister(RequestContext& ctx, const PathParams&) const {
  const FormFields& form = ctx.form;
  Registration registration{Field(form, "username"), Field(form, "email"), Field(form, "password"),
                            Field(form, "confirm_password")};
  auto user = accounts_.Register(registration);
  if (!user) {
    const RegisterPage page{ReaderMessage(user.error()), registration.username, registration.email};
    Response response = RenderPage(ctx, "Register", page, HttpStatusFor(user.error()));
    SetRetryAfter(response, user.error());
    return response;
  }
  return Redirect(ctx, "/login", "Account created. Log in to start your library.", "success");
}

Response App::ShowLogin(RequestContext& ctx, const PathParams&) const {
  const std::string next = QueryParam(ctx.request, "next");
  if (ctx.user) return Redirect(ctx, SafeNext(next));
  LoginPage page;
  SetFormNext(page, next);
  return RenderPage(ctx, "Log in", page);
}

Response App::DoLogin(RequestContext& ctx, const PathParams&) const {
  const FormFields& form = ctx.form;
  const std::string next = QueryParam(ctx.request, "next");
  auto session = accounts_.Login(Field(form, "email"), Field(form, "password"), ClientAddress(ctx.request));
  if (!session) {
    LoginPage page;
    page.error = ReaderMessage(session.error());
    page.email_value = Field(form, "email");
    SetFormNext(page, next);
    Response response = RenderPage(ctx, "Log in", page, HttpStatusFor(session.error()));
    SetRetryAfter(response, session.error());
    return response;
  }
  if (!ctx.session_id.empty()) (void)accounts_.Logout(ctx.session_id);  // no session fixation across logins
  ctx.set_cookies.push_back(SetCookieValue(kSessionCookie, ctx.signer->Sign(kSessionCookie, session->id),
                                           {.secure = ctx.request.secure}));
  return Redirect(ctx, SafeNext(next));
}

Response App::ShowLogout(RequestContext& ctx, const PathParams&) const {
  if (!ctx.user) return Redirect(ctx, "/");
  return RenderPage(ctx, "Log out", LogoutPage{});
}

Response App::DoLogout(RequestContext& ctx, const PathParams&) const {
  if (!ctx.session_id.empty()) (void)accounts_.Logout(ctx.session_id);
  ctx.set_cookies.push_back(SetCookieValue(kSessionCookie, "", {.max_age = 0, .secure = ctx.request.secure}));
  return Redirect(ctx, "/login", "You are logged out.");
}

Response App::ShowHealth(RequestContext&, const PathParams&) const {
  Response response = JsonResponse(200, nlohmann::json{{"status", "healthy"}, {"service", "booklib"}});
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Response App::ShowReady(RequestContext&, const PathParams&) const {
  const auto ready = options_.readiness_check ? options_.readiness_check() : Result<void>{};
  nlohmann::json body{{"status", ready ? "ready" : "unready"}, {"service", "booklib"}};
  if (!ready) body["error"] = ReaderMessage(ready.error());
  Response response = JsonResponse(ready ? 200 : 503, body);
  if (!ready) SetRetryAfter(response, ready.error());
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Response App::ShowStatic(RequestContext&, const PathParams& params) const {
  const StaticAsset asset = FindStaticAsset(params.at("file"));
  if (asset.content_type.empty()) return TextResponse(404, "Not found");
  Response response;
  response.SetHeader("Content-Type", std::string(asset.content_type));
  // Under its hashed name a file never changes; under its plain name it may with the next release.
  response.SetHeader("Cache-Control",
                     asset.hashed_name ? "public, max-age=31536000, immutable" : "public, max-age=3600");
  response.body = std::string(asset.bytes);
  return response;
}

// ---- The account page: personal API tokens ----------------------------------------------------------

Response App::AccountView(RequestContext& ctx, AccountPage page, int status) const {
  if (!ctx.user) return Redirect(ctx, "/login?next=/account");  // a kUser route: Wrap did already
  page.username = ctx.user->username;
  page.email = ctx.user->email;
  page.tokens_enabled = options_.api_tokens != nullptr;
  if (options_.api_tokens != nullptr) {
    auto tokens = options_.api_tokens->List(ctx.UserId());
    if (!tokens) {
      page.error = ReaderMessage(tokens.error());
      status = HttpStatusFor(tokens.error());
    } else {
      for (const ApiToken& token : *tokens)
        page.tokens.push_back(
            {token.id, token.name, token.scope == TokenScope::kReadWrite ? "read and write" : "read only",
             ReadableDate(token.created_at.substr(0, 10)),
             token.last_used_at.empty() ? "never" : ReadableDate(token.last_used_at.substr(0, 10))});
    }
  }
  return RenderPage(ctx, "Account", page, status);
}

Response App::ShowAccount(RequestContext& ctx, const PathParams&) const { return AccountView(ctx, {}); }

Response App::DoCreateToken(RequestContext& ctx, const PathParams&) const {
  if (options_.api_tokens == nullptr)
    return ErrorPage(ctx, 404, "Not available", "Personal tokens are not enabled here.");
  auto made = options_.api_tokens->Create(ctx.UserId(), Field(ctx.form, "name"), Field(ctx.form, "scope"));
  AccountPage page;
  if (!made) {
    page.error = ReaderMessage(made.error());
    return AccountView(ctx, std::move(page), HttpStatusFor(made.error()));
  }
  // The secret is in this answer only: never cached, never in a redirect's cookie.
  page.new_token_name = made->token.name;
  page.new_secret = made->secret;
  return AccountView(ctx, std::move(page));
}

Response App::DoRevokeToken(RequestContext& ctx, const PathParams& params) const {
  if (options_.api_tokens == nullptr)
    return ErrorPage(ctx, 404, "Not available", "Personal tokens are not enabled here.");
  if (auto revoked = options_.api_tokens->Revoke(ctx.UserId(), params.at("token")); !revoked)
    return CoreErrorPage(ctx, revoked.error(), "No such token");
  return Redirect(ctx, "/account", "The token was revoked; it no longer opens your library.", "success");
}

}  // namespace booklib::web
