#pragma once
// Route modules: each registers one area of the API on the router.

#include "app/application.h"

namespace fraudgov::app {

void addHealthRoutes(http::Router& router, const AppContext& ctx);
// /metrics and /api/v1/metrics: processRegistry() plus `registry` (the application's own).
void addMetricsRoutes(http::Router& router, const AppContext& ctx, const observability::Registry& registry);
void addRuleFieldRoutes(http::Router& router, const AppContext& ctx);
void addAuditRoutes(http::Router& router, const AppContext& ctx);
void addRuleRoutes(http::Router& router, const AppContext& ctx);

}  // namespace fraudgov::app
