#pragma once
// Route modules: each registers one area of the API on the router.

#include "app/application.h"

namespace fraudgov::app {

void addHealthRoutes(http::Router& router, const AppContext& ctx);
void addRuleFieldRoutes(http::Router& router, const AppContext& ctx);
void addAuditRoutes(http::Router& router, const AppContext& ctx);

}  // namespace fraudgov::app
