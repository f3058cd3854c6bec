// MetadataSync decisions, message by message: SYNCED, FAILED, retry with backoff, idempotence.
#include "core/metadata_sync.h"

#include <gtest/gtest.h>

#include "core/library.h"
#include "core/log.h"
#include "core/metadata_message.h"
#include "metrics/metrics.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"
#include "tests/support/scripted_metadata_provider.h"

namespace booklib {
namespace {

using std::chrono::seconds;

using test::ScriptedMetadataProvider;
constexpr auto Found = [](std::string title) { return ScriptedMetadataProvider::Found(std::move(title)); };
constexpr auto Transient = [](std::string reason, std::optional<seconds> retry_after = std::nullopt) {
  return ScriptedMetadataProvider::Transient(std::move(reason), retry_after);
};

class MetadataSyncTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
  }
  std::string Add(const std::string& isbn, const std::string& typed_title = "") {
    BookForm form;
    form.isbn = isbn;
    form.title = typed_title;
    return library_.AddBook("u1", form)->user_book.id;
  }
  QueueMessage Message(const std::string& id, int receive_count = 1) {
    return QueueMessage{"m", "r", EncodeMetadataMessage(id), receive_count};
  }
  UserBook Entry(const std::string& id) { return *store_.FindUserBook(id); }

  test::ManualClock clock_;
  std::shared_ptr<test::MemoryDatabase> db_ = std::make_shared<test::MemoryDatabase>();
  test::MemoryStore store_{db_};
  test::MemoryQueue queue_{db_, clock_};
  Library library_{store_, queue_, clock_};
  test::ScriptedMetadataProvider provider_;
};

TEST_F(MetadataSyncTest, AFoundBookIsSyncedAndTheMessageDeleted) {
  provider_.Answer("9781782276340", Found("Found It"));
  MetadataSync sync(store_, provider_);
  const std::string id = Add("9781782276340");
  const SyncOutcome outcome = sync.Process(Message(id));
  EXPECT_EQ(outcome.disposition, SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
  EXPECT_EQ(store_.FindBookByIsbn("9781782276340")->details.title, "Found It");
}

TEST_F(MetadataSyncTest, ProcessingTheSameMessageTwiceAsksTheProviderOnce) {
  provider_.Answer("9781782276340", Found("Once"));
  MetadataSync sync(store_, provider_);
  const std::string id = Add("9781782276340");
  sync.Process(Message(id));
  const SyncOutcome again = sync.Process(Message(id, 2));
  EXPECT_EQ(again.disposition, SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(provider_.Calls(), 1);
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kSynced);
}

TEST_F(MetadataSyncTest, TransientFailuresBackOffThenFailOnTheLastAttempt) {
  provider_.AnswerAll(Transient("Google Books: HTTP 503"));
  MetadataSync sync(store_, provider_, SyncPolicy{.max_attempts = 3, .base_backoff = seconds{4}});
  const std::string id = Add("9781782276340");
  const SyncOutcome first = sync.Process(Message(id, 1));
  EXPECT_EQ(first.disposition, SyncOutcome::Disposition::kRetryLater);
  EXPECT_GE(first.delay, seconds{2});
  EXPECT_LE(first.delay, seconds{4});
  const SyncOutcome second = sync.Process(Message(id, 2));
  EXPECT_GE(second.delay, seconds{4});
  EXPECT_LE(second.delay, seconds{8});
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kPending);
  const SyncOutcome last = sync.Process(Message(id, 3));
  EXPECT_EQ(last.disposition, SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_EQ(Entry(id).sync_error, "Google Books: HTTP 503 (gave up after 3 attempts)");
}

TEST_F(MetadataSyncTest, RetryAfterFromTheProviderSetsTheDelay) {
  provider_.AnswerAll(Transient("rate limited", seconds{42}));
  MetadataSync sync(store_, provider_);
  const SyncOutcome outcome = sync.Process(Message(Add("9781782276340")));
  EXPECT_EQ(outcome.disposition, SyncOutcome::Disposition::kRetryLater);
  EXPECT_EQ(outcome.delay, seconds{42});
}

TEST_F(MetadataSyncTest, NotFoundIsFinalWithItsReason) {
  MetadataSync sync(store_, provider_);
  const std::string id = Add("9781782276340");
  EXPECT_EQ(sync.Process(Message(id)).disposition, SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kFailed);
  EXPECT_EQ(Entry(id).sync_error, "not found in Scripted");
}

// What the worker stores for each way a lookup fails is read back as that failure, whatever the
// provider wrote (the cards and the book page decide on Retry from it).
TEST_F(MetadataSyncTest, EveryStoredFailureReasonReadsBackAsItsKind) {
  struct Case {
    MetadataLookup answer;
    SyncFailure want;
    std::string names;  // NotFoundIn
  };
  const Case cases[] = {
      {ScriptedMetadataProvider::NotFound("not found in Google Books or Open Library"),
       SyncFailure::kNotFound, "Google Books or Open Library"},
      {ScriptedMetadataProvider::NotFound(""), SyncFailure::kNotFound, ""},
      {ScriptedMetadataProvider::NotFound("no such volume"), SyncFailure::kNotFound, ""},
      {ScriptedMetadataProvider::Malformed("Google Books: unreadable JSON"), SyncFailure::kUnusable, ""},
      // A malformed answer whose text looks like another kind is still unusable.
      {ScriptedMetadataProvider::Malformed("not found field 'items'"), SyncFailure::kUnusable, ""},
      {ScriptedMetadataProvider::Malformed(""), SyncFailure::kUnusable, ""},
      {Transient("Google Books: HTTP 503"), SyncFailure::kNoAnswer, ""},
  };
  // One valid ISBN-13 per case.
  const char* const isbns[] = {"9780000001009", "9780000001016", "9780000001023", "9780000001030",
                               "9780000001047", "9780000001054", "9780000001061"};
  ASSERT_EQ(std::size(isbns), std::size(cases));
  MetadataSync sync(store_, provider_, SyncPolicy{.max_attempts = 1});
  int n = 0;
  for (const Case& c : cases) {
    provider_.AnswerAll(c.answer);
    const std::string id = Add(isbns[n++]);
    sync.Process(Message(id));
    const UserBook entry = Entry(id);
    ASSERT_EQ(entry.sync_status, SyncStatus::kFailed) << c.answer.reason;
    EXPECT_EQ(SyncFailureOf(entry.sync_error), c.want) << entry.sync_error;
    EXPECT_EQ(NotFoundIn(entry.sync_error), c.names) << entry.sync_error;
  }
}

TEST_F(MetadataSyncTest, AMessageForADeletedBookOrGarbageIsDropped) {
  MetadataSync sync(store_, provider_);
  EXPECT_EQ(sync.Process(Message("no-such-entry")).disposition, SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(sync.Process(QueueMessage{"m", "r", "not json", 1}).disposition,
            SyncOutcome::Disposition::kDelete);
  EXPECT_EQ(provider_.Calls(), 0);
}

TEST_F(MetadataSyncTest, ASecondReaderOfAFetchedBookIsSyncedAtOnce) {
  provider_.Answer("9781782276340", Found("Shared"));
  MetadataSync sync(store_, provider_);
  sync.Process(Message(Add("9781782276340")));
  ASSERT_TRUE(store_.CreateUser(User{"u2", "second", "s@example.com", "h", "2026-01-01T00:00:00Z"}));
  BookForm form;
  form.isbn = "9781782276340";
  const auto entry = library_.AddBook("u2", form);
  ASSERT_TRUE(entry);
  EXPECT_EQ(entry->user_book.sync_status, SyncStatus::kSynced);
  EXPECT_EQ(provider_.Calls(), 1);
}

TEST_F(MetadataSyncTest, EachOutcomeSaysWhatBecameOfTheEntryAndIsCounted) {
  provider_.Answer("9781782276340", Found("Found It"));
  provider_.Answer("9780261102385", Transient("Google Books: HTTP 503"));
  MetadataSync sync(store_, provider_, SyncPolicy{.max_attempts = 2});
  auto& counted = metrics::Registry::Default().AddCounter("booklib_metadata_sync_total", "", {"outcome"});
  const auto count = [&counted](std::string_view outcome) { return counted.WithLabels({outcome}).Value(); };
  const double synced = count("synced"), not_found = count("not_found"), retried = count("retried"),
               failed = count("failed"), skipped = count("skipped");
  const std::string found = Add("9781782276340");
  EXPECT_EQ(sync.Process(Message(found)).result, SyncOutcome::Result::kSynced);
  EXPECT_EQ(sync.Process(Message(found, 2)).result, SyncOutcome::Result::kSkipped);  // a duplicate
  EXPECT_EQ(sync.Process(Message(Add("9780140449136"))).result, SyncOutcome::Result::kNotFound);
  const std::string flaky = Add("9780261102385");
  EXPECT_EQ(sync.Process(Message(flaky, 1)).result, SyncOutcome::Result::kRetried);
  EXPECT_EQ(sync.Process(Message(flaky, 2)).result, SyncOutcome::Result::kFailed);  // gave up
  EXPECT_EQ(sync.Process(QueueMessage{"m", "r", "not json", 1}).result, SyncOutcome::Result::kFailed);
  EXPECT_EQ(count("synced") - synced, 1);
  EXPECT_EQ(count("skipped") - skipped, 1);
  EXPECT_EQ(count("not_found") - not_found, 1);
  EXPECT_EQ(count("retried") - retried, 1);
  EXPECT_EQ(count("failed") - failed, 2);
}

TEST_F(MetadataSyncTest, TheQueuedMessageCarriesTheIdOfTheRequestThatAddedTheBook) {
  std::string id;
  {
    const LogScope scope("req-42");
    id = Add("9781782276340");
  }
  auto got = queue_.Receive(1, seconds{0});
  ASSERT_TRUE(got && got->size() == 1);
  const auto request = DecodeMetadataMessage(got->front().body);
  ASSERT_TRUE(request);
  EXPECT_EQ(request->user_book_id, id);
  EXPECT_EQ(request->request_id, "req-42");
  // Outside a request, no id; and messages from before ids existed read as they did.
  EXPECT_EQ(EncodeMetadataMessage("abc"), R"({"user_book_id":"abc"})");
  const auto old = DecodeMetadataMessage(R"({"user_book_id":"abc","request_id":7})");
  ASSERT_TRUE(old);
  EXPECT_EQ(old->user_book_id, "abc");
  EXPECT_EQ(old->request_id, "");
}

}  // namespace
}  // namespace booklib
