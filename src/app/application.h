#pragma once
// Wires the HTTP pipeline, the router and the services together. One Application per
// listener configuration; the server calls handle()/reject() for every request.

#include <memory>

#include "api/admin_access.h"
#include "api/guard.h"
#include "api/idempotency_gate.h"
#include "app/config.h"
#include "auth/authenticator.h"
#include "auth/jwks_cache.h"
#include "http/pipeline.h"
#include "observability/http_metrics.h"
#include "observability/metrics.h"
#include "observability/telemetry.h"
#include "ratelimit/limiter.h"
#include "service/approval_service.h"
#include "service/audit_service.h"
#include "service/catalog_service.h"
#include "service/cursor_codec.h"
#include "service/field_registry_service.h"
#include "service/publisher.h"
#include "service/read_cache.h"
#include "service/rule_service.h"
#include "service/ruleset_service.h"
#include "service/simulation_service.h"
#include "store/database.h"

namespace fraudgov::app {

// The middleware chain every listener runs (outermost first): request id, security headers,
// access log, metrics, exception barrier. `log` must outlive the pipeline.
void useStandardMiddleware(http::Pipeline& pipeline, const Config& config, observability::HttpMetrics& metrics,
                           const observability::Logger& log);
// The matched route's handler, or a 405 (with Allow) or 404 problem; sets request.route_template.
http::Response dispatchRoute(const http::Router& router, http::Request& request);
// Whether the request routes to an operational route (health, readiness, metrics): the server
// runs those on workers of their own (http::RequestHandler::operational).
bool routesToOperational(const http::Router& router, const http::Request& request);
// The router's answer for this request, matched on first use and kept in its state.
const http::RouteMatch& matchOnce(const http::Router& router, http::Request& request);
// A request the transport refused (413, 431, malformed) answered through `pipeline`.
http::Response rejectThrough(const http::Pipeline& pipeline, http::Request& request, const http::Refusal& refusal);
// The operational-endpoint policy (api/admin_access.h) this configuration asks for.
api::AdminAccessPolicy adminAccessPolicy(const Config& config);

class Application final : public http::RequestHandler {
 public:
  // limiter: nullptr when rate limiting is disabled. `telemetry` is the runtime's (clock, metrics,
  // logger) and must outlive the application.
  Application(const Config& config, store::Database& db, std::shared_ptr<auth::JwksCache> keys,
              observability::Telemetry& telemetry, std::shared_ptr<ratelimit::Limiter> limiter,
              service::PublisherSettings publication, service::AuditAnchoring anchoring = {});

  http::Router& router() { return router_; }
  const http::Router& router() const { return router_; }
  const Config& config() const { return config_; }
  store::Database& database() { return db_; }
  auth::JwksCache& keys() { return *keys_; }
  const api::Guard& guard() const { return guard_; }
  const api::AdminAccess& adminAccess() const { return admin_; }
  // This runtime's metrics (HTTP, governance, key cache, database pool); /metrics adds processRegistry().
  observability::Registry& metrics() { return telemetry_.metrics(); }
  observability::Telemetry& telemetry() { return telemetry_; }
  observability::HttpMetrics& httpMetrics() { return http_metrics_; }
  service::Publisher& publisher() { return publisher_; }
  // The rate-limit middleware (one set of buckets for every listener), nullptr when disabled.
  const http::Middleware* rateLimit() const { return rate_limit_ ? &rate_limit_ : nullptr; }
  // The read model the cacheable GETs are answered from.
  service::ReadCache& readCache() { return read_cache_; }
  service::AuditService& audit() { return audit_; }

  http::Response handle(http::Request& request) override;
  // A cached read, or a request refused before any route could wait (401, 429, 304, 404), is
  // answered here; anything else defers (http::RequestHandler::tryWithoutWaiting).
  http::Response tryWithoutWaiting(http::Request& request) override;
  http::Response reject(http::Request& request, const http::Refusal& refusal) override;
  // Only an authenticated request earns `100 Continue` (the verdict is kept for handle()).
  bool admitBody(http::Request& request) override;
  bool operational(const http::Request& request) const override { return routesToOperational(router_, request); }

 private:
  http::Response dispatch(http::Request& request);
  // Checks that leave no trace, so that deferring after them costs nothing but their time.
  bool mayAnswerWithoutWaiting(http::Request& request) const;

  const Config& config_;
  store::Database& db_;
  std::shared_ptr<auth::JwksCache> keys_;
  observability::Telemetry& telemetry_;
  observability::HttpMetrics http_metrics_;
  auth::Authenticator authenticator_;
  api::Guard guard_;
  api::AdminAccess admin_;
  service::CursorCodec cursors_;
  service::CatalogService catalog_;
  service::AuditService audit_;
  service::RuleService rules_;
  service::ApprovalService approvals_;
  service::SimulationService simulation_;
  service::Publisher publisher_;
  service::RulesetService rulesets_;
  service::FieldRegistryService field_registry_;
  service::ReadCache read_cache_;
  api::IdempotencyGate idempotency_;
  http::Middleware rate_limit_;
  http::Router router_;
  http::Pipeline pipeline_;
  http::Handler dispatch_;
  // False when the rate limiter may call Redis: then every request goes to the worker pool.
  bool limiter_never_waits_ = true;
};

}  // namespace fraudgov::app
