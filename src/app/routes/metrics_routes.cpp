// GET /metrics and GET /api/v1/metrics (SPEC §4, §7): Prometheus text exposition of the
// process-wide and this application's registries, behind the admin-access gate.
#include "app/routes/routes.h"
#include "observability/governance_metrics.h"

namespace fraudgov::app {

void addMetricsRoutes(http::Router& router, const AppContext& ctx, const observability::Registry& registry) {
  observability::governanceMetrics();  // its series exist (at 0) from the first scrape
  for (const char* path : {"/metrics", "/api/v1/metrics"}) {
    router.add(http::Method::kGet, path, route([&ctx, &registry](http::Request& request) -> RouteResult {
                 FRAUDGOV_RETURN_IF_ERROR(ctx.admin.check(request, AdminEndpoint::kMetrics));
                 http::Response response;
                 response.status = 200;
                 response.headers.set("Content-Type", observability::kExpositionContentType);
                 response.body = observability::renderExposition({&observability::processRegistry(), &registry});
                 return response;
               }));
  }
}

}  // namespace fraudgov::app
