#include "app/application.h"

#include "api/middleware.h"
#include "api/rate_limit_middleware.h"
#include "api/request_state.h"
#include "api/routes/routes.h"
#include "app/app_metrics.h"
#include "app/build_info.h"
#include "http/client_address.h"
#include "http/cors.h"
#include "http/problem.h"
#include "http/request_id.h"
#include "http/security_headers.h"

namespace fraudgov::app {

namespace {
service::PublisherSettings withMetrics(service::PublisherSettings settings, observability::GovernanceMetrics& metrics) {
  settings.metrics = &metrics;
  return settings;
}
}  // namespace

api::AdminAccessPolicy adminAccessPolicy(const Config& config) {
  return {config.health_allow_cidrs, config.metrics_allow_cidrs, config.trusted_proxies, config.env != AppEnv::kProd};
}

Application::Application(const Config& config, store::Database& db, std::shared_ptr<auth::JwksCache> keys,
                         observability::Telemetry& telemetry, std::shared_ptr<ratelimit::Limiter> limiter,
                         service::PublisherSettings publication, service::AuditAnchoring anchoring)
    : config_(config),
      db_(db),
      keys_(std::move(keys)),
      telemetry_(telemetry),
      http_metrics_(telemetry.metrics()),
      authenticator_(config.auth, keys_, telemetry.clock()),
      guard_(authenticator_),
      admin_(config.secrets, adminAccessPolicy(config), telemetry),
      cursors_(config.secrets->get(secrets::names::kCursorHmacKey).value_or("")),
      catalog_(db),
      audit_(db, cursors_, std::move(anchoring)),
      rules_(db, cursors_),
      approvals_(db, cursors_),
      simulation_(db),
      publisher_(withMetrics(publication, telemetry.governance())),
      rulesets_(db, cursors_, publisher_),
      field_registry_(db, publication.store),
      read_cache_(config.read_cache, [&db] { return db.changeStamp(); }, telemetry.metrics()),
      idempotency_(db, guard_, telemetry, config.idempotency_lease) {
  useStandardMiddleware(pipeline_, config, http_metrics_, telemetry.log());
  // Preflights are answered before rate limiting and authentication (http/cors.h).
  pipeline_.use(http::corsMiddleware(config.cors_origins));
  // Inside the exception barrier: a 429 gets request id, security headers and access log too.
  if (limiter) {
    limiter_never_waits_ = limiter->backend() == "local";
    rate_limit_ = api::rateLimitMiddleware(std::move(limiter), config.rate_limit, guard_, telemetry);
    pipeline_.use(rate_limit_);
  }
  registerDependencyMetrics(telemetry.metrics(), keys_, db);
  telemetry.metrics().callback(
      "fraudgov_auth_signature_verifications_total",
      "Token signatures checked (the expensive step of authentication; refused guesses skip it).",
      observability::MetricType::kCounter, {}, [count = authenticator_.signatureVerificationCounter()] {
        return std::vector<observability::Sample>{{{}, static_cast<double>(count->load(std::memory_order_relaxed))}};
      });

  api::RouteTable routes(router_, guard_, &idempotency_, &admin_);
  // With an admin listener the operational routes live there only (runtime.cpp).
  if (!config.admin_port) {
    api::addHealthRoutes(routes, db_, *keys_, config.readiness_deadline);
    api::addMetricsRoutes(routes, telemetry.metrics());
  }
  api::addRuleFieldRoutes(routes, catalog_, read_cache_);
  api::addAuditRoutes(routes, audit_);
  api::addRuleRoutes(routes, rules_, approvals_, simulation_, telemetry.governance(), read_cache_);
  api::addRulesetRoutes(routes, rulesets_, db_, read_cache_);
  api::addFieldRegistryRoutes(routes, field_registry_, read_cache_);
  api::addOpenApiRoute(routes, router_, std::string(build_info::version()));  // last: documents all of the above
  dispatch_ = [this](http::Request& request) { return dispatch(request); };
}

void useStandardMiddleware(http::Pipeline& pipeline, const Config& config, observability::HttpMetrics& metrics,
                           const observability::Logger& log) {
  // Outermost first: the request id and security headers wrap everything, including the
  // responses for requests the router never saw.
  pipeline.use(http::requestIdMiddleware());
  pipeline.use(http::clientAddressMiddleware(config.trusted_proxies));
  pipeline.use(http::securityHeadersMiddleware(config.headers));
  pipeline.use(api::accessLogMiddleware(log));
  pipeline.use(metricsMiddleware(metrics));
  pipeline.use(api::exceptionBarrierMiddleware(log));
}

http::Response rejectThrough(const http::Pipeline& pipeline, http::Request& request, const http::Refusal& refusal) {
  http::Handler refuse = [&refusal](http::Request& r) {
    http::Response response = http::problemResponse(refusal, r.request_id);
    response.close_connection = true;
    return response;
  };
  return pipeline.run(request, refuse);
}

http::Response Application::handle(http::Request& request) { return pipeline_.run(request, dispatch_); }

http::Response Application::tryWithoutWaiting(http::Request& request) {
  if (!mayAnswerWithoutWaiting(request)) return http::Response::defer();
  request.no_blocking = true;
  http::Response response = pipeline_.run(request, dispatch_);
  request.no_blocking = false;
  return response;
}

bool Application::mayAnswerWithoutWaiting(http::Request& request) const {
  if (!limiter_never_waits_) return false;
  // Unmatched paths and methods are answered from memory; a matched route must defer by itself.
  const http::RouteMatch& match = matchOnce(router_, request);
  if (match.kind == http::RouteMatch::Kind::kFound && match.route->waits != http::Waits::kDefersInstead) return false;
  // The rate limiter and the route need the verdict; without it settled, verifying could wait for
  // the identity provider (or a forged token would be checked ahead of the failure budget).
  return guard_.settleWithoutWaiting(request);
}

http::Response Application::reject(http::Request& request, const http::Refusal& refusal) {
  return rejectThrough(pipeline_, request, refusal);
}

bool Application::admitBody(http::Request& request) { return static_cast<bool>(guard_.authenticate(request)); }

http::Response Application::dispatch(http::Request& request) { return dispatchRoute(router_, request); }

bool routesToOperational(const http::Router& router, const http::Request& request) {
  const http::RouteMatch match = router.match(request.method, request.segments);
  return match.kind == http::RouteMatch::Kind::kFound && match.route->access.starts_with("operational:");
}

const http::RouteMatch& matchOnce(const http::Router& router, http::Request& request) {
  auto& match = api::requestState(request).route;
  if (!match) match = router.match(request.method, request.segments);
  return *match;
}

http::Response dispatchRoute(const http::Router& router, http::Request& request) {
  const http::RouteMatch& match = matchOnce(router, request);
  switch (match.kind) {
    case http::RouteMatch::Kind::kFound:
      request.route_template = match.path_template;
      request.path_params = match.params;  // a copy: a deferred request is dispatched again
      return match.route->handler(request);
    case http::RouteMatch::Kind::kMethodNotAllowed:
      request.route_template = match.path_template;
      return http::problemResponse(http::Refusal::methodNotAllowed(match.allow), request.request_id);
    case http::RouteMatch::Kind::kNotFound:
      break;
  }
  return http::problemResponse(Error::notFound("Not Found"), request.request_id);
}

}  // namespace fraudgov::app
