#include "app/app_metrics.h"

#include "common/time.h"
#include "observability/governance_metrics.h"

namespace fraudgov::app {

using observability::MetricType;
using observability::Sample;

http::Middleware metricsMiddleware(observability::HttpMetrics& metrics) {
  return [&metrics](http::Request& request, const http::Next& next) {
    const auto in_flight = metrics.track();
    const observability::Stopwatch watch;
    http::Response response = next(request);
    if (response.deferred) return response;  // not answered yet: counted when it is
    metrics.record(request.method_text, request.route_template, response.status, watch.elapsed().count());
    return response;
  };
}

void registerDependencyMetrics(observability::Registry& r, std::shared_ptr<auth::JwksCache> keys,
                               const store::Database& db) {
  auto one = [](double v) { return std::vector<Sample>{{{}, v}}; };

  r.callback("fraudgov_jwks_keys", "Signing keys the identity-provider key cache would serve now.", MetricType::kGauge,
             {}, [keys, one] { return one(static_cast<double>(keys->status().key_count)); });
  r.callback("fraudgov_jwks_stale", "1 while serving keys older than the TTL because refreshes fail.",
             MetricType::kGauge, {}, [keys, one] { return one(keys->status().stale ? 1 : 0); });
  r.callback("fraudgov_jwks_circuit_breaker_state",
             "Identity-provider circuit breaker: 1 for the current state, 0 for the others.", MetricType::kGauge,
             {"state"}, [keys] {
               const std::string current = keys->status().breaker_state;
               std::vector<Sample> out;
               for (const char* state : {"closed", "open", "half_open"}) {
                 out.push_back({{state}, current == state ? 1.0 : 0.0});
               }
               return out;
             });
  r.callback("fraudgov_jwks_fetches_total", "Key-set fetches from the identity provider, by outcome.",
             MetricType::kCounter, {"outcome"}, [keys] {
               const auto s = keys->status();
               return std::vector<Sample>{{{"success"}, static_cast<double>(s.fetch_success_total)},
                                          {{"failure"}, static_cast<double>(s.fetch_failure_total)}};
             });
  r.callback("fraudgov_jwks_unknown_kid_refreshes_total",
             "Refreshes triggered by a token whose key id was not in the cached key set.", MetricType::kCounter, {},
             [keys, one] { return one(static_cast<double>(keys->status().unknown_kid_refresh_total)); });
  r.callback("fraudgov_jwks_last_success_timestamp_seconds",
             "When the key set was last fetched successfully (Unix time; 0 = never).", MetricType::kGauge, {},
             [keys, one] {
               const auto last = keys->status().last_success;
               return one(last ? static_cast<double>(last->micros) / 1e6 : 0.0);
             });

  const store::Database* pool = &db;
  r.callback("fraudgov_db_pool_connections", "Open database connections.", MetricType::kGauge, {},
             [pool, one] { return one(static_cast<double>(pool->poolStats().size)); });
  r.callback("fraudgov_db_pool_connections_in_use", "Database connections lent out right now.", MetricType::kGauge, {},
             [pool, one] { return one(static_cast<double>(pool->poolStats().in_use)); });
  r.callback("fraudgov_db_pool_capacity", "Maximum database connections.", MetricType::kGauge, {},
             [pool, one] { return one(static_cast<double>(pool->poolStats().capacity)); });
  r.callback("fraudgov_db_pool_wait_timeouts_total", "Requests that gave up waiting for a database connection.",
             MetricType::kCounter, {},
             [pool, one] { return one(static_cast<double>(pool->poolStats().waits_timed_out)); });
}

}  // namespace fraudgov::app
