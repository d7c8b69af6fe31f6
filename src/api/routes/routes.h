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
void addRuleFieldRoutes(RouteTable& routes, service::CatalogService& catalog);
void addAuditRoutes(RouteTable& routes, service::AuditService& audit);
void addRuleRoutes(RouteTable& routes, service::RuleService& rules, service::ApprovalService& approvals,
                   service::SimulationService& simulation, observability::GovernanceMetrics& metrics);
// Rulesets, ruleset versions, activation, compile preview and GET /api/v1/artifact-keys.
void addRulesetRoutes(RouteTable& routes, service::RulesetService& rulesets, store::Database& db);
void addFieldRegistryRoutes(RouteTable& routes, service::FieldRegistryService& registry);
// GET /openapi.json, describing every route `router` serves (register it after the others).
void addOpenApiRoute(RouteTable& routes, const http::Router& router, std::string version);

}  // namespace fraudgov::api
