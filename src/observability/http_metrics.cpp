#include "observability/http_metrics.h"

#include <array>
#include <charconv>

namespace fraudgov::observability {

namespace {

// The method label comes from the client; only known methods become label values.
std::string_view methodLabel(std::string_view method) {
  static constexpr std::array<std::string_view, 7> kKnown = {"GET",   "HEAD",   "POST",   "PUT",
                                                             "PATCH", "DELETE", "OPTIONS"};
  for (auto m : kKnown) {
    if (m == method) return m;
  }
  return "OTHER";
}

}  // namespace

HttpMetrics::HttpMetrics(Registry& r)
    : requests_(r.counter("http_requests_total", "HTTP requests answered, by route template and status.",
                          {"method", "route", "status_code", "status_class"})),
      duration_(r.histogram("http_request_duration_seconds", "Time to produce a response, by route template.",
                            latencyBuckets(), {"method", "route"})),
      in_flight_(r.gauge("http_requests_in_flight", "HTTP requests being processed right now.").get()) {}

void HttpMetrics::record(std::string_view method, std::string_view route, unsigned status, double seconds) {
  const std::string_view m = methodLabel(method);
  const std::string_view r = route.empty() ? kUnmatchedRoute : route;
  if (status < 100 || status > 599) status = 500;
  char code[3];
  std::to_chars(code, code + 3, status);
  const char klass[3] = {code[0], 'x', 'x'};
  requests_.labels({m, r, std::string_view(code, 3), std::string_view(klass, 3)}).inc();
  duration_.labels({m, r}).observe(seconds);
}

}  // namespace fraudgov::observability
