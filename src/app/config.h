#pragma once
// Configuration (SPEC §2.1): environment variables, optionally a TOML file named by
// FRAUDGOV_CONFIG whose top-level keys use the same names (the environment wins). Loading
// collects every problem, one message each, so an operator fixes them in one pass.

#include <optional>
#include <string>
#include <vector>

#include "auth/auth_settings.h"
#include "http/cidr.h"
#include "http/client_address.h"
#include "http/security_headers.h"
#include "http/server.h"
#include "ratelimit/settings.h"
#include "secrets/secret_store.h"
#include "service/read_cache.h"
#include "store/database.h"

namespace fraudgov::app {

enum class AppEnv { kLocal, kTest, kProd };
std::string_view appEnvName(AppEnv e);

enum class ArtifactBackend { kFilesystem, kS3 };

struct PublicationSettings {
  ArtifactBackend backend = ArtifactBackend::kFilesystem;
  std::string artifact_dir = "./var/artifacts";
  std::string s3_endpoint_url;  // empty: AWS
  std::string s3_bucket = "fraud-gov-artifacts";
  std::string s3_region = "us-east-1";
  bool s3_force_path_style = true;
  std::chrono::milliseconds s3_timeout{10000};
  std::string environment;  // PUBLISH_ENVIRONMENT, default APP_ENV
};

// Signed checkpoints of the audit chain (issue 11 item 5). 0 turns a trigger off.
struct AuditCheckpointSettings {
  std::chrono::seconds interval{3600};  // AUDIT_CHECKPOINT_INTERVAL_SECONDS
  std::int64_t every_entries = 0;       // AUDIT_CHECKPOINT_EVERY_ENTRIES
};

struct Config {
  AppEnv env = AppEnv::kLocal;
  std::string region = "LOCAL";
  std::string log_level = "info";
  std::string var_dir = "./var";

  std::string http_host = "127.0.0.1";
  unsigned short http_port = 8080;
  // Optional second listener serving only health/readyz/metrics (then the main one does not).
  // ADMIN_PORT alone binds to 127.0.0.1.
  std::optional<std::string> admin_host;
  std::optional<unsigned short> admin_port;
  // Operational endpoints (SPEC §6.3, app/admin_access.h) and the proxies whose X-Forwarded-For
  // is believed (http/client_address.h).
  http::CidrList health_allow_cidrs;
  http::CidrList metrics_allow_cidrs;
  http::TrustedProxies trusted_proxies;
  http::ServerOptions server;
  http::SecurityHeaderPolicy headers;

  std::string database_url;
  store::DatabaseOptions database;  // DATABASE_POOL_SIZE, DATABASE_DEADLINE_MS
  // READYZ_DEADLINE_MS: how long /api/v1/readyz waits for the database before reporting it
  // unavailable (503).
  std::chrono::milliseconds readiness_deadline{1000};

  auth::AuthSettings auth;
  // APP_ENV=local with no issuer configured: fraudgov-dev acts as its own issuer.
  bool use_dev_issuer = false;

  std::vector<std::string> cors_origins;  // normalized, exact (http/cors.h); empty: no CORS headers

  ratelimit::Settings rate_limit;  // RATE_LIMIT_*, REDIS_URL (SPEC §6.4)

  // Idempotency-Key claims (api/idempotency_gate.h): how long a request owns its key before a
  // retry may take it over (IDEMPOTENCY_LEASE_SECONDS), and how often keys older than 24 h are
  // purged in the background (IDEMPOTENCY_PURGE_INTERVAL_SECONDS).
  std::chrono::seconds idempotency_lease{30};
  std::chrono::seconds idempotency_purge_interval{300};

  // READ_CACHE_MAX_BYTES: memory for the read model (service/read_cache.h); 0 turns it off.
  service::ReadCacheSettings read_cache;

  // Publication (SPEC §2.1): ARTIFACT_BACKEND, ARTIFACT_DIR, S3_*, PUBLISH_ENVIRONMENT.
  PublicationSettings publication;
  AuditCheckpointSettings audit_checkpoints;

  // Every secret, read through the configured provider; SIGHUP re-reads them.
  std::shared_ptr<secrets::SecretStore> secrets;
};

struct LoadedConfig {
  Config config;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// env: where variables come from (the process environment in production, a map in tests).
LoadedConfig loadConfig(const secrets::EnvLookup& env);

}  // namespace fraudgov::app
