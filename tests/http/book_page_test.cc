// The book page (/books/{id}) and the shelves page (/shelves) over real HTTP on loopback with a
// real SQLite file: what the page shows, each of its forms (status and reads, progress, rating,
// review, notes, owned, shelves), ownership (404), CSRF (403) and escaping.
#include <gtest/gtest.h>

#include <regex>

#include "core/domain.h"
#include "tests/http/test_app.h"

namespace booklib::test {
namespace {

// Whether a form's answer is the redirect back to `location`.
testing::AssertionResult RedirectsTo(const Page& page, const std::string& location) {
  if (page.status == 303 && page.Header("location") == location) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "wanted 303 to " << location << ", got status " << page.status
                                     << " to \"" << page.Header("location") << "\":\n"
                                     << page.body;
}

// The text of the page's flash message, or "".
std::string Flash(const Page& page) {
  static const std::regex kFlash(R"re(<p class="flash[^"]*" role="status">([^<]*)</p>)re");
  std::smatch match;
  return std::regex_search(page.body, match, kFlash) ? std::string(match[1]) : std::string();
}

// The read ids of a book page, in the order the page lists them.
std::vector<std::string> ReadIds(const std::string& html) {
  static const std::regex kRead(R"re(action="/books/[0-9a-f-]+/reads/([0-9a-f-]+)")re");
  std::vector<std::string> ids;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kRead); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

class BookPageTest : public testing::Test {
 protected:
  void SetUp() override { ada_.SignUpAndLogIn("ada"); }

  // Adds a book to ada's library by hand (title given) or by ISBN; its entry's id, from the store.
  std::string AddBook(web::FormFields fields) {
    const Page added = ada_.PostForm("/add_book", std::move(fields));
    EXPECT_EQ(added.status, 303) << added.body;
    const auto found = store().FindUserByEmail("ada@example.com");
    EXPECT_TRUE(found);
    if (!found) return "";
    const auto entries = store().ListLibrary(found->id);
    EXPECT_TRUE(entries && !entries->empty());
    if (!entries || entries->empty()) return "";
    return entries->front().user_book.id;  // newest first
  }

  UserBook Entry(const std::string& id) {
    auto entry = store().FindUserBook(id);
    EXPECT_TRUE(entry) << entry.error().message;
    return entry ? *entry : UserBook{};
  }

  // What the metadata worker would have stored for the catalogue record of `id`, from `source`.
  void SetCatalogueDetails(const std::string& id, const BookDetails& details,
                           const std::string& source = "Open Library") {
    ASSERT_TRUE(store().UpdateBookDetails(Entry(id).book_id, details, source));
  }

  Store& store() { return *app_.services().store; }

  TestApp app_;
  Browser ada_{app_.BaseUrl()};
  Browser eve_{app_.BaseUrl()};
};

TEST_F(BookPageTest, ShowsEveryDetailAndWhereEachCameFrom) {
  const std::string id = AddBook({{"isbn", "9781782276340"}, {"title", "My Own Title"}});
  SetCatalogueDetails(id, BookDetails{.title = "Catalogue Title",
                                      .author = "Cat Author",
                                      .genre = "Fiction",
                                      .description = "A long\ndescription.",
                                      .publisher = "Pushkin Press",
                                      .published_date = "2016",
                                      .page_count = 288,
                                      .series = "The Cycle",
                                      .series_index = "2"});
  const Page page = ada_.Get("/books/" + id);
  ASSERT_TRUE(AnswersWith(page, 200, "<h1 id=\"bp-title\">My Own Title</h1>"));
  EXPECT_TRUE(Contains(page.body, "Title typed by you"));
  EXPECT_FALSE(Contains(page.body, "Catalogue Title"));  // the typed title wins
  EXPECT_TRUE(
      Contains(page.body, "<dt>Author</dt><dd>Cat Author <span class=\"bp-source\">(from Open Library)"));
  EXPECT_TRUE(Contains(page.body, "<dt>Publisher</dt><dd>Pushkin Press"));
  EXPECT_TRUE(Contains(page.body, "<dt>Pages</dt><dd>288"));
  EXPECT_TRUE(Contains(page.body, "<dt>Series</dt><dd>The Cycle #2"));
  EXPECT_TRUE(Contains(page.body, "<dt>ISBN</dt><dd>9781782276340"));
  EXPECT_TRUE(Contains(page.body, "A long\ndescription."));
  // No cover anywhere: the placeholder shows the title's first letter.
  EXPECT_TRUE(Contains(page.body, "<div class=\"bp-nocover\" aria-hidden=\"true\">M</div>"));
  EXPECT_FALSE(Contains(page.body, "<img"));
  // The page sits in the layout, with its actions.
  EXPECT_TRUE(Contains(page.body, "Log out ada"));
  EXPECT_TRUE(Contains(page.body, "href=\"/edit_book/" + id + "\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/books/" + id + "/delete\""));
}

TEST_F(BookPageTest, EachDetailNamesTheProviderThatFilledIt) {
  const std::string id = AddBook({{"isbn", "9780804429573"}});
  SetCatalogueDetails(id, BookDetails{.title = "The Goblin Emperor", .author = "Katherine Addison"},
                      "Google Books");
  Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "Title from Google Books"));
  EXPECT_TRUE(Contains(page.body,
                       "<dt>Author</dt><dd>Katherine Addison <span class=\"bp-source\">(from Google Books)"));
  // A record filled before the store kept the provider says only that it is the catalogue's.
  SetCatalogueDetails(id, BookDetails{.title = "The Goblin Emperor", .author = "Katherine Addison"}, "");
  page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "(from the catalogue)"));
  EXPECT_FALSE(Contains(page.body, "Google Books"));
}

TEST_F(BookPageTest, ATypedCoverIsServedThroughBooklibLikeTheCards) {
  const std::string id = AddBook({{"title", "Covered"}, {"cover_image_url", "https://covers.example/c.jpg"}});
  const Page page = ada_.Get("/books/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "src=\"/covers/" + id + "?v=")) << page.body;
  EXPECT_FALSE(Contains(page.body, "covers.example"));  // the page itself loads nothing from elsewhere
}

TEST_F(BookPageTest, APlaceholderForANonAsciiTitleShowsItsWholeFirstLetter) {
  const std::string id = AddBook({{"title", "Émile et les autres"}});
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "aria-hidden=\"true\">É</div>"));
}

TEST_F(BookPageTest, MarkingReadingThenReadWithDatesRecordsOneFinishedRead) {
  const std::string id = AddBook({{"title", "Dune"}});
  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm("/books/" + id + "/status", {{"status", "reading"}, {"date", "2026-01-02"}}),
                  "/books/" + id));
  EXPECT_EQ(Flash(ada_.Get("/books/" + id)), "Marked as \u201cReading\u201d.");
  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm("/books/" + id + "/status", {{"status", "read"}, {"date", "2026-01-20"}}),
                  "/books/" + id));
  const UserBook entry = Entry(id);
  EXPECT_EQ(entry.status, ReadingStatus::kRead);
  ASSERT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.reads[0].started_on, "2026-01-02");
  EXPECT_EQ(entry.reads[0].finished_on, "2026-01-20");
  EXPECT_EQ(entry.reads[0].outcome, ReadOutcome::kFinished);
  const Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "Started 2026-01-02 \u00b7 finished 2026-01-20"));
  EXPECT_TRUE(Contains(page.body, "Read 1 time &middot; last finished 2026-01-20"));
  EXPECT_TRUE(Contains(page.body, "<option value=\"read\" selected>Read</option>"));
}

TEST_F(BookPageTest, ARereadGivesTwoFinishedReads) {
  const std::string id = AddBook({{"title", "Middlemarch"}});
  const std::string status = "/books/" + id + "/status";
  ada_.PostForm(status, {{"status", "read"}, {"date", "2025-03-01"}});
  ada_.PostForm(status, {{"status", "reading"}, {"date", "2026-02-01"}});
  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm(status, {{"status", "read"}, {"date", "2026-02-10"}}), "/books/" + id));
  const UserBook entry = Entry(id);
  ASSERT_EQ(entry.reads.size(), 2u);
  EXPECT_EQ(FinishedReadCount(entry), 2);
  EXPECT_EQ(LastFinishedOn(entry), "2026-02-10");
  const Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "Read 2 times &middot; last finished 2026-02-10"));
  EXPECT_EQ(ReadIds(page.body).size(), 2u);
}

TEST_F(BookPageTest, DidNotFinishClosesTheOpenReadWithThatOutcome) {
  const std::string id = AddBook({{"title", "Ulysses"}});
  ada_.PostForm("/books/" + id + "/status", {{"status", "reading"}, {"date", "2026-01-05"}});
  EXPECT_TRUE(RedirectsTo(
      ada_.PostForm("/books/" + id + "/status", {{"status", "did-not-finish"}, {"date", "2026-01-30"}}),
      "/books/" + id));
  const UserBook entry = Entry(id);
  EXPECT_EQ(entry.status, ReadingStatus::kDidNotFinish);
  ASSERT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.reads[0].outcome, ReadOutcome::kDidNotFinish);
  EXPECT_EQ(FinishedReadCount(entry), 0);
  const Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "Started 2026-01-05 \u00b7 stopped 2026-01-30"));
  EXPECT_TRUE(Contains(page.body, "<span class=\"status status-did-not-finish\">Did not finish</span>"));
  EXPECT_TRUE(Contains(page.body, "Read 0 times"));
}

TEST_F(BookPageTest, AnUnknownStatusOrABadDateIsExplainedInThePage) {
  const std::string id = AddBook({{"title", "Emma"}});
  const Page lost = ada_.PostForm("/books/" + id + "/status", {{"status", "lost"}});
  EXPECT_TRUE(AnswersWith(lost, 400, "role=\"alert\""));
  EXPECT_TRUE(Contains(lost.body, "<h1 id=\"bp-title\">Emma</h1>"));  // the book page, in the layout
  EXPECT_TRUE(
      AnswersWith(ada_.PostForm("/books/" + id + "/status", {{"status", "read"}, {"date", "yesterday"}}), 400,
                  "role=\"alert\""));
  EXPECT_TRUE(
      AnswersWith(ada_.PostForm("/books/" + id + "/status", {{"status", "read"}, {"date", "2999-01-01"}}),
                  400, "role=\"alert\""));
  EXPECT_TRUE(Entry(id).reads.empty());
}

TEST_F(BookPageTest, AReadIsAddedEditedAndDeleted) {
  const std::string id = AddBook({{"title", "Persuasion"}});
  EXPECT_TRUE(RedirectsTo(
      ada_.PostForm("/books/" + id + "/reads",
                    {{"started_on", "2024-05-01"}, {"finished_on", "2024-05-09"}, {"outcome", "finished"}}),
      "/books/" + id));
  Page page = ada_.Get("/books/" + id);
  EXPECT_EQ(Flash(page), "Read added.");
  EXPECT_TRUE(Contains(page.body, "Started 2024-05-01 \u00b7 finished 2024-05-09"));
  const std::vector<std::string> reads = ReadIds(page.body);
  ASSERT_EQ(reads.size(), 1u);

  EXPECT_TRUE(RedirectsTo(
      ada_.PostForm("/books/" + id + "/reads/" + reads[0],
                    {{"started_on", "2024-04-28"}, {"finished_on", "2024-05-12"}, {"outcome", "finished"}}),
      "/books/" + id));
  UserBook entry = Entry(id);
  ASSERT_EQ(entry.reads.size(), 1u);
  EXPECT_EQ(entry.reads[0].started_on, "2024-04-28");
  EXPECT_EQ(entry.reads[0].finished_on, "2024-05-12");
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "value=\"2024-04-28\""));

  // Finished before it started: refused with the reason, nothing changed.
  EXPECT_TRUE(AnswersWith(ada_.PostForm("/books/" + id + "/reads/" + reads[0],
                                        {{"started_on", "2024-06-01"}, {"finished_on", "2024-05-12"}}),
                          400, "role=\"alert\""));
  EXPECT_EQ(Entry(id).reads[0].started_on, "2024-04-28");

  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm("/books/" + id + "/reads/" + reads[0] + "/delete", {}), "/books/" + id));
  EXPECT_TRUE(Entry(id).reads.empty());
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "No reads recorded yet."));
  // A read that is gone is not found.
  EXPECT_EQ(ada_.PostForm("/books/" + id + "/reads/" + reads[0] + "/delete", {}).status, 404);
}

TEST_F(BookPageTest, ProgressIsAPageOfTheBookOrAPercentAndNeverBeyondTheLastPage) {
  const std::string id = AddBook({{"isbn", "9781782276340"}});
  SetCatalogueDetails(id, BookDetails{.title = "The Long Book", .page_count = 300});
  ada_.PostForm("/books/" + id + "/status", {{"status", "reading"}});
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/progress", {{"value", "120"}, {"unit", "page"}}),
                          "/books/" + id));
  Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "Page 120 of 300 (40%)"));
  EXPECT_TRUE(Contains(page.body, "<progress class=\"bp-progress\" max=\"100\" value=\"40\""));
  EXPECT_EQ(Entry(id).progress, (Progress{ProgressUnit::kPage, 120}));

  const Page beyond = ada_.PostForm("/books/" + id + "/progress", {{"value", "301"}, {"unit", "page"}});
  EXPECT_TRUE(AnswersWith(beyond, 400, "role=\"alert\""));
  EXPECT_TRUE(Contains(beyond.body, "300")) << beyond.body;  // the reason names the page count
  EXPECT_TRUE(Contains(beyond.body, "name=\"value\" min=\"0\" inputmode=\"numeric\" value=\"301\""));
  EXPECT_EQ(Entry(id).progress, (Progress{ProgressUnit::kPage, 120}));

  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/progress", {{"value", "45"}, {"unit", "percent"}}),
                          "/books/" + id));
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "<p class=\"bp-progress-text\">45%</p>"));
  EXPECT_TRUE(
      AnswersWith(ada_.PostForm("/books/" + id + "/progress", {{"value", "101"}, {"unit", "percent"}}), 400,
                  "role=\"alert\""));
  EXPECT_TRUE(AnswersWith(ada_.PostForm("/books/" + id + "/progress", {{"value", "lots"}, {"unit", "page"}}),
                          400, "role=\"alert\""));
}

TEST_F(BookPageTest, ARatingIsSavedInHalfStars) {
  const std::string id = AddBook({{"title", "Half Good"}});
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/rating", {{"rating", "3.5"}}), "/books/" + id));
  EXPECT_EQ(Entry(id).rating_halves, 7);
  const Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(Contains(page.body, "title=\"3.5 of 5\">\u2605\u2605\u2605\u00bd\u2606</span>"));
  EXPECT_TRUE(Contains(page.body, "<option value=\"3.5\" selected>"));
  EXPECT_TRUE(
      AnswersWith(ada_.PostForm("/books/" + id + "/rating", {{"rating", "3.7"}}), 400, "role=\"alert\""));
  EXPECT_EQ(Entry(id).rating_halves, 7);
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/rating", {{"rating", "0"}}), "/books/" + id));
  EXPECT_EQ(Entry(id).rating_halves, std::nullopt);
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "<option value=\"0\" selected>No rating</option>"));
}

TEST_F(BookPageTest, ReviewNotesAndOwnedAreSaved) {
  const std::string id = AddBook({{"title", "Kept"}});
  EXPECT_TRUE(RedirectsTo(
      ada_.PostForm("/books/" + id + "/review", {{"review", "Loved it.\nTwice."}, {"notes", "Lent to Bo"}}),
      "/books/" + id));
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/owned", {{"owned", "1"}}), "/books/" + id));
  UserBook entry = Entry(id);
  EXPECT_EQ(entry.review, "Loved it.\nTwice.");
  EXPECT_EQ(entry.notes, "Lent to Bo");
  EXPECT_TRUE(entry.owned);
  Page page = ada_.Get("/books/" + id);
  EXPECT_EQ(Flash(page), "Marked as owned.");
  EXPECT_TRUE(Contains(page.body, ">Loved it.\nTwice.</textarea>"));
  EXPECT_TRUE(Contains(page.body, ">Lent to Bo</textarea>"));
  EXPECT_TRUE(Contains(page.body, "name=\"owned\" value=\"1\" checked>"));
  // An unticked box sends nothing: not owned.
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/owned", {}), "/books/" + id));
  EXPECT_FALSE(Entry(id).owned);
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "name=\"owned\" value=\"1\"> I own a copy"));
  EXPECT_TRUE(AnswersWith(
      ada_.PostForm("/books/" + id + "/review", {{"review", std::string(20001, 'x')}, {"notes", ""}}), 400,
      "role=\"alert\""));
  EXPECT_EQ(Entry(id).review, "Loved it.\nTwice.");
  // What was typed is shown again, not lost.
  EXPECT_TRUE(Contains(
      ada_.PostForm("/books/" + id + "/review", {{"review", std::string(20001, 'y')}, {"notes", "kept"}})
          .body,
      ">" + std::string(20001, 'y') + "</textarea>"));
}

TEST_F(BookPageTest, ABookIsPutOnAShelfAndTakenOffIt) {
  const std::string id = AddBook({{"title", "Shelved"}});
  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm("/books/" + id + "/shelves", {{"shelf", "  Favourites "}}), "/books/" + id));
  EXPECT_EQ(Entry(id).shelves, std::vector<std::string>{"Favourites"});
  Page page = ada_.Get("/books/" + id);
  EXPECT_EQ(Flash(page), "Added to \u201cFavourites\u201d.");
  EXPECT_TRUE(Contains(page.body, "<a href=\"/books?shelf=Favourites\">Favourites</a>"));
  EXPECT_TRUE(Contains(page.body, "aria-label=\"Remove Shelved from shelf Favourites\""));
  EXPECT_TRUE(
      Contains(page.body, "<datalist id=\"bp-known-shelves\"><option value=\"Favourites\"></datalist>"));
  const Page shelves = ada_.Get("/shelves");
  EXPECT_TRUE(
      AnswersWith(shelves, 200, "<a href=\"/books?shelf=Favourites\">Favourites</a> <small>1 book</small>"));

  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/shelves/remove", {{"shelf", "Favourites"}}),
                          "/books/" + id));
  EXPECT_TRUE(Entry(id).shelves.empty());
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "On no shelf yet."));
  EXPECT_TRUE(
      Contains(ada_.Get("/shelves").body, "Favourites</a> <small>0 books</small>"));  // the shelf stays
  EXPECT_TRUE(
      AnswersWith(ada_.PostForm("/books/" + id + "/shelves", {{"shelf", " "}}), 400, "role=\"alert\""));
}

TEST_F(BookPageTest, ShelvesAreCreatedRenamedAndDeletedWithAConfirmation) {
  const std::string id = AddBook({{"title", "Tagged"}});
  EXPECT_TRUE(AnswersWith(ada_.Get("/shelves"), 200, "You have no shelves yet."));
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/shelves", {{"name", "Later"}}), "/shelves"));
  ada_.PostForm("/books/" + id + "/shelves", {{"shelf", "Later"}});
  EXPECT_TRUE(AnswersWith(ada_.Get("/shelves"), 200,
                          "<a href=\"/books?shelf=Later\">Later</a> <small>1 book</small>"));
  EXPECT_TRUE(AnswersWith(ada_.PostForm("/shelves", {{"name", "later"}}), 409,
                          "role=\"alert\""));  // one shelf ignoring case
  EXPECT_TRUE(AnswersWith(ada_.PostForm("/shelves", {{"name", ""}}), 400, "role=\"alert\""));

  EXPECT_TRUE(
      RedirectsTo(ada_.PostForm("/shelves/rename", {{"from", "Later"}, {"to", "Some day"}}), "/shelves"));
  EXPECT_EQ(Entry(id).shelves, std::vector<std::string>{"Some day"});
  const Page renamed = ada_.Get("/shelves");
  EXPECT_EQ(Flash(renamed), "Shelf renamed to \u201cSome day\u201d.");
  EXPECT_TRUE(Contains(renamed.body, "<a href=\"/books?shelf=Some%20day\">Some day</a>"));
  EXPECT_FALSE(Contains(renamed.body, ">Later<"));

  const Page confirm = ada_.Get("/shelves/delete?name=Some%20day");
  EXPECT_TRUE(AnswersWith(confirm, 200, "Delete the shelf \u201cSome day\u201d?"));
  EXPECT_TRUE(Contains(confirm.body, "Its 1 book stays in your library"));
  EXPECT_TRUE(Contains(confirm.body, "<input type=\"hidden\" name=\"name\" value=\"Some day\">"));
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/shelves/delete", {{"name", "Some day"}}), "/shelves"));
  EXPECT_TRUE(Entry(id).shelves.empty());
  EXPECT_TRUE(Contains(ada_.Get("/shelves").body, "You have no shelves yet."));
  EXPECT_EQ(ada_.Get("/books/" + id).status, 200);  // the book stays
  EXPECT_EQ(ada_.Get("/shelves/delete?name=Some%20day").status, 404);
  EXPECT_EQ(ada_.PostForm("/shelves/delete", {{"name", "Some day"}}).status, 404);
}

TEST_F(BookPageTest, DeletingFromTheBookPageAsksFirst) {
  const std::string id = AddBook({{"title", "Goner"}});
  const Page confirm = ada_.Get("/books/" + id + "/delete");
  EXPECT_TRUE(AnswersWith(confirm, 200, "Remove this book from your library?"));
  EXPECT_TRUE(Contains(confirm.body, "action=\"/books/" + id + "/delete\""));
  EXPECT_TRUE(Contains(confirm.body, ">Remove Goner</button>"));
  EXPECT_EQ(ada_.Get("/books/" + id).status, 200);  // asking deleted nothing
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/delete", {}), "/books"));
  EXPECT_TRUE(AnswersWith(ada_.Get("/books/" + id), 404, "Book not found"));
}

TEST_F(BookPageTest, AMissingOrAnotherUsersIdIsNotFoundOnEveryRoute) {
  const std::string id = AddBook({{"title", "Private diary"}});
  ada_.PostForm("/books/" + id + "/status", {{"status", "read"}, {"date", "2026-01-01"}});
  ada_.PostForm("/books/" + id + "/shelves", {{"shelf", "Secret"}});
  const std::vector<std::string> reads = ReadIds(ada_.Get("/books/" + id).body);
  ASSERT_EQ(reads.size(), 1u);
  const UserBook before = Entry(id);
  eve_.SignUpAndLogIn("eve");
  for (const std::string& book :
       {id, std::string("00000000-0000-0000-0000-000000000000"), std::string("nope")}) {
    SCOPED_TRACE(book);
    const std::string base = "/books/" + book;
    const Page page = eve_.Get(base);
    EXPECT_TRUE(AnswersWith(page, 404, "Book not found"));
    EXPECT_TRUE(Contains(page.body, "Log out eve"));  // the 404 page is in the layout
    EXPECT_FALSE(Contains(page.body, "Private diary"));
    EXPECT_EQ(eve_.Get(base + "/delete").status, 404);
    const std::vector<std::pair<std::string, web::FormFields>> posts = {
        {base + "/status", {{"status", "reading"}}},
        {base + "/reads", {{"started_on", "2026-01-01"}}},
        {base + "/reads/" + reads[0], {{"started_on", "2020-01-01"}}},
        {base + "/reads/" + reads[0] + "/delete", {}},
        {base + "/progress", {{"value", "5"}, {"unit", "percent"}}},
        {base + "/rating", {{"rating", "1"}}},
        {base + "/review", {{"review", "pwned"}, {"notes", "pwned"}}},
        {base + "/owned", {{"owned", "1"}}},
        {base + "/shelves", {{"shelf", "pwned"}}},
        {base + "/shelves/remove", {{"shelf", "Secret"}}},
        {base + "/retry", {}},
        {base + "/delete", {}},
    };
    for (const auto& [path, fields] : posts) EXPECT_EQ(eve_.PostForm(path, fields).status, 404) << path;
  }
  // Shelves are found by name among the user's own.
  EXPECT_EQ(eve_.Get("/shelves/delete?name=Secret").status, 404);
  EXPECT_EQ(eve_.PostForm("/shelves/rename", {{"from", "Secret"}, {"to", "Mine"}}).status, 404);
  EXPECT_EQ(eve_.PostForm("/shelves/delete", {{"name", "Secret"}}).status, 404);
  EXPECT_FALSE(Contains(eve_.Get("/shelves").body, "Secret"));
  const UserBook after = Entry(id);
  EXPECT_EQ(after.reads, before.reads);
  EXPECT_EQ(after.status, before.status);
  EXPECT_EQ(after.shelves, before.shelves);
  EXPECT_EQ(after.review, "");
  EXPECT_FALSE(after.owned);
  EXPECT_EQ(ada_.Get("/shelves/delete?name=Secret").status, 200);
}

TEST_F(BookPageTest, EveryFormRefusesAMissingOrWrongCsrfToken) {
  const std::string id = AddBook({{"title", "Guarded"}});
  ada_.PostForm("/books/" + id + "/status", {{"status", "read"}, {"date", "2026-01-01"}});
  ada_.PostForm("/books/" + id + "/shelves", {{"shelf", "Kept"}});
  const std::vector<std::string> reads = ReadIds(ada_.Get("/books/" + id).body);
  ASSERT_EQ(reads.size(), 1u);
  const UserBook before = Entry(id);
  const std::string base = "/books/" + id;
  const std::vector<std::pair<std::string, web::FormFields>> posts = {
      {base + "/status", {{"status", "reading"}}},
      {base + "/reads", {{"started_on", "2026-01-01"}}},
      {base + "/reads/" + reads[0], {{"started_on", "2020-01-01"}}},
      {base + "/reads/" + reads[0] + "/delete", {}},
      {base + "/progress", {{"value", "5"}, {"unit", "percent"}}},
      {base + "/rating", {{"rating", "1"}}},
      {base + "/review", {{"review", "forged"}, {"notes", "forged"}}},
      {base + "/owned", {{"owned", "1"}}},
      {base + "/shelves", {{"shelf", "forged"}}},
      {base + "/shelves/remove", {{"shelf", "Kept"}}},
      {base + "/retry", {}},
      {base + "/delete", {}},
      {"/shelves", {{"name", "forged"}}},
      {"/shelves/rename", {{"from", "Kept"}, {"to", "forged"}}},
      {"/shelves/delete", {{"name", "Kept"}}},
  };
  for (const std::string& token : {std::string(""), std::string(64, 'a')}) {
    for (auto [path, fields] : posts) {
      fields["csrf_token"] = token;
      EXPECT_EQ(ada_.PostForm(path, fields).status, 403) << path << " with token \"" << token << "\"";
    }
  }
  const UserBook after = Entry(id);
  EXPECT_EQ(after.reads, before.reads);
  EXPECT_EQ(after.status, before.status);
  EXPECT_EQ(after.shelves, std::vector<std::string>{"Kept"});
  EXPECT_EQ(after.review, "");
  EXPECT_FALSE(after.owned);
  EXPECT_FALSE(Contains(ada_.Get("/shelves").body, "forged"));
}

TEST_F(BookPageTest, ATitleReviewAndShelfWithScriptAreShownEscaped) {
  const std::string id = AddBook({{"title", "<script>alert('t')</script>"}});
  ada_.PostForm("/books/" + id + "/review", {{"review", "</textarea><script>alert('r')</script>"},
                                             {"notes", "\"><img src=x onerror=alert(1)>"}});
  ada_.PostForm("/books/" + id + "/shelves", {{"shelf", "<b onmouseover=x>"}});
  const Page page = ada_.Get("/books/" + id);
  ASSERT_EQ(page.status, 200);
  EXPECT_FALSE(Contains(page.body, "<script>alert"));
  EXPECT_FALSE(Contains(page.body, "</textarea><script>"));
  EXPECT_FALSE(Contains(page.body, "<img src=x"));
  EXPECT_FALSE(Contains(page.body, "<b onmouseover"));
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(&apos;t&apos;)&lt;/script&gt;"));
  EXPECT_TRUE(Contains(page.body, "&lt;/textarea&gt;&lt;script&gt;alert(&apos;r&apos;)&lt;/script&gt;"));
  const Page shelves = ada_.Get("/shelves");
  EXPECT_FALSE(Contains(shelves.body, "<b onmouseover"));
  EXPECT_TRUE(Contains(shelves.body, "/books?shelf=%3Cb%20onmouseover%3Dx%3E"));
  EXPECT_FALSE(Contains(ada_.Get("/books/" + id + "/delete").body, "<script>alert"));
}

TEST_F(BookPageTest, AFailedLookupOffersRetryAndEnteringDetailsWithoutProviderInternals) {
  const std::string id = AddBook({{"isbn", "9781782276340"}});
  EXPECT_TRUE(Contains(ada_.Get("/books/" + id).body, "Fetching details"));
  ASSERT_TRUE(store().SetSyncStatus(id, SyncStatus::kFailed, "Google Books: HTTP 500: Backend Error"));
  const Page page = ada_.Get("/books/" + id);
  EXPECT_TRUE(AnswersWith(page, 200, "action=\"/books/" + id + "/retry\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/manual_update_book/" + id + "\""));
  EXPECT_FALSE(Contains(page.body, "Backend Error"));
  EXPECT_TRUE(RedirectsTo(ada_.PostForm("/books/" + id + "/retry", {}), "/books/" + id));
  EXPECT_EQ(Entry(id).sync_status, SyncStatus::kPending);
  EXPECT_FALSE(Contains(ada_.Get("/books/" + id).body, "/retry\""));  // nothing to retry while pending
  // After a definite "no such book" asking again cannot help: no Retry, but entering details.
  ASSERT_TRUE(store().SetSyncStatus(id, SyncStatus::kFailed, "not found in Google Books or Open Library"));
  const Page not_found = ada_.Get("/books/" + id);
  EXPECT_FALSE(Contains(not_found.body, "action=\"/books/" + id + "/retry\""));
  EXPECT_TRUE(Contains(not_found.body, "href=\"/manual_update_book/" + id + "\""));
  // A book typed by hand has nothing to look up: no Retry.
  const std::string typed = AddBook({{"title", "Typed in full"}});
  EXPECT_FALSE(Contains(ada_.Get("/books/" + typed).body, "/retry\""));
}

TEST_F(BookPageTest, PagesNeedALogin) {
  const std::string id = AddBook({{"title", "Mine"}});
  Browser anonymous(app_.BaseUrl());
  const Page page = anonymous.Get("/books/" + id);
  EXPECT_EQ(page.status, 303);
  EXPECT_EQ(page.Header("location"), "/login?next=/books/" + id);
  EXPECT_EQ(anonymous.Get("/shelves").status, 303);
}

}  // namespace
}  // namespace booklib::test
