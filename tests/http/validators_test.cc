// The pages' validators over real HTTP (SQLite file, Beast on loopback): an ETag over the reader's
// library version, 304 while nothing they see changed, a new tag after every change they would
// see (their own writes and the catalogue's), never for a page with a message to show, and never
// one reader's tag opening another's page.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/http/test_app.h"

namespace booklib::test {
namespace {

class ValidatorsTest : public testing::Test {
 protected:
  void SetUp() override {
    ada_.SignUpAndLogIn("ada");
    (void)ada_.Get("/books");  // any message of the login shown and gone
  }

  // The ETag of a fresh 200 of `path`, checked to be revalidate-every-time.
  std::string TagOf(Browser& browser, const std::string& path) {
    const Page page = browser.Get(path);
    EXPECT_EQ(page.status, 200) << path << "\n" << page.body;
    const std::string tag = page.Header("etag");
    EXPECT_TRUE(tag.starts_with("W/\"")) << path << ": " << tag;
    EXPECT_EQ(page.Header("cache-control"), "private, no-cache") << path;
    return tag;
  }
  Page Revalidate(Browser& browser, const std::string& path, const std::string& tag) {
    return browser.Get(path, {{"If-None-Match", tag}});
  }
  std::string AdaId() { return app_.services().store->FindUserByEmail("ada@example.com")->id; }
  std::string AddBook(const std::string& title) {
    EXPECT_EQ(ada_.PostForm("/add_book", {{"title", title}, {"author", "Someone"}}).status, 303);
    (void)ada_.Get("/books");  // its flash shown
    const auto entries = app_.services().store->ListLibrary(AdaId());
    return entries && !entries->empty() ? entries->front().user_book.id : "";
  }

  TestApp app_;
  Browser ada_{app_.BaseUrl()};
};

TEST_F(ValidatorsTest, AnUnchangedLibraryAnswers304WithoutABody) {
  const std::string id = AddBook("Kindred");
  const std::vector<std::string> paths = {"/books", "/books?fragment=1", "/books?q=kindred&sort=title", "/",
                                          "/books/" + id};
  for (const std::string& path : paths) {
    const std::string tag = TagOf(ada_, path);
    const Page again = Revalidate(ada_, path, tag);
    EXPECT_EQ(again.status, 304) << path;
    EXPECT_EQ(again.body, "") << path;
    EXPECT_EQ(again.Header("etag"), tag) << path;
    // A list of tags, one of them ours (and the strong form of it), matches too.
    EXPECT_EQ(Revalidate(ada_, path, "\"other\", " + tag.substr(2)).status, 304) << path;
    EXPECT_EQ(Revalidate(ada_, path, "W/\"other\"").status, 200) << path;
  }
  // Each address has its own tag: a search's is not the whole library's.
  EXPECT_NE(TagOf(ada_, "/books"), TagOf(ada_, "/books?q=kindred"));
}

TEST_F(ValidatorsTest, EveryChangeTheReaderWouldSeeGivesANewTag) {
  const std::string id = AddBook("Kindred");
  std::string tag = TagOf(ada_, "/books");
  const auto expect_new_tag = [&](const char* what, const std::string& shown) {
    const Page page = Revalidate(ada_, "/books", tag);
    EXPECT_EQ(page.status, 200) << what;
    EXPECT_TRUE(Contains(page.body, shown)) << what << "\n" << page.body;
    EXPECT_NE(page.Header("etag"), tag) << what;
    tag = page.Header("etag");
  };
  AddBook("Parable of the Sower");
  expect_new_tag("a book added", "Parable of the Sower");
  ASSERT_EQ(ada_.PostForm("/books/" + id + "/rating", {{"rating", "4.5"}}).status, 303);
  (void)ada_.Get("/books/" + id);
  expect_new_tag("a rating", "4.5 of 5");
  ASSERT_EQ(ada_.PostForm("/shelves", {{"name", "Octavia"}}).status, 303);
  (void)ada_.Get("/shelves");
  expect_new_tag("a shelf", "Octavia");
  // The metadata worker's write to the catalogue record, through no page of Ada's.
  const auto entry = app_.services().store->FindUserBook(id);
  ASSERT_TRUE(entry);
  BookDetails details;
  details.title = "Kindred";
  details.author = "Octavia E. Butler";
  details.genre = "Speculative fiction";
  ASSERT_TRUE(app_.services().store->UpdateBookDetails(entry->book_id, details, "Open Library"));
  expect_new_tag("a catalogue update", "Speculative fiction");
}

TEST_F(ValidatorsTest, APageWithAMessageIsNeitherValidatedNorStored) {
  const std::string tag = TagOf(ada_, "/books");
  ASSERT_EQ(ada_.PostForm("/add_book", {{"title", "Dawn"}, {"author", "Octavia E. Butler"}}).status, 303);
  const Page with_flash = Revalidate(ada_, "/books", tag);
  EXPECT_EQ(with_flash.status, 200);
  EXPECT_TRUE(Contains(with_flash.body, "was added")) << with_flash.body;
  EXPECT_EQ(with_flash.Header("etag"), "");
  EXPECT_EQ(with_flash.Header("cache-control"), "no-store");
}

TEST_F(ValidatorsTest, OneReadersTagNeverOpensAnothersPage) {
  AddBook("Kindred");
  const std::string ada_tag = TagOf(ada_, "/books");
  Browser bob(app_.BaseUrl());
  bob.SignUpAndLogIn("bob");
  (void)bob.Get("/books");
  const Page page = Revalidate(bob, "/books", ada_tag);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.Header("etag"), ada_tag);
  EXPECT_FALSE(Contains(page.body, "Kindred"));
  // Logged out, the tag opens nothing either: the login page, not a 304.
  ASSERT_EQ(ada_.PostForm("/logout", {}).status, 303);
  EXPECT_NE(Revalidate(ada_, "/books", ada_tag).status, 304);
}

}  // namespace
}  // namespace booklib::test
