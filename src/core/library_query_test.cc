// What a library query means, on its own: folding, words, search terms, sort keys, and the
// in-memory evaluation (the store contract checks every adapter against the same cases).
#include "core/library_query.h"

#include <gtest/gtest.h>

namespace booklib {
namespace {

LibraryEntry Entry(std::string id, std::string title, std::string author, std::string added) {
  LibraryEntry entry;
  entry.user_book.id = std::move(id);
  entry.user_book.date_added = std::move(added);
  entry.book.details.title = std::move(title);
  entry.book.details.author = std::move(author);
  return entry;
}

std::vector<std::string> Ids(const LibraryPage& page) {
  std::vector<std::string> ids;
  for (const LibraryEntry& entry : page.entries) ids.push_back(entry.user_book.id);
  return ids;
}

TEST(FoldText, IgnoresCaseAndLatinAccents) {
  EXPECT_EQ(FoldText("Émile ZOLA"), "emile zola");
  EXPECT_EQ(FoldText("Çà et là, Ñandú, Øre, Straße"), "ca et la, nandu, ore, strasse");
  EXPECT_EQ(FoldText("Łódź Œuvre"), "lodz oeuvre");
  EXPECT_EQ(FoldText("ΔΕΛΤΑ Война"), "δελτα война");
  EXPECT_EQ(FoldText("村上春樹"), "村上春樹") << "other scripts are kept";
  EXPECT_EQ(FoldText(std::string("a\xff"
                                 "b",
                                 3)),
            std::string("a\xff"
                        "b",
                        3))
      << "a bad byte is kept";
}

TEST(Words, SplitOnPunctuationAndSpacesInAnyScript) {
  EXPECT_EQ(Words("Sci-fi, “classics” — re-read!"),
            (std::vector<std::string>{"sci", "fi", "classics", "re", "read"}));
  EXPECT_EQ(Words("  "), std::vector<std::string>{});
  EXPECT_EQ(Words("ノルウェイの森 1Q84"), (std::vector<std::string>{"ノルウェイの森", "1q84"}));
}

TEST(SearchTerms, AnIsbnInAnyFormIsItsIsbn13) {
  EXPECT_EQ(SearchTerms("ISBN-13: 978-0-441-01359-3"), std::vector<std::string>{"9780441013593"});
  EXPECT_EQ(SearchTerms("0441013597"), std::vector<std::string>{"9780441013593"});
  EXPECT_EQ(SearchTerms("Le Guin"), (std::vector<std::string>{"le", "guin"}));
  EXPECT_EQ(SearchTerms(std::string(40, 'a') + std::string(" b c d e f g h i j k l m n o p q r s")).size(),
            16u);
}

TEST(SearchDocument, HoldsShownTitleAuthorIsbnsShelvesAndNotes) {
  LibraryEntry entry = Entry("1", "Catalogue title", "Ursula K. Le Guin", "2026-01-01");
  entry.user_book.typed.title = "Typed Títle";
  entry.book.isbn = "9780441013593";
  entry.user_book.shelves = {"Sci-Fi"};
  entry.user_book.notes = "Lent to Ana";
  entry.user_book.review = "not searched";
  EXPECT_EQ(SearchDocument(entry),
            "typed title ursula k le guin 9780441013593 0441013597 sci fi lent to ana");
}

TEST(MatchesTerms, EveryTermMustPrefixSomeWord) {
  const std::string document = "the left hand of darkness ursula le guin";
  EXPECT_TRUE(MatchesTerms(document, {"dark", "ursu"}));
  EXPECT_TRUE(MatchesTerms(document, {}));
  EXPECT_FALSE(MatchesTerms(document, {"dark", "tolkien"}));
  EXPECT_FALSE(MatchesTerms(document, {"arkness"})) << "a prefix of a word, not any substring";
}

TEST(SortKey, FoldsAndDropsALeadingArticle) {
  EXPECT_EQ(SortKey("The Left Hand of Darkness"), "left hand of darkness");
  EXPECT_EQ(SortKey("A"), "a") << "a title that is only an article keeps it";
  EXPECT_EQ(SortKey("  Émile:  a life "), "emile a life");
}

TEST(ApplyQuery, SortsEachWayWithTiesNewestFirst) {
  std::vector<LibraryEntry> entries = {
      Entry("a", "Zebra", "Émile Zola", "2026-01-01"), Entry("b", "the apple", "Ada", "2026-01-03"),
      Entry("c", "", "", "2026-01-02"), Entry("d", "Mango", "Ada", "2026-01-04")};
  entries[0].user_book.rating_halves = 9;
  entries[1].user_book.rating_halves = 4;
  entries[0].user_book.reads = {{"r1", "", "2025-05-01", ReadOutcome::kFinished}};
  entries[3].user_book.reads = {{"r2", "", "2026-02-01", ReadOutcome::kFinished},
                                {"r3", "", "2026-03-01", ReadOutcome::kDidNotFinish}};
  LibraryQuery query;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"d", "b", "c", "a"}));
  query.sort = LibrarySort::kTitle;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"b", "d", "a", "c"}));
  query.sort = LibrarySort::kAuthor;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"d", "b", "a", "c"}));
  query.sort = LibrarySort::kRating;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"a", "b", "d", "c"}));
  query.sort = LibrarySort::kDateFinished;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"d", "a", "b", "c"}));
}

TEST(ApplyQuery, FiltersCountAndPages) {
  std::vector<LibraryEntry> entries;
  for (int i = 0; i < 7; ++i) {
    entries.push_back(
        Entry("e" + std::to_string(i), "Book " + std::to_string(i), "", "2026-01-0" + std::to_string(i + 1)));
    entries.back().user_book.status = i % 2 == 0 ? ReadingStatus::kRead : ReadingStatus::kToRead;
  }
  entries[6].user_book.status = ReadingStatus::kDidNotFinish;
  entries[1].user_book.owned = true;
  entries[2].user_book.shelves = {"Favourites"};
  entries[3].user_book.rating_halves = 8;
  entries[4].user_book.rating_halves = 9;
  entries[5].user_book.sync_status = SyncStatus::kFailed;

  LibraryQuery query;
  query.limit = 3;
  query.offset = 3;
  LibraryPage page = ApplyQuery(entries, query);
  EXPECT_EQ(page.total, 7);
  EXPECT_EQ(Ids(page), (std::vector<std::string>{"e3", "e2", "e1"}));
  EXPECT_EQ(page.status_counts, (std::array<int, 4>{3, 0, 3, 1}));
  query.offset = 6;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), std::vector<std::string>{"e0"});
  query.offset = 60;
  EXPECT_TRUE(ApplyQuery(entries, query).entries.empty());
  EXPECT_EQ(ApplyQuery(entries, query).total, 7);

  query = LibraryQuery{};
  query.status = ReadingStatus::kRead;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"e4", "e2", "e0"}));
  query = LibraryQuery{};
  query.owned = true;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), std::vector<std::string>{"e1"});
  query = LibraryQuery{};
  query.shelf = "FAVOURITES";
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), std::vector<std::string>{"e2"});
  query = LibraryQuery{};
  query.rating_stars = 4;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), (std::vector<std::string>{"e4", "e3"}));
  query.rating_stars = 0;
  EXPECT_EQ(ApplyQuery(entries, query).total, 5);
  query = LibraryQuery{};
  query.sync = SyncStatus::kFailed;
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), std::vector<std::string>{"e5"});
  query = LibraryQuery{};
  query.terms = SearchTerms("book 3");
  EXPECT_EQ(Ids(ApplyQuery(entries, query)), std::vector<std::string>{"e3"});
}

}  // namespace
}  // namespace booklib
