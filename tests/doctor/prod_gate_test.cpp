// The production configuration gate (issue 4 item 4), one test per refusal: build/bin/fraudgov
// with APP_ENV=prod and a configuration that is valid except for one setting exits 2 with exactly
// one line naming that setting. The valid configuration itself gets past the gate and stops only
// when it cannot reach its (non-existent) database.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "app/config.h"
#include "doctor/deployment.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using Env = std::map<std::string, std::string>;

constexpr const char* kMetricsValue = "prod-gate-metrics-token-71c2";

// Valid for prod in every respect the gate judges. The database port is closed, so a run that
// passes the gate fails fast at connecting.
Env validProd() {
  const std::string dir = testing::makeTempDir("prodgate");
  const unsigned short closed_port = testing::freePort();
  return {{"APP_ENV", "prod"},
          {"HTTP_HOST", "127.0.0.1"},
          {"HTTP_PORT", std::to_string(testing::freePort())},
          {"DATABASE_URL", "postgresql://fraudgov@127.0.0.1:" + std::to_string(closed_port) +
                               "/fraudgov?sslmode=verify-full&connect_timeout=3"},
          {"AUTH_ISSUER", "https://idp.example.com/"},
          {"AUTH_JWKS_URL", "https://idp.example.com/.well-known/jwks.json"},
          {"AUTH_AUDIENCE", "https://fraudgov.example.com"},
          {"CORS_ORIGINS", "https://portal.example.com"},
          {"S3_ENDPOINT_URL", "https://s3.eu-central-1.amazonaws.com"},
          {"METRICS_TOKEN_FILE", testing::writeFile(dir, "metrics", kMetricsValue)},
          {"CURSOR_HMAC_KEY_FILE", testing::writeFile(dir, "cursor", std::string(48, 'k'))},
          {"FRAUDGOV_VAR_DIR", dir + "/var"},
          {"LOG_LEVEL", "warn"}};
}

struct ServeResult {
  std::optional<int> code;
  std::string err;
  std::vector<std::string> configuration_lines;
};

ServeResult serve(const Env& env, const std::string& binary = "fraudgov") {
  testing::ChildProcess p(testing::binaryPath(binary), {"serve"}, env);
  ServeResult run;
  run.code = p.wait(std::chrono::seconds(30));
  run.err = p.stderrText();
  std::istringstream lines(run.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(": configuration: ") != std::string::npos) run.configuration_lines.push_back(line);
  }
  return run;
}

// One setting changed (an empty value removes it): exit 2, one line, containing `expected`.
void expectRefusal(const std::string& name, const std::string& value, const std::string& expected) {
  Env env = validProd();
  if (value.empty())
    env.erase(name);
  else
    env[name] = value;
  const ServeResult run = serve(env);
  EXPECT_EQ(run.code, 2) << name << "=" << value << "\n" << run.err;
  ASSERT_EQ(run.configuration_lines.size(), 1u) << name << "=" << value << "\n" << run.err;
  EXPECT_NE(run.configuration_lines[0].find(expected), std::string::npos) << run.configuration_lines[0];
  EXPECT_EQ(run.err.find(kMetricsValue), std::string::npos);
}

TEST(ProdGate, AValidProdConfigurationGetsPastTheGate) {
  const ServeResult run = serve(validProd());
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_TRUE(run.configuration_lines.empty()) << run.err;
  EXPECT_NE(run.err.find("cannot start: Database unavailable"), std::string::npos) << run.err;
}

TEST(ProdGate, RefusesAnIssuerWithoutTls) {
  expectRefusal("AUTH_ISSUER", "http://idp.example.com/", "AUTH_ISSUER must be an https:// URL in prod (it uses http)");
}

TEST(ProdGate, RefusesAJwksUrlWithoutTls) {
  expectRefusal("AUTH_JWKS_URL", "http://idp.example.com/.well-known/jwks.json",
                "AUTH_JWKS_URL must be an https:// URL in prod");
}

TEST(ProdGate, RefusesAnS3EndpointWithoutTls) {
  expectRefusal("S3_ENDPOINT_URL", "http://minio.internal:9000", "S3_ENDPOINT_URL must be an https:// URL in prod");
}

TEST(ProdGate, RefusesASecretsManagerEndpointWithoutTls) {
  expectRefusal("AWS_SECRETS_MANAGER_ENDPOINT", "http://secrets.internal",
                "AWS_SECRETS_MANAGER_ENDPOINT must be an https:// URL in prod");
}

TEST(ProdGate, RefusesSqlite) {
  expectRefusal("DATABASE_URL", "sqlite:/var/lib/fraudgov/db.sqlite", "DATABASE_URL must be a postgresql:// URL");
}

TEST(ProdGate, RefusesADatabaseUrlWithoutStrictSslmode) {
  const std::string base = "postgresql://fraudgov@db.internal/fraudgov";
  for (const std::string& url : {base, base + "?sslmode=prefer", base + "?sslmode=disable", base + "?sslmode=allow",
                                 base + "?application_name=sslmode=require",  // the predecessor's substring check
                                 base + "?sslmode=require&sslmode=disable"}) {
    SCOPED_TRACE(url);
    expectRefusal("DATABASE_URL", url, "DATABASE_URL must set sslmode=require or sslmode=verify-full in prod");
  }
}

TEST(ProdGate, RefusesWildcardCorsOrigins) {
  expectRefusal("CORS_ORIGINS", "*", "CORS_ORIGINS: '*' is refused: wildcards are not supported");
  expectRefusal("CORS_ORIGINS", "https://*.example.com", "wildcards are not supported");
}

TEST(ProdGate, RefusesPlainHttpCorsOrigins) {
  expectRefusal("CORS_ORIGINS", "https://portal.example.com,http://portal.example.com",
                "CORS_ORIGINS: 'http://portal.example.com' is refused in prod: only https:// origins");
}

TEST(ProdGate, RefusesLocalCorsOrigins) {
  for (const char* origin : {"https://localhost:3000", "https://app.localhost", "https://127.0.0.1",
                             "https://127.1:8443", "https://[::1]", "https://0.0.0.0"}) {
    SCOPED_TRACE(origin);
    expectRefusal("CORS_ORIGINS", origin, "is refused in prod: a local origin");
  }
}

TEST(ProdGate, RefusesAMissingMetricsToken) {
  expectRefusal("METRICS_TOKEN_FILE", "", "METRICS_TOKEN is required in prod");
}

TEST(ProdGate, RefusesTheDevelopmentBinary) {
  ServeResult run = serve(validProd(), "fraudgov-dev");
  EXPECT_EQ(run.code, 2) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_NE(run.err.find("fraudgov-dev: refusing to run with APP_ENV=prod"), std::string::npos) << run.err;

  // Also when prod comes from the configuration file rather than the environment.
  Env env = validProd();
  env.erase("APP_ENV");
  const std::string dir = testing::makeTempDir("prodgate-toml");
  env["FRAUDGOV_CONFIG"] = testing::writeFile(dir, "fraudgov.toml", "APP_ENV = \"prod\"\n");
  run = serve(env, "fraudgov-dev");
  EXPECT_EQ(run.code, 2) << run.err;
  ASSERT_EQ(run.configuration_lines.size(), 1u) << run.err;
  EXPECT_NE(run.err.find("APP_ENV=prod is refused by the development binary"), std::string::npos) << run.err;
}

TEST(ProdGate, RefusesLeewayAboveTwoMinutes) {
  expectRefusal("AUTH_LEEWAY_SECONDS", "121", "AUTH_LEEWAY_SECONDS must be an integer between 0 and 120");
}

TEST(ProdGate, RefusesAlgorithmsOutsideTheAllowList) {
  expectRefusal("AUTH_ALGORITHMS", "RS256,HS256", "AUTH_ALGORITHMS: 'HS256' is not allowed");
}

TEST(ProdGate, RefusesHstsShorterThanAYear) {
  expectRefusal("HSTS_MAX_AGE", "86400", "HSTS_MAX_AGE must be at least 31536000 (one year) in prod");
}

TEST(ProdGate, ListsEveryProblemOnItsOwnLine) {
  Env env = validProd();
  env["AUTH_ISSUER"] = "http://idp.example.com/";
  env["DATABASE_URL"] = "postgresql://fraudgov@db.internal/fraudgov";
  env["CORS_ORIGINS"] = "http://localhost:3000";
  env["HSTS_MAX_AGE"] = "0";
  const ServeResult run = serve(env);
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.configuration_lines.size(), 4u) << run.err;
}

// Outside prod the JWKS URL may use plain http only towards a loopback identity provider.
TEST(ConfigurationTransport, PlainHttpJwksOnlyForLoopbackOutsideProd) {
  for (const char* url :
       {"http://127.0.0.1:9/jwks", "http://localhost:9/jwks", "http://[::1]:9/jwks", "https://idp.example.com/jwks"}) {
    auto loaded = app::loadConfig(testing::mapLookup(testing::testEnvironment(url)));
    EXPECT_TRUE(loaded.ok()) << url << ": " << (loaded.problems.empty() ? "" : loaded.problems.front());
  }
  auto refused = app::loadConfig(testing::mapLookup(testing::testEnvironment("http://idp.example.com/jwks")));
  ASSERT_EQ(refused.problems.size(), 1u);
  EXPECT_EQ(refused.problems[0], "AUTH_JWKS_URL must be https:// unless its host is loopback (it uses http)");
}

}  // namespace
}  // namespace fraudgov
