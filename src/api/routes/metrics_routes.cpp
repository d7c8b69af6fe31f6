// GET /metrics and GET /api/v1/metrics (SPEC §4, §7): Prometheus text exposition of the
// process-wide and this application's registries, behind the admin-access gate.
#include "api/routes/routes.h"

namespace fraudgov::api {

void addMetricsRoutes(RouteTable& routes, const observability::Registry& registry) {
  for (const char* path : {"/metrics", "/api/v1/metrics"}) {
    routes.add(http::Method::kGet, path, Access::operational(AdminEndpoint::kMetrics),
               [&registry](http::Request&) -> RouteResult {
                 http::Response response;
                 response.status = 200;
                 response.headers.set("Content-Type", observability::kExpositionContentType);
                 response.body = observability::renderExposition({&observability::processRegistry(), &registry});
                 return response;
               });
  }
}

}  // namespace fraudgov::api
