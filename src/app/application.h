#pragma once
// Wires the HTTP pipeline, the router and the services together. One Application per
// listener configuration; the server calls handle()/reject() for every request.

#include <memory>

#include "app/admin_access.h"
#include "app/api_support.h"
#include "app/config.h"
#include "app/idempotency.h"
#include "auth/authenticator.h"
#include "auth/jwks_cache.h"
#include "http/pipeline.h"
#include "observability/http_metrics.h"
#include "observability/metrics.h"
#include "ratelimit/limiter.h"
#include "service/approval_service.h"
#include "service/audit_service.h"
#include "service/catalog_service.h"
#include "service/rule_service.h"
#include "service/simulation_service.h"
#include "store/database.h"

namespace fraudgov::app {

// Everything a route module may use.
struct AppContext {
  const Config& config;
  store::Database& db;
  auth::JwksCache& keys;
  const Guard& guard;
  AdminAccess admin;
  service::CatalogService& catalog;
  service::AuditService& audit;
  service::RuleService& rules;
  service::ApprovalService& approvals;
  service::SimulationService& simulation;
  const IdempotencyGate& idempotency;
};

// The middleware chain every listener runs (outermost first): request id, security headers,
// access log, metrics, exception barrier.
void useStandardMiddleware(http::Pipeline& pipeline, const Config& config, observability::HttpMetrics& metrics);
// The matched route's handler, or a 405 (with Allow) or 404 problem; sets request.route_template.
http::Response dispatchRoute(const http::Router& router, http::Request& request);
// A request the transport refused (413, 431, malformed) answered through `pipeline`.
http::Response rejectThrough(const http::Pipeline& pipeline, http::Request& request, const Error& error);

class Application final : public http::RequestHandler {
 public:
  // limiter: nullptr when rate limiting is disabled.
  Application(const Config& config, store::Database& db, std::shared_ptr<auth::JwksCache> keys,
              std::shared_ptr<ratelimit::Limiter> limiter = nullptr);

  http::Router& router() { return router_; }
  const http::Router& router() const { return router_; }
  const AppContext& context() const { return context_; }
  // This runtime's metrics (HTTP, key cache, database pool); /metrics adds processRegistry().
  observability::Registry& metrics() { return metrics_; }
  observability::HttpMetrics& httpMetrics() { return http_metrics_; }

  http::Response handle(http::Request& request) override;
  http::Response reject(http::Request& request, const Error& error) override;

 private:
  http::Response dispatch(http::Request& request);

  const Config& config_;
  std::shared_ptr<auth::JwksCache> keys_;
  observability::Registry metrics_;
  observability::HttpMetrics http_metrics_;
  auth::Authenticator authenticator_;
  Guard guard_;
  store::CursorCodec cursors_;
  service::CatalogService catalog_;
  service::AuditService audit_;
  service::RuleService rules_;
  service::ApprovalService approvals_;
  service::SimulationService simulation_;
  IdempotencyGate idempotency_;
  AppContext context_;
  http::Router router_;
  http::Pipeline pipeline_;
  http::Handler dispatch_;
};

}  // namespace fraudgov::app
