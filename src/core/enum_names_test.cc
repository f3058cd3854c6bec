// The names of the domain enums as the stores, the seed's tables and the logs spell them.
#include "core/enum_names.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <string_view>
#include <utility>

#include "core/domain.h"
#include "core/error.h"

namespace booklib {
namespace {

// Each value has `names`' name, and that name parses back to the value.
template <class Enum, std::size_t N, class NameOfValue, class Parse>
void ExpectNamesReadBack(const std::pair<Enum, std::string_view> (&names)[N], NameOfValue name_of,
                         Parse parse) {
  for (const auto& [value, name] : names) {
    EXPECT_EQ(name_of(value), name);
    EXPECT_EQ(parse(name), value) << name;
  }
}

TEST(EnumNames, ReadingStatusesReadBackAsTheSeedSpellsThem) {
  const std::pair<ReadingStatus, std::string_view> names[] = {{ReadingStatus::kToRead, "to-read"},
                                                              {ReadingStatus::kReading, "reading"},
                                                              {ReadingStatus::kRead, "read"}};
  ExpectNamesReadBack(names, ReadingStatusName, ParseReadingStatus);
}

TEST(EnumNames, SyncStatusesReadBackAsTheSeedSpellsThem) {
  const std::pair<SyncStatus, std::string_view> names[] = {
      {SyncStatus::kPending, "PENDING"}, {SyncStatus::kSynced, "SYNCED"}, {SyncStatus::kFailed, "FAILED"}};
  ExpectNamesReadBack(names, SyncStatusName, ParseSyncStatus);
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

enum class Shade { kLight, kDark, kUnlisted };
constexpr EnumName<Shade> kShadeNames[] = {{Shade::kDark, "dark"}, {Shade::kLight, "light"}};

TEST(EnumNames, AValueTheTableDoesNotListGetsTheFirstName) {
  EXPECT_STREQ(NameOf(kShadeNames, Shade::kUnlisted), "dark");
  EXPECT_STREQ(NameOf(kShadeNames, Shade::kLight), "light");
  EXPECT_EQ(ValueNamed(kShadeNames, "light"), Shade::kLight);
  EXPECT_EQ(ValueNamed(kShadeNames, "kUnlisted"), std::nullopt);
}

}  // namespace
}  // namespace booklib
