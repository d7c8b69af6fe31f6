// Secret-leak scan (issue 4 acceptance, SPEC §6.5): run build/bin/fraudgov with known unique
// secret strings, drive it through good and bad authentication, wrong tokens, 4xx errors, a
// SIGHUP rotation and shutdown, then search everything it produced — stdout, stderr, every
// response (status, headers, body) and every file under its var directory, database included —
// for any of them. A canary variable that is not a secret detects any dump of the environment.
#include <gtest/gtest.h>

#include "publish/signing_key.h"
#include <signal.h>

#include <boost/json/serialize.hpp>
#include <filesystem>
#include <fstream>

#include "common/uuid.h"
#include "fraudgov_process.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::FraudgovProcess;

std::string unique(const std::string& what) { return "leak-" + what + "-" + uuid::v4(); }

// Every secret must be absent from haystack; reports where it was found.
void expectAbsent(const std::map<std::string, std::string>& secrets, const std::string& haystack,
                  const std::string& where) {
  for (const auto& [name, value] : secrets) {
    const auto at = haystack.find(value);
    EXPECT_EQ(at, std::string::npos) << name << " leaked into " << where << ": ..."
                                     << (at == std::string::npos ? "" : haystack.substr(at > 80 ? at - 80 : 0, 200));
  }
}

TEST(SecretLeak, NoSecretAppearsInLogsResponsesOrFilesAfterAFullRun) {
  const std::string dir = testing::makeTempDir("leak");
  std::filesystem::create_directories(dir + "/credentials");
  std::map<std::string, std::string> secrets = {
      {"HEALTH_TOKEN", unique("health")},
      {"HEALTH_TOKEN (rotated)", unique("health-rotated")},
      {"METRICS_TOKEN", unique("metrics")},
      {"CURSOR_HMAC_KEY", unique("cursor-hmac-key")},
      {"DATABASE_PASSWORD", unique("db-password")},
      {"REDIS_PASSWORD", unique("redis-password")},
      {"S3_ACCESS_KEY_ID", unique("s3-key-id")},
      {"S3_SECRET_ACCESS_KEY", unique("s3-secret")},
  };
  // The signing key must be a real Ed25519 key (startup refuses anything else); its PEM body is
  // as unique as any marker.
  secrets["ARTIFACT_SIGNING_KEY"] = publish::ArtifactSigningKey::generate()->privatePem();
  const std::string env_canary = unique("environment-canary");
  const std::string health_file = dir + "/health";
  testing::writeAtomically(health_file, secrets["HEALTH_TOKEN"]);
  std::ofstream(dir + "/credentials/METRICS_TOKEN") << secrets["METRICS_TOKEN"];

  FraudgovProcess server({{"HEALTH_TOKEN_FILE", health_file},
                          {"CREDENTIALS_DIRECTORY", dir + "/credentials"},
                          // Plain variables are accepted outside prod; they must not leak either.
                          {"CURSOR_HMAC_KEY", secrets["CURSOR_HMAC_KEY"]},
                          {"DATABASE_PASSWORD", secrets["DATABASE_PASSWORD"]},
                          {"REDIS_PASSWORD", secrets["REDIS_PASSWORD"]},
                          {"S3_ACCESS_KEY_ID", secrets["S3_ACCESS_KEY_ID"]},
                          {"S3_SECRET_ACCESS_KEY", secrets["S3_SECRET_ACCESS_KEY"]},
                          {"ARTIFACT_SIGNING_KEY", secrets["ARTIFACT_SIGNING_KEY"]},
                          {"FRAUDGOV_LEAK_CANARY", env_canary}});
  ASSERT_EQ(server.startError(), "");

  const std::string health = secrets["HEALTH_TOKEN"];
  const std::string metrics = secrets["METRICS_TOKEN"];
  const std::string maker = FraudgovProcess::token("maker-1", {"rule_field:create", "rule:read"});
  const std::string viewer = FraudgovProcess::token("viewer-1", {"rule:read", "audit:read"});
  const net::HeaderList as_maker = {{"Authorization", "Bearer " + maker}, {"Content-Type", "application/json"}};

  // Operational endpoints: missing, wrong, crossed and right credentials.
  EXPECT_EQ(server.health("").status, 401);
  EXPECT_EQ(server.health("wrong").status, 403);
  EXPECT_EQ(server.health(metrics).status, 403);
  EXPECT_EQ(server.health(health).status, 200);
  server.send("GET", "/api/v1/health", {{"Authorization", "Bearer " + health}});
  server.send("GET", "/api/v1/readyz", {{"X-Health-Token", health}});
  server.send("GET", "/api/v1/readyz", {{"X-Health-Token", metrics}});
  for (const char* path : {"/metrics", "/api/v1/metrics"}) {
    server.send("GET", path);
    server.send("GET", path, {{"X-Metrics-Token", metrics}});
    server.send("GET", path, {{"X-Metrics-Token", health}});
    server.send("GET", path, {{"Authorization", "Bearer " + metrics}});
  }

  // The API with secrets presented where tokens belong, and the usual error paths.
  // Once the failed-authentication budget (SPEC §6.4) is spent these become 429: scanned too.
  for (const auto& [name, value] : secrets) {
    if (value.find('\n') != std::string::npos) continue;  // a PEM cannot be a header value; its log scan stays
    const long status = server.send("GET", "/api/v1/rule-fields", {{"Authorization", "Bearer " + value}}).status;
    EXPECT_TRUE(status == 401 || status == 429) << name << ": " << status;
  }
  EXPECT_EQ(server.send("GET", "/api/v1/rule-fields", {{"Authorization", "Bearer " + viewer}}).status, 200);
  auto page = server.send("GET", "/api/v1/audit-log?limit=1", {{"Authorization", "Bearer " + viewer}});
  EXPECT_EQ(page.status, 200) << page.body;
  const boost::json::value page_json = page.json();
  const auto* cursor = page_json.is_object() ? page_json.as_object().if_contains("next_cursor") : nullptr;
  if (cursor && cursor->is_string()) {
    const std::string c(cursor->as_string());
    EXPECT_EQ(
        server.send("GET", "/api/v1/audit-log?limit=1&cursor=" + c, {{"Authorization", "Bearer " + viewer}}).status,
        200);
    EXPECT_EQ(
        server.send("GET", "/api/v1/audit-log?limit=1&cursor=x" + c, {{"Authorization", "Bearer " + viewer}}).status,
        400);
  }
  EXPECT_EQ(server.send("GET", "/api/v1/no-such-route", {{"X-Health-Token", health}}).status, 404);
  EXPECT_EQ(server.send("DELETE", "/api/v1/health", {{"X-Health-Token", health}}).status, 405);
  EXPECT_EQ(server.send("POST", "/api/v1/rule-fields", as_maker, std::string(2 * 1024 * 1024, 'x')).status, 413);
  EXPECT_EQ(
      server.send("POST", "/api/v1/rule-fields", as_maker, R"({"field_key":"Bad Key!","data_type":"NOPE"})").status,
      422);
  EXPECT_EQ(server.send("POST", "/api/v1/rule-fields", {{"Authorization", "Bearer " + maker}}, "{}").status, 415);
  const boost::json::object field{{"field_key", "leak_probe"},
                                  {"display_name", "Leak probe"},
                                  {"data_type", "STRING"},
                                  {"allowed_operators", {"EQ"}}};
  EXPECT_EQ(server.send("POST", "/api/v1/rule-fields", as_maker, boost::json::serialize(field)).status, 201);

  // Rotation, then shutdown.
  testing::writeAtomically(health_file, secrets["HEALTH_TOKEN (rotated)"]);
  server.child().signal(SIGHUP);
  ASSERT_TRUE(testing::waitForOutput(server.child(), "secrets reloaded", std::chrono::seconds(10)));
  EXPECT_EQ(server.health(secrets["HEALTH_TOKEN (rotated)"]).status, 200);
  const long old_token = server.health(health).status;
  EXPECT_TRUE(old_token == 403 || old_token == 429) << old_token;
  EXPECT_EQ(server.terminate(), 0) << server.child().stderrText();

  const std::string out = server.child().stdoutText();
  const std::string err = server.child().stderrText();
  const std::string responses = server.transcript();
  const std::string files = testing::readTree(server.varDir());
  ASSERT_NE(out.find("\"request\""), std::string::npos) << "the scan needs the access log to exist:\n" << out;
  ASSERT_NE(files.find("leak_probe"), std::string::npos) << "the scan needs to see the database content";
  ASSERT_NE(responses.find("X-Request-ID"), std::string::npos);

  auto with_canary = secrets;
  with_canary["(environment canary)"] = env_canary;
  expectAbsent(with_canary, out, "stdout");
  expectAbsent(with_canary, err, "stderr");
  expectAbsent(with_canary, responses, "responses");
  expectAbsent(with_canary, files, "files under the var directory");
  for (const char* dumped : {"HEALTH_TOKEN_FILE=", "CREDENTIALS_DIRECTORY=", "FRAUDGOV_LEAK_CANARY"}) {
    EXPECT_EQ((out + err + files).find(dumped), std::string::npos) << "environment dump: " << dumped;
  }
}

}  // namespace
}  // namespace fraudgov
