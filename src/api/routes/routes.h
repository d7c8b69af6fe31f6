#pragma once
// Route modules: each registers one area of the API, given exactly the services it uses.

#include <chrono>

#include "api/route_table.h"
#include "auth/jwks_cache.h"
#include "observability/governance_metrics.h"
#include "observability/metrics.h"
#include "service/approval_service.h"
#include "service/audit_service.h"
#include "service/catalog_service.h"
#include "service/field_registry_service.h"
#include "service/read_cache.h"
#include "service/rule_service.h"
#include "service/ruleset_service.h"
#include "service/simulation_service.h"
#include "store/database.h"

namespace fraudgov::api {

// /api/v1/health (from the process alone: never touches the database) and /api/v1/readyz
// (asks the database, within readiness_deadline, and the key cache). Both are operational
// routes, which the server runs on workers of their own (http::RequestHandler::operational).
void addHealthRoutes(RouteTable& routes, store::Database& db, const auth::JwksCache& keys,
                     std::chrono::milliseconds readiness_deadline);
// /metrics and /api/v1/metrics: processRegistry() plus `registry` (the runtime's own, governance
// series included).
void addMetricsRoutes(RouteTable& routes, const observability::Registry& registry);
// `reads`: the read model the cacheable GETs are answered from (api/cached_read.h).
void addRuleFieldRoutes(RouteTable& routes, service::CatalogService& catalog, service::ReadCache& reads);
void addAuditRoutes(RouteTable& routes, service::AuditService& audit);
void addRuleRoutes(RouteTable& routes, service::RuleService& rules, service::ApprovalService& approvals,
                   service::SimulationService& simulation, observability::GovernanceMetrics& metrics,
                   service::ReadCache& reads);
// Rulesets, ruleset versions, activation, compile preview and GET /api/v1/artifact-keys.
void addRulesetRoutes(RouteTable& routes, service::RulesetService& rulesets, store::Database& db,
                      service::ReadCache& reads);
void addFieldRegistryRoutes(RouteTable& routes, service::FieldRegistryService& registry, service::ReadCache& reads);
// GET /openapi.json, describing every route `router` serves (register it after the others).
void addOpenApiRoute(RouteTable& routes, const http::Router& router, std::string version);

}  // namespace fraudgov::api
