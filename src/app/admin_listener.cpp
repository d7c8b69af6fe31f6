#include "app/admin_listener.h"

#include "api/routes/routes.h"

namespace fraudgov::app {

AdminListener::AdminListener(Application& app) {
  useStandardMiddleware(pipeline_, app.config(), app.httpMetrics(), app.telemetry().log());
  // The same buckets as the main listener: the admin listener is rate limited too.
  if (const http::Middleware* rate_limit = app.rateLimit()) pipeline_.use(*rate_limit);
  api::RouteTable routes(router_, app.guard(), nullptr, &app.adminAccess());
  api::addHealthRoutes(routes, app.database(), app.keys(), app.config().readiness_deadline);
  api::addMetricsRoutes(routes, app.metrics());
  dispatch_ = [this](http::Request& request) { return dispatchRoute(router_, request); };
}

http::Response AdminListener::handle(http::Request& request) { return pipeline_.run(request, dispatch_); }

http::Response AdminListener::reject(http::Request& request, const http::Refusal& refusal) {
  return rejectThrough(pipeline_, request, refusal);
}

}  // namespace fraudgov::app
