// The metadata pipeline end to end: a book added over HTTP is looked up by the in-process workers
// against a fake Google Books / Open Library server and ends SYNCED, FAILED or retried.
#include <gtest/gtest.h>

#include <thread>

#include "core/metadata_message.h"
#include "tests/http/provider_fixtures.h"
#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr const char* kGooglePath = "/books/v1/volumes";
constexpr const char* kOpenLibraryPath = "/api/books";

class PipelineTest : public testing::Test {
 protected:
  void StartApp(TestAppOptions options = {}) {
    options.metadata_base_url = provider_.BaseUrl();
    if (options.workers == 0) options.workers = 2;
    app_ = std::make_unique<TestApp>(options);
    browser_ = std::make_unique<Browser>(app_->BaseUrl());
    browser_->SignUpAndLogIn("reader");
  }
  // Adds by ISBN through the add form; returns the entry's id.
  std::string Add(const std::string& isbn, const std::string& title = "") {
    const Page page = browser_->PostForm("/add_book", {{"isbn", isbn}, {"title", title}});
    EXPECT_EQ(page.status, 303) << page.body;
    const User user = *app_->services().store->FindUserByEmail("reader@example.com");
    const auto library = app_->services().store->ListLibrary(user.id);
    for (const LibraryEntry& entry : *library)
      if (entry.book.isbn == isbn) return entry.user_book.id;
    return "";
  }
  UserBook Entry(const std::string& id) { return *app_->services().store->FindUserBook(id); }
  bool Settled(const std::string& id) { return Entry(id).sync_status != SyncStatus::kPending; }

  FakeHttpServer provider_;
  std::unique_ptr<TestApp> app_;
  std::unique_ptr<Browser> browser_;
};

TEST_F(PipelineTest, ABookAddedOverHttpBecomesSyncedWithItsDetails) {
  provider_.Respond(kGooglePath, FakeResponse::Json(GoogleVolume("9781782276340", "The Long Voyage")));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
  const Page page = browser_->Get("/books");
  EXPECT_TRUE(Contains(page.body, "The Long Voyage: A Novel"));
  EXPECT_TRUE(Contains(page.body, "Ada Writer, Bo Co-Author"));
  EXPECT_TRUE(Contains(page.body, "Fiction"));
  EXPECT_TRUE(Contains(page.body, "src=\"/covers/" + id + "?v="));  // served by Booklib itself
  EXPECT_TRUE(Contains(page.body, "data-sync=\"SYNCED\""));
  const Book book = *app_->services().store->FindBookByIsbn("9781782276340");
  EXPECT_EQ(book.details.publisher, "Harbour Press");
  EXPECT_EQ(book.details.page_count, 352);
  EXPECT_EQ(book.details.published_date, "2019-04-02");
  EXPECT_EQ(book.details.language, "en");
  EXPECT_EQ(book.details.description, "A long voyage.");
  EXPECT_TRUE(book.details.cover_image_url.starts_with("https://books.google.com/"));  // http upgraded
  EXPECT_TRUE(Contains(provider_.LastRequest()->query, "q=isbn%3A9781782276340") ||
              Contains(provider_.LastRequest()->query, "q=isbn:9781782276340"));
}

TEST_F(PipelineTest, OpenLibraryFillsInWhenGoogleBooksHasNoMatch) {
  provider_.Respond(kGooglePath, FakeResponse::Json(kGoogleNoMatch));
  provider_.Respond(kOpenLibraryPath, FakeResponse::Json(OpenLibraryBook("9780316030571", "Poems")));
  StartApp();
  const std::string id = Add("9780316030571");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
  const Book book = *app_->services().store->FindBookByIsbn("9780316030571");
  EXPECT_EQ(book.details.title, "Poems");
  EXPECT_EQ(book.details.author, "Ol Author");
  EXPECT_EQ(book.details.cover_image_url, "https://covers.openlibrary.org/b/id/1-L.jpg");
}

TEST_F(PipelineTest, ABookFoundNowhereFailsAsNotFoundWithoutRetries) {
  provider_.Respond(kGooglePath, FakeResponse::Json(kGoogleNoMatch));
  provider_.Respond(kOpenLibraryPath, FakeResponse::Json(kOpenLibraryUnknown));
  StartApp();
  const std::string id = Add("9780804429573");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_TRUE(Contains(Entry(id).sync_error, "not found"));
  std::this_thread::sleep_for(milliseconds{500});
  EXPECT_EQ(provider_.RequestCount(kGooglePath), 1);
  const Page page = browser_->Get("/books");
  // Told plainly; Retry is not offered after a definite not-found, entering the details is.
  EXPECT_TRUE(Contains(page.body, "We couldn\u2019t find this ISBN in Google Books or Open Library"));
  EXPECT_FALSE(Contains(page.body, "action=\"/retry_book/" + id + "\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/manual_update_book/" + id + "\""));
}

TEST_F(PipelineTest, ServerErrorsAreRetriedAndFailWithTheReasonAfterTheLastAttempt) {
  provider_.Respond(kGooglePath, FakeResponse::Status(503));
  provider_.Respond(kOpenLibraryPath, FakeResponse::Status(502));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_TRUE(Contains(Entry(id).sync_error, "HTTP 50")) << Entry(id).sync_error;
  EXPECT_TRUE(Contains(Entry(id).sync_error, "after 3 attempts")) << Entry(id).sync_error;
  EXPECT_EQ(provider_.RequestCount(kGooglePath), 3);
  EXPECT_EQ(app_->services().queue->Stats()->dead_letters, 0);  // a final FAILED is not a dead letter
}

TEST_F(PipelineTest, ATransientFailureThenSuccessEndsSynced) {
  provider_.RespondInOrder(kGooglePath, {FakeResponse::Status(500),
                                         FakeResponse::Json(GoogleVolume("9781782276340", "Second Time"))});
  provider_.Respond(kOpenLibraryPath, FakeResponse::Status(500));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Entry(id).sync_status == SyncStatus::kSynced; }));
  EXPECT_EQ(app_->services().store->FindBookByIsbn("9781782276340")->details.title, "Second Time: A Novel");
}

TEST_F(PipelineTest, RateLimitingHonoursRetryAfter) {
  provider_.RespondInOrder(kGooglePath,
                           {FakeResponse::Json(R"({"error":{"code":429,"message":"Quota exceeded"}})", 429)
                                .WithHeader("Retry-After", "2"),
                            FakeResponse::Json(GoogleVolume("9781782276340", "Patience"))});
  provider_.Respond(kOpenLibraryPath, FakeResponse::Status(503));
  StartApp();
  const auto start = std::chrono::steady_clock::now();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Entry(id).sync_status == SyncStatus::kSynced; }));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds{1900});
  EXPECT_EQ(provider_.RequestCount(kGooglePath), 2);
}

TEST_F(PipelineTest, AHangingProviderTimesOutAndIsRetried) {
  provider_.RespondInOrder(
      kGooglePath,
      {FakeResponse::Hang(), FakeResponse::Json(GoogleVolume("9781782276340", "After The Hang"))});
  provider_.Respond(kOpenLibraryPath, FakeResponse::Hang());
  StartApp(TestAppOptions{.metadata_timeout_ms = 500});
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Entry(id).sync_status == SyncStatus::kSynced; }));
}

TEST_F(PipelineTest, GarbageFromTheProviderFailsWithAReasonAndNothingCrashes) {
  provider_.Respond(kGooglePath, FakeResponse::Text("<html>oops</html>"));
  provider_.Respond(kOpenLibraryPath, FakeResponse::Json("[1, 2, "));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_FALSE(Entry(id).sync_error.empty());
  EXPECT_EQ(browser_->Get("/health").status, 200);
}

TEST_F(PipelineTest, AnOversizeAnswerFailsInsteadOfFillingMemory) {
  provider_.Respond(kGooglePath, FakeResponse::Oversize(8 * 1024 * 1024));
  provider_.Respond(kOpenLibraryPath, FakeResponse::Oversize(8 * 1024 * 1024));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
}

TEST_F(PipelineTest, WhatTheUserTypedStaysAndPlaceholdersAreFilled) {
  provider_.Respond(kGooglePath, FakeResponse::Json(GoogleVolume("9781782276340", "Catalogue Title")));
  StartApp();
  const std::string typed = Add("9781782276340", "My Own Title");
  Browser other(app_->BaseUrl());
  other.SignUpAndLogIn("other");
  other.PostForm("/add_book", {{"isbn", "9781782276340"}, {"title", "Fetching Title..."}});
  ASSERT_TRUE(WaitFor([&] { return Settled(typed); }));
  const Page mine = browser_->Get("/books");
  EXPECT_TRUE(Contains(mine.body, "My Own Title"));
  EXPECT_TRUE(Contains(mine.body, "Ada Writer"));  // empty author filled from metadata
  const Page theirs = other.Get("/books");
  EXPECT_TRUE(Contains(theirs.body, "Catalogue Title: A Novel"));
  EXPECT_FALSE(Contains(theirs.body, "My Own Title"));
}

TEST_F(PipelineTest, ADuplicateDeliveryHasOneEffect) {
  provider_.Respond(kGooglePath, FakeResponse::Json(GoogleVolume("9781782276340", "Once")));
  StartApp();
  const std::string id = Add("9781782276340");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  ASSERT_TRUE(app_->services().queue->Send(EncodeMetadataMessage(id)));
  ASSERT_TRUE(app_->services().queue->Send(EncodeMetadataMessage(id)));
  ASSERT_TRUE(WaitFor([&] {
    auto stats = app_->services().queue->Stats();
    return stats && stats->visible == 0 && stats->in_flight == 0;
  }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
  EXPECT_EQ(provider_.RequestCount(kGooglePath), 1);
}

TEST_F(PipelineTest, RetryFetchesAFailedBookAgain) {
  provider_.RespondInOrder(kGooglePath,
                           {FakeResponse::Status(503), FakeResponse::Status(503), FakeResponse::Status(503),
                            FakeResponse::Json(GoogleVolume("9780804429573", "Found Later"))});
  provider_.Respond(kOpenLibraryPath, FakeResponse::Status(503));
  StartApp();
  const std::string id = Add("9780804429573");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  ASSERT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_EQ(browser_->PostForm("/retry_book/" + id, {}).status, 303);
  ASSERT_TRUE(WaitFor([&] { return Entry(id).sync_status == SyncStatus::kSynced; }));
  EXPECT_TRUE(Contains(browser_->Get("/books").body, "Found Later"));
}

TEST_F(PipelineTest, CoversAreServedByBooklibToTheOwnerOnly) {
  FakeResponse png = FakeResponse::Text("\x89PNG fake image bytes");
  png.headers = {{"Content-Type", "image/png"}};
  provider_.Respond("/covers/one.png", png);
  // The fake provider is on 127.0.0.1 over plain http, which production's policy refuses.
  TestAppOptions options;
  options.covers.https_only = false;
  options.covers.may_connect = [](const net::ConnectTarget&) { return true; };
  StartApp(options);
  const std::string id = Add("9781782276340");
  BookDetails details;
  details.title = "With A Cover";
  details.cover_image_url = provider_.BaseUrl() + "/covers/one.png";
  const Book book = *app_->services().store->FindBookByIsbn("9781782276340");
  ASSERT_TRUE(app_->services().store->UpdateBookDetails(book.id, details, "Google Books"));
  EXPECT_TRUE(Contains(browser_->Get("/books").body, "src=\"/covers/" + id + "?v="));
  for (int i = 0; i < 2; ++i) {
    const Page cover = browser_->Get("/covers/" + id);
    EXPECT_EQ(cover.status, 200);
    EXPECT_EQ(cover.Header("content-type"), "image/png");
    EXPECT_EQ(cover.body, "\x89PNG fake image bytes");
  }
  EXPECT_EQ(provider_.RequestCount("/covers/one.png"), 1);  // the second came from memory
  Browser other(app_->BaseUrl());
  EXPECT_EQ(other.Get("/covers/" + id).status, 303);  // not logged in
  other.SignUpAndLogIn("stranger");
  EXPECT_EQ(other.Get("/covers/" + id).status, 404);  // not their book
}

// Regression (issue 9): a provider's cover URL on loopback was fetched, and the 502's text told
// whether the port was open ("could not connect to 127.0.0.1:9: Connection refused").
TEST_F(PipelineTest, ByDefaultACoverOnLoopbackIsNeverFetchedAndThePageSaysNothingAboutThePort) {
  FakeHttpServer cover_host(FakeTransport::kHttps);  // an open port on loopback
  cover_host.Respond("/covers/one.png",
                     FakeResponse::Text("\x89PNG").WithHeader("Content-Type", "image/png"));
  StartApp();  // production's cover policy, as services.cc builds it
  const std::string open_id = Add("9781782276340");
  const std::string closed_id = Add("9780804429573");
  BookDetails open_port;
  open_port.title = "Cover On An Open Port";
  open_port.cover_image_url = cover_host.BaseUrl() + "/covers/one.png";
  BookDetails closed_port;
  closed_port.title = "Cover On A Closed Port";
  closed_port.cover_image_url = "https://127.0.0.1:9/covers/one.png";
  BookDetails by_name;
  by_name.title = "Cover On Localhost";
  by_name.cover_image_url = "https://localhost:" + std::to_string(cover_host.Port()) + "/covers/one.png";
  auto& store = *app_->services().store;
  ASSERT_TRUE(WaitFor([&] { return Settled(open_id) && Settled(closed_id); }));
  ASSERT_TRUE(store.UpdateBookDetails(store.FindBookByIsbn("9781782276340")->id, open_port, "Google Books"));
  ASSERT_TRUE(
      store.UpdateBookDetails(store.FindBookByIsbn("9780804429573")->id, closed_port, "Google Books"));

  const Page open_answer = browser_->Get("/covers/" + open_id);
  const Page closed_answer = browser_->Get("/covers/" + closed_id);
  ASSERT_TRUE(store.UpdateBookDetails(store.FindBookByIsbn("9781782276340")->id, by_name, "Google Books"));
  const Page by_name_answer = browser_->Get("/covers/" + open_id);

  for (const Page* answer : {&open_answer, &closed_answer, &by_name_answer}) {
    EXPECT_EQ(answer->status, 502);
    EXPECT_EQ(answer->body, "Cover could not be fetched\n");
  }
  EXPECT_EQ(cover_host.ConnectionCount(), 0);
}

// Regression: Retry used to be answered by the cached "not found" for an hour.
TEST_F(PipelineTest, RetryAfterNotFoundAsksTheProvidersAgain) {
  provider_.RespondInOrder(kGooglePath, {FakeResponse::Json(kGoogleNoMatch),
                                         FakeResponse::Json(GoogleVolume("9780804429573", "Listed Since"))});
  provider_.Respond(kOpenLibraryPath, FakeResponse::Json(kOpenLibraryUnknown));
  StartApp();
  const std::string id = Add("9780804429573");
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  ASSERT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_EQ(browser_->PostForm("/retry_book/" + id, {}).status, 303);
  ASSERT_TRUE(WaitFor([&] { return Settled(id); }));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
  EXPECT_EQ(provider_.RequestCount(kGooglePath), 2);
}

}  // namespace
}  // namespace booklib::test
