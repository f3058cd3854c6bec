// Metric updates and the Prometheus text exposition.
#include "metrics/metrics.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace booklib::metrics {
namespace {

constexpr double kLatencyBounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                     0.25,  0.5,    1,     2.5,  5,     10,   30};

bool IsNameStart(char c, bool allow_colon) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
}

bool IsValidName(std::string_view name, bool allow_colon) {
  if (name.empty() || !IsNameStart(name.front(), allow_colon)) return false;
  for (const char c : name)
    if (!IsNameStart(c, allow_colon) && !(c >= '0' && c <= '9')) return false;
  return true;
}

// HELP text escapes backslash and newline; label values also escape the double quote.
void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (quote && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
}

// {a="x",b="y"} from names and values, with an extra label (le) last when given; "" without labels.
std::string LabelText(const std::vector<std::string>& names, const std::vector<std::string>& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    AppendEscaped(out, values[i], true);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    AppendEscaped(out, extra_value, true);
    out += '"';
  }
  out += '}';
  return out;
}

void AppendSample(std::string& out, std::string_view name, const std::string& labels, double value) {
  out += name;
  out += labels;
  out += ' ';
  out += FormatValue(value);
  out += '\n';
}

void AtomicAdd(std::atomic<double>& target, double amount) {
  double seen = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(seen, seen + amount, std::memory_order_relaxed)) {
  }
}

}  // namespace

void Counter::Increment(double amount) {
  if (amount > 0) AtomicAdd(value_, amount);
}
double Counter::Value() const { return value_.load(std::memory_order_relaxed); }

void Gauge::Set(double value) { value_.store(value, std::memory_order_relaxed); }
void Gauge::Add(double amount) { AtomicAdd(value_, amount); }
double Gauge::Value() const { return value_.load(std::memory_order_relaxed); }

Histogram::Histogram(std::span<const double> upper_bounds)
    : upper_bounds_(upper_bounds.begin(), upper_bounds.end()),
      buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(upper_bounds.size() + 1)) {
  for (std::size_t i = 0; i < upper_bounds_.size(); ++i)
    if (!std::isfinite(upper_bounds_[i]) || (i > 0 && upper_bounds_[i] <= upper_bounds_[i - 1]))
      throw std::invalid_argument("histogram bounds must be finite and strictly increasing");
}

void Histogram::Observe(double value) {
  if (std::isnan(value)) return;
  const auto bucket =
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) - upper_bounds_.begin();
  buckets_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  AtomicAdd(sum_, value);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::span<const double> LatencySecondsBuckets() { return kLatencyBounds; }

std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return std::to_string(static_cast<long long>(value));
  }
  char buffer[64];
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

CallbackRegistration::CallbackRegistration(CallbackRegistration&& other) noexcept
    : registry_(std::exchange(other.registry_, nullptr)), id_(other.id_) {}

CallbackRegistration& CallbackRegistration::operator=(CallbackRegistration&& other) noexcept {
  if (this != &other) {
    if (registry_) registry_->RemoveCallback(id_);
    registry_ = std::exchange(other.registry_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

CallbackRegistration::~CallbackRegistration() {
  if (registry_) registry_->RemoveCallback(id_);
}

Registry& Registry::Default() {
  static Registry registry;
  return registry;
}

Registry::Entry& Registry::Register(const std::string& name, Type type, std::string help,
                                    std::vector<std::string>& label_names) {
  if (!IsValidName(name, /*allow_colon=*/true)) throw std::invalid_argument("bad metric name: " + name);
  for (const std::string& label : label_names) {
    if (!IsValidName(label, /*allow_colon=*/false) || label.starts_with("__"))
      throw std::invalid_argument("bad label name on " + name + ": " + label);
    if (type == Type::kHistogram && label == "le")
      throw std::invalid_argument("a histogram may not have the label le: " + name);
  }
  auto [it, inserted] = entries_.try_emplace(name, Entry{type, std::move(help), label_names});
  if (!inserted && (it->second.type != type || it->second.label_names != label_names))
    throw std::invalid_argument("metric " + name + " is already registered with another type or labels");
  return it->second;
}

Family<Counter>& Registry::AddCounter(const std::string& name, std::string help,
                                      std::vector<std::string> label_names) {
  const std::lock_guard lock(mutex_);
  Entry& entry = Register(name, Type::kCounter, std::move(help), label_names);
  if (!entry.counters) {
    entry.counters.reset(new Family<Counter>(name, label_names, [] { return std::make_unique<Counter>(); }));
    if (label_names.empty()) entry.counters->WithLabels({});
  }
  return *entry.counters;
}

Family<Gauge>& Registry::AddGauge(const std::string& name, std::string help,
                                  std::vector<std::string> label_names) {
  const std::lock_guard lock(mutex_);
  Entry& entry = Register(name, Type::kGauge, std::move(help), label_names);
  if (entry.gauges) return *entry.gauges;
  if (entry.callback) throw std::invalid_argument("metric " + name + " is already a callback gauge");
  entry.gauges.reset(new Family<Gauge>(name, label_names, [] { return std::make_unique<Gauge>(); }));
  if (label_names.empty()) entry.gauges->WithLabels({});
  return *entry.gauges;
}

Family<Histogram>& Registry::AddHistogram(const std::string& name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::span<const double> upper_bounds) {
  const std::lock_guard lock(mutex_);
  Entry& entry = Register(name, Type::kHistogram, std::move(help), label_names);
  if (!entry.histograms) {
    const std::vector<double> bounds(upper_bounds.begin(), upper_bounds.end());
    const Histogram check(bounds);  // throws on bad bounds before anything is kept
    entry.histograms.reset(
        new Family<Histogram>(name, label_names, [bounds] { return std::make_unique<Histogram>(bounds); }));
    if (label_names.empty()) entry.histograms->WithLabels({});
  }
  return *entry.histograms;
}

CallbackRegistration Registry::AddCallbackGauge(const std::string& name, std::string help,
                                                std::vector<std::string> label_names, GaugeReader read) {
  {
    const std::lock_guard lock(mutex_);
    Entry& entry = Register(name, Type::kGauge, std::move(help), label_names);
    if (entry.gauges) throw std::invalid_argument("metric " + name + " is already a plain gauge");
    entry.callback = true;
  }
  const std::uint64_t id = next_callback_id_++;
  const std::lock_guard lock(readers_mutex_);
  readers_[name].emplace(id, std::move(read));
  return CallbackRegistration(this, id);
}

void Registry::RemoveCallback(std::uint64_t id) {
  const std::lock_guard lock(readers_mutex_);
  for (auto& [name, readers] : readers_)
    if (readers.erase(id) > 0) return;
}

std::string Registry::RenderText() const {
  struct Pending {
    std::string text;                      // HELP, TYPE and the family's samples
    std::vector<std::string> label_names;  // of a callback gauge
    bool callback = false;
  };
  std::map<std::string, Pending> families;
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [name, entry] : entries_) {
      Pending& pending = families[name];
      std::string& out = pending.text;
      pending.callback = entry.callback;
      pending.label_names = entry.label_names;
      out += "# HELP " + name + " ";
      AppendEscaped(out, entry.help, false);
      out += "\n# TYPE " + name + " ";
      out += entry.type == Type::kCounter ? "counter" : entry.type == Type::kGauge ? "gauge" : "histogram";
      out += '\n';
      if (entry.counters)
        for (const auto& [values, counter] : entry.counters->Children())
          AppendSample(out, name, LabelText(entry.label_names, values), counter->Value());
      if (entry.gauges)
        for (const auto& [values, gauge] : entry.gauges->Children())
          AppendSample(out, name, LabelText(entry.label_names, values), gauge->Value());
      if (entry.histograms) {
        for (const auto& [values, histogram] : entry.histograms->Children()) {
          const Histogram::Snapshot snapshot = histogram->Read();
          for (std::size_t i = 0; i < snapshot.cumulative.size(); ++i) {
            const std::string le =
                i < snapshot.upper_bounds.size() ? FormatValue(snapshot.upper_bounds[i]) : "+Inf";
            AppendSample(out, name + "_bucket", LabelText(entry.label_names, values, "le", le),
                         static_cast<double>(snapshot.cumulative[i]));
          }
          const std::string labels = LabelText(entry.label_names, values);
          AppendSample(out, name + "_sum", labels, snapshot.sum);
          AppendSample(out, name + "_count", labels, static_cast<double>(snapshot.count));
        }
      }
    }
  }
  std::string out;
  const std::lock_guard lock(readers_mutex_);
  for (auto& [name, pending] : families) {
    if (!pending.callback) {
      out += pending.text;
      continue;
    }
    const auto readers = readers_.find(name);
    if (readers == readers_.end() || readers->second.empty()) continue;  // every owner is gone
    out += pending.text;
    for (const auto& [id, read] : readers->second) {
      for (GaugeSample& sample : read()) {
        sample.label_values.resize(pending.label_names.size());  // a short answer gets empty values
        AppendSample(out, name, LabelText(pending.label_names, sample.label_values), sample.value);
      }
    }
  }
  return out;
}

}  // namespace booklib::metrics
