// FallbackProvider: first found wins; otherwise transient beats malformed beats not found.
#include "metadata/fallback_provider.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <utility>

#include "core/enum_names.h"
#include "metadata/text_cleanup.h"
#include "metrics/metrics.h"

namespace booklib::metadata {
namespace {

using Outcome = MetadataLookup::Outcome;

std::string ChainName(const std::vector<std::unique_ptr<MetadataProvider>>& providers) {
  std::vector<std::string> names;
  for (const auto& provider : providers) names.emplace_back(provider->Name());
  return JoinNonEmpty(names, ", then ");
}

// "<lead>A", "<lead>A or B", "<lead>A, B or C" (lead "not found in ").
std::string NotFoundReason(const std::vector<std::unique_ptr<MetadataProvider>>& providers,
                           std::string_view lead = "not found in ") {
  std::string reason(lead);
  for (std::size_t i = 0; i < providers.size(); ++i) {
    if (i > 0) reason += i + 1 == providers.size() ? " or " : ", ";
    reason += providers[i]->Name();
  }
  return reason;
}

// Lookups and searches alike (MetadataLookup, MetadataSearch): outcome, reason, retry_after.
template <typename Answer>
bool Any(const std::vector<Answer>& lookups, Outcome outcome) {
  return std::ranges::any_of(lookups, [outcome](const Answer& l) { return l.outcome == outcome; });
}

// The failures' reasons, "Google Books: HTTP 429; Open Library: not found in Open Library".
template <typename Answer>
std::string CombinedReason(const std::vector<Answer>& lookups) {
  std::vector<std::string> reasons;
  for (const Answer& lookup : lookups) reasons.push_back(lookup.reason);
  return JoinNonEmpty(reasons, "; ");
}

template <typename Answer>
std::optional<std::chrono::seconds> LongestRetryAfter(const std::vector<Answer>& lookups) {
  std::optional<std::chrono::seconds> longest;
  for (const Answer& lookup : lookups) {
    if (lookup.retry_after && (!longest || *lookup.retry_after > *longest)) longest = lookup.retry_after;
  }
  return longest;
}

std::string_view OutcomeName(Outcome outcome) {
  static constexpr EnumName<Outcome> kNames[] = {{Outcome::kFound, "found"},
                                                 {Outcome::kNotFound, "not_found"},
                                                 {Outcome::kTransient, "transient"},
                                                 {Outcome::kMalformed, "malformed"}};
  return NameOf(kNames, outcome);
}

// "Google Books" -> "google_books": the provider label of the lookup metrics.
std::string MetricName(std::string_view provider) {
  std::string name;
  for (const char c : provider)
    name += c == ' ' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// Asks `provider` and counts the answer and its time, per provider.
MetadataLookup TimedLookup(MetadataProvider& provider, std::string_view isbn13) {
  static auto& seconds = metrics::Registry::Default().AddHistogram(
      "booklib_metadata_provider_duration_seconds", "Time of one provider lookup, whatever its outcome.",
      {"provider"}, metrics::LatencySecondsBuckets());
  static auto& lookups = metrics::Registry::Default().AddCounter(
      "booklib_metadata_provider_lookups_total", "Provider lookups, by outcome.", {"provider", "outcome"});
  const auto started = std::chrono::steady_clock::now();
  MetadataLookup lookup = provider.Lookup(isbn13);
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  const std::string name = MetricName(provider.Name());
  seconds.WithLabels({name}).Observe(took.count());
  lookups.WithLabels({name, OutcomeName(lookup.outcome)}).Increment();
  return lookup;
}

// When no provider found anything: transient beats malformed beats not found (`not_found_reason`).
template <typename Answer>
Answer Combined(const std::vector<Answer>& failures, std::string not_found_reason) {
  Answer combined;
  if (Any(failures, Outcome::kTransient)) {
    combined.outcome = Outcome::kTransient;
    combined.reason = CombinedReason(failures);
    combined.retry_after = LongestRetryAfter(failures);
  } else if (Any(failures, Outcome::kMalformed)) {
    combined.outcome = Outcome::kMalformed;
    combined.reason = CombinedReason(failures);
  } else {
    combined.outcome = Outcome::kNotFound;
    combined.reason = std::move(not_found_reason);
  }
  return combined;
}

}  // namespace

FallbackProvider::FallbackProvider(std::vector<std::unique_ptr<MetadataProvider>> providers)
    : providers_(std::move(providers)), name_(ChainName(providers_)) {}

std::string_view FallbackProvider::Name() const { return name_; }

MetadataLookup FallbackProvider::Lookup(std::string_view isbn13) {
  std::vector<MetadataLookup> failures;
  for (const auto& provider : providers_) {
    MetadataLookup lookup = TimedLookup(*provider, isbn13);
    if (lookup.outcome == Outcome::kFound) {
      if (lookup.source.empty()) lookup.source = provider->Name();
      return lookup;
    }
    failures.push_back(std::move(lookup));
  }
  return Combined(failures, NotFoundReason(providers_));
}

MetadataSearch FallbackProvider::Search(std::string_view query, int limit) {
  std::vector<MetadataSearch> failures;
  for (const auto& provider : providers_) {
    MetadataSearch search = provider->Search(query, limit);
    if (search.outcome == Outcome::kFound) return search;
    failures.push_back(std::move(search));
  }
  return Combined(failures, NotFoundReason(providers_, "nothing found in "));
}

}  // namespace booklib::metadata
