// Metadata worker decisions: fetch, merge into the catalogue, mark the entry, or retry.
#include "core/metadata_sync.h"

#include <algorithm>
#include <random>

#include "core/enum_names.h"
#include "core/metadata_message.h"
#include "metrics/metrics.h"

namespace booklib {

namespace {

// Registered at start with every outcome at zero, so a scraper sees the series before the first message.
metrics::Family<metrics::Counter>& outcomes = []() -> metrics::Family<metrics::Counter>& {
  auto& family = metrics::Registry::Default().AddCounter(
      "booklib_metadata_sync_total", "Metadata messages processed, by what became of the entry.",
      {"outcome"});
  for (const auto result :
       {SyncOutcome::Result::kSynced, SyncOutcome::Result::kNotFound, SyncOutcome::Result::kFailed,
        SyncOutcome::Result::kRetried, SyncOutcome::Result::kSkipped})
    family.WithLabels({SyncResultName(result)});
  return family;
}();

}  // namespace

std::string_view SyncResultName(SyncOutcome::Result result) {
  static constexpr EnumName<SyncOutcome::Result> kNames[] = {{SyncOutcome::Result::kSynced, "synced"},
                                                             {SyncOutcome::Result::kNotFound, "not_found"},
                                                             {SyncOutcome::Result::kFailed, "failed"},
                                                             {SyncOutcome::Result::kRetried, "retried"},
                                                             {SyncOutcome::Result::kSkipped, "skipped"}};
  return NameOf(kNames, result);
}

namespace {
constexpr std::string_view kNotFound = "not found";
constexpr std::string_view kNotFoundIn = "not found in ";
constexpr std::string_view kGaveUp = " (gave up after ";
}  // namespace

SyncFailure SyncFailureOf(std::string_view sync_error) {
  if (sync_error.starts_with(kNotFound)) return SyncFailure::kNotFound;
  if (sync_error.find(kGaveUp) != std::string_view::npos && sync_error.ends_with(" attempts)"))
    return SyncFailure::kNoAnswer;
  return SyncFailure::kUnusable;
}

std::string NotFoundIn(std::string_view sync_error) {
  if (!sync_error.starts_with(kNotFoundIn)) return "";
  return std::string(sync_error.substr(kNotFoundIn.size()));
}

MetadataSync::MetadataSync(Store& store, MetadataProvider& provider, SyncPolicy policy)
    : store_(store), provider_(provider), policy_(policy) {}

SyncOutcome MetadataSync::Finish(const std::string& user_book_id, SyncStatus status,
                                 const std::string& reason, SyncOutcome::Result result) {
  if (auto set = store_.SetSyncStatus(user_book_id, status, reason); !set) {
    if (set.error().code == ErrorCode::kNotFound) return {};  // deleted meanwhile: nothing to update
    return Retry(Backoff(1), "store: " + set.error().message);
  }
  return {SyncOutcome::Disposition::kDelete, std::chrono::seconds{0}, reason, result};
}

SyncOutcome MetadataSync::Retry(std::chrono::seconds delay, std::string reason) const {
  return {SyncOutcome::Disposition::kRetryLater, delay, std::move(reason), SyncOutcome::Result::kRetried};
}

std::chrono::seconds MetadataSync::Backoff(int attempt) const {
  thread_local std::mt19937 random{std::random_device{}()};
  const long long doubled = policy_.base_backoff.count() << std::clamp(attempt - 1, 0, 16);
  const long long full = std::min<long long>(policy_.max_backoff.count(), doubled);
  // Half fixed, half jitter: spreads retries of a throttled burst without retrying instantly.
  std::uniform_int_distribution<long long> jitter(0, full / 2);
  return std::chrono::seconds(full - full / 2 + jitter(random));
}

SyncOutcome MetadataSync::Process(const QueueMessage& message) {
  SyncOutcome outcome = Decide(message);
  outcomes.WithLabels({SyncResultName(outcome.result)}).Increment();
  return outcome;
}

SyncOutcome MetadataSync::Decide(const QueueMessage& message) {
  const auto request = DecodeMetadataMessage(message.body);
  if (!request)
    return {SyncOutcome::Disposition::kDelete, std::chrono::seconds{0}, request.error().message,
            SyncOutcome::Result::kFailed};
  const std::string& user_book_id = request->user_book_id;

  auto entry = store_.FindUserBook(user_book_id);
  if (!entry) {
    if (entry.error().code == ErrorCode::kNotFound) return {};  // the user deleted the book
    return Retry(Backoff(message.receive_count), entry.error().message);
  }
  if (entry->sync_status != SyncStatus::kPending) return {};  // a duplicate delivery: already done

  auto book = store_.FindBook(entry->book_id);
  if (!book) return Retry(Backoff(message.receive_count), book.error().message);
  if (book->isbn.empty()) return Finish(user_book_id, SyncStatus::kSynced, "", SyncOutcome::Result::kSynced);
  if (!book->details.title.empty())  // another reader's fetch
    return Finish(user_book_id, SyncStatus::kSynced, "", SyncOutcome::Result::kSynced);

  if (request->refresh) provider_.Forget(book->isbn);
  const MetadataLookup lookup = provider_.Lookup(book->isbn);
  switch (lookup.outcome) {
    case MetadataLookup::Outcome::kFound:
      if (auto updated = store_.UpdateBookDetails(book->id, lookup.details,
                                                  lookup.source.empty() ? provider_.Name() : lookup.source);
          !updated)
        return Retry(Backoff(message.receive_count), updated.error().message);
      return Finish(user_book_id, SyncStatus::kSynced, "", SyncOutcome::Result::kSynced);
    // The stored reasons keep the shapes SyncFailureOf reads back, whatever a provider wrote.
    case MetadataLookup::Outcome::kNotFound:
      return Finish(user_book_id, SyncStatus::kFailed,
                    lookup.reason.starts_with(kNotFound) ? lookup.reason
                    : lookup.reason.empty()              ? std::string(kNotFound)
                                                         : std::string(kNotFound) + ": " + lookup.reason,
                    SyncOutcome::Result::kNotFound);
    case MetadataLookup::Outcome::kMalformed: {
      const std::string reason = lookup.reason.empty() ? "unusable answer" : lookup.reason;
      return Finish(user_book_id, SyncStatus::kFailed,
                    SyncFailureOf(reason) == SyncFailure::kUnusable ? reason : "unusable answer: " + reason,
                    SyncOutcome::Result::kFailed);
    }
    case MetadataLookup::Outcome::kTransient:
      break;
  }
  if (message.receive_count >= policy_.max_attempts)
    return Finish(user_book_id, SyncStatus::kFailed,
                  lookup.reason + std::string(kGaveUp) + std::to_string(message.receive_count) + " attempts)",
                  SyncOutcome::Result::kFailed);
  // Honour the provider's Retry-After, within the 12 hours a queue can hide a message.
  const auto delay = lookup.retry_after ? std::min(*lookup.retry_after, std::chrono::seconds{12 * 3600})
                                        : Backoff(message.receive_count);
  return Retry(delay, lookup.reason);
}

}  // namespace booklib
