#include "app/admin_listener.h"

#include "app/routes/routes.h"

namespace fraudgov::app {

AdminListener::AdminListener(Application& app) {
  useStandardMiddleware(pipeline_, app.context().config, app.httpMetrics());
  addHealthRoutes(router_, app.context());
  addMetricsRoutes(router_, app.context(), app.metrics());
  dispatch_ = [this](http::Request& request) { return dispatchRoute(router_, request); };
}

http::Response AdminListener::handle(http::Request& request) { return pipeline_.run(request, dispatch_); }

http::Response AdminListener::reject(http::Request& request, const Error& error) {
  return rejectThrough(pipeline_, request, error);
}

}  // namespace fraudgov::app
