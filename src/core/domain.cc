// Names of the domain enums and the merge of typed and catalogue details.
#include "core/domain.h"

#include "core/enum_names.h"

namespace booklib {
namespace {

constexpr EnumName<ReadingStatus> kReadingStatusNames[] = {{ReadingStatus::kToRead, "to-read"},
                                                           {ReadingStatus::kReading, "reading"},
                                                           {ReadingStatus::kRead, "read"}};
constexpr EnumName<SyncStatus> kSyncStatusNames[] = {
    {SyncStatus::kPending, "PENDING"}, {SyncStatus::kSynced, "SYNCED"}, {SyncStatus::kFailed, "FAILED"}};

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
  return shown;
}

}  // namespace booklib
