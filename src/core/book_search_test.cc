// BookSearch over the in-memory store and the scripted provider: what a query may be, when the
// provider is asked, ISBNs typed into the search, and the reader's own books marked.
#include "core/book_search.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/library.h"
#include "tests/support/manual_clock.h"
#include "tests/support/memory_queue.h"
#include "tests/support/memory_store.h"
#include "tests/support/scripted_metadata_provider.h"

namespace booklib {
namespace {

using test::ScriptedMetadataProvider;
using Outcome = MetadataLookup::Outcome;
using Kind = BookSearchResult::Kind;

MetadataCandidate Candidate(std::string title, std::string isbn13) {
  MetadataCandidate candidate;
  candidate.details.title = std::move(title);
  candidate.isbn13 = std::move(isbn13);
  return candidate;
}

class BookSearchTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateUser(User{"u1", "reader", "r@example.com", "h", "2026-01-01T00:00:00Z"}));
    ASSERT_TRUE(store_.CreateUser(User{"u2", "other", "o@example.com", "h", "2026-01-01T00:00:00Z"}));
    provider_.AnswerSearch(
        "children of time",
        provider_.FoundSearch({Candidate("Children of Time", "9780316452502"), Candidate("A pamphlet", ""),
                               Candidate("Mort", "9780552131063")}));
  }

  std::string AddByIsbn(const std::string& user, const std::string& isbn) {
    auto entry = library_.AddBook(user, BookForm{.isbn = isbn});
    EXPECT_TRUE(entry) << (entry ? "" : entry.error().message);
    return entry ? entry->user_book.id : "";
  }

  test::ManualClock clock_;
  std::shared_ptr<test::MemoryDatabase> db_ = std::make_shared<test::MemoryDatabase>();
  test::MemoryStore store_{db_};
  test::MemoryQueue queue_{db_, clock_};
  Library library_{store_, queue_, clock_};
  ScriptedMetadataProvider provider_{"Books"};
  BookSearch search_{store_, provider_};
};

TEST_F(BookSearchTest, AnEmptyTooLongOrInvalidQueryIsRefusedWithoutAskingTheProvider) {
  for (const std::string& query :
       {std::string(""), std::string("  \t "), std::string(201, 'a'),
        std::string("\xC3\xA9") + std::string(200, 'e'), std::string("caf\xC3"), std::string("\xFF\xFE")}) {
    const auto result = search_.Search("u1", query);

    ASSERT_FALSE(result) << query;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << query;
    EXPECT_FALSE(result.error().message.empty());
  }
  EXPECT_TRUE(provider_.Searched().empty());
  EXPECT_EQ(provider_.Calls(), 0);
}

TEST_F(BookSearchTest, TwoHundredCharactersAreAllowedHoweverManyBytesTheyTake) {
  std::string query;
  for (int i = 0; i < 200; ++i) query += "\xC3\xA9";  // é: 200 characters, 400 bytes

  EXPECT_TRUE(search_.Search("u1", query));
  ASSERT_EQ(provider_.Searched().size(), 1u);
  EXPECT_EQ(provider_.Searched()[0].first, query);
}

TEST_F(BookSearchTest, TheTrimmedQueryIsSearchedForTenCandidates) {
  const auto result = search_.Search("u1", "  children of time \n");

  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->kind, Kind::kCandidates);
  EXPECT_EQ(provider_.Searched(), (std::vector<std::pair<std::string, int>>{{"children of time", 10}}));
  ASSERT_EQ(result->candidates.size(), 3u);
  EXPECT_EQ(result->candidates[0].found.details.title, "Children of Time");
  EXPECT_EQ(result->candidates[0].found.provider, "Books");
  EXPECT_EQ(result->isbn, "");
}

TEST_F(BookSearchTest, AtMostTenCandidatesAreReturned) {
  std::vector<MetadataCandidate> many;
  for (int i = 0; i < 15; ++i) many.push_back(Candidate("Book " + std::to_string(i), ""));
  provider_.AnswerAllSearches(provider_.FoundSearch(many));

  const auto result = search_.Search("u1", "book");

  ASSERT_TRUE(result);
  EXPECT_EQ(result->candidates.size(), 10u);
}

TEST_F(BookSearchTest, TheReadersOwnBooksAreMarkedWithTheirEntryAndNobodyElses) {
  const std::string entry = AddByIsbn("u1", "9780316452502");
  AddByIsbn("u2", "9780552131063");

  const auto result = search_.Search("u1", "children of time");

  ASSERT_TRUE(result);
  ASSERT_EQ(result->candidates.size(), 3u);
  EXPECT_EQ(result->candidates[0].owned_entry_id, entry);
  EXPECT_EQ(result->candidates[1].owned_entry_id, "");  // no ISBN: cannot be matched
  EXPECT_EQ(result->candidates[2].owned_entry_id, "") << "another reader's copy is not this reader's";
}

TEST_F(BookSearchTest, AnIsbnTypedIntoTheSearchIsLookedUpNotSearched) {
  provider_.Answer("9780316452502", ScriptedMetadataProvider::Found("Children of Time"));

  const auto result = search_.Search("u1", "ISBN-10: 0-316-45250-5");

  ASSERT_TRUE(result) << result.error().message;
  EXPECT_TRUE(provider_.Searched().empty());
  EXPECT_EQ(provider_.Asked(), std::vector<std::string>{"9780316452502"});
  EXPECT_EQ(result->kind, Kind::kCandidates);
  EXPECT_EQ(result->isbn, "9780316452502");
  ASSERT_EQ(result->candidates.size(), 1u);
  EXPECT_EQ(result->candidates[0].found.isbn13, "9780316452502");
  EXPECT_EQ(result->candidates[0].found.details.title, "Children of Time");
}

TEST_F(BookSearchTest, AnIsbnNobodyKnowsFindsNothingButKeepsTheIsbnToAddItBy) {
  const auto result = search_.Search("u1", "9780552131063");

  ASSERT_TRUE(result);
  EXPECT_EQ(result->kind, Kind::kNothingFound);
  EXPECT_EQ(result->isbn, "9780552131063");
  EXPECT_TRUE(result->candidates.empty());
}

TEST_F(BookSearchTest, NothingFoundIsSaidSo) {
  const auto result = search_.Search("u1", "no such book");

  ASSERT_TRUE(result);
  EXPECT_EQ(result->kind, Kind::kNothingFound);
}

TEST_F(BookSearchTest, ProvidersThatFailOrAnswerGarbageMakeTheSearchUnavailable) {
  for (const Outcome outcome : {Outcome::kTransient, Outcome::kMalformed}) {
    provider_.AnswerAllSearches(ScriptedMetadataProvider::FailedSearch(outcome, "Books: HTTP 503"));

    const auto result = search_.Search("u1", "dune");

    ASSERT_TRUE(result);
    EXPECT_EQ(result->kind, Kind::kUnavailable);
    EXPECT_TRUE(result->candidates.empty());
  }
  provider_.AnswerAll(ScriptedMetadataProvider::Transient("Books: timed out"));
  const auto by_isbn = search_.Search("u1", "9780552131063");
  ASSERT_TRUE(by_isbn);
  EXPECT_EQ(by_isbn->kind, Kind::kUnavailable);
}

}  // namespace
}  // namespace booklib
