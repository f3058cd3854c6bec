// Process metrics: counters, gauges and fixed-bucket histograms with labels, rendered as Prometheus text.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace booklib::metrics {

// Why: /metrics is read by a scraper every few seconds while every request, lookup and login
// updates a metric. Updates are lock-free atomics on a metric the caller already holds; a family's
// lock is taken shared to find a labelled child and exclusively only the first time a combination
// of label values is seen; the registry's mutex only when a family is registered, and at a scrape.
//
// Label values must come from small fixed sets (a route pattern, a status, an outcome), never from
// what a client sent (a raw path), or the number of series grows without bound.

class Counter {
 public:
  // REQUIRES: amount >= 0 (a counter only goes up).
  void Increment(double amount = 1);
  double Value() const;

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value);
  void Add(double amount);  // negative to decrease
  double Value() const;

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // REQUIRES: `upper_bounds` is strictly increasing and finite (+Inf is implicit).
  explicit Histogram(std::span<const double> upper_bounds);

  // Counts `value` in the first bucket whose upper bound is >= value (Prometheus' "le").
  void Observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;       // without +Inf
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
    std::uint64_t count = 0;
  };
  // Bucket counts are read one by one, so a concurrent Observe may be in some but not all of
  // them; `count` is the +Inf bucket, so the exposition is always self-consistent.
  Snapshot Read() const;

 private:
  std::vector<double> upper_bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // upper_bounds_.size() + 1 (the +Inf one)
  std::atomic<double> sum_{0};
};

// Upper bounds in seconds for request and lookup latencies: 1 ms to 30 s.
std::span<const double> LatencySecondsBuckets();

// The children of one metric name, one per combination of label values.
template <typename Metric>
class Family {
 public:
  // The child for `values`, made on first use. Thread-safe; the reference stays valid as long as
  // the registry. REQUIRES: as many values as the family has label names (else std::invalid_argument).
  Metric& WithLabels(std::initializer_list<std::string_view> values);
  Metric& WithLabels(std::span<const std::string> values);

  const std::string& Name() const { return name_; }
  const std::vector<std::string>& LabelNames() const { return label_names_; }
  // Every child with its label values, sorted by them.
  std::vector<std::pair<std::vector<std::string>, const Metric*>> Children() const;

 private:
  friend class Registry;
  Family(std::string name, std::vector<std::string> label_names,
         std::function<std::unique_ptr<Metric>()> make)
      : name_(std::move(name)), label_names_(std::move(label_names)), make_(std::move(make)) {}
  template <typename Values>
  Metric& Find(const Values& values);

  struct ValuesLess {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                          [](std::string_view x, std::string_view y) { return x < y; });
    }
  };

  const std::string name_;
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::shared_mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, ValuesLess> children_;  // REQUIRES: mutex_
};

// One sample of a callback gauge: its label values (in the gauge's label order) and value.
struct GaugeSample {
  std::vector<std::string> label_values;
  double value = 0;
};
using GaugeReader = std::function<std::vector<GaugeSample>()>;

class Registry;

// Keeps a callback gauge registered; the destructor removes it (after any scrape reading it ends),
// so a callback never outlives what it reads.
class CallbackRegistration {
 public:
  CallbackRegistration() = default;
  CallbackRegistration(Registry* registry, std::uint64_t id) : registry_(registry), id_(id) {}
  CallbackRegistration(CallbackRegistration&& other) noexcept;
  CallbackRegistration& operator=(CallbackRegistration&& other) noexcept;
  ~CallbackRegistration();

 private:
  Registry* registry_ = nullptr;
  std::uint64_t id_ = 0;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process's registry, which /metrics renders and the instrumented code updates.
  static Registry& Default();

  // Registers a family, or returns the one already registered under `name` with the same type and
  // label names (so two instances of an instrumented class share it). Names follow Prometheus:
  // [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, [a-zA-Z_][a-zA-Z0-9_]* for labels, no label "le" on a
  // histogram. A bad name or a clash with a different type is a programming error:
  // std::invalid_argument. A family without labels starts with its one child at zero.
  Family<Counter>& AddCounter(const std::string& name, std::string help,
                              std::vector<std::string> label_names = {});
  Family<Gauge>& AddGauge(const std::string& name, std::string help,
                          std::vector<std::string> label_names = {});
  Family<Histogram>& AddHistogram(const std::string& name, std::string help,
                                  std::vector<std::string> label_names, std::span<const double> upper_bounds);

  // A gauge whose samples `read` returns at each scrape (queue depth, open connections). Several
  // callbacks may share a name (and must then share help and label names): their samples are
  // rendered together. `read` runs on the scraping thread, outside any lock of the instrumented code;
  // it must be thread-safe and should be quick. std::invalid_argument as for AddGauge.
  [[nodiscard]] CallbackRegistration AddCallbackGauge(const std::string& name, std::string help,
                                                      std::vector<std::string> label_names, GaugeReader read);

  // Every family in the Prometheus text exposition format 0.0.4, sorted by name: "# HELP" and
  // "# TYPE" lines, then one line per sample; histograms as <name>_bucket{le=...} (cumulative,
  // ending with le="+Inf"), <name>_sum and <name>_count. Label values are escaped (\\, \", \n).
  std::string RenderText() const;

 private:
  friend class CallbackRegistration;
  enum class Type { kCounter, kGauge, kHistogram };
  struct Entry {
    Type type;
    std::string help;
    std::vector<std::string> label_names;
    std::unique_ptr<Family<Counter>> counters;
    std::unique_ptr<Family<Gauge>> gauges;
    std::unique_ptr<Family<Histogram>> histograms;
    bool callback = false;  // a callback gauge: its readers are in readers_
  };
  Entry& Register(const std::string& name, Type type, std::string help,
                  std::vector<std::string>& label_names);
  void RemoveCallback(std::uint64_t id);

  // Two locks so that a callback may itself register or update metrics: mutex_ guards the families
  // (and is never held while a callback runs); readers_mutex_ is held while callbacks run, so a
  // CallbackRegistration's destructor waits for a scrape that is reading it.
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;  // REQUIRES: mutex_ held
  mutable std::mutex readers_mutex_;
  std::map<std::string, std::map<std::uint64_t, GaugeReader>> readers_;  // REQUIRES: readers_mutex_ held
  std::atomic<std::uint64_t> next_callback_id_{1};
};

// The Content-Type of RenderText's output.
inline constexpr std::string_view kPrometheusTextType = "text/plain; version=0.0.4; charset=utf-8";

// Prometheus' text for a sample value: integers without a fraction ("3"), "+Inf", "-Inf", "NaN",
// otherwise the shortest decimal that reads back as the same double ("0.25", "1e-05").
std::string FormatValue(double value);

template <typename Metric>
Metric& Family<Metric>::WithLabels(std::initializer_list<std::string_view> values) {
  return Find(values);
}

template <typename Metric>
Metric& Family<Metric>::WithLabels(std::span<const std::string> values) {
  return Find(values);
}

template <typename Metric>
template <typename Values>
Metric& Family<Metric>::Find(const Values& values) {
  if (values.size() != label_names_.size())
    throw std::invalid_argument("metric " + name_ + " takes " + std::to_string(label_names_.size()) +
                                " label values");
  {
    const std::shared_lock lock(mutex_);
    if (const auto it = children_.find(values); it != children_.end()) return *it->second;
  }
  const std::unique_lock lock(mutex_);
  if (const auto it = children_.find(values); it != children_.end()) return *it->second;
  std::vector<std::string> key(values.begin(), values.end());
  return *children_.emplace(std::move(key), make_()).first->second;
}

template <typename Metric>
std::vector<std::pair<std::vector<std::string>, const Metric*>> Family<Metric>::Children() const {
  const std::shared_lock lock(mutex_);
  std::vector<std::pair<std::vector<std::string>, const Metric*>> children;
  children.reserve(children_.size());
  for (const auto& [values, metric] : children_) children.emplace_back(values, metric.get());
  return children;
}

}  // namespace booklib::metrics
