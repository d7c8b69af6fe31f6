// GET /api/v1/health and /api/v1/readyz, behind the admin-access gate.
#include "app/routes/routes.h"
#include "http/problem.h"

namespace fraudgov::app {

void addHealthRoutes(http::Router& router, const AppContext& ctx) {
  router.add(http::Method::kGet, "/api/v1/health", route([&ctx](http::Request& request) -> RouteResult {
               FRAUDGOV_RETURN_IF_ERROR(ctx.admin.check(request, AdminEndpoint::kHealth));
               return jsonResponse(200, {{"ok", true}});
             }));

  router.add(http::Method::kGet, "/api/v1/readyz", route([&ctx](http::Request& request) -> RouteResult {
               FRAUDGOV_RETURN_IF_ERROR(ctx.admin.check(request, AdminEndpoint::kHealth));
               const bool db_ok = ctx.db.ping().has_value();
               const auto keys = ctx.keys.status();
               const bool keys_ok = keys.key_count > 0;
               const char* key_state = !keys_ok ? "unavailable" : keys.stale ? "stale" : "ok";
               boost::json::object body{{"ok", db_ok && keys_ok},
                                        {"db", db_ok ? "ok" : "unavailable"},
                                        {"keys", key_state},
                                        {"key_count", keys.key_count},
                                        {"jwks_breaker", keys.breaker_state}};
               if (db_ok && keys_ok) return jsonResponse(200, body);
               // Not ready: a problem response that still carries the readiness report.
               return http::problemResponse(Error::unavailable("Service not ready", 5), request.request_id, body);
             }));
}

}  // namespace fraudgov::app
