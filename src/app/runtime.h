#pragma once
// A running fraudgov: database, identity-provider key cache, application and HTTP server,
// assembled in the one order that works (bind first so the development issuer knows its URL).

#include <functional>
#include <memory>

#include "app/admin_listener.h"
#include "app/application.h"
#include "app/maintenance.h"
#include "app/config.h"
#include "common/clock.h"
#include "http/server.h"
#include "observability/telemetry.h"
#include "ratelimit/limiter.h"

namespace fraudgov::app {

// What fraudgov-dev plugs into the production runtime. The production binary passes none.
struct DevExtension {
  // After the listener is bound: point the identity settings at the development issuer.
  std::function<Status(Config& config, unsigned short bound_port)> configure;
  // After the application exists: add the development routes (JWKS, test tokens).
  std::function<Status(const Config& config, http::Router& router)> add_routes;
};

// What a runtime is given besides its configuration.
struct RuntimeOptions {
  // The time every part of the runtime reads (token expiry, key cache, rate limits, retention).
  // Must outlive the runtime. Tests pass a ManualClock.
  const Clock* clock = &systemClock();
  // How often the key cache's idle worker looks at the clock again. The system clock wakes it
  // exactly when a refresh is due; a clock moved by hand needs a short interval to be noticed.
  std::chrono::milliseconds key_clock_recheck{std::chrono::hours(1)};
  // The same for the maintenance tasks (app/maintenance.h: Idempotency-Key purge, audit checkpoints).
  std::chrono::milliseconds maintenance_clock_recheck{std::chrono::hours(1)};
};

// Migrations (automatic in local/test; in prod the schema must already be current) and the
// standard-field seed.
Status prepareDatabase(const Config& config, store::Database& db);

class Runtime final : public http::RequestHandler {
 public:
  static Result<std::unique_ptr<Runtime>> create(Config config, const DevExtension* dev, RuntimeOptions options = {});
  ~Runtime() override;

  unsigned short port() const { return port_; }
  // The admin listener's bound port, when ADMIN_PORT is configured.
  std::optional<unsigned short> adminPort() const { return admin_port_; }
  const Config& config() const { return config_; }
  // This runtime's clock, metrics registry and logger.
  observability::Telemetry& telemetry() { return *telemetry_; }
  store::Database& database() { return *db_; }
  auth::JwksCache& keys() { return *keys_; }
  // nullptr when rate limiting is disabled; stats() for metrics (e.g. Redis fallbacks).
  const ratelimit::Limiter* rateLimiter() const { return limiter_.get(); }
  // The routes this runtime serves on its main listener (tests enumerate them).
  const std::vector<http::Route>& routes() const { return app_->router().routes(); }

  // Serves in the background; waits (bounded) until the first key fetch has been attempted.
  void start();
  // start() plus signal handling; returns after SIGINT/SIGTERM and a graceful drain.
  void runUntilSignalled();
  void stop();
  // SIGHUP: re-read secrets and refresh identity-provider keys; in-flight requests are untouched.
  void reload();

  http::Response handle(http::Request& request) override { return app_->handle(request); }
  http::Response tryWithoutWaiting(http::Request& request) override { return app_->tryWithoutWaiting(request); }
  http::Response reject(http::Request& request, const http::Refusal& refusal) override {
    return app_->reject(request, refusal);
  }
  bool admitBody(http::Request& request) override { return app_->admitBody(request); }
  bool operational(const http::Request& request) const override { return app_->operational(request); }

 private:
  Runtime(Config config, const Clock& clock)
      : config_(std::move(config)), telemetry_(std::make_unique<observability::Telemetry>(clock)) {}

  Config config_;
  std::unique_ptr<observability::Telemetry> telemetry_;  // first: everything below reports into it
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<http::Server> server_;
  std::shared_ptr<auth::JwksCache> keys_;
  std::shared_ptr<ratelimit::Limiter> limiter_;
  std::unique_ptr<Application> app_;
  std::unique_ptr<AdminListener> admin_;
  std::unique_ptr<Maintenance> maintenance_;  // uses db_ and telemetry_: stopped before they go
  unsigned short port_ = 0;
  std::optional<unsigned short> admin_port_;
};

}  // namespace fraudgov::app
