// ScriptedMetadataProvider: a MetadataProvider for tests that answers from a script and counts calls.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "ports/metadata.h"

namespace booklib::test {

// Thread-safe. Answers the lookup scripted for an ISBN, else the default answer (kNotFound
// "not found in <name>" unless AnswerAll() changed it), after an optional delay.
class ScriptedMetadataProvider final : public MetadataProvider {
 public:
  explicit ScriptedMetadataProvider(std::string name = "Scripted") : name_(std::move(name)) {
    fallback_ = NotFound("not found in " + name_);
    search_fallback_ = FailedSearch(MetadataLookup::Outcome::kNotFound, "nothing found in " + name_);
  }

  void Answer(std::string isbn13, MetadataLookup lookup) {
    const std::lock_guard lock(mutex_);
    scripted_[std::move(isbn13)] = std::move(lookup);
  }
  void AnswerAll(MetadataLookup lookup) {
    const std::lock_guard lock(mutex_);
    fallback_ = std::move(lookup);
  }
  // Search answers `search` for exactly `query`; other queries get the search default (kNotFound
  // "nothing found in <name>" unless AnswerAllSearches() changed it).
  void AnswerSearch(std::string query, MetadataSearch search) {
    const std::lock_guard lock(mutex_);
    scripted_searches_[std::move(query)] = std::move(search);
  }
  void AnswerAllSearches(MetadataSearch search) {
    const std::lock_guard lock(mutex_);
    search_fallback_ = std::move(search);
  }
  // The queries searched for, in order, with their limits.
  std::vector<std::pair<std::string, int>> Searched() const {
    const std::lock_guard lock(mutex_);
    return searched_;
  }

  void SetDelay(std::chrono::milliseconds delay) {
    const std::lock_guard lock(mutex_);
    delay_ = delay;
  }

  int Calls() const {
    const std::lock_guard lock(mutex_);
    return static_cast<int>(asked_.size());
  }
  // The ISBNs asked for, in order.
  std::vector<std::string> Asked() const {
    const std::lock_guard lock(mutex_);
    return asked_;
  }

  std::string_view Name() const override { return name_; }

  MetadataLookup Lookup(std::string_view isbn13) override {
    std::chrono::milliseconds delay{0};
    MetadataLookup answer;
    {
      const std::lock_guard lock(mutex_);
      asked_.emplace_back(isbn13);
      const auto scripted = scripted_.find(std::string(isbn13));
      answer = scripted != scripted_.end() ? scripted->second : fallback_;
      delay = delay_;
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);
    return answer;
  }

  MetadataSearch Search(std::string_view query, int limit) override {
    const std::lock_guard lock(mutex_);
    searched_.emplace_back(std::string(query), limit);
    const auto scripted = scripted_searches_.find(std::string(query));
    MetadataSearch answer = scripted != scripted_searches_.end() ? scripted->second : search_fallback_;
    if (answer.candidates.size() > static_cast<std::size_t>(limit)) answer.candidates.resize(limit);
    return answer;
  }

  // kFound with `candidates` (each candidate's provider set to this provider's name when empty).
  MetadataSearch FoundSearch(std::vector<MetadataCandidate> candidates) const {
    MetadataSearch search;
    search.outcome = MetadataLookup::Outcome::kFound;
    for (MetadataCandidate& candidate : candidates)
      if (candidate.provider.empty()) candidate.provider = name_;
    search.candidates = std::move(candidates);
    return search;
  }
  static MetadataSearch FailedSearch(MetadataLookup::Outcome outcome, std::string reason) {
    MetadataSearch search;
    search.outcome = outcome;
    search.reason = std::move(reason);
    return search;
  }

  static MetadataLookup Found(BookDetails details) {
    MetadataLookup lookup;
    lookup.outcome = MetadataLookup::Outcome::kFound;
    lookup.details = std::move(details);
    return lookup;
  }
  static MetadataLookup Found(std::string title) {
    BookDetails details;
    details.title = std::move(title);
    return Found(std::move(details));
  }
  static MetadataLookup NotFound(std::string reason) {
    return Failure(MetadataLookup::Outcome::kNotFound, std::move(reason));
  }
  static MetadataLookup Transient(std::string reason,
                                  std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    MetadataLookup lookup = Failure(MetadataLookup::Outcome::kTransient, std::move(reason));
    lookup.retry_after = retry_after;
    return lookup;
  }
  static MetadataLookup Malformed(std::string reason) {
    return Failure(MetadataLookup::Outcome::kMalformed, std::move(reason));
  }

 private:
  static MetadataLookup Failure(MetadataLookup::Outcome outcome, std::string reason) {
    MetadataLookup lookup;
    lookup.outcome = outcome;
    lookup.reason = std::move(reason);
    return lookup;
  }

  const std::string name_;
  mutable std::mutex mutex_;
  std::map<std::string, MetadataLookup, std::less<>> scripted_;
  MetadataLookup fallback_;
  std::chrono::milliseconds delay_{0};
  std::vector<std::string> asked_;
  std::map<std::string, MetadataSearch, std::less<>> scripted_searches_;
  MetadataSearch search_fallback_;
  std::vector<std::pair<std::string, int>> searched_;
};

}  // namespace booklib::test
