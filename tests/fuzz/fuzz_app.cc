// The in-memory web app the request fuzzers share.
#include "tests/fuzz/fuzz_app.h"

#include <cstdio>
#include <cstdlib>

#include "core/isbn.h"
#include "core/log.h"
#include "web/cookies.h"

namespace booklib::fuzz {
namespace {

constexpr std::string_view kSecretKey = "fuzzing-secret-key-of-at-least-32-bytes";
constexpr std::string_view kSessionId = "fuzz-session-id";
constexpr std::string_view kCsrfSeed = "fuzzcsrfseed";

// Fast hashes: a fuzzer that spends 600,000 PBKDF2 rounds per login finds nothing else. The
// throttle and hashing pool keep their real rules.
AccountPolicy FuzzPolicy() { return AccountPolicy{.password_iterations = 1, .session_seconds = 3600}; }

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "fuzz_app: %s\n", what);
  std::abort();
}

}  // namespace

FuzzApp::FuzzApp()
    : db_(std::make_shared<test::MemoryDatabase>()),
      store_(db_),
      queue_(db_, clock_),
      accounts_(store_, clock_, FuzzPolicy()),
      library_(store_, queue_, clock_) {
  SetLogLevel(LogLevel::kError);  // a line per fuzzed request would drown libFuzzer's own output
  auto user = accounts_.Register({"ada", "ada@example.com", "violet kettle 42", "violet kettle 42"});
  if (!user) Die("cannot register the fuzzing reader");
  reader_ = *user;
  Reset();
  web::AppOptions options;
  options.secret_key = std::string(kSecretKey);
  // A stand-in for the barcode decoder (the real one is zxing's, fuzzed by nobody here): the
  // "photo" bytes are read as typed digits, so the scan route's image paths run to the end.
  options.decode_isbn_image = [](std::string_view image) { return NormalizeIsbn(image.substr(0, 40)); };
  app_ = std::make_unique<web::App>(accounts_, library_, std::move(options));
}

FuzzApp::~FuzzApp() = default;

void FuzzApp::Reset() {
  // Past forget_after_seconds, every login-throttle record reads as absent (login_throttle.h).
  // An hour per input overflows the clock's nanoseconds after about two million inputs (the fuzzer
  // found it), so after a century of inputs the clock starts over from where the first one began.
  static const auto first = clock_.Now();
  if (clock_.Now() - first > std::chrono::hours(24 * 365 * 100)) clock_.Set(first);
  clock_.Advance(std::chrono::seconds(LoginThrottlePolicy{}.forget_after_seconds + 1));
  db_->With([](test::MemoryTables& tables) { tables = test::MemoryTables{}; });
  if (!store_.CreateUser(reader_)) Die("cannot store the fuzzing reader");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(clock_.Now().time_since_epoch()).count();
  if (!store_.CreateSession(
          Session{.id = StoredSessionId(kSessionId), .user_id = reader_.id, .expires_at = now + 3600}))
    Die("cannot create the fuzzing session");
  auto entry = library_.AddBook(reader_.id, BookForm{.isbn = "9780316129084"});
  if (!entry) Die("cannot add the fuzzing reader's book");
  book_id_ = entry->user_book.id;
}

std::string FuzzApp::ExpandPlaceholders(std::string_view input) const {
  std::string out(input);
  if (out.find('@') == std::string::npos) return out;
  const web::CookieSigner signer{std::string(kSecretKey)};
  ReplaceAll(out, "@SESSION@", signer.Sign("booklib_session", kSessionId));
  ReplaceAll(out, "@CSRFCOOKIE@", signer.Sign("booklib_csrf", kCsrfSeed));
  ReplaceAll(out, "@CSRF@", signer.CsrfToken(kCsrfSeed, kSessionId));
  ReplaceAll(out, "@BOOK@", book_id_);
  return out;
}

void CheckResponse(const web::Response& response) {
  if (response.status < 100 || response.status > 599) Die("status outside 100-599");
  if (response.status == 500) Die("500 answered: bad input must be a 4xx with a reason");
  for (const auto& [name, value] : response.headers) {
    if (name.empty() || name.find_first_of("\r\n:") != std::string::npos) Die("bad response header name");
    if (value.find_first_of("\r\n") != std::string::npos) Die("CR or LF in a response header value");
  }
}

}  // namespace booklib::fuzz
