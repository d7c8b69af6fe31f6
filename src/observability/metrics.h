#pragma once
// A small Prometheus registry (prometheus-cpp is not packaged): counters, gauges and fixed-bucket
// histograms with labels, callback metrics for values owned elsewhere, and the text exposition
// format 0.0.4 (checked by `promtool check metrics` in the tests).
//
// Hot path: recording takes no registry-wide lock. Finding a labelled child takes its family's
// shared (reader) lock for one map lookup; the child itself is updated with atomics. Children
// live as long as the registry, so a caller may cache the reference labels() returns.
//
// Label values must come from small closed sets (route templates, status codes, enum names) —
// never ids, raw paths, user input or anything secret: every distinct value is a new series.

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fraudgov::observability {

inline constexpr const char* kExpositionContentType = "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { kCounter, kGauge, kHistogram };

using LabelValues = std::vector<std::string>;

class Counter {
 public:
  void inc(double amount = 1.0) {
    if (amount > 0) value_.fetch_add(amount, std::memory_order_relaxed);
  }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double v) { value_.store(v, std::memory_order_relaxed); }
  void inc(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // bounds: the upper bounds of the finite buckets, strictly increasing (+Inf is implicit).
  explicit Histogram(const std::vector<double>& bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per finite bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;  // equals the +Inf bucket by construction
  };
  Snapshot snapshot() const;

 private:
  const std::vector<double>& bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, not cumulative; last = overflow
  std::atomic<double> sum_{0.0};
};

// A metric name with its HELP, TYPE and label names; renders all its series.
class Family {
 public:
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names);
  virtual ~Family() = default;
  Family(const Family&) = delete;
  Family& operator=(const Family&) = delete;

  const std::string& name() const { return name_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& labelNames() const { return label_names_; }
  // Appends "# HELP", "# TYPE" and the samples, series in label-value order.
  void render(std::string& out) const;

 protected:
  virtual void renderSamples(std::string& out) const = 0;
  void renderSample(std::string& out, std::string_view suffix, const LabelValues& values, double value,
                    std::string_view extra_label = {}, std::string_view extra_value = {}) const;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
};

template <class Metric>
class MetricFamily final : public Family {
 public:
  MetricFamily(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
               std::vector<double> bounds = {});

  // The series for these label values (one per label name, in order), created on first use.
  // A wrong number of values is a programming error; it is padded/truncated rather than crash a
  // request, and shows up in the output as empty label values.
  Metric& labels(std::initializer_list<std::string_view> values);
  Metric& labels(const std::vector<std::string_view>& values);
  // The single series of a family without labels.
  Metric& get() { return labels(std::initializer_list<std::string_view>{}); }

  const std::vector<double>& bounds() const { return bounds_; }

 private:
  void renderSamples(std::string& out) const override;
  template <class Range>
  Metric& find(const Range& values);

  // Orders stored label values against a lookup key of string_views without building strings.
  struct LabelLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
  };

  const std::vector<double> bounds_;  // histograms only
  mutable std::shared_mutex mu_;
  std::map<LabelValues, std::unique_ptr<Metric>, LabelLess> children_;
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

// A value read at scrape time from its owner (key cache status, pool statistics).
struct Sample {
  LabelValues labels;  // one value per label name of the family
  double value = 0;
};
using SampleFn = std::function<std::vector<Sample>()>;

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registration is idempotent: the same name with the same type and labels returns the existing
  // family. A conflicting redefinition or an invalid name aborts (a programming error, caught by
  // the first test that starts the service).
  CounterFamily& counter(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  GaugeFamily& gauge(const std::string& name, const std::string& help, std::vector<std::string> label_names = {});
  HistogramFamily& histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                             std::vector<std::string> label_names = {});

  // A counter or gauge whose samples fn computes at scrape time. fn runs on the scraping thread:
  // it must be thread-safe, cheap, and outlive-safe (capture shared_ptrs or objects that outlive
  // this registry). Registering the same name again replaces fn.
  void callback(const std::string& name, const std::string& help, MetricType type, std::vector<std::string> label_names,
                SampleFn fn);
  void callbackGauge(const std::string& name, const std::string& help, std::function<double()> fn);

  std::string render() const;

 private:
  friend std::string renderExposition(std::initializer_list<const Registry*> registries);
  template <class F>
  F& getOrCreate(const std::string& name, MetricType type, const std::vector<std::string>& label_names,
                 const std::function<std::unique_ptr<F>()>& make);
  std::vector<const Family*> families() const;

  mutable std::mutex mu_;  // registration and the family list; never taken while recording
  std::map<std::string, std::unique_ptr<Family>> families_;
};

// The exposition of several registries as one document, families sorted by name. A name present
// in more than one registry is rendered from the first only.
std::string renderExposition(std::initializer_list<const Registry*> registries);

// Process-wide metrics: build information, process statistics and the governance API
// (governance_metrics.h). Per-runtime metrics (HTTP, key cache, database pool) live in the
// Application's own registry, so two runtimes in one test process do not mix.
Registry& processRegistry();

// Buckets for request latencies, in seconds.
const std::vector<double>& latencyBuckets();

}  // namespace fraudgov::observability
