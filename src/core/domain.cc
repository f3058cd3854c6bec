// Names of the domain enums and the merge of typed and catalogue details.
#include "core/domain.h"

#include "core/enum_names.h"

namespace booklib {
namespace {

constexpr EnumName<ReadingStatus> kReadingStatusNames[] = {{ReadingStatus::kToRead, "to-read"},
                                                           {ReadingStatus::kReading, "reading"},
                                                           {ReadingStatus::kRead, "read"},
                                                           {ReadingStatus::kDidNotFinish, "did-not-finish"}};
constexpr EnumName<SyncStatus> kSyncStatusNames[] = {
    {SyncStatus::kPending, "PENDING"}, {SyncStatus::kSynced, "SYNCED"}, {SyncStatus::kFailed, "FAILED"}};
constexpr EnumName<ReadOutcome> kReadOutcomeNames[] = {{ReadOutcome::kInProgress, "in-progress"},
                                                       {ReadOutcome::kFinished, "finished"},
                                                       {ReadOutcome::kDidNotFinish, "did-not-finish"}};
constexpr EnumName<ProgressUnit> kProgressUnitNames[] = {
    {ProgressUnit::kNone, "none"}, {ProgressUnit::kPage, "page"}, {ProgressUnit::kPercent, "percent"}};
constexpr EnumName<TokenScope> kTokenScopeNames[] = {{TokenScope::kRead, "read"},
                                                     {TokenScope::kReadWrite, "read-write"}};

// Values the seed's app wrote while metadata was on its way; they count as empty.
bool IsPlaceholder(std::string_view value) {
  return value.empty() || value == "Fetching Title..." || value == "Fetching Author..." ||
         value == "Fetching title..." || value == "Unknown" || value == "Unknown Author";
}

const std::string& Pick(const std::string& typed, const std::string& catalogue) {
  return IsPlaceholder(typed) ? catalogue : typed;
}

}  // namespace

std::optional<ReadingStatus> ParseReadingStatus(std::string_view text) {
  return ValueNamed(kReadingStatusNames, text);
}

std::string_view ReadingStatusName(ReadingStatus status) { return NameOf(kReadingStatusNames, status); }

std::optional<SyncStatus> ParseSyncStatus(std::string_view text) {
  return ValueNamed(kSyncStatusNames, text);
}

std::string_view SyncStatusName(SyncStatus status) { return NameOf(kSyncStatusNames, status); }

std::optional<ReadOutcome> ParseReadOutcome(std::string_view text) {
  return ValueNamed(kReadOutcomeNames, text);
}

std::string_view ReadOutcomeName(ReadOutcome outcome) { return NameOf(kReadOutcomeNames, outcome); }

std::optional<ProgressUnit> ParseProgressUnit(std::string_view text) {
  return ValueNamed(kProgressUnitNames, text);
}

std::string_view ProgressUnitName(ProgressUnit unit) { return NameOf(kProgressUnitNames, unit); }

std::optional<TokenScope> ParseTokenScope(std::string_view text) {
  return ValueNamed(kTokenScopeNames, text);
}

std::string_view TokenScopeName(TokenScope scope) { return NameOf(kTokenScopeNames, scope); }

std::string LastFinishedOn(const UserBook& user_book) {
  std::string latest;
  for (const Read& read : user_book.reads)
    if (read.outcome == ReadOutcome::kFinished && read.finished_on > latest) latest = read.finished_on;
  return latest;
}

int FinishedReadCount(const UserBook& user_book) {
  int count = 0;
  for (const Read& read : user_book.reads) count += read.outcome == ReadOutcome::kFinished ? 1 : 0;
  return count;
}

BookDetails LibraryEntry::Shown() const {
  const BookDetails& typed = user_book.typed;
  const BookDetails& catalogue = book.details;
  BookDetails shown;
  shown.title = Pick(typed.title, catalogue.title);
  shown.author = Pick(typed.author, catalogue.author);
  shown.genre = Pick(typed.genre, catalogue.genre);
  shown.cover_image_url = Pick(typed.cover_image_url, catalogue.cover_image_url);
  shown.description = Pick(typed.description, catalogue.description);
  shown.publisher = Pick(typed.publisher, catalogue.publisher);
  shown.published_date = Pick(typed.published_date, catalogue.published_date);
  shown.page_count = typed.page_count > 0 ? typed.page_count : catalogue.page_count;
  shown.language = Pick(typed.language, catalogue.language);
  // A series number belongs to its series: a typed series brings its own number.
  const bool typed_series = !typed.series.empty();
  shown.series = typed_series ? typed.series : catalogue.series;
  shown.series_index = typed_series ? typed.series_index : catalogue.series_index;
  return shown;
}

}  // namespace booklib
