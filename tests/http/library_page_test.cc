// The library page and its cards over real HTTP on loopback (a fresh SQLite file per test): what a
// card says about a book and its lookup, its controls, deleting, error pages.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

// The HTML of the card with data-id `id` on `page`, or "".
std::string CardOf(const std::string& page, const std::string& id) {
  const auto start = page.find("data-id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</article>", start) - start);
}

class LibraryPageTest : public testing::Test {
 protected:
  void SetUp() override { ada_.SignUpAndLogIn("ada"); }

  // Adds a book through the form; the new entry's id (the one entry Ada did not have before).
  std::string Add(web::FormFields fields) {
    const auto ids = [&] {
      std::set<std::string> ids;
      const auto entries = app_.services().store->ListLibrary(AdaId());
      EXPECT_TRUE(entries);
      if (entries)
        for (const LibraryEntry& entry : *entries) ids.insert(entry.user_book.id);
      return ids;
    };
    const std::set<std::string> before = ids();
    EXPECT_EQ(ada_.PostForm("/add_book", std::move(fields)).status, 303);
    for (const std::string& id : ids())
      if (!before.contains(id)) return id;
    ADD_FAILURE() << "no book was added";
    return "";
  }
  // Entries added within one second tie on date_added (whole seconds); a test of "newest first"
  // waits for the next second.
  static void NextSecond() { std::this_thread::sleep_for(std::chrono::milliseconds{1100}); }
  // What the metadata worker writes when a lookup ends FAILED.
  void FailLookup(const std::string& id, const std::string& reason) {
    ASSERT_TRUE(app_.services().store->SetSyncStatus(id, SyncStatus::kFailed, reason));
  }

  Library& library() { return *app_.services().library; }
  std::string AdaId() { return app_.services().store->FindUserByEmail("ada@example.com")->id; }
  // The titles of the cards on `page`, in order.
  static std::vector<std::string> Titles(const std::string& page) {
    static const std::regex kTitle(
        R"re(<h2 class="title"><a href="/books/[0-9a-f-]+" data-control="open">([^<]*)</a>)re");
    std::vector<std::string> titles;
    for (auto it = std::sregex_iterator(page.begin(), page.end(), kTitle); it != std::sregex_iterator(); ++it)
      titles.push_back((*it)[1]);
    return titles;
  }
  std::vector<std::string> TitlesAt(const std::string& path) {
    const Page page = ada_.Get(path);
    EXPECT_EQ(page.status, 200) << path << "\n" << page.body;
    return Titles(page.body);
  }

  TestApp app_;
  Browser ada_{app_.BaseUrl()};
};

using TitleList = std::vector<std::string>;

TEST_F(LibraryPageTest, ACoverlessCardShowsTheWholeFirstCharacterOfItsTitleInAnyScript) {
  const std::string emile = Add({{"title", "Émile, ou De l'éducation"}});
  const std::string murakami = Add({{"title", "村上春樹の短編"}});
  const std::string page = ada_.Get("/books").body;
  EXPECT_TRUE(Contains(CardOf(page, emile), "<span class=\"nocover\" aria-hidden=\"true\">É</span>"))
      << CardOf(page, emile);
  EXPECT_TRUE(Contains(CardOf(page, murakami), "<span class=\"nocover\" aria-hidden=\"true\">村</span>"))
      << CardOf(page, murakami);
  EXPECT_FALSE(Contains(page, "\xEF\xBF\xBD"));  // no U+FFFD replacement character anywhere
}

TEST_F(LibraryPageTest, ABookNoServiceKnowsIsToldPlainlyWithEnterDetailsAndNoRetry) {
  const std::string id = Add({{"isbn", "9780306406157"}});
  FailLookup(id, "not found in Google Books or Open Library");
  const std::string card = CardOf(ada_.Get("/books").body, id);
  EXPECT_TRUE(
      Contains(card,
               "We couldn\u2019t find this ISBN in Google Books or Open Library \u2014 enter the details "
               "yourself."))
      << card;
  EXPECT_TRUE(Contains(card, "href=\"/manual_update_book/" + id + "\""));
  EXPECT_FALSE(Contains(card, "/retry_book/")) << "retrying cannot help after a definite not-found";
}

TEST_F(LibraryPageTest, ProvidersThatDidNotAnswerAreToldInPlainWordsWithRetryNeverTheirInternals) {
  const std::string id = Add({{"isbn", "9780306406157"}});
  FailLookup(id, "Google Books: HTTP 500: Backend Error; Open Library: timed out (gave up after 3 attempts)");
  const std::string card = CardOf(ada_.Get("/books").body, id);
  EXPECT_TRUE(Contains(card, "The book services didn\u2019t answer; try again later.")) << card;
  EXPECT_TRUE(Contains(card, "action=\"/retry_book/" + id + "\""));
  EXPECT_TRUE(Contains(card, "href=\"/manual_update_book/" + id + "\""));
  for (const char* internal : {"HTTP 500", "Backend Error", "gave up", "timed out", "Google Books:"})
    EXPECT_FALSE(Contains(card, internal)) << internal << " reached the page:\n" << card;
}

TEST_F(LibraryPageTest, AnUnreadableAnswerIsToldPlainlyWithRetry) {
  const std::string id = Add({{"isbn", "9780306406157"}});
  FailLookup(id, "Google Books: unexpected JSON: items[0].volumeInfo is not an object");
  const std::string card = CardOf(ada_.Get("/books").body, id);
  EXPECT_TRUE(Contains(card, "The book services sent details Booklib couldn\u2019t use")) << card;
  EXPECT_TRUE(Contains(card, "action=\"/retry_book/" + id + "\""));
  EXPECT_FALSE(Contains(card, "JSON"));
  EXPECT_FALSE(Contains(card, "volumeInfo"));
}

TEST_F(LibraryPageTest, AFailedLookupOfABookTypedInFullShowsNoFailure) {
  const std::string id = Add({{"isbn", "9780306406157"}, {"title", "Dune"}, {"author", "Frank Herbert"}});
  FailLookup(id, "Google Books: HTTP 500: Backend Error (gave up after 3 attempts)");
  const std::string card = CardOf(ada_.Get("/books").body, id);
  ASSERT_TRUE(Contains(card, "Dune")) << card;
  EXPECT_FALSE(Contains(card, "class=\"badge")) << card;
  EXPECT_FALSE(Contains(card, "class=\"reason\"")) << card;
  EXPECT_FALSE(Contains(card, "/retry_book/")) << card;
  EXPECT_FALSE(Contains(card, "/manual_update_book/")) << card;
}

TEST_F(LibraryPageTest, OnlyABadgeThatTellsSomethingIsShown) {
  const std::string typed = Add({{"title", "Grandma's recipes"}, {"author", "Grandma"}});
  const std::string pending = Add({{"isbn", "9780306406157"}});
  const std::string page = ada_.Get("/books").body;
  EXPECT_FALSE(Contains(CardOf(page, typed), "class=\"badge")) << CardOf(page, typed);
  EXPECT_FALSE(Contains(page, "Details synced"));
  EXPECT_TRUE(Contains(CardOf(page, pending), "Fetching details")) << CardOf(page, pending);
}

TEST_F(LibraryPageTest, EveryPerCardControlNamesItsBook) {
  const std::string dune = Add({{"isbn", "9780306406157"}, {"title", "Dune"}});
  const std::string untitled = Add({{"isbn", "9780262033848"}});
  FailLookup(dune, "x (gave up after 3 attempts)");  // a title but no author: details still missing
  FailLookup(untitled, "not found in Google Books or Open Library");
  const std::string page = ada_.Get("/books").body;
  const std::string card = CardOf(page, dune);
  for (const char* label :
       {"aria-label=\"Edit Dune\"", "aria-label=\"Delete Dune\"",
        "aria-label=\"Retry fetching details of Dune\"", "aria-label=\"Enter details of Dune\"",
        "data-confirm=\"Remove Dune from your library?\""})
    EXPECT_TRUE(Contains(card, label)) << label << " missing in:\n" << card;
  // A book without a title yet is named by its ISBN.
  EXPECT_TRUE(Contains(CardOf(page, untitled), "aria-label=\"Edit ISBN 9780262033848\""))
      << CardOf(page, untitled);
}

TEST_F(LibraryPageTest, DeletingWithoutConfirmationAsksOnAPageNamingTheBookAndDeletesNothing) {
  const std::string id = Add({{"title", "Dune"}});
  const Page asked = ada_.PostForm("/delete_book/" + id, {});
  EXPECT_TRUE(AnswersWith(asked, 200, "Remove \u201cDune\u201d from your library?"));
  EXPECT_TRUE(Contains(asked.body, "<link rel=\"stylesheet\""));  // in the layout
  EXPECT_TRUE(Contains(asked.body, "action=\"/delete_book/" + id + "\""));
  EXPECT_TRUE(Contains(asked.body, "name=\"confirm\" value=\"yes\""));
  EXPECT_TRUE(Contains(ada_.Get("/books").body, "Dune")) << "nothing is deleted before the answer";
  // The confirmation page's own form, as a browser would send it.
  EXPECT_EQ(ada_.PostForm("/delete_book/" + id, {{"confirm", "yes"}}).status, 303);
  EXPECT_FALSE(Contains(ada_.Get("/books").body, "Dune"));
}

TEST_F(LibraryPageTest, AnUnknownAddressAnswersA404PageInTheLayoutWithAWayHome) {
  const Page page = ada_.Get("/no/such/page");
  EXPECT_TRUE(AnswersWith(page, 404, "Page not found"));
  EXPECT_EQ(page.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(Contains(page.body, "<link rel=\"stylesheet\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/\""));
  EXPECT_TRUE(Contains(page.body, "Back to my library"));  // signed in: the library too
  EXPECT_TRUE(Contains(page.body, "Log out ada"));
  Browser visitor(app_.BaseUrl());
  const Page anonymous = visitor.Get("/nope");
  EXPECT_TRUE(AnswersWith(anonymous, 404, "Go to the home page"));
  EXPECT_FALSE(Contains(anonymous.body, "Back to my library"));
  const Page json = visitor.Get("/nope", {{"Accept", "application/json"}});
  EXPECT_EQ(json.status, 404);
  EXPECT_EQ(json.Header("content-type"), "application/json");
}

TEST_F(LibraryPageTest, AMissingBookAnswersA404PageInTheLayout) {
  const Page page = ada_.Get("/edit_book/00000000-0000-4000-8000-000000000000");
  EXPECT_TRUE(AnswersWith(page, 404, "Book not found"));
  EXPECT_TRUE(Contains(page.body, "Back to my library"));
  EXPECT_TRUE(Contains(page.body, "href=\"/\""));
}

TEST_F(LibraryPageTest, ClearingTheTitleOfABookOnlyTheReaderNamedIsRefusedInTheForm) {
  const std::string id = Add({{"title", "Notebook"}, {"author", "Me"}});
  const std::string form = ada_.Get("/edit_book/" + id).body;
  EXPECT_TRUE(Contains(form, "name=\"title\" value=\"Notebook\" maxlength=\"500\" required")) << form;
  const Page refused = ada_.PostForm("/edit_book/" + id, {{"title", "  "}, {"author", "Me"}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "class=\"error\"")) << refused.body;
  EXPECT_TRUE(Contains(refused.body, "action=\"/edit_book/" + id + "\""));  // the form again
  EXPECT_TRUE(Contains(ada_.Get("/books").body, "Notebook"));
}

TEST_F(LibraryPageTest, HalfStarRatingsAreOfferedAndShownInWordsAndStars) {
  const std::string form = ada_.Get("/add_book").body;
  EXPECT_TRUE(Contains(form, "<option value=\"4.5\">4.5 stars</option>")) << form;
  EXPECT_TRUE(Contains(form, "<option value=\"0.5\">0.5 stars</option>"));
  const std::string id = Add({{"title", "Dune"}, {"rating", "4.5"}});
  const std::string card = CardOf(ada_.Get("/books").body, id);
  EXPECT_TRUE(Contains(card, "4.5 of 5")) << card;
  EXPECT_TRUE(Contains(card, "stars-9")) << card;
  EXPECT_TRUE(Contains(ada_.Get("/edit_book/" + id).body, "<option value=\"4.5\" selected>"));
}

TEST_F(LibraryPageTest, DidNotFinishIsAStatusTheFormsOfferAndTheCardShows) {
  EXPECT_TRUE(
      Contains(ada_.Get("/add_book").body, "<option value=\"did-not-finish\">Did not finish</option>"));
  const std::string id = Add({{"title", "Ulysses"}, {"status", "did-not-finish"}});
  EXPECT_TRUE(Contains(CardOf(ada_.Get("/books").body, id), "Did not finish"));
}

TEST_F(LibraryPageTest, SearchFindsTitleAuthorAndIsbnIgnoringCaseAndAccents) {
  Add({{"title", "Émile, ou De l'éducation"}, {"author", "Jean-Jacques Rousseau"}});
  Add({{"title", "Dune"}, {"author", "Frank Herbert"}});
  Add({{"isbn", "9780306406157"}, {"title", "Physics Notes"}});
  EXPECT_EQ(TitlesAt("/books?q=emile"), TitleList{"Émile, ou De l&apos;éducation"});
  EXPECT_EQ(TitlesAt("/books?q=%C3%89MILE"), TitleList{"Émile, ou De l&apos;éducation"});
  EXPECT_EQ(TitlesAt("/books?q=HERB"), TitleList{"Dune"});  // a word's beginning is enough
  EXPECT_EQ(TitlesAt("/books?q=978-0-306-40615-7"), TitleList{"Physics Notes"});
  EXPECT_EQ(TitlesAt("/books?q=0306406152"), TitleList{"Physics Notes"});  // its ISBN-10
  EXPECT_EQ(TitlesAt("/books?q=frank+dune"), TitleList{"Dune"});           // every word must match
  EXPECT_EQ(TitlesAt("/books?q=frank+emile"), TitleList{});
  const Page page = ada_.Get("/books?q=HERB");
  EXPECT_TRUE(Contains(page.body, "type=\"search\" name=\"q\" value=\"HERB\""))
      << "the search box keeps the search";
  EXPECT_TRUE(Contains(page.body, "1 book of 3")) << page.body;
}

TEST_F(LibraryPageTest, EachFilterNarrowsTheLibraryAndStatusCountsAreQuickFilters) {
  const std::string dune = Add({{"title", "Dune"}, {"status", "reading"}, {"rating", "4.5"}});
  const std::string emma = Add({{"title", "Emma"}, {"status", "read"}, {"rating", "4"}});
  Add({{"title", "Ulysses"}, {"status", "did-not-finish"}});
  const std::string looked_up = Add({{"isbn", "9780306406157"}});
  FailLookup(looked_up, "not found in Google Books or Open Library");
  ASSERT_TRUE(library().SetOwned(AdaId(), emma, true));
  ASSERT_TRUE(library().AddToShelf(AdaId(), dune, "Sci-fi"));
  EXPECT_EQ(TitlesAt("/books?status=reading"), TitleList{"Dune"});
  EXPECT_EQ(TitlesAt("/books?status=did-not-finish"), TitleList{"Ulysses"});
  const auto sorted = [](TitleList titles) {
    std::ranges::sort(titles);
    return titles;
  };
  EXPECT_EQ(sorted(TitlesAt("/books?rating=4")), (TitleList{"Dune", "Emma"}));  // 4 and 4.5 stars
  EXPECT_EQ(sorted(TitlesAt("/books?rating=none")), (TitleList{"Ulysses", "Untitled"}));
  EXPECT_EQ(TitlesAt("/books?owned=yes"), TitleList{"Emma"});
  EXPECT_EQ(TitlesAt("/books?owned=no").size(), 3u);
  EXPECT_EQ(TitlesAt("/books?shelf=sci-fi"), TitleList{"Dune"});  // shelf names ignore case
  EXPECT_EQ(TitlesAt("/books?sync=failed"), TitleList{"Untitled"});
  EXPECT_EQ(TitlesAt("/books?sync=synced").size(), 3u);
  EXPECT_EQ(TitlesAt("/books?status=read&owned=yes"), TitleList{"Emma"});
  EXPECT_EQ(TitlesAt("/books?status=read&owned=no"), TitleList{});
  // The status links count the whole library and keep the other filters.
  const std::string page = ada_.Get("/books?owned=yes&sort=title").body;
  EXPECT_TRUE(Contains(
      page,
      "href=\"/books?status=reading&amp;owned=yes&amp;sort=title\">Reading <span class=\"count\">1</span>"))
      << page;
  EXPECT_TRUE(Contains(page, ">Did not finish <span class=\"count\">1</span>"));
  EXPECT_TRUE(Contains(page, "<option value=\"Sci-fi\">Sci-fi (1)</option>"))
      << "the reader's shelves are a filter";
}

TEST_F(LibraryPageTest, EachSortOrdersTheBooksAsAReaderExpects) {
  Add({{"title", "The Birds"}, {"author", "Zed Author"}, {"rating", "3"}});
  NextSecond();
  Add({{"title", "Antelopes"}, {"author", "Mid Author"}, {"rating", "5"}});
  NextSecond();
  Add({{"title", "Crows"}, {"author", "Able Author"}});
  NextSecond();
  const std::string read_first = Add({{"title", "Dodos"}, {"author", "Best Author"}, {"rating", "4.5"}});
  ASSERT_TRUE(library().SetStatus(AdaId(), read_first, "read", "2025-03-01"));
  EXPECT_EQ(TitlesAt("/books"),
            (TitleList{"Dodos", "Crows", "Antelopes", "The Birds"}));  // newest added first
  EXPECT_EQ(TitlesAt("/books?sort=added"), (TitleList{"Dodos", "Crows", "Antelopes", "The Birds"}));
  EXPECT_EQ(TitlesAt("/books?sort=title"),
            (TitleList{"Antelopes", "The Birds", "Crows", "Dodos"}));  // "The" ignored
  EXPECT_EQ(TitlesAt("/books?sort=author"), (TitleList{"Crows", "Dodos", "Antelopes", "The Birds"}));
  EXPECT_EQ(TitlesAt("/books?sort=rating"), (TitleList{"Antelopes", "Dodos", "The Birds", "Crows"}));
  EXPECT_EQ(TitlesAt("/books?sort=finished").front(), "Dodos");
  EXPECT_TRUE(
      Contains(ada_.Get("/books?sort=title").body, "<option value=\"title\" selected>Title</option>"));
}

TEST_F(LibraryPageTest, PagesOfFiftyWithATotalAndLinksThatKeepTheOtherParameters) {
  for (int i = 1; i <= 120; ++i) {
    char title[32];
    std::snprintf(title, sizeof title, "Book %03d", i);
    ASSERT_EQ(ada_.PostForm("/add_book", {{"title", title}, {"status", i % 2 ? "read" : "to-read"}}).status,
              303);
  }
  const Page first = ada_.Get("/books?sort=title");
  EXPECT_EQ(Titles(first.body).size(), 50u);
  EXPECT_TRUE(Contains(first.body, "120 books")) << "the total is shown";
  EXPECT_TRUE(Contains(first.body, "Page 1 of 3"));
  EXPECT_TRUE(Contains(first.body, "href=\"/books?sort=title&amp;page=2\" rel=\"next\""));
  EXPECT_FALSE(Contains(first.body, "rel=\"prev\""));
  const Page third = ada_.Get("/books?sort=title&page=3");
  const TitleList titles = Titles(third.body);
  ASSERT_EQ(titles.size(), 20u);
  EXPECT_EQ(titles.front(), "Book 101");
  EXPECT_EQ(titles.back(), "Book 120");
  EXPECT_TRUE(Contains(third.body, "href=\"/books?sort=title&amp;page=2\" rel=\"prev\""));
  EXPECT_FALSE(Contains(third.body, "rel=\"next\""));
  EXPECT_TRUE(
      Contains(third.body, "href=\"/books?sort=title\" aria-label=\"Page 1\""));  // page 1 needs no page=
  EXPECT_TRUE(Contains(third.body, "aria-current=\"page\" aria-label=\"Page 3\""));
  // Filters and paging together: 60 read books are two pages, and the links keep status=read.
  const Page read = ada_.Get("/books?status=read&sort=title&page=2");
  EXPECT_EQ(Titles(read.body).size(), 10u);
  EXPECT_TRUE(Contains(read.body, "60 books of 120"));
  EXPECT_TRUE(Contains(read.body, "href=\"/books?status=read&amp;sort=title\" rel=\"prev\""));
  // Past the last page: no cards, and a way back.
  const Page past = ada_.Get("/books?page=9");
  EXPECT_EQ(past.status, 200);
  EXPECT_TRUE(Contains(past.body, "href=\"/books?page=3\"")) << past.body;
}

TEST_F(LibraryPageTest, ABadParameterAnswers400InTheLayoutWithTheReason) {
  Add({{"title", "Dune"}});
  for (const auto& [query, reason] : std::vector<std::pair<std::string, std::string>>{
           {"sort=sideways", "Sort must be one of added, title, author, rating, finished"},
           {"status=lost", "Status must be"},
           {"rating=7", "Rating must be"},
           {"owned=maybe", "Owned must be yes or no"},
           {"sync=later", "Sync must be"},
           {"page=abc", "Page must be"},
           {"page=0", "Page must be"},
           {"q=%ZZ", "malformed"}}) {
    const Page page = ada_.Get("/books?" + query);
    EXPECT_TRUE(AnswersWith(page, 400, reason)) << query;
    EXPECT_TRUE(Contains(page.body, "<link rel=\"stylesheet\"")) << query;
    EXPECT_TRUE(Contains(page.body, "href=\"/books\"")) << query << ": a way back to the whole library";
  }
  EXPECT_EQ(ada_.Get("/books?q=" + std::string(300, 'a')).status, 400);
}

TEST_F(LibraryPageTest, ASearchContainingHtmlIsShownEscapedEverywhere) {
  Add({{"title", "Dune"}});
  const Page page = ada_.Get("/books?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E&status=%22%3E%3Cimg");
  EXPECT_EQ(page.status, 400);  // the status is no status
  EXPECT_FALSE(Contains(page.body, "<script>alert"));
  EXPECT_FALSE(Contains(page.body, "\"><img"));
  const Page searched = ada_.Get("/books?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  EXPECT_EQ(searched.status, 200);
  EXPECT_FALSE(Contains(searched.body, "<script>alert"));
  EXPECT_TRUE(Contains(searched.body, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_TRUE(
      Contains(searched.body, "No books match search \u201c&lt;script&gt;alert(1)&lt;/script&gt;\u201d"))
      << searched.body;
  EXPECT_TRUE(Contains(
      searched.body, "data-fragment-url=\"/books?q=%3Cscript%3Ealert%281%29%3C%2Fscript%3E&amp;fragment=1\""))
      << searched.body;
}

TEST_F(LibraryPageTest, AnEmptyResultSaysWhichFiltersAreActiveWithALinkToClearThem) {
  Add({{"title", "Dune"}, {"status", "reading"}});
  const Page page = ada_.Get("/books?q=zebra&status=read&owned=yes");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(Titles(page.body), TitleList{});
  EXPECT_TRUE(Contains(page.body, "No books match search \u201czebra\u201d, status Read, owned."))
      << page.body;
  EXPECT_TRUE(Contains(page.body, "<a href=\"/books\">Clear the filters</a>"));
  EXPECT_FALSE(Contains(page.body, "Your library is empty"));
}

TEST_F(LibraryPageTest, AnotherReadersBooksNeverShowInSearchesFiltersOrCounts) {
  Add({{"title", "Dune"}});
  Browser eve(app_.BaseUrl());
  eve.SignUpAndLogIn("eve");
  ASSERT_EQ(eve.PostForm("/add_book", {{"title", "Eve's secret diary"}, {"status", "reading"}}).status, 303);
  for (const char* path :
       {"/books", "/books?q=secret", "/books?status=reading", "/books?q=diary&sort=title", "/"}) {
    const Page page = ada_.Get(path);
    EXPECT_FALSE(Contains(page.body, "secret diary")) << path;
  }
  EXPECT_EQ(TitlesAt("/books?status=reading"), TitleList{});
  EXPECT_TRUE(Contains(ada_.Get("/books").body, ">Reading <span class=\"count\">0</span>"));
  EXPECT_EQ(Titles(eve.Get("/books?q=secret").body), TitleList{"Eve&apos;s secret diary"});
}

TEST_F(LibraryPageTest, TheLiveUpdateFragmentFollowsTheSameQuery) {
  Add({{"title", "Dune"}, {"status", "reading"}});
  Add({{"title", "Emma"}});
  const Page page = ada_.Get("/books?status=reading");
  EXPECT_TRUE(Contains(page.body, "data-fragment-url=\"/books?status=reading&amp;fragment=1\"")) << page.body;
  const Page fragment = ada_.Get("/books?status=reading&fragment=1");
  EXPECT_EQ(fragment.status, 200);
  EXPECT_FALSE(Contains(fragment.body, "<html"));
  EXPECT_EQ(Titles(fragment.body), TitleList{"Dune"});
}

TEST_F(LibraryPageTest, CardsLinkToTheBookPageAndShowProgressTheDateReadAndDidNotFinish) {
  const std::string reading = Add({{"title", "Dune"}, {"page_count", "400"}, {"status", "reading"}});
  ASSERT_TRUE(library().SetProgress(AdaId(), reading, "120", "page"));
  const std::string percent = Add({{"title", "Emma"}, {"status", "reading"}});
  ASSERT_TRUE(library().SetProgress(AdaId(), percent, "45", "percent"));
  const std::string read = Add({{"title", "Ulysses"}});
  ASSERT_TRUE(library().SetStatus(AdaId(), read, "read", "2025-11-03"));
  const std::string dnf = Add({{"title", "Moby-Dick"}, {"status", "did-not-finish"}});
  const std::string page = ada_.Get("/books").body;
  EXPECT_TRUE(Contains(CardOf(page, reading), "href=\"/books/" + reading + "\""));
  EXPECT_TRUE(Contains(CardOf(page, reading), "Page 120 of 400")) << CardOf(page, reading);
  EXPECT_TRUE(Contains(CardOf(page, reading), "<progress max=\"100\" value=\"30\""));
  EXPECT_TRUE(Contains(CardOf(page, percent), "45%")) << CardOf(page, percent);
  EXPECT_TRUE(Contains(CardOf(page, read), "Read on 3 Nov 2025")) << CardOf(page, read);
  EXPECT_TRUE(Contains(CardOf(page, dnf), "Did not finish"));
  // The edit form keeps the details it does not show on the card.
  EXPECT_TRUE(Contains(ada_.Get("/edit_book/" + reading).body, "name=\"page_count\" value=\"400\""));
}

TEST_F(LibraryPageTest, TheHomePageShowsWhatTheReaderIsReadingWhatTheyAddedAndTheirCounts) {
  const std::string dune = Add({{"title", "Dune"}, {"status", "reading"}, {"page_count", "400"}});
  ASSERT_TRUE(library().SetProgress(AdaId(), dune, "200", "page"));
  Add({{"title", "Emma"}, {"status", "read"}});
  NextSecond();
  Add({{"title", "Persuasion"}});
  const Page home = ada_.Get("/");
  EXPECT_EQ(home.status, 200);
  const std::string reading =
      home.body.substr(home.body.find("Currently reading"),
                       home.body.find("Recently added") - home.body.find("Currently reading"));
  EXPECT_TRUE(Contains(reading, "Dune")) << reading;
  EXPECT_TRUE(Contains(reading, "Page 200 of 400"));
  EXPECT_FALSE(Contains(reading, "Emma"));
  const std::string recent = home.body.substr(home.body.find("Recently added"));
  EXPECT_LT(recent.find("Persuasion"), recent.find("Emma"));  // newest first
  EXPECT_TRUE(
      Contains(home.body, "<a href=\"/books?status=reading\"><span class=\"count\">1</span> Reading</a>"))
      << home.body;
  EXPECT_TRUE(Contains(home.body, "<span class=\"count\">3</span> books in all"));
  EXPECT_FALSE(Contains(home.body, "Create an account"));
}

TEST(LibraryPageCovers, ATypedCoverIsServedByBooklibSoThePageLoadsNothingFromElsewhere) {
  FakeHttpServer cover_host;
  FakeResponse png = FakeResponse::Text("\x89PNG typed");
  png.headers = {{"Content-Type", "image/png"}};
  cover_host.Respond("/mine.png", png);
  TestAppOptions options;
  options.covers.https_only = false;  // the fake host is plain http on 127.0.0.1
  options.covers.may_connect = [](const net::ConnectTarget&) { return true; };
  TestApp app(options);
  Browser ada(app.BaseUrl());
  ada.SignUpAndLogIn("ada");
  ASSERT_EQ(
      ada.PostForm("/add_book", {{"title", "Mine"}, {"cover_image_url", cover_host.BaseUrl() + "/mine.png"}})
          .status,
      303);
  const std::string page = ada.Get("/books").body;
  const std::string id = FirstEditId(page);
  EXPECT_FALSE(Contains(page, cover_host.BaseUrl()));
  const auto src_at = page.find("src=\"/covers/" + id + "?v=");
  ASSERT_NE(src_at, std::string::npos) << page;
  const std::string src = page.substr(src_at + 5, page.find('"', src_at + 5) - src_at - 5);
  const Page cover = ada.Get(src);
  EXPECT_EQ(cover.status, 200);
  EXPECT_EQ(cover.Header("content-type"), "image/png");
  EXPECT_EQ(cover.body, "\x89PNG typed");
  // A changed cover is a new address, so no browser keeps showing the old one.
  ASSERT_EQ(ada.PostForm("/edit_book/" + id,
                         {{"title", "Mine"}, {"cover_image_url", cover_host.BaseUrl() + "/other.png"}})
                .status,
            303);
  EXPECT_FALSE(Contains(ada.Get("/books").body, src));
}

}  // namespace
}  // namespace booklib::test
