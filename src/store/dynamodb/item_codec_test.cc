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

TEST(ItemCodec, AnApiTokenIsStoredUnderItsHashAndRoundTrips) {
  const ApiToken token{"t1",
                       "u1",
                       "laptop",
                       TokenScope::kReadWrite,
                       std::string(64, 'a'),
                       "2026-01-01T00:00:00Z",
                       "2026-01-02T00:00:00Z"};
  const Item item = ToItem(token);
  EXPECT_EQ(item["user_id"]["S"], "apitoken#" + token.secret_hash);
  EXPECT_EQ(item["token_user_id"]["S"], "u1");
  EXPECT_EQ(item["scope"]["S"], "read-write");
  EXPECT_FALSE(item.contains("email"));
  EXPECT_FALSE(item.contains("username"));
  EXPECT_FALSE(UserFromItem(item));
  EXPECT_FALSE(ApiTokenListFromItem(item));
  EXPECT_EQ(ApiTokenFromItem(item), token);
}

TEST(ItemCodec, AnUnusedApiTokenStoresNoLastUseAndAnUnknownScopeReadsAsRead) {
  ApiToken token{"t2", "u1", "phone", TokenScope::kRead, std::string(64, 'b'), "2026-01-01T00:00:00Z", ""};
  Item item = ToItem(token);
  EXPECT_FALSE(item.contains("last_used_at"));
  EXPECT_EQ(ApiTokenFromItem(item)->last_used_at, "");
  item["scope"] = StringValue("admin");
  EXPECT_EQ(ApiTokenFromItem(item)->scope, TokenScope::kRead);
  EXPECT_FALSE(ApiTokenFromItem(ToItem(Session{"abc", "u1", 1700000000})));
}

TEST(ItemCodec, AnApiTokenListMapsIdsToHashesAndKeepsItsVersion) {
  const ApiTokenList list{"u1", {{"t1", "hash1"}, {"t2", "hash2"}}, 7};
  const Item item = ToItem(list);
  EXPECT_EQ(item["user_id"]["S"], "apitokens#u1");
  EXPECT_EQ(item["tokens"]["M"]["t2"]["S"], "hash2");
  const auto back = ApiTokenListFromItem(item);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, "u1");
  EXPECT_EQ(back->hashes, list.hashes);
  EXPECT_EQ(back->version, 7);
  EXPECT_FALSE(ApiTokenFromItem(item)) << "apitokens#u1 is a list, not the token with hash \"s#u1\"";
  EXPECT_FALSE(UserFromItem(item));
}

TEST(ItemCodec, AnEmptyApiTokenListStoresNoEmptyMap) {
  const Item item = ToItem(ApiTokenList{"u1", {}, 3});
  EXPECT_FALSE(item.contains("tokens"));
  EXPECT_TRUE(ApiTokenListFromItem(item)->hashes.empty());
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

UserBook ReadingModelEntry() {
  UserBook entry;
  entry.id = "ub2";
  entry.user_id = "u1";
  entry.book_id = "b1";
  entry.date_added = "2026-01-02T00:00:00Z";
  entry.status = ReadingStatus::kDidNotFinish;
  entry.rating_halves = 7;
  entry.review = "Line one,\nline \"two\" — ✓";
  entry.notes = "Lent to Ana";
  entry.owned = true;
  entry.shelves = {"Sci-Fi", "Ünread pile", "book club"};  // the entry's order, kept as it is
  entry.progress = {ProgressUnit::kPercent, 40};
  entry.typed.series = "Dune Chronicles";
  entry.typed.series_index = "1.5";
  entry.reads = {{"r1", "", "2019-04-02", ReadOutcome::kFinished},
                 {"r2", "2026-03-01", "", ReadOutcome::kInProgress},
                 {"r3", "2026-03-01", "2026-03-09", ReadOutcome::kDidNotFinish}};
  return entry;
}

TEST(ItemCodec, EveryPartOfTheReadingModelRoundTrips) {
  const UserBook entry = ReadingModelEntry();
  const UserBook back = UserBookFromItem(ToItem(entry));
  EXPECT_EQ(back.status, ReadingStatus::kDidNotFinish);
  EXPECT_EQ(back.rating_halves, 7);
  EXPECT_EQ(back.review, entry.review);
  EXPECT_EQ(back.notes, entry.notes);
  EXPECT_TRUE(back.owned);
  EXPECT_EQ(back.shelves, entry.shelves);
  EXPECT_EQ(back.progress, entry.progress);
  EXPECT_EQ(back.typed, entry.typed);
  EXPECT_EQ(back.reads, entry.reads);
}

TEST(ItemCodec, TheReadingModelIsStoredInTheDocumentedAttributeTypes) {
  const Item item = ToItem(ReadingModelEntry());
  EXPECT_EQ(item["rating"], json({{"N", "3.5"}}));
  EXPECT_EQ(item["owned"], json({{"BOOL", true}}));
  EXPECT_EQ(item["review"]["S"], "Line one,\nline \"two\" — ✓");
  EXPECT_EQ(item["shelves"],
            json::parse(R"({"L": [{"S": "Sci-Fi"}, {"S": "Ünread pile"}, {"S": "book club"}]})"));
  EXPECT_EQ(item["progress"], json::parse(R"({"M": {"unit": {"S": "percent"}, "value": {"N": "40"}}})"));
  ASSERT_EQ(item["reads"]["L"].size(), 3u);
  EXPECT_EQ(
      item["reads"]["L"][0],
      json::parse(
          R"({"M": {"id": {"S": "r1"}, "finished_on": {"S": "2019-04-02"}, "outcome": {"S": "finished"}}})"))
      << "an unknown date is left out, not stored empty";
  EXPECT_EQ(item["typed_series"]["S"], "Dune Chronicles");
  EXPECT_EQ(item["typed_series_index"]["S"], "1.5");
}

TEST(ItemCodec, AnEntryWithoutReadingModelPartsStoresNoEmptyValues) {
  UserBook entry;
  entry.id = "ub3";
  entry.user_id = "u1";
  entry.book_id = "b1";
  const Item item = ToItem(entry);
  for (const char* attribute : {"rating", "review", "notes", "shelves", "progress", "reads", "typed_series"})
    EXPECT_FALSE(item.contains(attribute)) << attribute;
  EXPECT_EQ(item["owned"], json({{"BOOL", false}}));
  const UserBook back = UserBookFromItem(item);
  EXPECT_FALSE(back.rating_halves);
  EXPECT_TRUE(back.shelves.empty());
  EXPECT_TRUE(back.reads.empty());
  EXPECT_EQ(back.progress, Progress{});
}

TEST(ItemCodec, RatingsAreStarsWithHalvesAndEveryHalfStepRoundTrips) {
  EXPECT_EQ(RatingText(1), "0.5");
  EXPECT_EQ(RatingText(8), "4");
  EXPECT_EQ(RatingText(9), "4.5");
  EXPECT_EQ(RatingText(10), "5");
  for (int halves = 1; halves <= 10; ++halves) {
    UserBook entry;
    entry.rating_halves = halves;
    EXPECT_EQ(UserBookFromItem(ToItem(entry)).rating_halves, halves) << halves;
  }
}

TEST(ItemCodec, TheSeedsWholeStarRatingsReadAsHalvesAndNonsenseAsNoRating) {
  const auto rating_of = [](const json& value) {
    return UserBookFromItem(json{{"rating", value}}).rating_halves;
  };
  EXPECT_EQ(rating_of({{"N", "4"}}), 8);
  EXPECT_EQ(rating_of({{"S", "5"}}), 10);
  EXPECT_EQ(rating_of({{"N", "1"}}), 2);
  EXPECT_EQ(rating_of({{"N", "4.5"}}), 9);
  EXPECT_EQ(rating_of({{"N", "3.0"}}), 6);
  for (const char* nonsense : {"0", "9", "5.5", "4.3", "-1", "", "abc", "4.", "10"})
    EXPECT_FALSE(rating_of({{"N", nonsense}})) << nonsense;
  EXPECT_FALSE(rating_of({{"BOOL", true}}));
}

TEST(ItemCodec, AnItemAsTheSeedsAppWroteItReadsWithAnEmptyReadingModel) {
  // What the seed's Flask app put in UserBooks: whole-star rating as N, its placeholders, no
  // reads, shelves, progress, review, notes or owned.
  const json seed_item = json::parse(R"({
    "user_book_id": {"S": "5c1e2a34-8f0b-4d61-9a57-2b9f0e6c1d11"}, "user_id": {"S": "u9"},
    "book_id": {"S": "b9"}, "status": {"S": "read"}, "rating": {"N": "4"},
    "sync_status": {"S": "SYNCED"}, "date_added": {"S": "2024-05-01T10:00:00.123456"},
    "typed_title": {"S": "Fetching Title..."}, "typed_author": {"S": "Fetching Author..."}})");
  const UserBook entry = UserBookFromItem(seed_item);
  EXPECT_EQ(entry.status, ReadingStatus::kRead);
  EXPECT_EQ(entry.rating_halves, 8);
  EXPECT_EQ(entry.review, "");
  EXPECT_EQ(entry.notes, "");
  EXPECT_FALSE(entry.owned);
  EXPECT_TRUE(entry.shelves.empty());
  EXPECT_EQ(entry.progress, Progress{});
  EXPECT_TRUE(entry.reads.empty());
  EXPECT_EQ(entry.typed.series, "");
}

TEST(ItemCodec, MalformedReadingModelAttributesReadAsNothingRatherThanFailing) {
  const json odd = json::parse(R"({
    "shelves": {"L": [{"S": "ok"}, {"N": "3"}]}, "progress": {"M": {"unit": {"S": "furlongs"}, "value": {"N": "3"}}},
    "reads": {"L": [{"M": {"id": {"S": "r"}, "outcome": {"S": "?"}}}, {"S": "not a read"}]},
    "owned": {"S": "yes"}})");
  const UserBook entry = UserBookFromItem(odd);
  EXPECT_EQ(entry.shelves, std::vector<std::string>{"ok"});
  EXPECT_EQ(entry.progress, Progress{});
  ASSERT_EQ(entry.reads.size(), 2u);
  EXPECT_EQ(entry.reads[0].outcome, ReadOutcome::kInProgress);
  EXPECT_FALSE(entry.owned);
}

TEST(ItemCodec, CatalogueBooksKeepTheirSeries) {
  Book book{"b3", "9780575081505", {}, "2026-01-01T00:00:00Z"};
  book.details.title = "Dune";
  book.details.series = "Dune";
  book.details.series_index = "1";
  const Item item = ToItem(book);
  EXPECT_EQ(item["series"]["S"], "Dune");
  EXPECT_EQ(item["series_index"]["S"], "1");
  EXPECT_EQ(BookFromItem(item).details, book.details);
}

TEST(ItemCodec, AShelfListIsNeitherAUserNorIndexedByEmailOrUsername) {
  const ShelfList list{"u1", {"favourites", "Book Club"}, {{"7", "Old name", "favourites"}}, 7};
  const Item item = ToItem(list);
  EXPECT_EQ(item["user_id"]["S"], "shelves#u1");
  EXPECT_FALSE(item.contains("email"));
  EXPECT_FALSE(item.contains("username"));
  EXPECT_FALSE(UserFromItem(item));
  EXPECT_FALSE(SessionFromItem(item));
  EXPECT_FALSE(GuardFromItem(item));
  EXPECT_EQ(item["names"]["M"]["book club"]["S"], "Book Club") << "keyed by the lower-cased name";
  const auto back = ShelfListFromItem(item);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->user_id, "u1");
  EXPECT_EQ(back->names, (std::vector<std::string>{"Book Club", "favourites"}));
  EXPECT_EQ(back->unfinished, list.unfinished);
  EXPECT_EQ(back->version, 7);
  EXPECT_FALSE(ShelfListFromItem(ToItem(Session{"abc", "u1", 1})));
  EXPECT_FALSE(ToItem(ShelfList{"u1", {}, {}, 1}).contains("unfinished"));
}

TEST(ShelfChangeTest, ARenameReplacesTheShelfIgnoringCaseAndKeepsTheListSorted) {
  const ShelfChange rename{"1", "Favourites", "Loved"};
  EXPECT_EQ(ApplyShelfChange({"Book club", "favourites", "Zines"}, rename),
            (std::vector<std::string>{"Book club", "Loved", "Zines"}));
  EXPECT_EQ(ApplyShelfChange({"favourites", "LOVED"}, rename), std::vector<std::string>{"Loved"})
      << "an old spelling of the new name is not kept twice";
  EXPECT_EQ(ApplyShelfChange({"Zines", "Book club"}, rename),
            (std::vector<std::string>{"Book club", "Zines"}));
  EXPECT_EQ(ApplyShelfChange({"favourites"}, ShelfChange{"2", "favourites", "FAVOURITES"}),
            std::vector<std::string>{"FAVOURITES"});
}

TEST(ShelfChangeTest, ADeleteTakesTheShelfOffAndLeavesTheRest) {
  const ShelfChange remove{"1", "book club", ""};
  EXPECT_EQ(ApplyShelfChange({"Book Club", "Zines"}, remove), std::vector<std::string>{"Zines"});
  EXPECT_TRUE(ApplyShelfChange({"BOOK CLUB"}, remove).empty());
  EXPECT_TRUE(HasShelf({"Zines", "Book Club"}, "book club"));
  EXPECT_FALSE(HasShelf({"Zines"}, "book club"));
}

TEST(ItemCodec, TheSizeBoundIsNeverBelowWhatDynamoDbCounts) {
  UserBook entry = ReadingModelEntry();
  entry.review = std::string(1000, 'x');
  const Item item = ToItem(entry);
  std::size_t counted = 0;  // names and string values alone: a lower bound of DynamoDB's count
  for (const auto& [name, value] : item.items())
    counted += name.size() + (value.contains("S") ? value["S"].get<std::string>().size() : 0);
  EXPECT_GE(ItemSizeUpperBound(item), counted);
  EXPECT_GT(ItemSizeUpperBound(item), 1000u);
}

TEST(UpdateExpressionTest, SetEntryReplacesEveryPartAndRemovesWhatBecameEmpty) {
  UserBook entry;
  entry.status = ReadingStatus::kRead;
  UpdateExpression update;
  SetEntry(update, entry);
  update.RequireExisting("user_book_id");
  json input = json::object();
  update.AddTo(input);
  const std::string expression = input["UpdateExpression"];
  const json& names = input["ExpressionAttributeNames"];
  const auto placeholder = [&](const std::string& attribute) {
    for (const auto& [key, name] : names.items())
      if (name == attribute) return key;
    return std::string("<missing " + attribute + ">");
  };
  const std::string removed = expression.substr(expression.find("REMOVE") + 6) + ",";
  for (const char* attribute :
       {"rating", "review", "notes", "shelves", "progress", "reads", "sync_error", "typed_series"})
    EXPECT_NE(removed.find(" " + placeholder(attribute) + ","), std::string::npos) << attribute;
  const std::string set = expression.substr(0, expression.find("REMOVE"));
  for (const char* attribute : {"status", "owned", "sync_status"})
    EXPECT_NE(set.find(placeholder(attribute) + " = "), std::string::npos) << attribute;
  EXPECT_EQ(input["ConditionExpression"], "attribute_exists(" + placeholder("user_book_id") + ")");

  entry = ReadingModelEntry();
  UpdateExpression full;
  SetEntry(full, entry);
  json full_input = json::object();
  full.AddTo(full_input);
  const std::string full_expression = full_input["UpdateExpression"];
  const std::string full_set = full_expression.substr(0, full_expression.find("REMOVE"));
  for (const char* attribute :
       {"rating", "review", "notes", "owned", "shelves", "progress", "reads", "typed_series"}) {
    std::string key;
    for (const auto& [k, name] : full_input["ExpressionAttributeNames"].items())
      if (name == attribute) key = k;
    ASSERT_FALSE(key.empty()) << attribute;
    EXPECT_NE(full_set.find(key + " = "), std::string::npos) << attribute;
  }
  bool shelves_in_order = false;
  for (const auto& [key, value] : full_input["ExpressionAttributeValues"].items())
    shelves_in_order = shelves_in_order || value == ToItem(entry)["shelves"];
  EXPECT_TRUE(shelves_in_order);
}

TEST(UpdateExpressionTest, ARevisionConditionNeedsTheItemAndTheRevisionAsRead) {
  UpdateExpression update;
  update.Set("shelves", StringListValue({"a"})).RequireRevision("user_book_id", "revision", "abc");
  json input = json::object();
  update.AddTo(input);
  EXPECT_EQ(input["ConditionExpression"], "attribute_exists(#n1) AND #n2 = :v1");
  EXPECT_EQ(input["ExpressionAttributeValues"][":v1"], json({{"S", "abc"}}));
  UpdateExpression legacy;
  legacy.Set("shelves", StringListValue({"a"})).RequireRevision("user_book_id", "revision", "");
  json legacy_input = json::object();
  legacy.AddTo(legacy_input);
  EXPECT_EQ(legacy_input["ConditionExpression"], "attribute_exists(#n1) AND attribute_not_exists(#n2)");
}

TEST(UpdateExpressionTest, AlsoRequireAddsAnEqualityToTheCondition) {
  UpdateExpression update;
  update.Set("last_used_at", StringValue("2026-01-01T00:00:00Z"))
      .RequireRevision("user_id", "token_user_id", "u1")
      .AlsoRequire("token_id", "t1");
  json input = json::object();
  update.AddTo(input);
  EXPECT_EQ(input["ConditionExpression"], "attribute_exists(#n1) AND #n2 = :v1 AND #n3 = :v2");
  EXPECT_EQ(input["ExpressionAttributeNames"]["#n3"], "token_id");
  EXPECT_EQ(input["ExpressionAttributeValues"][":v2"], json({{"S", "t1"}}));
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
