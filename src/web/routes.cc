// Every URL of the web app and what it does, in one table (the seed's routes are a contract).
#include "web/app.h"

namespace booklib::web {

void App::AddRoutes() {
  const auto add = [this](const char* method, const char* path, PageHandler handler, Access access,
                          Input input = Input::kForm, Body body = Body::kSmall) {
    router_.Add(method, path, Page(handler, access, input),
                body == Body::kUpload ? options_.max_upload_bytes : 0);
  };
  add("GET", "/", &App::ShowHome, Access::kAnyone);
  add("GET", "/home", &App::ShowHome, Access::kAnyone);
  add("GET", "/register", &App::ShowRegister, Access::kAnyone);
  add("POST", "/register", &App::DoRegister, Access::kAnyone);
  add("GET", "/login", &App::ShowLogin, Access::kAnyone);
  add("POST", "/login", &App::DoLogin, Access::kAnyone);
  add("GET", "/logout", &App::ShowLogout, Access::kAnyone);
  add("POST", "/logout", &App::DoLogout, Access::kAnyone);
  add("GET", "/books", &App::ShowBooks, Access::kUser);
  add("GET", "/add_book", &App::ShowAddBook, Access::kUser);
  add("POST", "/add_book", &App::DoAddBook, Access::kUser);
  add("GET", "/add_book/search", &App::ShowSearchBooks, Access::kUser);  // ?q=title, author or ISBN
  add("GET", "/edit_book/{id}", &App::ShowEditBook, Access::kUser);
  add("POST", "/edit_book/{id}", &App::DoEditBook, Access::kUser);
  add("GET", "/manual_update_book/{id}", &App::ShowManualUpdate, Access::kUser);
  add("POST", "/manual_update_book/{id}", &App::DoManualUpdate, Access::kUser);
  add("POST", "/delete_book/{id}", &App::DoDeleteBook, Access::kUser);
  add("POST", "/retry_book/{id}", &App::DoRetryBook, Access::kUser);
  add("POST", "/scan_isbn", &App::DoScanIsbn, Access::kUser, Input::kRaw, Body::kUpload);  // photos
  // The book page and its forms; the shelves page (handlers_book_page.cc).
  add("GET", "/books/{id}", &App::ShowBookPage, Access::kUser);
  add("POST", "/books/{id}/status", &App::DoSetBookStatus, Access::kUser);  // status, date
  add("POST", "/books/{id}/reads", &App::DoAddRead, Access::kUser);
  add("POST", "/books/{id}/reads/{read}", &App::DoEditRead, Access::kUser);
  add("POST", "/books/{id}/reads/{read}/delete", &App::DoDeleteRead, Access::kUser);
  add("POST", "/books/{id}/progress", &App::DoSetProgress, Access::kUser);  // value, unit
  add("POST", "/books/{id}/rating", &App::DoSetBookRating, Access::kUser);
  add("POST", "/books/{id}/review", &App::DoSaveReview, Access::kUser);  // review, notes
  add("POST", "/books/{id}/owned", &App::DoSetOwned, Access::kUser);
  add("POST", "/books/{id}/shelves", &App::DoAddToShelf, Access::kUser);  // shelf
  add("POST", "/books/{id}/shelves/remove", &App::DoRemoveFromShelf, Access::kUser);
  add("POST", "/books/{id}/retry", &App::DoRetryFromBookPage, Access::kUser);
  add("GET", "/books/{id}/delete", &App::ShowDeleteBookPage, Access::kUser);  // the confirmation
  add("POST", "/books/{id}/delete", &App::DoDeleteFromBookPage, Access::kUser);
  add("GET", "/shelves", &App::ShowShelves, Access::kUser);
  add("POST", "/shelves", &App::DoCreateShelf, Access::kUser);          // name
  add("POST", "/shelves/rename", &App::DoRenameShelf, Access::kUser);   // from, to
  add("GET", "/shelves/delete", &App::ShowDeleteShelf, Access::kUser);  // ?name=: the confirmation
  add("POST", "/shelves/delete", &App::DoDeleteShelf, Access::kUser);   // name
  add("GET", "/covers/{id}", &App::ShowCover, Access::kUser);
  add("GET", "/health", &App::ShowHealth, Access::kPublic);  // liveness: the process answers
  add("GET", "/ready", &App::ShowReady, Access::kPublic);    // readiness: store and queue take writes
  add("GET", "/static/{file}", &App::ShowStatic, Access::kPublic);
  add("GET", "/metrics", &App::ShowMetrics, Access::kPublic);  // Prometheus; off unless configured
}

}  // namespace booklib::web
