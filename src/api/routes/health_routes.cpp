// GET /api/v1/health and /api/v1/readyz, behind the admin-access gate.
#include "api/routes/routes.h"
#include "http/problem.h"

namespace fraudgov::api {

void addHealthRoutes(RouteTable& routes, store::Database& db, const auth::JwksCache& keys) {
  const Access health = Access::operational(AdminEndpoint::kHealth);
  routes.add(http::Method::kGet, "/api/v1/health", health,
             [](http::Request&) -> RouteResult { return jsonResponse(200, {{"ok", true}}); });

  routes.add(http::Method::kGet, "/api/v1/readyz", health, [&db, &keys](http::Request& request) -> RouteResult {
    const bool db_ok = db.ping().has_value();
    const auto key_status = keys.status();
    const bool keys_ok = key_status.key_count > 0;
    const char* key_state = !keys_ok ? "unavailable" : key_status.stale ? "stale" : "ok";
    boost::json::object body{{"ok", db_ok && keys_ok},
                             {"db", db_ok ? "ok" : "unavailable"},
                             {"keys", key_state},
                             {"key_count", key_status.key_count},
                             {"jwks_breaker", key_status.breaker_state}};
    if (db_ok && keys_ok) return jsonResponse(200, body);
    // Not ready: a problem response that still carries the readiness report.
    return http::problemResponse(Error::unavailable("Service not ready", 5), request.request_id, body);
  });
}

}  // namespace fraudgov::api
