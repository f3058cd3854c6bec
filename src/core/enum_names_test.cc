// The names of the domain enums as the stores, the seed's tables and the logs spell them.
#include "core/enum_names.h"

#include <gtest/gtest.h>

#include "core/domain.h"
#include "core/error.h"

namespace booklib {
namespace {

TEST(EnumNames, ReadingStatusesReadBackAsTheSeedSpellsThem) {
  for (const auto status : {ReadingStatus::kToRead, ReadingStatus::kReading, ReadingStatus::kRead}) {
    EXPECT_EQ(ParseReadingStatus(ReadingStatusName(status)), status);
  }
  EXPECT_EQ(ReadingStatusName(ReadingStatus::kToRead), "to-read");
  EXPECT_EQ(ReadingStatusName(ReadingStatus::kReading), "reading");
  EXPECT_EQ(ReadingStatusName(ReadingStatus::kRead), "read");
}

TEST(EnumNames, SyncStatusesReadBackAsTheSeedSpellsThem) {
  for (const auto status : {SyncStatus::kPending, SyncStatus::kSynced, SyncStatus::kFailed}) {
    EXPECT_EQ(ParseSyncStatus(SyncStatusName(status)), status);
  }
  EXPECT_EQ(SyncStatusName(SyncStatus::kPending), "PENDING");
  EXPECT_EQ(SyncStatusName(SyncStatus::kSynced), "SYNCED");
  EXPECT_EQ(SyncStatusName(SyncStatus::kFailed), "FAILED");
}

TEST(EnumNames, TextThatNamesNoValueParsesToNothing) {
  EXPECT_EQ(ParseReadingStatus("Read"), std::nullopt);  // exact, not case-folded
  EXPECT_EQ(ParseReadingStatus(""), std::nullopt);
  EXPECT_EQ(ParseSyncStatus("pending"), std::nullopt);
  EXPECT_EQ(ParseSyncStatus("PENDING "), std::nullopt);
}

TEST(EnumNames, EveryErrorCodeHasItsOwnName) {
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInvalidArgument), "invalid_argument");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kAlreadyExists), "already_exists");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kUnauthenticated), "unauthenticated");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kPermissionDenied), "permission_denied");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kTooLarge), "too_large");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kUnavailable), "unavailable");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kTooManyRequests), "too_many_requests");
  EXPECT_STREQ(ErrorCodeName(ErrorCode::kInternal), "internal");
}

TEST(EnumNames, AValueOutsideTheEnumGetsTheFirstName) {
  EXPECT_STREQ(ErrorCodeName(static_cast<ErrorCode>(99)), "internal");
  EXPECT_EQ(ReadingStatusName(static_cast<ReadingStatus>(99)), "to-read");
  EXPECT_EQ(SyncStatusName(static_cast<SyncStatus>(99)), "PENDING");
}

}  // namespace
}  // namespace booklib
