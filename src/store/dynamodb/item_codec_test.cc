// Items of the three tables and update expressions, without a DynamoDB: what is stored and read back.
#include "store/dynamodb/item_codec.h"

#include <gtest/gtest.h>

namespace booklib::dynamodb {
namespace {

using nlohmann::json;

TEST(ItemCodec, AUserRoundTripsWithTheSeedsAttributeNames) {
  const User user{"6f1c0b5e-0000-4000-8000-000000000001", "ada", "ada@example.com", "pbkdf2:sha256:1$s$00",
                  "2026-01-01T00:00:00Z"};
  const Item item = ToItem(user);
  EXPECT_EQ(item["user_id"]["S"], user.id);
  EXPECT_EQ(item["password_hash"]["S"], user.password_hash);
  const auto back = UserFromItem(item);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->email, "ada@example.com");
  EXPECT_EQ(back->created_at, user.created_at);
}

TEST(ItemCodec, GuardsAndSessionsAreNeverMistakenForUsersNorIndexedByEmail) {
  const Item guard = ToItem(Guard{EmailGuardKey("ada@example.com"), "u1", 1700000000, false});
  const Item session = ToItem(Session{"abc", "u1", 1700000000});
  for (const Item& item : {guard, session}) {
    EXPECT_FALSE(UserFromItem(item));
    EXPECT_FALSE(item.contains("email"));
    EXPECT_FALSE(item.contains("username"));
  }
  EXPECT_EQ(GuardFromItem(guard)->owner_id, "u1");
  EXPECT_FALSE(GuardFromItem(guard)->committed);
  EXPECT_EQ(SessionFromItem(session)->id, "abc");
  EXPECT_EQ(SessionFromItem(session)->expires_at, 1700000000);
  EXPECT_EQ(session["user_id"]["S"], "session#abc");
}

TEST(ItemCodec, UsernamesClaimTheSameGuardWhateverTheirCase) {
  EXPECT_EQ(UsernameGuardKey("Ada"), UsernameGuardKey("ada"));
  EXPECT_NE(UsernameGuardKey("ada"), EmailGuardKey("ada"));
}

TEST(ItemCodec, ABookWithoutIsbnOrDetailsStoresNoEmptyStrings) {
  Book book{"b1", "", {}, "2026-01-01T00:00:00Z"};
  book.details.title = "Handwritten notes";
  const Item item = ToItem(book);
  EXPECT_FALSE(item.contains("isbn"));  // an empty GSI key would be rejected
  EXPECT_FALSE(item.contains("author"));
  EXPECT_FALSE(item.contains("page_count"));
  const Book back = BookFromItem(item);
  EXPECT_EQ(back.isbn, "");
  EXPECT_EQ(back.details.title, "Handwritten notes");
}

TEST(ItemCodec, BookDetailsRoundTripIncludingPageCount) {
  Book book{"b2", "9781782276340", {}, "2026-01-01T00:00:00Z"};
  book.details = BookDetails{"The Fifth Season",
                             "N. K. Jemisin",
                             "Fantasy",
                             "https://covers/x.jpg",
                             "Broken earth",
                             "Orbit",
                             "2015",
                             468,
                             "en"};
  const Item item = ToItem(book);
  EXPECT_EQ(item["page_count"]["N"], "468");
  EXPECT_EQ(BookFromItem(item).details, book.details);
}

TEST(ItemCodec, AShelfEntryKeepsStatusRatingSyncErrorAndTypedDetails) {
  UserBook entry;
  entry.id = "ub1";
  entry.user_id = "u1";
  entry.book_id = "b1";
  entry.status = ReadingStatus::kReading;
  entry.rating_halves = 8;
  entry.sync_status = SyncStatus::kFailed;
  entry.sync_error = "not found";
  entry.date_added = "2026-01-02T00:00:00Z";
  entry.typed.title = "My title";
  const Item item = ToItem(entry);
  EXPECT_EQ(item["status"]["S"], "reading");
  EXPECT_EQ(item["typed_title"]["S"], "My title");
  const UserBook back = UserBookFromItem(item);
  EXPECT_EQ(back.status, ReadingStatus::kReading);
  EXPECT_EQ(back.rating_halves, 8);
  EXPECT_EQ(back.sync_status, SyncStatus::kFailed);
  EXPECT_EQ(back.sync_error, "not found");
  EXPECT_EQ(back.typed.title, "My title");
  EXPECT_EQ(back.typed.author, "");
}

TEST(ItemCodec, AnEntryWrittenByTheSeedsAppReadsWithSensibleDefaults) {
  const json seed_item = json::parse(R"({
    "user_book_id": {"S": "1b2c"}, "user_id": {"S": "u9"}, "book_id": {"S": "b9"},
    "status": {"S": "to-read"}, "rating": {"S": "5"}, "sync_status": {"S": "SYNCED"},
    "date_added": {"S": "2024-05-01T10:00:00"}})");
  const UserBook entry = UserBookFromItem(seed_item);
  EXPECT_EQ(entry.status, ReadingStatus::kToRead);
  EXPECT_EQ(entry.rating_halves, 10);
  EXPECT_EQ(entry.sync_status, SyncStatus::kSynced);
  const json odd =
      json::parse(R"({"user_book_id": {"S": "x"}, "status": {"S": "want"}, "rating": {"N": "9"}})");
  EXPECT_EQ(UserBookFromItem(odd).status, ReadingStatus::kToRead);
  EXPECT_FALSE(UserBookFromItem(odd).rating_halves);
  EXPECT_EQ(UserBookFromItem(odd).sync_status, SyncStatus::kPending);
}

TEST(UpdateExpressionTest, ReservedWordsGoThroughPlaceholdersAndEmptyValuesAreRemoved) {
  UpdateExpression update;
  update.Set("status", StringValue("read")).SetOrRemove("sync_error", "").RequireExisting("user_book_id");
  json input = json::object();
  update.AddTo(input);
  EXPECT_EQ(input["UpdateExpression"], "SET #n0 = :v0 REMOVE #n1");
  EXPECT_EQ(input["ExpressionAttributeNames"],
            json({{"#n0", "status"}, {"#n1", "sync_error"}, {"#n2", "user_book_id"}}));
  EXPECT_EQ(input["ExpressionAttributeValues"], json({{":v0", {{"S", "read"}}}}));
  EXPECT_EQ(input["ConditionExpression"], "attribute_exists(#n2)");
}

TEST(UpdateExpressionTest, SetDetailsCoversEveryDetailField) {
  UpdateExpression update;
  BookDetails details;
  details.title = "T";
  details.page_count = 10;
  SetDetails(update, details, "typed_");
  json input = json::object();
  update.AddTo(input);
  EXPECT_EQ(input["ExpressionAttributeNames"].size(), 11u);
  EXPECT_EQ(input["ExpressionAttributeValues"].size(), 2u);  // title and page_count; the rest are removed
}

}  // namespace
}  // namespace booklib::dynamodb
