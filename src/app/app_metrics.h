#pragma once
// How the application feeds its metrics registry: the request middleware, and scrape-time
// callbacks for state owned elsewhere (identity-provider key cache, database pool).

#include <memory>

#include "auth/jwks_cache.h"
#include "http/pipeline.h"
#include "observability/http_metrics.h"
#include "observability/metrics.h"
#include "store/database.h"

namespace fraudgov::app {

// Records every response in `metrics` (route template, status, duration, in-flight). Placed
// inside the security-header and access-log middleware and outside the exception barrier, so it
// sees the final status of every response, including refusals and 500s.
http::Middleware metricsMiddleware(observability::HttpMetrics& metrics);

// fraudgov_jwks_* from JwksCache::status() and fraudgov_db_pool_* from Database::poolStats(),
// read when /metrics is scraped. `db` must outlive the registry's last scrape.
void registerDependencyMetrics(observability::Registry& registry, std::shared_ptr<auth::JwksCache> keys,
                               const store::Database& db);

}  // namespace fraudgov::app
