#include "observability/metrics.h"

#include <fmt/format.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/enum_names.h"
namespace fraudgov::observability {

namespace {

// Registration mistakes are programming errors in constant names; stop at startup, loudly.
[[noreturn]] void misuse(const std::string& what) {
  std::fprintf(stderr, "metrics registry misuse: %s\n", what.c_str());
  std::abort();
}

bool validName(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    const bool digit = c >= '0' && c <= '9';
    if (!letter && !(digit && i > 0)) return false;
  }
  return true;
}

void validate(const std::string& name, MetricType type, const std::vector<std::string>& label_names) {
  if (!validName(name, true)) misuse("invalid metric name '" + name + "'");
  if (type == MetricType::kCounter && !name.ends_with("_total")) misuse("counter '" + name + "' must end in _total");
  for (const auto& label : label_names) {
    if (!validName(label, false) || label.starts_with("__")) misuse("invalid label name '" + label + "' on " + name);
    if (type == MetricType::kHistogram && label == "le") misuse("histogram " + name + " may not use the label le");
  }
}

constexpr auto kTypeNames = enumNames<MetricType>({
    {MetricType::kCounter, "counter"},
    {MetricType::kGauge, "gauge"},
    {MetricType::kHistogram, "histogram"},
});

std::string_view typeName(MetricType type) { return nameOf(kTypeNames, type); }

void appendEscaped(std::string& out, std::string_view text, bool quote) {
  for (const char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (quote && c == '"')
      out += "\\\"";
    else
      out += c;
  }
}

void appendNumber(std::string& out, double v) {
  if (std::isnan(v))
    out += "NaN";
  else if (std::isinf(v))
    out += v > 0 ? "+Inf" : "-Inf";
  else
    fmt::format_to(std::back_inserter(out), "{}", v);
}

}  // namespace

// ---- Histogram -------------------------------------------------------------------------------

Histogram::Histogram(const std::vector<double>& bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds.size() + 1)) {
  for (std::size_t i = 0; i <= bounds.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double value) {
  if (std::isnan(value)) return;
  // Prometheus buckets are "less than or equal": the first bound >= value.
  const auto it = std::lower_bound(bounds_.begin(), bounds_.end(), value);
  counts_[static_cast<std::size_t>(it - bounds_.begin())].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(running);
  }
  s.count = running;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

// ---- Family ----------------------------------------------------------------------------------

Family::Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {}

void Family::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  appendEscaped(out, help_, false);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += typeName(type_);
  out += '\n';
  renderSamples(out);
}

void Family::renderSample(std::string& out, std::string_view suffix, const LabelValues& values, double value,
                          std::string_view extra_label, std::string_view extra_value) const {
  out += name_;
  out += suffix;
  const bool any = !label_names_.empty() || !extra_label.empty();
  if (any) out += '{';
  bool first = true;
  auto label = [&](std::string_view n, std::string_view v) {
    if (!first) out += ',';
    first = false;
    out += n;
    out += "=\"";
    appendEscaped(out, v, true);
    out += '"';
  };
  for (std::size_t i = 0; i < label_names_.size(); ++i) label(label_names_[i], i < values.size() ? values[i] : "");
  if (!extra_label.empty()) label(extra_label, extra_value);
  if (any) out += '}';
  out += ' ';
  appendNumber(out, value);
  out += '\n';
}

// ---- MetricFamily ----------------------------------------------------------------------------

template <class Metric>
MetricFamily<Metric>::MetricFamily(std::string name, std::string help, MetricType type,
                                   std::vector<std::string> label_names, std::vector<double> bounds)
    : Family(std::move(name), std::move(help), type, std::move(label_names)), bounds_(std::move(bounds)) {}

template <class Metric>
template <class Range>
Metric& MetricFamily<Metric>::find(const Range& values) {
  {
    std::shared_lock lock(mu_);
    if (auto it = children_.find(values); it != children_.end()) return *it->second;
  }
  std::unique_lock lock(mu_);
  if (auto it = children_.find(values); it != children_.end()) return *it->second;
  std::unique_ptr<Metric> child;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    child = std::make_unique<Histogram>(bounds_);
  } else {
    child = std::make_unique<Metric>();
  }
  Metric& ref = *child;
  children_.emplace(LabelValues(values.begin(), values.end()), std::move(child));
  return ref;
}

template <class Metric>
Metric& MetricFamily<Metric>::labels(std::initializer_list<std::string_view> values) {
  if (values.size() == labelNames().size()) return find(values);
  return labels(std::vector<std::string_view>(values));
}

template <class Metric>
Metric& MetricFamily<Metric>::labels(const std::vector<std::string_view>& values) {
  if (values.size() == labelNames().size()) return find(values);
  std::vector<std::string_view> fixed(values);
  fixed.resize(labelNames().size());
  return find(fixed);
}

template <class Metric>
void MetricFamily<Metric>::renderSamples(std::string& out) const {
  std::shared_lock lock(mu_);
  for (const auto& [values, child] : children_) {
    if constexpr (std::is_same_v<Metric, Histogram>) {
      const auto snap = child->snapshot();
      std::string le;
      for (std::size_t i = 0; i < bounds_.size(); ++i) {
        le.clear();
        appendNumber(le, bounds_[i]);
        renderSample(out, "_bucket", values, static_cast<double>(snap.cumulative[i]), "le", le);
      }
      renderSample(out, "_bucket", values, static_cast<double>(snap.count), "le", "+Inf");
      renderSample(out, "_sum", values, snap.sum);
      renderSample(out, "_count", values, static_cast<double>(snap.count));
    } else {
      renderSample(out, "", values, child->value());
    }
  }
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;
template class MetricFamily<Histogram>;

// ---- Callback families -----------------------------------------------------------------------

namespace {

class CallbackFamily final : public Family {
 public:
  CallbackFamily(std::string name, std::string help, MetricType type, std::vector<std::string> label_names, SampleFn fn)
      : Family(std::move(name), std::move(help), type, std::move(label_names)), fn_(std::move(fn)) {}

  void replace(SampleFn fn) {
    std::lock_guard lock(mu_);
    fn_ = std::move(fn);
  }

 private:
  void renderSamples(std::string& out) const override {
    SampleFn fn;
    {
      std::lock_guard lock(mu_);
      fn = fn_;
    }
    if (!fn) return;
    auto samples = fn();
    std::sort(samples.begin(), samples.end(), [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (i > 0 && samples[i].labels == samples[i - 1].labels) continue;  // one sample per series
      renderSample(out, "", samples[i].labels, samples[i].value);
    }
  }

  mutable std::mutex mu_;
  SampleFn fn_;
};

}  // namespace

// ---- Registry --------------------------------------------------------------------------------

template <class F>
F& Registry::getOrCreate(const std::string& name, MetricType type, const std::vector<std::string>& label_names,
                         const std::function<std::unique_ptr<F>()>& make) {
  validate(name, type, label_names);
  std::lock_guard lock(mu_);
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = dynamic_cast<F*>(it->second.get());
    if (!existing || existing->type() != type || existing->labelNames() != label_names) {
      misuse("metric '" + name + "' registered twice with different definitions");
    }
    return *existing;
  }
  auto family = make();
  F& ref = *family;
  families_.emplace(name, std::move(family));
  return ref;
}

CounterFamily& Registry::counter(const std::string& name, const std::string& help,
                                 std::vector<std::string> label_names) {
  auto& f = getOrCreate<CounterFamily>(name, MetricType::kCounter, label_names, [&] {
    return std::make_unique<CounterFamily>(name, help, MetricType::kCounter, label_names);
  });
  if (label_names.empty()) f.get();  // an unlabelled series exists from the start, at 0
  return f;
}

GaugeFamily& Registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names) {
  auto& f = getOrCreate<GaugeFamily>(name, MetricType::kGauge, label_names, [&] {
    return std::make_unique<GaugeFamily>(name, help, MetricType::kGauge, label_names);
  });
  if (label_names.empty()) f.get();
  return f;
}

HistogramFamily& Registry::histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                                     std::vector<std::string> label_names) {
  if (bounds.empty() || !std::is_sorted(bounds.begin(), bounds.end()) ||
      std::adjacent_find(bounds.begin(), bounds.end()) != bounds.end() ||
      std::any_of(bounds.begin(), bounds.end(), [](double b) { return !std::isfinite(b); })) {
    misuse("histogram '" + name + "' needs finite, strictly increasing bucket bounds");
  }
  auto& f = getOrCreate<HistogramFamily>(name, MetricType::kHistogram, label_names, [&] {
    return std::make_unique<HistogramFamily>(name, help, MetricType::kHistogram, label_names, bounds);
  });
  if (f.bounds() != bounds) misuse("histogram '" + name + "' registered twice with different buckets");
  if (label_names.empty()) f.get();
  return f;
}

void Registry::callback(const std::string& name, const std::string& help, MetricType type,
                        std::vector<std::string> label_names, SampleFn fn) {
  if (type == MetricType::kHistogram) misuse("callback metric '" + name + "' must be a counter or gauge");
  bool created = false;
  auto& f = getOrCreate<CallbackFamily>(name, type, label_names, [&] {
    created = true;
    return std::make_unique<CallbackFamily>(name, help, type, label_names, fn);
  });
  if (!created) f.replace(std::move(fn));
}

void Registry::callbackGauge(const std::string& name, const std::string& help, std::function<double()> fn) {
  callback(name, help, MetricType::kGauge, {}, [fn = std::move(fn)] { return std::vector<Sample>{{{}, fn()}}; });
}

std::vector<const Family*> Registry::families() const {
  // Families are never removed, so the pointers stay valid after the lock is released.
  std::lock_guard lock(mu_);
  std::vector<const Family*> out;
  out.reserve(families_.size());
  for (const auto& [name, family] : families_) out.push_back(family.get());
  return out;
}

std::string Registry::render() const { return renderExposition({this}); }

std::string renderExposition(std::initializer_list<const Registry*> registries) {
  std::map<std::string_view, const Family*> merged;
  for (const Registry* registry : registries) {
    for (const Family* family : registry->families()) merged.emplace(family->name(), family);
  }
  std::string out;
  out.reserve(16 * 1024);
  for (const auto& [name, family] : merged) family->render(out);
  return out;
}

const std::vector<double>& latencyBuckets() {
  static const std::vector<double> buckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                              0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
  return buckets;
}

}  // namespace fraudgov::observability
