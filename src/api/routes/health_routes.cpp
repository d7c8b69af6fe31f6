// GET /api/v1/health and /api/v1/readyz, behind the admin-access gate.
#include "api/routes/routes.h"
#include "http/problem.h"

namespace fraudgov::api {

namespace {
// What readyz reports for the database.
const char* databaseState(const Status& ready) {
  if (ready) return "ok";
  return ready.error().code == ErrorCode::kStorageUnavailable ? "storage_unavailable" : "unavailable";
}
}  // namespace

void addHealthRoutes(RouteTable& routes, store::Database& db, const auth::JwksCache& keys,
                     std::chrono::milliseconds readiness_deadline) {
  const Access health = Access::operational(AdminEndpoint::kHealth);
  routes.add(http::Method::kGet, "/api/v1/health", health,
             [](http::Request&) -> RouteResult { return jsonResponse(200, {{"ok", true}}); });

  routes.add(http::Method::kGet, "/api/v1/readyz", health,
             [&db, &keys, readiness_deadline](http::Request& request) -> RouteResult {
    const Status ready = db.checkReady(Deadline::after(readiness_deadline));
    const bool db_ok = ready.has_value();
    const auto key_status = keys.status();
    const bool keys_ok = key_status.key_count > 0;
    const char* key_state = !keys_ok ? "unavailable" : key_status.stale ? "stale" : "ok";
    boost::json::object body{{"ok", db_ok && keys_ok},
                             {"db", databaseState(ready)},
                             {"keys", key_state},
                             {"key_count", key_status.key_count},
                             {"jwks_breaker", key_status.breaker_state}};
    if (db_ok && keys_ok) return jsonResponse(200, body);
    // Not ready: a problem response that still carries the readiness report.
    return http::problemResponse(Error::unavailable("Service not ready", 5), request.request_id, body);
  });
}

}  // namespace fraudgov::api
