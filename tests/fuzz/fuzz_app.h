// The web app on in-memory fakes for the request fuzzers, in the same state for every input: one
// reader registered and logged in with one book, so fuzzed requests reach past the login page.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/accounts.h"
#include "core/library.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_database.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"
#include "web/app.h"
#include "web/http.h"

namespace booklib::fuzz {

// Seeds may name the logged-in reader's credentials by placeholder, since the real values depend
// on the fixed secret key: ExpandPlaceholders replaces
//   @SESSION@     the signed session cookie value (booklib_session=@SESSION@),
//   @CSRFCOOKIE@  the signed CSRF cookie value (booklib_csrf=@CSRFCOOKIE@),
//   @CSRF@        the CSRF token that matches both (csrf_token=@CSRF@, X-CSRF-Token: @CSRF@),
//   @BOOK@        the id of the reader's one book (/edit_book/@BOOK@).
// Everything else is left as it is.
//
// One per process (building the app per input would start and stop the hashing thread each time,
// which costs more than most requests): Reset() before each input empties the database and seeds
// it again, and moves the clock past the login throttle's memory, so what one input did (books
// added, logins failed, sessions ended) is invisible to the next and a crash replays alone.
class FuzzApp {
 public:
  FuzzApp();
  ~FuzzApp();

  void Reset();
  std::string ExpandPlaceholders(std::string_view input) const;
  web::Response Handle(const web::Request& request) const { return app_->Handle(request); }
  web::Admission Admit(const web::Request& head) const { return app_->Admit(head); }

 private:
  std::shared_ptr<test::MemoryDatabase> db_;
  test::ManualClock clock_;
  test::MemoryStore store_;
  test::MemoryQueue queue_;
  Accounts accounts_;
  Library library_;
  std::unique_ptr<web::App> app_;
  User reader_;
  std::string book_id_;
};

// Checks what every answer to any request must satisfy (aborts otherwise): a status in 100-599,
// never 500 (bad input is the client's error, told with a 4xx), and header names and values
// without CR or LF (no response splitting).
void CheckResponse(const web::Response& response);

}  // namespace booklib::fuzz
