// The library page and its cards over real HTTP on loopback (a fresh SQLite file per test): what a
// card says about a book and its lookup, its controls, deleting, error pages.
#include <gtest/gtest.h>

#include <string>

#include "tests/http/test_app.h"
#include "tests/support/fake_http_server.h"

namespace booklib::test {
namespace {

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

testing::AssertionResult AnswersWith(const Page& page, int status, const std::string& text) {
  if (page.status == status && Contains(page.body, text)) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "wanted status " << status << " saying \"" << text
                                     << "\", got status " << page.status << ":\n"
                                     << page.body;
}

// The HTML of the card with data-id `id` on `page`, or "".
std::string CardOf(const std::string& page, const std::string& id) {
  const auto start = page.find("data-id=\"" + id + "\"");
  if (start == std::string::npos) return "";
  return page.substr(start, page.find("</article>", start) - start);
}

class LibraryPageTest : public testing::Test {
 protected:
  void SetUp() override { ada_.SignUpAndLogIn("ada"); }

  // Adds a book through the form; the new entry's id.
  std::string Add(web::FormFields fields) {
    EXPECT_EQ(ada_.PostForm("/add_book", std::move(fields)).status, 303);
    return FirstEditId(ada_.Get("/books").body);
  }
  // What the metadata worker writes when a lookup ends FAILED.
  void FailLookup(const std::string& id, const std::string& reason) {
    ASSERT_TRUE(app_.services().store->SetSyncStatus(id, SyncStatus::kFailed, reason));
  }

  TestApp app_;
  Browser ada_{app_.BaseUrl()};
};

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
