// `booklib worker` as separate processes on the same database file: a worker killed mid-job loses
// nothing, and two workers share the queue.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "core/metadata_message.h"
#include "crypto/crypto.h"
#include "tests/http/provider_fixtures.h"
#include "tests/http/test_app.h"
#include "tests/process/booklib_process.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

using std::chrono::milliseconds;

// The ISBN in a Google Books query "q=isbn:<13 digits>" (":" possibly escaped).
std::string IsbnInQuery(const std::string& query) {
  static const std::regex kIsbn("(97[89][0-9]{10})");
  std::smatch match;
  return std::regex_search(query, match, kIsbn) ? std::string(match[1]) : std::string();
}

// 13-digit ISBNs with valid check digits.
std::string IsbnNumber(int n) {
  std::string digits = "978" + std::to_string(100000000 + n);
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (digits[i] - '0') * (i % 2 ? 3 : 1);
  return digits + static_cast<char>('0' + (10 - sum % 10) % 10);
}

class WorkerProcessTest : public testing::Test {
 protected:
  void SetUp() override {
    app_ = std::make_unique<TestApp>(
        TestAppOptions{.workers = 0, .metadata_base_url = provider_.BaseUrl(), .visibility_timeout = 2});
    auto user = app_->services().accounts->Register(
        {"reader", "reader@example.com", "long-enough-pw", "long-enough-pw"});
    ASSERT_TRUE(user);
    user_id_ = user->id;
  }

  // A 2 s visibility timeout lets a killed worker's message come back soon; a test that counts
  // deliveries passes a longer one, so a slow machine (or a sanitizer build) does not redeliver.
  std::vector<std::string> WorkerArgs(int pollers, int visibility_timeout_s = 2) const {
    return {BOOKLIB_BINARY,
            "worker",
            "--database=" + app_->config().database,
            "--workers=" + std::to_string(pollers),
            "--visibility-timeout=" + std::to_string(visibility_timeout_s),
            "--retry-backoff=0",
            "--google-books-url=" + provider_.BaseUrl() + "/books/v1",
            "--open-library-url=" + provider_.BaseUrl(),
            "--metadata-timeout-ms=60000"};
  }
  std::string OutputPath(const std::string& name) const {
    return app_->config().data_dir + "/" + name + ".log";
  }
  std::string AddBook(const std::string& isbn) {
    BookForm form;
    form.isbn = isbn;
    auto entry = app_->services().library->AddBook(user_id_, form);
    EXPECT_TRUE(entry);
    return entry ? entry->user_book.id : "";
  }
  SyncStatus StatusOf(const std::string& id) { return app_->services().store->FindUserBook(id)->sync_status; }

  FakeHttpServer provider_;
  std::unique_ptr<TestApp> app_;
  std::string user_id_;
};

TEST_F(WorkerProcessTest, AWorkerKilledMidJobLosesNothing) {
  provider_.RespondInOrder(
      "/books/v1/volumes",
      {FakeResponse::Hang(), FakeResponse::Json(GoogleVolume("9781782276340", "Survivor"))});
  const std::string id = AddBook("9781782276340");
  {
    BooklibProcess doomed(WorkerArgs(1), OutputPath("doomed"));
    ASSERT_TRUE(doomed.Started());
    ASSERT_TRUE(provider_.WaitForRequests("/books/v1/volumes", 1, milliseconds{10000})) << doomed.Output();
    doomed.Kill(SIGKILL);  // mid-lookup: the message was received but never deleted
  }
  EXPECT_EQ(StatusOf(id), SyncStatus::kPending);
  BooklibProcess rescuer(WorkerArgs(1), OutputPath("rescuer"));
  ASSERT_TRUE(WaitUntil([&] { return StatusOf(id) == SyncStatus::kSynced; }, milliseconds{15000}))
      << rescuer.Output();
  EXPECT_EQ(app_->services().store->FindBookByIsbn("9781782276340")->details.title, "Survivor: A Novel");
}

TEST_F(WorkerProcessTest, TwoWorkerProcessesShareTheQueue) {
  provider_.Handle("/books/v1/volumes", [](const FakeRequest& request) {
    const std::string isbn = IsbnInQuery(request.query);
    return FakeResponse::Json(GoogleVolume(isbn, "Book " + isbn)).WithDelay(milliseconds{150});
  });
  std::vector<std::string> ids;
  for (int i = 0; i < 40; ++i) ids.push_back(AddBook(IsbnNumber(i)));
  BooklibProcess first(WorkerArgs(1, 60), OutputPath("first"));
  BooklibProcess second(WorkerArgs(1, 60), OutputPath("second"));
  const bool all_synced = WaitUntil(
      [&] {
        for (const std::string& id : ids)
          if (StatusOf(id) != SyncStatus::kSynced) return false;
        return true;
      },
      milliseconds{30000});
  ASSERT_TRUE(all_synced) << first.Output() << second.Output();
  first.Kill(SIGTERM);
  second.Kill(SIGTERM);
  const auto done = [](const std::string& log) {
    int count = 0;
    for (std::size_t at = log.find("metadata message done"); at != std::string::npos;
         at = log.find("metadata message done", at + 1))
      ++count;
    return count;
  };
  const int by_first = done(first.Output());
  const int by_second = done(second.Output());
  EXPECT_GT(by_first, 0);
  EXPECT_GT(by_second, 0);
  EXPECT_EQ(by_first + by_second, 40);
}

TEST_F(WorkerProcessTest, QueueStatsShowsDeadLettersAndRedriveBringsThemBack) {
  Queue& queue = *app_->services().queue;
  ASSERT_TRUE(queue.Send(R"({"user_book_id":"poison"})"));
  for (int attempt = 0; attempt < 3; ++attempt) {  // received 3 times, never acknowledged
    std::vector<QueueMessage> got;
    ASSERT_TRUE(WaitUntil([&] { return !(got = *queue.Receive(1, std::chrono::seconds{0})).empty(); },
                          milliseconds{5000}));
    ASSERT_TRUE(queue.RetryLater(got[0], std::chrono::seconds{0}, "provider down"));
  }
  EXPECT_TRUE(queue.Receive(1, std::chrono::seconds{0})->empty());  // the 4th receive dead-letters it
  const auto run = [&](const std::string& action) {
    BooklibProcess cli({BOOKLIB_BINARY, "queue", action, "--database=" + app_->config().database},
                       OutputPath("queue-" + action));
    EXPECT_EQ(cli.WaitForExit(milliseconds{20000}), 0) << cli.Output();
    return cli.Output();
  };
  EXPECT_NE(run("stats").find("dead_letters 1"), std::string::npos);
  EXPECT_NE(run("redrive").find("moved 1 dead letter(s)"), std::string::npos);
  const std::string after = run("stats");
  EXPECT_NE(after.find("visible 1"), std::string::npos) << after;
  EXPECT_NE(after.find("dead_letters 0"), std::string::npos) << after;
}

TEST_F(WorkerProcessTest, TheWorkersLogLinesForABookCarryTheIdOfTheRequestThatAddedIt) {
  provider_.Handle("/books/v1/volumes", [](const FakeRequest& request) {
    return FakeResponse::Json(GoogleVolume(IsbnInQuery(request.query), "Traced"));
  });
  Browser browser(app_->BaseUrl());
  browser.SignUpAndLogIn("tracer");
  const Page added =
      browser.PostForm("/add_book", {{"isbn", "9780261102385"}}, {{"X-Request-Id", "add-click-7f3a"}});
  ASSERT_EQ(added.status, 303) << added.body;
  EXPECT_EQ(added.Header("x-request-id"), "add-click-7f3a");
  const auto queued = app_->services().queue->Receive(1, std::chrono::seconds{0});
  ASSERT_TRUE(queued && queued->size() == 1);
  const auto message = DecodeMetadataMessage(queued->front().body);
  ASSERT_TRUE(message);
  EXPECT_EQ(message->request_id, "add-click-7f3a");
  ASSERT_TRUE(app_->services().queue->RetryLater(queued->front(), std::chrono::seconds{0}, "peeked"));

  BooklibProcess worker(WorkerArgs(1), OutputPath("traced"));
  ASSERT_TRUE(
      WaitUntil([&] { return StatusOf(message->user_book_id) == SyncStatus::kSynced; }, milliseconds{15000}))
      << worker.Output();
  worker.Kill(SIGTERM);
  int lines_for_the_book = 0;
  std::istringstream lines(worker.Output());
  for (std::string line; std::getline(lines, line);) {
    const auto record = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(record.is_object()) << "not one JSON object per line: " << line;
    EXPECT_TRUE(record.contains("ts") && record.contains("level") && record.contains("msg")) << line;
    if (record.value("msg", "") != "metadata message done") continue;
    ++lines_for_the_book;
    EXPECT_EQ(record.value("request_id", ""), "add-click-7f3a") << line;
    EXPECT_EQ(record.value("outcome", ""), "synced") << line;
  }
  EXPECT_EQ(lines_for_the_book, 1) << worker.Output();
}

}  // namespace
}  // namespace booklib::test
