#include "app/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <map>

#include "app/prod_gate.h"
#include "common/crypto.h"
#include "common/enum_names.h"
#include "common/text.h"
#include "http/cors.h"
#include "secrets/plain_environment.h"
#include "secrets/provider_factory.h"

namespace fraudgov::app {

namespace {
constexpr auto kAppEnvs = enumNames<AppEnv>({
    {AppEnv::kLocal, "local"},
    {AppEnv::kTest, "test"},
    {AppEnv::kProd, "prod"},
});
}  // namespace

std::string_view appEnvName(AppEnv e) { return nameOf(kAppEnvs, e); }

namespace {

// Reads variables from the environment first, then the optional TOML file.
class Settings {
 public:
  Settings(secrets::EnvLookup env, std::vector<std::string>& problems) : env_(std::move(env)), problems_(problems) {
    if (auto path = env_("FRAUDGOV_CONFIG"); path && !path->empty()) loadFile(*path);
  }

  std::optional<std::string> raw(std::string_view name) const {
    if (auto v = env_(name); v && !v->empty()) return v;
    if (auto it = file_.find(std::string(name)); it != file_.end()) return it->second;
    return std::nullopt;
  }

  // The first of several names that is set (new name first, then compat names).
  std::optional<std::string> any(std::initializer_list<std::string_view> names) const {
    for (auto n : names) {
      if (auto v = raw(n)) return v;
    }
    return std::nullopt;
  }

  std::string text(std::string_view name, std::string fallback) const {
    return raw(name).value_or(std::move(fallback));
  }

  template <class Int>
  Int integer(std::string_view name, Int fallback, Int min, Int max) const {
    auto v = raw(name);
    if (!v) return fallback;
    long long parsed = 0;
    const std::string_view s = text::trim(*v);
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), parsed);
    if (ec != std::errc() || ptr != s.data() + s.size() || parsed < static_cast<long long>(min) ||
        parsed > static_cast<long long>(max)) {
      problems_.push_back(fmt::format("{} must be an integer between {} and {}", name, min, max));
      return fallback;
    }
    return static_cast<Int>(parsed);
  }

  bool boolean(std::string_view name, bool fallback) const {
    auto v = raw(name);
    if (!v) return fallback;
    const std::string s = text::toLower(text::trim(*v));
    if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off") return false;
    problems_.push_back(fmt::format("{} must be true or false", name));
    return fallback;
  }

 private:
  void loadFile(const std::string& path) {
    try {
      const toml::table table = toml::parse_file(path);
      // Exact types only: toml++'s converting value<T>() casts a float such as 1e79 to an
      // integer before checking its range (undefined behaviour, found by the config fuzzer), and
      // a setting of the wrong type is a problem to report, not a value to coerce.
      for (const auto& [key, node] : table) {
        std::string value;
        if (auto s = node.value_exact<std::string>())
          value = *s;
        else if (auto i = node.value_exact<std::int64_t>())
          value = std::to_string(*i);
        else if (auto b = node.value_exact<bool>())
          value = *b ? "true" : "false";
        else if (const auto* arr = node.as_array()) {
          bool strings = true;
          for (const auto& item : *arr) {
            if (auto s = item.value_exact<std::string>()) {
              value += (value.empty() ? "" : ",") + *s;
            } else {
              strings = false;
            }
          }
          if (!strings) {
            problems_.push_back(fmt::format("{}: {} must be a list of strings", path, key.str()));
            continue;
          }
        } else {
          problems_.push_back(fmt::format("{}: {} must be a string, integer, boolean or list", path, key.str()));
          continue;
        }
        file_[text::toUpper(key.str())] = value;
      }
    } catch (const toml::parse_error& e) {
      problems_.push_back(fmt::format("{}: not valid TOML ({})", path, e.description()));
    }
  }

  secrets::EnvLookup env_;
  std::vector<std::string>& problems_;
  std::map<std::string, std::string, std::less<>> file_;
};

// Counting `scope` as permissions widens what a token grants, so in prod one boolean is not
// enough: a second setting with a fixed phrase makes the choice deliberate (and greppable).
void loadScopePolicy(const Settings& s, Config& c, std::vector<std::string>& problems) {
  c.auth.scope_grants_permissions = s.boolean("AUTH_SCOPE_GRANTS_PERMISSIONS", false);
  if (!c.auth.scope_grants_permissions || c.env != AppEnv::kProd) return;
  if (text::trim(s.raw("AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD").value_or("")) != "i-understand") {
    problems.push_back(
        "AUTH_SCOPE_GRANTS_PERMISSIONS is refused in prod unless AUTH_SCOPE_GRANTS_PERMISSIONS_IN_PROD=i-understand");
  }
}

void loadIdentity(const Settings& s, Config& c, std::vector<std::string>& problems) {
  if (auto issuer = s.raw("AUTH_ISSUER")) {
    c.auth.issuer = *issuer;
  } else if (auto domain = s.raw("AUTH0_DOMAIN")) {
    std::string host(text::trim(*domain));
    if (host.rfind("https://", 0) == 0) host = host.substr(8);
    while (!host.empty() && host.back() == '/') host.pop_back();
    c.auth.issuer = "https://" + host + "/";
  }
  if (auto jwks = s.raw("AUTH_JWKS_URL")) {
    c.auth.jwks_url = *jwks;
  } else if (!c.auth.issuer.empty()) {
    c.auth.jwks_url = c.auth.issuer + (c.auth.issuer.back() == '/' ? "" : "/") + ".well-known/jwks.json";
  }
  // Predecessor order: the user audience is tried before the service audience.
  std::vector<std::string> audiences;
  for (auto name : {"AUTH_AUDIENCE", "AUTH0_USER_AUDIENCE", "AUTH0_AUDIENCE"}) {
    if (auto v = s.raw(name)) {
      for (auto& a : text::splitTrimmed(*v, ',')) {
        if (std::find(audiences.begin(), audiences.end(), a) == audiences.end()) audiences.push_back(a);
      }
    }
  }
  c.auth.audiences = std::move(audiences);
  if (auto algs = s.any({"AUTH_ALGORITHMS", "AUTH0_ALGORITHMS"})) {
    c.auth.algorithms.clear();
    for (auto& a : text::splitTrimmed(*algs, ',')) {
      if (a != "RS256" && a != "ES256") {
        problems.push_back(fmt::format("AUTH_ALGORITHMS: '{}' is not allowed (only RS256 and ES256)", a));
        continue;
      }
      c.auth.algorithms.push_back(a);
    }
    if (c.auth.algorithms.empty()) problems.push_back("AUTH_ALGORITHMS must name at least one of RS256, ES256");
  }
  c.auth.leeway = std::chrono::seconds(s.integer<int>("AUTH_LEEWAY_SECONDS", 30, 0, 120));
  c.auth.jwks_ttl = std::chrono::seconds(s.integer<int>("JWKS_CACHE_TTL_SECONDS", 600, 30, 86400));
  c.auth.unknown_kid_cooldown = std::chrono::seconds(s.integer<int>("JWKS_UNKNOWN_KID_COOLDOWN_SECONDS", 30, 0, 3600));

  c.use_dev_issuer = c.auth.issuer.empty() && c.env == AppEnv::kLocal;
  if (c.auth.issuer.empty() && !c.use_dev_issuer) {
    problems.push_back("AUTH_ISSUER (or AUTH0_DOMAIN) is required when APP_ENV is not local");
  }
  if (!c.use_dev_issuer && c.auth.audiences.empty()) problems.push_back("AUTH_AUDIENCE is required");
  if (c.use_dev_issuer && c.auth.audiences.empty()) c.auth.audiences = {"fraudgov-api"};
  loadScopePolicy(s, c, problems);
}

void loadPublication(const Settings& s, Config& c, std::vector<std::string>& problems) {
  PublicationSettings& p = c.publication;
  const std::string backend =
      text::toLower(text::trim(s.any({"ARTIFACT_BACKEND", "RULESET_ARTIFACT_BACKEND"}).value_or("filesystem")));
  if (backend == "filesystem") {
    p.backend = ArtifactBackend::kFilesystem;
  } else if (backend == "s3") {
    p.backend = ArtifactBackend::kS3;
  } else {
    problems.push_back(fmt::format("ARTIFACT_BACKEND must be filesystem or s3 (got '{}')", backend));
  }
  p.artifact_dir = s.any({"ARTIFACT_DIR", "RULESET_FILESYSTEM_DIR"}).value_or(c.var_dir + "/artifacts");
  p.s3_endpoint_url = s.text("S3_ENDPOINT_URL", "");
  p.s3_bucket = s.text("S3_BUCKET_NAME", "fraud-gov-artifacts");
  p.s3_region = s.text("S3_REGION", "us-east-1");
  p.s3_force_path_style = s.boolean("S3_FORCE_PATH_STYLE", true);
  p.s3_timeout = std::chrono::milliseconds(s.integer<int>("S3_TIMEOUT_MS", 10000, 100, 120000));
  p.environment = s.any({"PUBLISH_ENVIRONMENT", "RULESET_PUBLISH_ENVIRONMENT"}).value_or(std::string(appEnvName(c.env)));
  c.audit_checkpoints.interval =
      std::chrono::seconds(s.integer<int>("AUDIT_CHECKPOINT_INTERVAL_SECONDS", 3600, 0, 7 * 86400));
  c.audit_checkpoints.every_entries = s.integer<int>("AUDIT_CHECKPOINT_EVERY_ENTRIES", 0, 0, 1000000);
}

void loadSecrets(const Settings& s, Config& c, const secrets::EnvLookup& env, std::vector<std::string>& problems) {
  const bool prod = c.env == AppEnv::kProd;
  // Never null, even when loading fails below: tests and tools may hold a Config with problems.
  c.secrets = std::make_shared<secrets::SecretStore>(std::make_shared<secrets::FileSecretProvider>(env, !prod),
                                                     secrets::applicationSecretNames());
  const secrets::EnvLookup settings_lookup = [&s](std::string_view name) { return s.raw(name); };
  auto violations = secrets::configFileSecretViolations(env, settings_lookup, secrets::allSecretNames());
  if (prod) {
    // Every known secret, whichever provider is selected: a plain variable shadowed by the
    // secrets manager would still leak through the environment.
    auto plain = secrets::plainEnvironmentViolations(env, secrets::allSecretNames());
    auto urls = secrets::passwordInUrlViolations(settings_lookup);
    violations.insert(violations.end(), plain.begin(), plain.end());
    violations.insert(violations.end(), urls.begin(), urls.end());
  }
  if (!violations.empty()) {
    problems.insert(problems.end(), violations.begin(), violations.end());
    return;
  }
  secrets::ProviderSettings settings;
  settings.kind = text::toLower(text::trim(s.text("SECRETS_PROVIDER", "file")));
  settings.production = prod;
  settings.aws.secret_id = s.text("AWS_SECRETS_MANAGER_SECRET_ID", "");
  settings.aws.region = s.text("AWS_REGION", "us-east-1");
  settings.aws.endpoint = s.text("AWS_SECRETS_MANAGER_ENDPOINT", "");
  auto provider = secrets::makeSecretProvider(settings, env, problems);
  if (!provider) return;
  c.secrets = std::make_shared<secrets::SecretStore>(provider, secrets::applicationSecretNames());
  if (auto loaded = c.secrets->reload(); !loaded) {
    problems.push_back(loaded.error().message);
    return;
  }
  c.database.password = [store = c.secrets] { return store->get(secrets::names::kDatabasePassword); };
  if (auto key = c.secrets->get(secrets::names::kCursorHmacKey)) {
    if (key->size() < 32) problems.push_back("CURSOR_HMAC_KEY must be at least 32 characters");
  } else if (prod) {
    problems.push_back("CURSOR_HMAC_KEY is required in prod (all instances must share it)");
  } else {
    // Per process: cursors do not survive a restart, which is fine outside prod.
    c.secrets->setForProcess(secrets::names::kCursorHmacKey, crypto::randomBytes(32));
  }
}

// SPEC §6.3: who may reach health/readyz/metrics, and whose X-Forwarded-For is believed.
void loadOperationalAccess(const Settings& s, Config& c, std::vector<std::string>& problems) {
  if (auto v = s.raw("HEALTH_ALLOW_CIDRS")) {
    c.health_allow_cidrs = http::parseCidrList(*v, "HEALTH_ALLOW_CIDRS", problems);
  }
  if (auto v = s.raw("METRICS_ALLOW_CIDRS")) {
    c.metrics_allow_cidrs = http::parseCidrList(*v, "METRICS_ALLOW_CIDRS", problems);
  }
  if (auto v = s.raw("TRUSTED_PROXIES")) {
    auto proxies = http::parseCidrList(*v, "TRUSTED_PROXIES", problems);
    for (const auto& block : proxies.blocks()) {
      if (block.prefixLength() == 0) {
        problems.push_back("TRUSTED_PROXIES: '" + block.toString() +
                           "' would believe any client's X-Forwarded-For; list the proxies' addresses");
      }
    }
    c.trusted_proxies = http::TrustedProxies(std::move(proxies));
  }
  if (c.env == AppEnv::kProd && !c.secrets->get(secrets::names::kMetricsToken)) {
    problems.push_back(
        "METRICS_TOKEN is required in prod (provide it as METRICS_TOKEN_FILE or through the secrets "
        "provider)");
  }
}

// SPEC §6.4: RATE_LIMIT_* budgets (requests per minute per bucket) and the optional shared Redis.
void loadRateLimits(const Settings& s, Config& c, std::vector<std::string>& problems) {
  auto& r = c.rate_limit;
  r.enabled = s.boolean("RATE_LIMIT_ENABLED", true);
  r.read_per_minute = s.integer<std::int64_t>("RATE_LIMIT_READ_PER_MINUTE", 600, 1, 1000000);
  r.write_per_minute = s.integer<std::int64_t>("RATE_LIMIT_WRITE_PER_MINUTE", 120, 1, 1000000);
  r.anonymous_per_minute = s.integer<std::int64_t>("RATE_LIMIT_ANONYMOUS_PER_MINUTE", 120, 1, 1000000);
  r.auth_failures_per_minute = s.integer<std::int64_t>("RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", 10, 1, 1000000);
  r.operational_per_minute = s.integer<std::int64_t>("RATE_LIMIT_OPERATIONAL_PER_MINUTE", 600, 1, 1000000);
  r.max_buckets = s.integer<std::size_t>("RATE_LIMIT_MAX_BUCKETS", 65536, 1024, 10000000);
  r.redis_timeout = std::chrono::milliseconds(s.integer<int>("RATE_LIMIT_REDIS_TIMEOUT_MS", 250, 10, 5000));
  if (auto url = s.raw("REDIS_URL")) {
    auto endpoint = ratelimit::parseRedisUrl(text::trim(*url));
    if (endpoint)
      r.redis = std::move(*endpoint);
    else
      problems.push_back(endpoint.error().message);
  }
}

}  // namespace

LoadedConfig loadConfig(const secrets::EnvLookup& env) {
  LoadedConfig out;
  auto& problems = out.problems;
  Settings s(env, problems);
  Config& c = out.config;

  const std::string env_name = text::toLower(text::trim(s.text("APP_ENV", "local")));
  if (auto env = parseName(kAppEnvs, env_name))
    c.env = *env;
  else
    problems.push_back(fmt::format("APP_ENV must be one of local, test, prod (got '{}')", env_name));

  c.region = text::toUpper(text::trim(s.text("APP_REGION", "local")));
  c.log_level = text::toLower(s.any({"LOG_LEVEL", "APP_LOG_LEVEL"}).value_or("info"));
  c.var_dir = s.text("FRAUDGOV_VAR_DIR", "./var");

  c.http_host = s.text("HTTP_HOST", "127.0.0.1");
  c.http_port = s.integer<unsigned short>("HTTP_PORT", 8080, 0, 65535);
  c.admin_host = s.raw("ADMIN_HOST");
  if (s.raw("ADMIN_PORT")) c.admin_port = s.integer<unsigned short>("ADMIN_PORT", 0, 0, 65535);
  if (c.admin_host && !c.admin_port) problems.push_back("ADMIN_HOST is set but ADMIN_PORT is not");
  c.server.io_threads = s.integer<unsigned>("HTTP_IO_THREADS", 2, 1, 64);
  c.server.worker_threads = s.integer<unsigned>("HTTP_WORKER_THREADS", 8, 1, 256);
  c.server.header_timeout = std::chrono::milliseconds(s.integer<int>("HTTP_HEADER_TIMEOUT_MS", 10000, 100, 600000));
  c.server.idle_timeout = std::chrono::milliseconds(s.integer<int>("HTTP_IDLE_TIMEOUT_MS", 60000, 100, 3600000));
  c.server.body_timeout = std::chrono::milliseconds(s.integer<int>("HTTP_BODY_TIMEOUT_MS", 30000, 100, 600000));
  c.headers.hsts_max_age = s.integer<unsigned>("HSTS_MAX_AGE", 63072000, 0, 1000000000);
  c.headers.hsts_include_subdomains = s.boolean("HSTS_INCLUDE_SUBDOMAINS", true);
  c.headers.hsts_preload = s.boolean("HSTS_PRELOAD", false);

  c.database_url = s.any({"DATABASE_URL", "DATABASE_URL_APP"}).value_or("");
  if (c.database_url.empty()) {
    if (c.env == AppEnv::kProd) problems.push_back("DATABASE_URL is required in prod");
    c.database_url = "sqlite:" + c.var_dir + "/fraudgov.db";
  }
  // At least 2: a publication holds one connection for its scope lock (PostgreSQL) while its
  // write transaction needs another (Database::lockNamed).
  c.database.pool_size = s.integer<std::size_t>("DATABASE_POOL_SIZE", 8, 2, 512);
  c.database.deadline = std::chrono::milliseconds(s.integer<int>("DATABASE_DEADLINE_MS", 5000, 100, 600000));
  c.readiness_deadline = std::chrono::milliseconds(s.integer<int>("READYZ_DEADLINE_MS", 1000, 50, 60000));
  c.read_cache.max_bytes =
      s.integer<std::size_t>("READ_CACHE_MAX_BYTES", service::ReadCacheSettings{}.max_bytes, 0, std::size_t{1} << 40);

  if (auto origins = s.raw("CORS_ORIGINS")) {
    c.cors_origins = http::parseOriginList(*origins, "CORS_ORIGINS", problems);
  } else if (c.env == AppEnv::kLocal) {
    c.cors_origins = {"http://localhost:3000", "http://localhost:5173"};
  }

  loadIdentity(s, c, problems);
  loadRateLimits(s, c, problems);
  // Idempotency-Key leases and the background purge (issue 11 item 6).
  c.idempotency_lease = std::chrono::seconds(s.integer<int>("IDEMPOTENCY_LEASE_SECONDS", 30, 1, 3600));
  c.idempotency_purge_interval =
      std::chrono::seconds(s.integer<int>("IDEMPOTENCY_PURGE_INTERVAL_SECONDS", 300, 1, 86400));
  loadPublication(s, c, problems);
  loadSecrets(s, c, env, problems);
  loadOperationalAccess(s, c, problems);
  const auto gate = productionGateProblems(c, [&s](std::string_view name) { return s.raw(name); });
  problems.insert(problems.end(), gate.begin(), gate.end());
  return out;
}

}  // namespace fraudgov::app
