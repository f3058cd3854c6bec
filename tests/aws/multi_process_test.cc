// Booklib scaled out on the DynamoDB and SQS emulators: two `booklib serve` processes share the
// tables (users, sessions, books) and one `booklib worker` process fills in the metadata from a
// fake Google Books.
#include <gtest/gtest.h>

#include <chrono>
#include <latch>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "aws/aws_config.h"
#include "aws/aws_json_client.h"
#include "tests/aws/emulator_fixture.h"
#include "tests/http/provider_fixtures.h"
#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// The fake provider's title for an ISBN; Booklib shows it with the subtitle: "<title>: A Novel".
std::string TitleFor(const std::string& isbn) { return "Voyage " + isbn.substr(9); }

// The card of the book with this ISBN on a /books page, or "" when it is not there.
std::string CardOf(const std::string& books_page, const std::string& isbn) {
  std::size_t at = 0;
  while ((at = books_page.find("<article class=\"card\"", at)) != std::string::npos) {
    const std::size_t end = books_page.find("</article>", at);
    const std::string card = books_page.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (Contains(card, isbn)) return card;
    at = end;
  }
  return "";
}

class MultiProcessTest : public EmulatorTest {
 protected:
  void SetUp() override {
    EmulatorTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    provider_.HandlePrefix("/books/v1/volumes", [](const FakeRequest& request) {
      static const std::regex kIsbn("(97[89][0-9]{10})");
      std::smatch match;
      if (!std::regex_search(request.query, match, kIsbn)) return FakeResponse::Json(kGoogleNoMatch);
      return FakeResponse::Json(GoogleVolume(match[1], TitleFor(match[1])));
    });
    provider_.HandlePrefix("/api/books",
                           [](const FakeRequest&) { return FakeResponse::Json(kOpenLibraryUnknown); });

    server_a_ = StartServer("server-a");
    server_b_ = StartServer("server-b");
    std::vector<std::string> worker_args = {BOOKLIB_BINARY, "worker"};
    for (const std::string& flag : AwsFlags("worker")) worker_args.push_back(flag);
    for (const std::string flag : {"--workers=2", "--retry-backoff=0", "--metadata-timeout-ms=10000"})
      worker_args.push_back(flag);
    worker_args.push_back("--google-books-url=" + provider_.BaseUrl() + "/books/v1");
    worker_args.push_back("--open-library-url=" + provider_.BaseUrl());
    worker_ = std::make_unique<BooklibProcess>(worker_args, OutputPath("worker"));
    ASSERT_TRUE(worker_->WaitForOutput(std::regex("booklib worker running"), kProcessStart))
        << worker_->Output();

    base_a_ = WaitForUrl(*server_a_);
    base_b_ = WaitForUrl(*server_b_);
    ASSERT_FALSE(base_a_.empty()) << server_a_->Output();
    ASSERT_FALSE(base_b_.empty()) << server_b_->Output();
    ASSERT_NE(base_a_, base_b_);
  }

  void TearDown() override {
    server_a_.reset();
    server_b_.reset();
    worker_.reset();
    EmulatorTest::TearDown();
  }

  std::unique_ptr<BooklibProcess> StartServer(const std::string& name) {
    std::vector<std::string> args = {BOOKLIB_BINARY, "serve", "--port=0", "--workers=0"};
    for (const std::string& flag : AwsFlags(name)) args.push_back(flag);
    return std::make_unique<BooklibProcess>(args, OutputPath(name));
  }

  // The URL of the `booklib serving` line (with the real port chosen for --port=0), or "".
  static std::string WaitForUrl(BooklibProcess& server) {
    static const std::regex kServing(
        "\"msg\":\"booklib serving\".*\"url\":\"(http://127\\.0\\.0\\.1:[0-9]+)\"");
    return server.WaitForOutput(kServing, kProcessStart).value_or("");
  }

  // What `browser` sees on /books once `done(page)` holds (or at the deadline).
  template <class Predicate>
  std::string BooksPageOnceItShows(Browser& browser, Predicate done,
                                   milliseconds timeout = milliseconds{30000}) {
    std::string page;
    WaitUntil(
        [&] {
          page = browser.Get("/books").body;
          return done(page);
        },
        timeout);
    return page;
  }

  bool ShowsSynced(const std::string& page, const std::string& isbn) {
    const std::string card = CardOf(page, isbn);
    return Contains(card, "data-sync=\"SYNCED\"") && Contains(card, TitleFor(isbn) + ": A Novel");
  }

  // Items of the books table (the shared catalogue) with this ISBN, read straight from DynamoDB.
  int CatalogueBooksWithIsbn(const std::string& isbn) {
    auto config = aws::AwsConfigFromEnvironment();
    EXPECT_TRUE(config);
    if (!config) return -1;
    aws::AwsJsonClient dynamodb(aws::DynamoDbService(*config), config->credentials, config->region);
    const nlohmann::json scan = {{"TableName", resources_.books_table},
                                 {"ConsistentRead", true},
                                 {"FilterExpression", "isbn = :isbn"},
                                 {"ExpressionAttributeValues", {{":isbn", {{"S", isbn}}}}}};
    auto items = dynamodb.Call("Scan", scan);
    EXPECT_TRUE(items) << items.error().message;
    return items ? static_cast<int>((*items)["Items"].size()) : -1;
  }

  std::string Logs() const {
    return "\n--- server A:\n" + server_a_->Output() + "\n--- server B:\n" + server_b_->Output() +
           "\n--- worker:\n" + worker_->Output();
  }

  FakeHttpServer provider_;
  std::unique_ptr<BooklibProcess> server_a_;
  std::unique_ptr<BooklibProcess> server_b_;
  std::unique_ptr<BooklibProcess> worker_;
  std::string base_a_;
  std::string base_b_;
};

TEST_F(MultiProcessTest, ABookAddedThroughOneServerIsSyncedByTheWorkerAndShownByTheOtherServer) {
  const std::string isbn = "9781782276340";
  Browser on_a(base_a_);
  on_a.SignUpAndLogIn("ann");
  const Page added = on_a.PostForm("/add_book", {{"isbn", isbn}});
  ASSERT_EQ(added.status, 303) << added.body << Logs();

  // Server B honours the session made by server A: the session lives in DynamoDB, and both
  // servers sign cookies with the same SECRET_KEY.
  Browser on_b(base_b_);
  on_b.cookies() = on_a.cookies();
  const Page listed = on_b.Get("/books");
  ASSERT_EQ(listed.status, 200) << Logs();
  const std::string shown =
      BooksPageOnceItShows(on_b, [&](const std::string& page) { return !CardOf(page, isbn).empty(); });
  EXPECT_FALSE(CardOf(shown, isbn).empty()) << shown;

  const std::string synced =
      BooksPageOnceItShows(on_b, [&](const std::string& page) { return ShowsSynced(page, isbn); });
  EXPECT_TRUE(ShowsSynced(synced, isbn)) << CardOf(synced, isbn) << Logs();
  EXPECT_TRUE(Contains(CardOf(synced, isbn), "Ada Writer, Bo Co-Author"));
  EXPECT_GE(provider_.RequestCount("/books/v1/volumes"), 1);
  EXPECT_TRUE(Contains(worker_->Output(), "metadata message done")) << worker_->Output();
}

TEST_F(MultiProcessTest, AUserRegisteredThroughOneServerLogsInThroughTheOtherAndLogsOutEverywhere) {
  Browser on_a(base_a_);
  on_a.Get("/register");
  const Page registered = on_a.PostForm("/register", {{"username", "bea"},
                                                      {"email", "bea@example.com"},
                                                      {"password", "long-enough-pw"},
                                                      {"confirm_password", "long-enough-pw"}});
  ASSERT_EQ(registered.status, 303) << registered.body << Logs();

  Browser on_b(base_b_);
  on_b.Get("/login");
  const Page wrong =
      on_b.PostForm("/login", {{"email", "bea@example.com"}, {"password", "not-her-password"}});
  EXPECT_EQ(wrong.status, 401);
  const Page logged_in =
      on_b.PostForm("/login", {{"email", "bea@example.com"}, {"password", "long-enough-pw"}});
  ASSERT_EQ(logged_in.status, 303) << logged_in.body << Logs();
  ASSERT_TRUE(on_b.cookies().contains("booklib_session"));
  const Page books_on_b = on_b.Get("/books");
  EXPECT_EQ(books_on_b.status, 200);
  EXPECT_TRUE(Contains(books_on_b.body, "Log out bea")) << books_on_b.body;

  // The same browser, now talking to server A: the session made by B is valid there too...
  Browser back_on_a(base_a_);
  back_on_a.cookies() = on_b.cookies();
  EXPECT_EQ(back_on_a.Get("/books").status, 200);
  // ...and logging out through A deletes it for B as well (a server-side session, not just a cookie).
  // A refuses it at once; B within its session cache's time on DynamoDB (5 s, core/session_cache.h).
  const auto logged_out_at = std::chrono::steady_clock::now();
  const Page logged_out = back_on_a.PostForm("/logout", {});
  EXPECT_EQ(logged_out.status, 303) << logged_out.body;
  Browser again_on_a(base_a_);
  again_on_a.cookies() = on_b.cookies();
  EXPECT_EQ(again_on_a.Get("/books").status, 303);
  Page after_logout;
  EXPECT_TRUE(
      WaitFor([&] { return (after_logout = on_b.Get("/books")).status == 303; }, std::chrono::seconds{8}));
  EXPECT_LT(std::chrono::steady_clock::now() - logged_out_at, std::chrono::milliseconds{6500});
  EXPECT_TRUE(Contains(after_logout.Header("location"), "/login")) << after_logout.Header("location");
}

TEST_F(MultiProcessTest, OneEmailRegisteredConcurrentlyThroughBothServersGivesExactlyOneAccount) {
  for (int round = 0; round < 3; ++round) {
    const std::string email = "eve" + std::to_string(round) + "@example.com";
    const std::string tag = std::to_string(round);
    Browser on_a(base_a_);
    Browser on_b(base_b_);
    on_a.Get("/register");
    on_b.Get("/register");
    const auto registration = [&](const std::string& username, const std::string& password) {
      return web::FormFields{
          {"username", username}, {"email", email}, {"password", password}, {"confirm_password", password}};
    };
    std::latch start(2);
    Page from_a;
    Page from_b;
    std::thread registering_on_a([&] {
      start.arrive_and_wait();
      from_a = on_a.PostForm("/register", registration("eve-a" + tag, "password-of-a"));
    });
    std::thread registering_on_b([&] {
      start.arrive_and_wait();
      from_b = on_b.PostForm("/register", registration("eve-b" + tag, "password-of-b"));
    });
    registering_on_a.join();
    registering_on_b.join();
    ASSERT_EQ((from_a.status == 303) + (from_b.status == 303), 1)
        << "A answered " << from_a.status << ", B answered " << from_b.status << Logs();
    EXPECT_EQ(std::min(from_a.status, from_b.status), 303);
    EXPECT_EQ(std::max(from_a.status, from_b.status), 409);
    const bool a_won = from_a.status == 303;
    const std::string winner_password = a_won ? "password-of-a" : "password-of-b";
    const std::string loser_password = a_won ? "password-of-b" : "password-of-a";

    for (const std::string& base : {base_a_, base_b_}) {
      Browser browser(base);
      browser.Get("/login");
      EXPECT_EQ(browser.PostForm("/login", {{"email", email}, {"password", loser_password}}).status, 401)
          << base;
      EXPECT_EQ(browser.PostForm("/login", {{"email", email}, {"password", winner_password}}).status, 303)
          << base;
    }
    // The loser's username was released again.
    Browser retry(a_won ? base_b_ : base_a_);
    retry.Get("/register");
    const Page again = retry.PostForm("/register", {{"username", a_won ? "eve-b" + tag : "eve-a" + tag},
                                                    {"email", "other-" + email},
                                                    {"password", "long-enough-pw"},
                                                    {"confirm_password", "long-enough-pw"}});
    EXPECT_EQ(again.status, 303) << again.body;
  }
}

TEST_F(MultiProcessTest, TheSameIsbnsAddedConcurrentlyThroughBothServersGiveOneCatalogueBookEach) {
  const std::vector<std::string> isbns = {"9780316030571", "9780804429573", "9781400079988"};
  Browser on_a(base_a_);
  Browser on_b(base_b_);
  on_a.SignUpAndLogIn("cara");
  on_b.SignUpAndLogIn("dan");

  for (const std::string& isbn : isbns) {
    std::latch start(2);
    Page from_a;
    Page from_b;
    std::thread adding_on_a([&] {
      start.arrive_and_wait();
      from_a = on_a.PostForm("/add_book", {{"isbn", isbn}});
    });
    std::thread adding_on_b([&] {
      start.arrive_and_wait();
      from_b = on_b.PostForm("/add_book", {{"isbn", isbn}});
    });
    adding_on_a.join();
    adding_on_b.join();
    EXPECT_EQ(from_a.status, 303) << isbn << from_a.body;
    EXPECT_EQ(from_b.status, 303) << isbn << from_b.body;
  }

  for (const std::string& isbn : isbns) EXPECT_EQ(CatalogueBooksWithIsbn(isbn), 1) << isbn;
  const auto all_synced = [&](const std::string& page) {
    for (const std::string& isbn : isbns)
      if (!ShowsSynced(page, isbn)) return false;
    return true;
  };
  EXPECT_TRUE(all_synced(BooksPageOnceItShows(on_a, all_synced))) << Logs();
  EXPECT_TRUE(all_synced(BooksPageOnceItShows(on_b, all_synced))) << Logs();
}

}  // namespace
}  // namespace booklib::test
