// Every URL of the web app and the API, what it does and its rules, in one table (the seed's routes
// are a contract; the API's are listed in api/openapi.json, and api_document_test checks the two agree).
#include "web/app.h"

namespace booklib::web {
namespace {

// The rules the routes share (router.h says what each means).
constexpr RouteRules kPublic{.access = Access::kPublic};
constexpr RouteRules kPage{.access = Access::kAnyone};
constexpr RouteRules kForm{.access = Access::kAnyone, .csrf = Csrf::kFormField, .media = Media::kForm};
constexpr RouteRules kUserPage{.access = Access::kUser};
constexpr RouteRules kUserForm{.access = Access::kUser, .csrf = Csrf::kFormField, .media = Media::kForm};
constexpr RouteRules kApiRead{.access = Access::kApi};
constexpr RouteRules kApiWrite{.access = Access::kApi, .csrf = Csrf::kHeader, .media = Media::kJson};
constexpr RouteRules kApiDelete{.access = Access::kApi, .csrf = Csrf::kHeader};
constexpr RouteRules kTokenRead{.access = Access::kApiSession};
constexpr RouteRules kTokenWrite{.access = Access::kApiSession, .csrf = Csrf::kHeader, .media = Media::kJson};
constexpr RouteRules kTokenDelete{.access = Access::kApiSession, .csrf = Csrf::kHeader};

}  // namespace

void App::AddRoutes() {
  const auto add = [this](const char* method, const char* path, PageHandler handler, RouteRules rules) {
    router_.Add(method, path, Wrap(handler, rules), rules);
  };
  // A photo upload: a signed-in reader's (or a token's), with the CSRF header from a session.
  RouteRules photo{.access = Access::kUser,
                   .csrf = Csrf::kHeader,
                   .media = Media::kPhoto,
                   .large_body_limit = options_.max_upload_bytes};
  RouteRules api_photo = photo;
  api_photo.access = Access::kApi;

  add("GET", "/", &App::ShowHome, kPage);
  add("GET", "/home", &App::ShowHome, kPage);
  add("GET", "/register", &App::ShowRegister, kPage);
  add("POST", "/register", &App::DoRegister, kForm);
  add("GET", "/login", &App::ShowLogin, kPage);
  add("POST", "/login", &App::DoLogin, kForm);
  add("GET", "/logout", &App::ShowLogout, kPage);
  add("POST", "/logout", &App::DoLogout, kForm);
  add("GET", "/books", &App::ShowBooks, kUserPage);
  add("GET", "/add_book", &App::ShowAddBook, kUserPage);
  add("POST", "/add_book", &App::DoAddBook, kUserForm);
  add("GET", "/add_book/search", &App::ShowSearchBooks, kUserPage);  // ?q=title, author or ISBN
  add("GET", "/edit_book/{id}", &App::ShowEditBook, kUserPage);
  add("POST", "/edit_book/{id}", &App::DoEditBook, kUserForm);
  add("GET", "/manual_update_book/{id}", &App::ShowManualUpdate, kUserPage);
  add("POST", "/manual_update_book/{id}", &App::DoManualUpdate, kUserForm);
  add("POST", "/delete_book/{id}", &App::DoDeleteBook, kUserForm);
  add("POST", "/retry_book/{id}", &App::DoRetryBook, kUserForm);
  add("POST", "/scan_isbn", &App::DoScanIsbn, photo);  // the seed's: JSON {"isbn"} or a photo
  // The book page and its forms; the shelves page (handlers_book_page.cc).
  add("GET", "/books/{id}", &App::ShowBookPage, kUserPage);
  add("POST", "/books/{id}/status", &App::DoSetBookStatus, kUserForm);  // status, date
  add("POST", "/books/{id}/reads", &App::DoAddRead, kUserForm);
  add("POST", "/books/{id}/reads/{read}", &App::DoEditRead, kUserForm);
  add("POST", "/books/{id}/reads/{read}/delete", &App::DoDeleteRead, kUserForm);
  add("POST", "/books/{id}/progress", &App::DoSetProgress, kUserForm);  // value, unit
  add("POST", "/books/{id}/rating", &App::DoSetBookRating, kUserForm);
  add("POST", "/books/{id}/review", &App::DoSaveReview, kUserForm);  // review, notes
  add("POST", "/books/{id}/owned", &App::DoSetOwned, kUserForm);
  add("POST", "/books/{id}/shelves", &App::DoAddToShelf, kUserForm);  // shelf
  add("POST", "/books/{id}/shelves/remove", &App::DoRemoveFromShelf, kUserForm);
  add("POST", "/books/{id}/retry", &App::DoRetryFromBookPage, kUserForm);
  add("GET", "/books/{id}/delete", &App::ShowDeleteBookPage, kUserPage);  // the confirmation
  add("POST", "/books/{id}/delete", &App::DoDeleteFromBookPage, kUserForm);
  add("GET", "/shelves", &App::ShowShelves, kUserPage);
  add("POST", "/shelves", &App::DoCreateShelf, kUserForm);          // name
  add("POST", "/shelves/rename", &App::DoRenameShelf, kUserForm);   // from, to
  add("GET", "/shelves/delete", &App::ShowDeleteShelf, kUserPage);  // ?name=: the confirmation
  add("POST", "/shelves/delete", &App::DoDeleteShelf, kUserForm);   // name
  add("GET", "/account", &App::ShowAccount, kUserPage);             // API tokens, the API's reference
  add("POST", "/account/tokens", &App::DoCreateToken, kUserForm);   // name, scope
  add("POST", "/account/tokens/{token}/revoke", &App::DoRevokeToken, kUserForm);
  add("GET", "/covers/{id}", &App::ShowCover, kUserPage);
  add("GET", "/health", &App::ShowHealth, kPublic);  // liveness: the process answers
  add("GET", "/ready", &App::ShowReady, kPublic);    // readiness: store and queue take writes
  add("GET", "/static/{file}", &App::ShowStatic, kPublic);
  add("GET", "/metrics", &App::ShowMetrics, kPublic);  // Prometheus; off unless configured

  // The JSON API (handlers_api.cc).
  add("GET", "/api/v1/openapi.json", &App::ApiDocument, kPublic);
  add("GET", "/api/docs", &App::ShowApiReference, kPage);  // the document in Swagger UI
  add("GET", "/api/v1/me", &App::ApiMe, kApiRead);
  add("GET", "/api/v1/books", &App::ApiListBooks, kApiRead);  // the library page's q, filters, sort, page
  add("POST", "/api/v1/books", &App::ApiAddBook, kApiWrite);
  add("GET", "/api/v1/books/{id}", &App::ApiGetBook, kApiRead);
  add("PATCH", "/api/v1/books/{id}", &App::ApiUpdateBook, kApiWrite);
  add("DELETE", "/api/v1/books/{id}", &App::ApiDeleteBook, kApiDelete);
  add("POST", "/api/v1/books/{id}/retry", &App::ApiRetryBook, kApiWrite);
  add("PUT", "/api/v1/books/{id}/progress", &App::ApiSetProgress, kApiWrite);
  add("GET", "/api/v1/books/{id}/reads", &App::ApiListReads, kApiRead);
  add("POST", "/api/v1/books/{id}/reads", &App::ApiAddRead, kApiWrite);
  add("PATCH", "/api/v1/books/{id}/reads/{read}", &App::ApiEditRead, kApiWrite);
  add("DELETE", "/api/v1/books/{id}/reads/{read}", &App::ApiDeleteRead, kApiDelete);
  add("PUT", "/api/v1/books/{id}/shelves/{shelf}", &App::ApiShelveBook, kApiDelete);  // no body
  add("DELETE", "/api/v1/books/{id}/shelves/{shelf}", &App::ApiUnshelveBook, kApiDelete);
  add("GET", "/api/v1/shelves", &App::ApiListShelves, kApiRead);
  add("POST", "/api/v1/shelves", &App::ApiCreateShelf, kApiWrite);
  add("PATCH", "/api/v1/shelves/{shelf}", &App::ApiRenameShelf, kApiWrite);
  add("DELETE", "/api/v1/shelves/{shelf}", &App::ApiDeleteShelf, kApiDelete);
  add("POST", "/api/v1/scan", &App::ApiScan, api_photo);  // a photo's ISBN; adds nothing
  add("GET", "/api/v1/tokens", &App::ApiListTokens, kTokenRead);
  add("POST", "/api/v1/tokens", &App::ApiCreateToken, kTokenWrite);
  add("DELETE", "/api/v1/tokens/{token}", &App::ApiRevokeToken, kTokenDelete);
}

}  // namespace booklib::web
