#include "app/runtime.h"

#include "app/maintenance_tasks.h"
#include "app/publication.h"
#include "app/systemd_notify.h"
#include "net/http_client.h"
#include "store/migrations.h"
#include "store/observed_database.h"

namespace fraudgov::app {

namespace {

// Every log line is scrubbed of the secret values in use (observability/redaction.h), and after
// a rotation also of the previous ones: clients may keep sending an old token for a while.
void redactSecretsInLogs(observability::Logger& log, const secrets::SecretStore& store,
                         const std::shared_ptr<const secrets::SecretStore::Snapshot>& previous = nullptr) {
  std::vector<std::string> values;
  for (const auto& [name, value] : *store.snapshot()) values.push_back(value);
  if (previous) {
    for (const auto& [name, value] : *previous) values.push_back(value);
  }
  log.secretValues().set(std::move(values));
}

}  // namespace

Status prepareDatabase(const Config& config, store::Database& db) {
  if (config.env == AppEnv::kProd) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto state, store::migrationState(db));
    if (!state.upToDate()) {
      return fail(Error::unavailable("database schema is at version " + std::to_string(state.current) +
                                     ", this build needs " + std::to_string(state.latest) +
                                     "; run `fraudgov migrate` first"));
    }
  } else {
    FRAUDGOV_RETURN_IF_ERROR(store::applyMigrations(db));
  }
  return service::CatalogService(db).seedStandardFields();
}

Result<std::unique_ptr<Runtime>> Runtime::create(Config config, const DevExtension* dev, RuntimeOptions options) {
  if (config.use_dev_issuer && !dev) {
    return fail(Error::validation(
        "no identity provider configured: set AUTH_ISSUER and AUTH_AUDIENCE (the development issuer exists only in "
        "fraudgov-dev)"));
  }
  std::unique_ptr<Runtime> rt(new Runtime(std::move(config), options.clock ? *options.clock : systemClock()));
  observability::Telemetry& telemetry = *rt->telemetry_;
  redactSecretsInLogs(telemetry.log(), *rt->config_.secrets);
  FRAUDGOV_ASSIGN_OR_RETURN(auto database, store::openDatabase(rt->config_.database_url, rt->config_.database));
  // Undecodable stored rows are counted in this runtime's registry (issue 11 item 4).
  rt->db_ = std::make_unique<store::ObservedDatabase>(
      std::move(database), [&governance = telemetry.governance()](std::string_view table) {
        governance.corruptRow(table);
      });
  FRAUDGOV_RETURN_IF_ERROR(prepareDatabase(rt->config_, *rt->db_));

  rt->server_ = std::make_unique<http::Server>(rt->config_.server);
  FRAUDGOV_ASSIGN_OR_RETURN(rt->port_, rt->server_->listen(rt->config_.http_host, rt->config_.http_port, *rt));
  if (dev && rt->config_.use_dev_issuer) FRAUDGOV_RETURN_IF_ERROR(dev->configure(rt->config_, rt->port_));

  auth::JwksCache::Options key_options;
  key_options.clock = &telemetry.clock();
  key_options.max_idle_wait = options.key_clock_recheck;
  key_options.log = telemetry.log().lineSink(spdlog::level::info, "jwks");
  rt->keys_ = std::make_shared<auth::JwksCache>(rt->config_.auth, std::make_shared<net::CurlHttpClient>(), key_options);
  rt->limiter_ = ratelimit::makeLimiter(
      rt->config_.rate_limit, [store = rt->config_.secrets] { return store->get(secrets::names::kRedisPassword); },
      rt->config_.server.worker_threads, telemetry);
  FRAUDGOV_ASSIGN_OR_RETURN(auto artifact_store, makeArtifactStore(rt->config_));
  FRAUDGOV_ASSIGN_OR_RETURN(auto publication, publisherSettings(rt->config_, telemetry.log(), artifact_store));
  FRAUDGOV_ASSIGN_OR_RETURN(auto anchoring, auditAnchoring(rt->config_, telemetry.log(), artifact_store));
  rt->app_ = std::make_unique<Application>(rt->config_, *rt->db_, rt->keys_, telemetry, rt->limiter_,
                                           std::move(publication), std::move(anchoring));
  // The signing key a runtime will meet is listed before anything is signed with it. An
  // unreachable object store is not fatal here: every publication registers the key again.
  if (auto registered = rt->app_->publisher().registerSigningKey(*rt->db_, nowUtc()); !registered) {
    telemetry.log().event(spdlog::level::warn, "artifact signing key not registered",
                          {{"reason", registered.error().message}});
  }
  if (dev && rt->config_.use_dev_issuer) FRAUDGOV_RETURN_IF_ERROR(dev->add_routes(rt->config_, rt->app_->router()));
  rt->maintenance_ = std::make_unique<Maintenance>(telemetry.clock(), options.maintenance_clock_recheck);
  rt->maintenance_->add(idempotencyPurgeTask(*rt->db_, telemetry, rt->config_.idempotency_purge_interval));
  for (auto& task : auditCheckpointTasks(rt->app_->audit(), rt->config_.audit_checkpoints, telemetry.log())) {
    rt->maintenance_->add(std::move(task));
  }
  if (rt->config_.admin_port) {
    // Loopback unless ADMIN_HOST says otherwise: operational endpoints are not for the world.
    rt->admin_ = std::make_unique<AdminListener>(*rt->app_);
    FRAUDGOV_ASSIGN_OR_RETURN(rt->admin_port_, rt->server_->listen(rt->config_.admin_host.value_or("127.0.0.1"),
                                                                   *rt->config_.admin_port, *rt->admin_));
  }
  return rt;
}

Runtime::~Runtime() {
  if (server_) {
    server_->stop();
    server_->wait();
  }
  if (maintenance_) maintenance_->stop();
  if (keys_) keys_->stop();
}

void Runtime::start() {
  // Fetch the identity provider's keys before accepting traffic, so the first requests are not
  // answered 503. The development issuer is the exception: its JWKS is served by this very
  // server, which therefore has to run first.
  constexpr auto kFirstFetchBudget = std::chrono::seconds(5);
  maintenance_->start();
  if (config_.use_dev_issuer) {
    server_->start();
    keys_->start();
    keys_->waitForFirstAttempt(kFirstFetchBudget);
  } else {
    keys_->start();
    keys_->waitForFirstAttempt(kFirstFetchBudget);
    server_->start();
  }
  telemetry_->log().event(spdlog::level::info, "listening",
                          {{"host", config_.http_host},
                           {"port", port_},
                           {"admin_port", admin_port_ ? boost::json::value(*admin_port_) : nullptr},
                           {"env", appEnvName(config_.env)},
                           {"database", db_->dialect() == store::Dialect::kPostgres ? "postgresql" : "sqlite"},
                           {"issuer", config_.auth.issuer},
                           {"rate_limit", limiter_ ? limiter_->backend() : "off"}});
}

void Runtime::runUntilSignalled() {
  server_->handleSignals([this] { reload(); });
  start();
  // Type=notify: the listener is bound and the first key fetch was attempted, so dependants
  // ordered after fraudgov.service find it serving.
  systemd::notify("READY=1\nSTATUS=serving on " + config_.http_host + ":" + std::to_string(port_));
  server_->wait();
  systemd::notify("STOPPING=1");
  maintenance_->stop();
  keys_->stop();
  telemetry_->log().event(spdlog::level::info, "stopped", {});
}

void Runtime::reload() {
  // `systemctl reload` waits for the READY=1 below instead of returning while secrets rotate.
  systemd::notifyReloading();
  keys_->requestRefresh();
  const auto previous = config_.secrets->snapshot();
  if (auto reloaded = config_.secrets->reload(); !reloaded) {
    telemetry_->log().event(spdlog::level::err, "secret reload failed; keeping the previous values",
                            {{"error", reloaded.error().message}});
  } else {
    redactSecretsInLogs(telemetry_->log(), *config_.secrets, previous);
    telemetry_->log().event(spdlog::level::info, "secrets reloaded", {});
  }
  systemd::notify("READY=1");
}

void Runtime::stop() {
  server_->stop();
  server_->wait();
  maintenance_->stop();
  keys_->stop();
}

}  // namespace fraudgov::app
