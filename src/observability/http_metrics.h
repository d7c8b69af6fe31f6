#pragma once
// Request metrics (SPEC §7), recorded by the metrics middleware for every response:
//   http_requests_total{method,route,status_code,status_class}   counter
//   http_request_duration_seconds{method,route}                  histogram
//   http_requests_in_flight                                      gauge
// `route` is the matched route TEMPLATE (/api/v1/rules/{rule_id}), never the raw path; requests
// that matched no route use "__unmatched__". Methods outside the standard set count as OTHER.

#include <string_view>

#include "observability/metrics.h"

namespace fraudgov::observability {

inline constexpr std::string_view kUnmatchedRoute = "__unmatched__";

class HttpMetrics {
 public:
  explicit HttpMetrics(Registry& registry);

  // Keeps the in-flight gauge raised for its lifetime.
  class InFlight {
   public:
    explicit InFlight(Gauge& gauge) : gauge_(gauge) { gauge_.inc(); }
    ~InFlight() { gauge_.dec(); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    Gauge& gauge_;
  };
  InFlight track() { return InFlight(in_flight_); }

  // route: the template, or empty when nothing matched.
  void record(std::string_view method, std::string_view route, unsigned status, double seconds);

 private:
  CounterFamily& requests_;
  HistogramFamily& duration_;
  Gauge& in_flight_;
};

}  // namespace fraudgov::observability
