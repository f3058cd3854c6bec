// Adding a book by searching its title or author, end to end: a real server on 127.0.0.1 whose
// provider chain (Google Books, then Open Library) talks to a fake on loopback.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

constexpr const char* kGooglePath = "/books/v1/volumes";
constexpr const char* kOpenLibrarySearchPath = "/search.json";

// Two editions: one with an ISBN and a cover, one without an ISBN whose title is markup.
constexpr const char* kTwoVolumes = R"({
  "kind": "books#volumes", "totalItems": 2,
  "items": [
    {"kind": "books#volume", "id": "v1", "volumeInfo": {
      "title": "Children of Time", "authors": ["Adrian Tchaikovsky"], "publisher": "Orbit",
      "publishedDate": "2018-12-11",
      "industryIdentifiers": [{"type": "ISBN_13", "identifier": "9780316452502"}],
      "imageLinks": {"thumbnail": "http://books.google.com/books/content?id=v1&zoom=1"}}},
    {"kind": "books#volume", "id": "v2", "volumeInfo": {
      "title": "<script>alert(1)</script> Tales", "authors": ["Mal O'Ry"],
      "industryIdentifiers": [{"type": "OTHER", "identifier": "X:1"}]}}
  ]})";

class BookSearchHttpTest : public testing::Test {
 protected:
  void SetUp() override {
    TestAppOptions options;
    options.metadata_base_url = provider_.BaseUrl();
    options.metadata_timeout_ms = 10000;  // the fake answers at once; a busy machine must not make it "late"
    app_ = std::make_unique<TestApp>(options);
    browser_ = std::make_unique<Browser>(app_->BaseUrl());
    browser_->SignUpAndLogIn("reader");
  }
  int ProviderRequests() const {
    return provider_.RequestCount(kGooglePath) + provider_.RequestCount(kOpenLibrarySearchPath);
  }

  FakeHttpServer provider_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<Browser> browser_;
};

TEST_F(BookSearchHttpTest, SearchingShowsTheEditionsAddingOneMarksItInYourLibrary) {
  provider_.Respond(kGooglePath, FakeResponse::Json(kTwoVolumes));

  const Page found = browser_->Get("/add_book/search?q=children+of+time");

  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_TRUE(Contains(found.body, "Children of Time"));
  EXPECT_TRUE(Contains(found.body, "Adrian Tchaikovsky"));
  EXPECT_TRUE(Contains(found.body, "<span>2018</span>"));
  EXPECT_TRUE(Contains(found.body, "<span>Orbit</span>"));
  EXPECT_TRUE(Contains(found.body, "ISBN 9780316452502"));
  EXPECT_TRUE(Contains(found.body, R"(<input type="hidden" name="isbn" value="9780316452502">)"));
  EXPECT_TRUE(Contains(found.body, "Add as typed"));
  // The edition without an ISBN says so, instead of an "ISBN" with nothing after it.
  EXPECT_TRUE(Contains(found.body, "<span>No ISBN</span>"));
  EXPECT_FALSE(Contains(found.body, "<span>ISBN </span>"));
  EXPECT_FALSE(Contains(found.body, "books.google.com")) << "nothing from another origin may load";
  EXPECT_FALSE(Contains(found.body, "In your library"));
  const auto asked = provider_.LastRequest();
  ASSERT_TRUE(asked.has_value());
  EXPECT_EQ(asked->path, kGooglePath);
  EXPECT_TRUE(asked->query.starts_with("q=children%20of%20time&maxResults=10")) << asked->query;

  // The page's own "Add" form: its CSRF token and its ISBN.
  const Page added = browser_->PostForm("/add_book", {{"isbn", "9780316452502"}});
  ASSERT_EQ(added.status, 303) << added.body;

  const Page again = browser_->Get("/add_book/search?q=children+of+time");
  ASSERT_EQ(again.status, 200);
  EXPECT_TRUE(Contains(again.body, "In your library"));
  EXPECT_FALSE(Contains(again.body, R"(name="isbn" value="9780316452502")")) << "no Add for an owned book";
  const User user = *app_->services().store->FindUserByEmail("reader@example.com");
  const auto library = app_->services().store->ListLibrary(user.id);
  ASSERT_TRUE(library.has_value());
  ASSERT_EQ(library->size(), 1u);
  EXPECT_EQ(library->front().book.isbn, "9780316452502");
  EXPECT_TRUE(Contains(again.body, "href=\"/books/" + library->front().user_book.id + "\""));
}

TEST_F(BookSearchHttpTest, ATitleWithMarkupIsEscaped) {
  provider_.Respond(kGooglePath, FakeResponse::Json(kTwoVolumes));

  const Page page = browser_->Get("/add_book/search?q=tales");

  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(Contains(page.body, "<script>alert(1)</script>"));
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt; Tales"));
}

TEST_F(BookSearchHttpTest, ACandidateWithoutIsbnIsAddedAsTyped) {
  provider_.Respond(kGooglePath, FakeResponse::Json(kTwoVolumes));
  ASSERT_EQ(browser_->Get("/add_book/search?q=tales").status, 200);

  const Page added =
      browser_->PostForm("/add_book", {{"title", "<script>alert(1)</script> Tales"}, {"author", "Mal O'Ry"}});

  ASSERT_EQ(added.status, 303) << added.body;
  const User user = *app_->services().store->FindUserByEmail("reader@example.com");
  const auto library = app_->services().store->ListLibrary(user.id);
  ASSERT_TRUE(library.has_value());
  ASSERT_EQ(library->size(), 1u);
  EXPECT_EQ(library->front().book.isbn, "");
}

TEST_F(BookSearchHttpTest, WhenGoogleFailsOpenLibraryIsSearched) {
  provider_.Respond(kGooglePath, FakeResponse::Text("backend error", 500));
  provider_.Respond(kOpenLibrarySearchPath, FakeResponse::Json(R"({"numFound": 1, "docs": [
      {"key": "/works/OL1W", "title": "Mort", "author_name": ["Terry Pratchett"], "isbn": ["0552131067"]}]})"));

  const Page page = browser_->Get("/add_book/search?q=mort");

  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Mort"));
  EXPECT_TRUE(Contains(page.body, "ISBN 9780552131063"));
  EXPECT_TRUE(Contains(page.body, "Open Library"));
}

TEST_F(BookSearchHttpTest, ServicesThatDoNotAnswerAreToldPlainlyWithA200) {
  provider_.Respond(kGooglePath, FakeResponse::Text("backend error", 503));
  provider_.Respond(kOpenLibrarySearchPath, FakeResponse::Text("slow down", 429));

  const Page page = browser_->Get("/add_book/search?q=dune");

  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "The book services didn&apos;t answer; try again in a minute."))
      << page.body;
  EXPECT_FALSE(Contains(page.body, "HTTP 503"));  // not "503" alone: a token or asset hash may hold it
  EXPECT_FALSE(Contains(page.body, "Google Books:"));
  EXPECT_FALSE(Contains(page.body, "backend error"));
}

TEST_F(BookSearchHttpTest, NothingFoundIsSaid) {
  provider_.Respond(kGooglePath, FakeResponse::Json(R"({"kind": "books#volumes", "totalItems": 0})"));
  provider_.Respond(kOpenLibrarySearchPath, FakeResponse::Json(R"({"numFound": 0, "docs": []})"));

  const Page page = browser_->Get("/add_book/search?q=zzzz+qqqq");

  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Nothing found for"));
}

TEST_F(BookSearchHttpTest, AnEmptyOrInvalidQueryNeverCallsTheProviders) {
  const Page form = browser_->Get("/add_book/search");
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, R"(name="q")"));
  EXPECT_EQ(browser_->Get("/add_book/search?q=").status, 200);

  const Page blank = browser_->Get("/add_book/search?q=+++");
  EXPECT_EQ(blank.status, 400);
  EXPECT_TRUE(Contains(blank.body, "Type a title, an author or an ISBN"));
  const Page too_long = browser_->Get("/add_book/search?q=" + std::string(201, 'a'));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_TRUE(Contains(too_long.body, "at most 200 characters"));
  EXPECT_EQ(browser_->Get("/add_book/search?q=%FF%FE").status, 400);

  EXPECT_EQ(ProviderRequests(), 0);
}

TEST_F(BookSearchHttpTest, AnonymousVisitorsAreSentToLogIn) {
  Browser anonymous(app_->BaseUrl());

  const Page page = anonymous.Get("/add_book/search?q=dune");

  EXPECT_EQ(page.status, 303);
  EXPECT_TRUE(page.Header("location").starts_with("/login?next=")) << page.Header("location");
  EXPECT_EQ(ProviderRequests(), 0);
}

}  // namespace
}  // namespace booklib::test
