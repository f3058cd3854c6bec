// Library's reading-life use cases over the in-memory store and queue, on a manual clock
// (today is 2026-01-01): statuses and the reads they make, re-reads, progress, ratings, shelves,
// the library page's parameters and the home page.
#include "core/library.h"

#include <gtest/gtest.h>

#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"

namespace booklib {
namespace {

class LibraryTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
    ASSERT_TRUE(store_.CreateUser(User{"u2", "other", "o@example.com", "h", "2026-01-01T00:00:00Z"}));
  }

  std::string Add(const std::string& title, const std::string& status = "to-read",
                  const std::string& user = "u1") {
    auto entry = library_.AddBook(user, BookForm{.title = title, .status = status});
    EXPECT_TRUE(entry) << (entry ? "" : entry.error().message);
    return entry ? entry->user_book.id : "";
  }
  UserBook Entry(const std::string& id) { return store_.FindUserBook(id).value(); }
  std::string Message(const Result<void>& result) { return result ? "ok" : result.error().message; }

  test::ManualClock clock_;
  std::shared_ptr<test::MemoryDatabase> db_ = std::make_shared<test::MemoryDatabase>();
  test::MemoryStore store_{db_};
  test::MemoryQueue queue_{db_, clock_};
  Library library_{store_, queue_, clock_};
};

TEST_F(LibraryTest, AddingAsReadingStartsTodayAndAsReadInventsNoDate) {
  const UserBook reading = Entry(Add("Kindred", "reading"));
  ASSERT_EQ(reading.reads.size(), 1u);
  EXPECT_EQ(reading.reads[0].started_on, "2026-01-01");
  EXPECT_EQ(reading.reads[0].outcome, ReadOutcome::kInProgress);
  const UserBook read = Entry(Add("Dune", "read"));
  ASSERT_EQ(read.reads.size(), 1u);
  EXPECT_EQ(read.reads[0].finished_on, "");
  EXPECT_EQ(read.reads[0].outcome, ReadOutcome::kFinished);
  EXPECT_TRUE(Entry(Add("Emma")).reads.empty());
}

TEST_F(LibraryTest, ReadingThenReadWithADateFinishesTheOpenRead) {
  const std::string id = Add("Kindred");
  ASSERT_TRUE(library_.SetStatus("u1", id, "reading", "2025-12-01"));
  ASSERT_TRUE(library_.SetProgress("u1", id, "40", "percent"));
  ASSERT_TRUE(library_.SetStatus("u1", id, "read", "2025-12-20"));
  const UserBook entry = Entry(id);
  EXPECT_EQ(entry.status, ReadingStatus::kRead);
  ASSERT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.reads[0], (Read{entry.reads[0].id, "2025-12-01", "2025-12-20", ReadOutcome::kFinished}));
  EXPECT_EQ(entry.progress, Progress{}) << "a finished book has no progress";
  EXPECT_EQ(LastFinishedOn(entry), "2025-12-20");
  EXPECT_TRUE(library_.SetStatus("u1", id, "read")) << "the same status again changes nothing";
  EXPECT_EQ(Entry(id).reads.size(), 1u);
}

TEST_F(LibraryTest, ARereadIsASecondRead) {
  const std::string id = Add("Dune");
  ASSERT_TRUE(library_.SetStatus("u1", id, "read", "2019-04-02"));
  ASSERT_TRUE(library_.SetStatus("u1", id, "reading"));
  ASSERT_TRUE(library_.SetStatus("u1", id, "read"));
  const UserBook entry = Entry(id);
  ASSERT_EQ(entry.reads.size(), 2u);
  EXPECT_EQ(entry.reads[0].finished_on, "2019-04-02");
  EXPECT_EQ(entry.reads[1].started_on, "2026-01-01");
  EXPECT_EQ(entry.reads[1].finished_on, "2026-01-01");
  EXPECT_EQ(FinishedReadCount(entry), 2);
}

TEST_F(LibraryTest, DidNotFinishClosesTheOpenReadWithThatOutcome) {
  const std::string id = Add("Ulysses", "reading");
  ASSERT_TRUE(library_.SetProgress("u1", id, "212", "page"));
  ASSERT_TRUE(library_.SetStatus("u1", id, "did-not-finish"));
  const UserBook entry = Entry(id);
  EXPECT_EQ(entry.status, ReadingStatus::kDidNotFinish);
  ASSERT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.reads[0].outcome, ReadOutcome::kDidNotFinish);
  EXPECT_EQ(entry.reads[0].finished_on, "2026-01-01");
  EXPECT_EQ(entry.progress, (Progress{ProgressUnit::kPage, 212})) << "where the reader stopped is kept";
  EXPECT_EQ(FinishedReadCount(entry), 0) << "a DNF is never a finished book";
}

TEST_F(LibraryTest, DatesAreCheckedWithReasons) {
  const std::string id = Add("Kindred");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "read", "2026-02-30")),
            "The date must be a date like 2024-03-31");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "read", "2027-01-01")), "The date cannot be in the future");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "read", "yesterday")),
            "The date must be a date like 2024-03-31");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "reading", "2025-12-10")), "ok");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "read", "2025-12-01")),
            "The finish date is before the read was started (2025-12-10)");
  EXPECT_EQ(Message(library_.SetStatus("u1", id, "paused")),
            "Status must be to-read, reading, read or did-not-finish");
  EXPECT_EQ(Message(library_.SetStatus("u1", Add("Leap"), "read", "2024-02-29")), "ok") << "a leap day";
  EXPECT_EQ(Message(library_.SetStatus("u1", Add("Not leap"), "read", "2023-02-29")),
            "The date must be a date like 2024-03-31");
}

TEST_F(LibraryTest, ReadsAreAddedEditedAndDeleted) {
  const std::string id = Add("Dune", "read");
  ASSERT_TRUE(library_.AddRead("u1", id, ReadForm{"2010-05-01", "2010-06-01", ""}));
  ASSERT_TRUE(library_.AddRead("u1", id, ReadForm{"", "2015-01-01", "did-not-finish"}));
  UserBook entry = Entry(id);
  ASSERT_EQ(entry.reads.size(), 3u);
  EXPECT_EQ(entry.reads[0].finished_on, "") << "the undated read sorts first";
  EXPECT_EQ(entry.reads[1].started_on, "2010-05-01");
  EXPECT_EQ(entry.reads[2].outcome, ReadOutcome::kDidNotFinish);
  EXPECT_EQ(Message(library_.AddRead("u1", id, ReadForm{"2012-01-02", "2012-01-01", ""})),
            "A read cannot finish before it started");
  EXPECT_EQ(Message(library_.AddRead("u1", id, ReadForm{"", "2012-01-01", "in-progress"})),
            "A read still in progress has no finish date");
  ASSERT_TRUE(library_.AddRead("u1", id, ReadForm{"2025-12-01", "", ""}));
  EXPECT_EQ(Message(library_.AddRead("u1", id, ReadForm{"2025-12-02", "", ""})),
            "This book already has a read in progress");

  const std::string read_id = entry.reads[1].id;
  ASSERT_TRUE(library_.EditRead("u1", id, read_id, ReadForm{"2010-05-01", "2010-07-04", "finished"}));
  EXPECT_EQ(Entry(id).reads[1].finished_on, "2010-07-04");
  EXPECT_EQ(Entry(id).reads[1].id, read_id);
  EXPECT_EQ(Message(library_.EditRead("u1", id, "no-such-read", ReadForm{})), "No such read of this book");
  ASSERT_TRUE(library_.DeleteRead("u1", id, read_id));
  EXPECT_EQ(Entry(id).reads.size(), 3u);
  EXPECT_EQ(library_.DeleteRead("u1", id, read_id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(library_.DeleteRead("u2", id, entry.reads[0].id).error().code, ErrorCode::kNotFound)
      << "someone else's entry is not found";
}

TEST_F(LibraryTest, ProgressIsAPageWithinTheBookOrAPercentage) {
  auto added = library_.AddBook("u1", BookForm{.title = "Short", .page_count = "120"});
  ASSERT_TRUE(added);
  const std::string id = added->user_book.id;
  EXPECT_EQ(Message(library_.SetProgress("u1", id, "121", "page")), "This book has 120 pages");
  EXPECT_EQ(Message(library_.SetProgress("u1", id, "101", "percent")),
            "Progress in percent is from 0 to 100");
  EXPECT_EQ(Message(library_.SetProgress("u1", id, "-3", "page")), "Progress must be a whole number");
  EXPECT_EQ(Message(library_.SetProgress("u1", id, "3", "chapters")), "Progress is a page or a percentage");
  ASSERT_TRUE(library_.SetProgress("u1", id, "60", "page"));
  EXPECT_EQ(Entry(id).progress, (Progress{ProgressUnit::kPage, 60}));
  EXPECT_EQ(Entry(id).status, ReadingStatus::kReading) << "progress on a to-read book starts it";
  EXPECT_EQ(Entry(id).reads.size(), 1u);
  ASSERT_TRUE(library_.SetProgress("u1", id, "", ""));
  EXPECT_EQ(Entry(id).progress, Progress{});
}

TEST_F(LibraryTest, RatingsInHalfStarsReviewNotesAndOwned) {
  const std::string id = Add("Dune");
  ASSERT_TRUE(library_.SetRating("u1", id, "4.5"));
  EXPECT_EQ(Entry(id).rating_halves, 9);
  ASSERT_TRUE(library_.SetRating("u1", id, "0.5"));
  EXPECT_EQ(Entry(id).rating_halves, 1);
  ASSERT_TRUE(library_.SetRating("u1", id, "3"));
  EXPECT_EQ(Entry(id).rating_halves, 6);
  for (const char* bad : {"5.5", "4.2", "6", "x", "-1", "0.0"})
    EXPECT_EQ(Message(library_.SetRating("u1", id, bad)), "Rating must be from 0.5 to 5 stars, in half stars")
        << bad;
  ASSERT_TRUE(library_.SetRating("u1", id, ""));
  EXPECT_FALSE(Entry(id).rating_halves);
  ASSERT_TRUE(library_.SaveReview("u1", id, "  A desert planet.  ", "Lent to Ana"));
  EXPECT_EQ(Entry(id).review, "A desert planet.");
  EXPECT_EQ(Entry(id).notes, "Lent to Ana");
  EXPECT_EQ(Message(library_.SaveReview("u1", id, std::string(20001, 'x'), "")),
            "Review is too long (at most 20000 characters)");
  ASSERT_TRUE(library_.SetOwned("u1", id, true));
  EXPECT_TRUE(Entry(id).owned);
  EXPECT_EQ(library_.SetOwned("u2", id, false).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(Entry(id).owned);
}

TEST_F(LibraryTest, AnEditKeepsATitleAndFollowsTheStatusRules) {
  const std::string id = Add("Typed only");
  EXPECT_EQ(Message(library_.EditBook("u1", id, BookForm{.title = " "})), "A book needs a title");
  EXPECT_EQ(Entry(id).typed.title, "Typed only");
  ASSERT_TRUE(library_.EditBook("u1", id,
                                BookForm{.title = "Typed",
                                         .status = "reading",
                                         .rating = "3.5",
                                         .publisher = "Ace",
                                         .page_count = "412",
                                         .series = "Dune",
                                         .series_index = "1"}));
  const UserBook entry = Entry(id);
  EXPECT_EQ(entry.status, ReadingStatus::kReading);
  EXPECT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.rating_halves, 7);
  EXPECT_EQ(entry.typed.publisher, "Ace");
  EXPECT_EQ(entry.typed.page_count, 412);
  EXPECT_EQ(entry.typed.series, "Dune");
  EXPECT_EQ(Message(library_.EditBook("u1", id, BookForm{.title = "T", .page_count = "many"})),
            "Pages must be a whole number from 1 to 100000");
}

TEST_F(LibraryTest, ShelvesAreNamedOnceIgnoringCaseAndPuttingABookOnOneCreatesIt) {
  const std::string dune = Add("Dune");
  const std::string emma = Add("Emma");
  ASSERT_TRUE(library_.CreateShelf("u1", "  Favourites "));
  EXPECT_EQ(Message(library_.CreateShelf("u1", "favourites")),
            "You already have a shelf called \"favourites\"");
  EXPECT_EQ(Message(library_.CreateShelf("u1", "")), "A shelf needs a name");
  EXPECT_EQ(Message(library_.CreateShelf("u1", std::string(101, 'x'))),
            "A shelf name is at most 100 characters");
  EXPECT_EQ(Message(library_.CreateShelf("u1", "a\tb")), "A shelf name cannot contain control characters");
  ASSERT_TRUE(library_.AddToShelf("u1", dune, "FAVOURITES"));
  EXPECT_EQ(Entry(dune).shelves, std::vector<std::string>{"Favourites"}) << "the shelf's own spelling";
  ASSERT_TRUE(library_.AddToShelf("u1", dune, "Sci-fi"));
  ASSERT_TRUE(library_.AddToShelf("u1", dune, "sci-fi")) << "already on it: nothing changes";
  EXPECT_EQ(Entry(dune).shelves, (std::vector<std::string>{"Favourites", "Sci-fi"}));
  ASSERT_TRUE(library_.AddToShelf("u1", emma, "Favourites"));
  EXPECT_EQ(*library_.Shelves("u1"), (std::vector<Shelf>{{"Favourites", 2}, {"Sci-fi", 1}}));
  EXPECT_EQ(library_.AddToShelf("u2", dune, "Mine").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(library_.Shelves("u2")->empty()) << "someone else's id creates no shelf";

  ASSERT_TRUE(library_.RemoveFromShelf("u1", emma, "favourites"));
  EXPECT_EQ(Message(library_.RemoveFromShelf("u1", emma, "favourites")), "This book is not on that shelf");
  EXPECT_EQ(Message(library_.RenameShelf("u1", "Sci-fi", "favourites")),
            "You already have a shelf called \"favourites\"");
  ASSERT_TRUE(library_.RenameShelf("u1", "Sci-fi", "Science fiction"));
  EXPECT_EQ(Entry(dune).shelves, (std::vector<std::string>{"Favourites", "Science fiction"}));
  EXPECT_EQ(Message(library_.DeleteShelf("u1", "nope")), "No such shelf");
  ASSERT_TRUE(library_.DeleteShelf("u1", "favourites"));
  EXPECT_EQ(Entry(dune).shelves, std::vector<std::string>{"Science fiction"});
}

TEST_F(LibraryTest, BrowseReadsTheUrlAndPagesByFifty) {
  for (int i = 0; i < 120; ++i) Add("Book " + std::to_string(i), i % 3 == 0 ? "read" : "to-read");
  Add("Not mine", "read", "u2");
  auto view = library_.Browse("u1", LibraryParams{.page = "3"});
  ASSERT_TRUE(view);
  EXPECT_EQ(view->page.total, 120);
  EXPECT_EQ(view->page_count, 3);
  EXPECT_EQ(view->page_number, 3);
  EXPECT_EQ(view->page.entries.size(), 20u);
  view = library_.Browse("u1", LibraryParams{.status = "read", .sort = "title"});
  ASSERT_TRUE(view);
  EXPECT_EQ(view->page.total, 40);
  EXPECT_EQ(view->page.entries.front().Shown().title, "Book 0");
  view = library_.Browse("u1", LibraryParams{.q = "book 11"});
  ASSERT_TRUE(view);
  EXPECT_EQ(view->page.total, 11) << "11 and 110..119";
  view = library_.Browse("u1", LibraryParams{.page = "9"});
  ASSERT_TRUE(view);
  EXPECT_TRUE(view->page.entries.empty()) << "past the last page: empty, not an error";
  EXPECT_EQ(view->page_count, 3);

  const std::pair<LibraryParams, std::string> bad[] = {
      {{.status = "finished"}, "Status must be one of to-read, reading, read, did-not-finish"},
      {{.rating = "6"}, "Rating must be none or 1 to 5"},
      {{.sync = "maybe"}, "Sync must be one of pending, synced, failed"},
      {{.owned = "1"}, "Owned must be yes or no"},
      {{.sort = "isbn"}, "Sort must be one of added, title, author, rating, finished"},
      {{.page = "0"}, "Page must be a number from 1"},
      {{.page = "-1"}, "Page must be a number from 1"},
      {{.page = "99999999999"}, "Page must be a number from 1"},
      {{.q = std::string(201, 'q')}, "A search is at most 200 characters"},
  };
  for (const auto& [params, message] : bad) {
    auto refused = library_.Browse("u1", params);
    ASSERT_FALSE(refused) << message;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(refused.error().message, message);
  }
  EXPECT_TRUE(library_.Browse("u1", LibraryParams{.rating = "none", .sync = "SYNCED", .owned = "no"}));
}

TEST_F(LibraryTest, HomeShowsWhatIsBeingReadTheNewestAndTheCounts) {
  for (int i = 0; i < 8; ++i) {
    Add("Book " + std::to_string(i), i < 2 ? "reading" : i < 5 ? "read" : "to-read");
    clock_.SleepFor(std::chrono::seconds(1));
  }
  auto home = library_.Home("u1");
  ASSERT_TRUE(home);
  ASSERT_EQ(home->reading.size(), 2u);
  EXPECT_EQ(home->reading[0].Shown().title, "Book 1");
  ASSERT_EQ(home->recent.size(), 6u);
  EXPECT_EQ(home->recent[0].Shown().title, "Book 7");
  EXPECT_EQ(home->status_counts, (std::array<int, 4>{3, 2, 3, 0}));
  EXPECT_EQ(home->total, 8);
}

}  // namespace
}  // namespace booklib
