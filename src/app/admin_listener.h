#pragma once
// The optional second listener (ADMIN_HOST/ADMIN_PORT, SPEC §2.1): health, readyz and metrics
// only, behind the same admin-access gate and the same middleware as the main listener
// (security headers, request id, access log, metrics, rate limits); every other path is 404. It borrows the
// application's context and registries, so it must not outlive the Application.

#include "app/application.h"

namespace fraudgov::app {

class AdminListener final : public http::RequestHandler {
 public:
  explicit AdminListener(Application& app);

  http::Response handle(http::Request& request) override;
  http::Response reject(http::Request& request, const http::Refusal& refusal) override;
  bool operational(const http::Request& request) const override { return routesToOperational(router_, request); }

 private:
  http::Router router_;
  http::Pipeline pipeline_;
  http::Handler dispatch_;
};

}  // namespace fraudgov::app
