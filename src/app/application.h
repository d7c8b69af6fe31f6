#pragma once
// Wires the HTTP pipeline, the router and the services together. One Application per
// listener configuration; the server calls handle()/reject() for every request.

#include <memory>

#include "app/admin_access.h"
#include "app/api_support.h"
#include "app/config.h"
#include "auth/authenticator.h"
#include "auth/jwks_cache.h"
#include "http/pipeline.h"
#include "ratelimit/limiter.h"
#include "service/audit_service.h"
#include "service/catalog_service.h"
#include "store/database.h"

namespace fraudgov::app {

// Everything a route module may use.
struct AppContext {
  const Config& config;
  store::Database& db;
  auth::JwksCache& keys;
  Guard guard;
  AdminAccess admin;
  service::CatalogService& catalog;
  service::AuditService& audit;
};

class Application final : public http::RequestHandler {
 public:
  // limiter: nullptr when rate limiting is disabled.
  Application(const Config& config, store::Database& db, std::shared_ptr<auth::JwksCache> keys,
              std::shared_ptr<ratelimit::Limiter> limiter = nullptr);

  http::Router& router() { return router_; }
  const AppContext& context() const { return context_; }

  http::Response handle(http::Request& request) override;
  http::Response reject(http::Request& request, const Error& error) override;

 private:
  http::Response dispatch(http::Request& request);

  const Config& config_;
  std::shared_ptr<auth::JwksCache> keys_;
  auth::Authenticator authenticator_;
  store::CursorCodec cursors_;
  service::CatalogService catalog_;
  service::AuditService audit_;
  AppContext context_;
  http::Router router_;
  http::Pipeline pipeline_;
  http::Handler dispatch_;
};

}  // namespace fraudgov::app
