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
  }

  void Answer(std::string isbn13, MetadataLookup lookup) {
    const std::lock_guard lock(mutex_);
    scripted_[std::move(isbn13)] = std::move(lookup);
  }
  void AnswerAll(MetadataLookup lookup) {
    const std::lock_guard lock(mutex_);
    fallback_ = std::move(lookup);
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
};

}  // namespace booklib::test
