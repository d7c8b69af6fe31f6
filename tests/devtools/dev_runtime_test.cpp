// fraudgov-dev as a newcomer meets it: its own issuer, the test-token routes, tokens that go
// through the same JWKS verification as real ones, and the README walkthrough.
#include <gtest/gtest.h>
#include <signal.h>

#include "devtools/dev_extension.h"
#include "net/http_client.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {

namespace {

class DevServer {
 public:
  DevServer() {
    std::map<std::string, std::string> env = {{"APP_ENV", "local"},
                                              {"HTTP_PORT", "0"},
                                              {"DATABASE_URL", testing::migratedDatabaseUrl()},
                                              {"FRAUDGOV_VAR_DIR", testing::makeTempDir("devvar")},
                                              {"LOG_LEVEL", "warn"}};
    auto loaded = app::loadConfig(testing::mapLookup(env));
    EXPECT_TRUE(loaded.ok());
    extension_ = dev_.extension();
    auto rt = app::Runtime::create(std::move(loaded.config), &extension_);
    EXPECT_TRUE(rt) << (rt ? "" : rt.error().message);
    runtime_ = std::move(*rt);
    runtime_->start();
  }

  testing::HttpResult get(const std::string& path, const std::string& token = "") {
    net::OutboundRequest r;
    r.url = "http://127.0.0.1:" + std::to_string(runtime_->port()) + path;
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    return finish(r);
  }

  testing::HttpResult post(const std::string& path, const std::string& body, const std::string& token) {
    net::OutboundRequest r;
    r.method = "POST";
    r.url = "http://127.0.0.1:" + std::to_string(runtime_->port()) + path;
    r.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
    r.body = body;
    return finish(r);
  }

  std::string userToken(const std::string& kind) {
    auto r = get("/api/v1/test-user-token?user=" + kind);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::string(r.json().at("access_token").as_string());
  }

 private:
  testing::HttpResult finish(const net::OutboundRequest& r) {
    auto response = client_.send(r);
    EXPECT_TRUE(response);
    testing::HttpResult out{response->status, response->body, response->headers};
    testing::expectSecurityHeaders(out, r.method + " " + r.url);
    return out;
  }

  devtools::DevEnvironment dev_;
  app::DevExtension extension_;
  std::unique_ptr<app::Runtime> runtime_;
  net::CurlHttpClient client_;
};

}  // namespace

TEST(DevRuntime, UserTokensCarryDistinctIdentitiesAndPermissions) {
  DevServer dev;
  const std::string maker = dev.userToken("maker");
  const std::string checker = dev.userToken("checker");
  const std::string viewer = dev.userToken("viewer");
  const std::string admin = dev.userToken("admin");
  const std::string field =
      R"({"field_key":"dev_field","display_name":"Dev","data_type":"STRING","allowed_operators":["EQ","IN"]})";
  EXPECT_EQ(dev.post("/api/v1/rule-fields", field, checker).status, 403);
  EXPECT_EQ(dev.post("/api/v1/rule-fields", field, viewer).status, 403);
  auto created = dev.post("/api/v1/rule-fields", field, maker);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().at("created_by").as_string(), "dev-maker");
  EXPECT_EQ(dev.get("/api/v1/rule-fields/dev_field", viewer).status, 200);
  EXPECT_EQ(dev.get("/api/v1/audit-log?performed_by=dev-maker", admin).json().at("items").as_array().size(), 2u);
}

TEST(DevRuntime, TestTokenRoutes) {
  DevServer dev;
  auto m2m = dev.get("/api/v1/test-token");
  ASSERT_EQ(m2m.status, 200);
  EXPECT_EQ(m2m.json().at("token_type").as_string(), "Bearer");
  EXPECT_EQ(m2m.json().at("token_category").as_string(), "M2M (Client Credentials)");
  const std::string token(m2m.json().at("access_token").as_string());
  EXPECT_EQ(dev.get("/api/v1/rule-fields", token).status, 200);
  auto bad = dev.get("/api/v1/test-user-token?user=root");
  EXPECT_EQ(bad.status, 400);
  auto jwks = dev.get("/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  EXPECT_EQ(jwks.json().at("keys").as_array().size(), 1u);
  EXPECT_FALSE(jwks.json().at("keys").as_array()[0].as_object().contains("d")) << "never the private key";
  // A token signed by anyone else is refused: the dev issuer is not a bypass.
  auto forged = testing::TokenFactory::get().es256(
      testing::TokenFactory::claims("http://127.0.0.1:1/", "fraudgov-api", "dev-admin"));
  EXPECT_EQ(dev.get("/api/v1/rule-fields", forged).status, 401);
}

// Issue 3 acceptance: the whole four-eyes story with the development issuer's own users.
TEST(DevRuntime, GovernanceStoryWithDevelopmentUsers) {
  DevServer dev;
  const std::string maker = dev.userToken("maker");
  const std::string checker = dev.userToken("checker");
  const std::string viewer = dev.userToken("viewer");
  const std::string admin = dev.userToken("admin");
  auto id = [](const testing::HttpResult& r, const char* member) {
    return std::string(r.json().at(member).as_string());
  };
  const std::string tree =
      R"({"and":[{"field":"amount","op":"GT","value":5000},{"field":"country_code","op":"IN","value":["RU","KP"]}]})";

  auto rule = dev.post("/api/v1/rules", R"({"rule_name":"Large foreign payment","rule_type":"AUTH"})", maker);
  ASSERT_EQ(rule.status, 201) << rule.body;
  const std::string rule_id = id(rule, "rule_id");
  auto v1 =
      dev.post("/api/v1/rules/" + rule_id + "/versions", std::string(R"({"condition_tree":)") + tree + "}", maker);
  ASSERT_EQ(v1.status, 201) << v1.body;
  const std::string v1_id = id(v1, "rule_version_id");
  ASSERT_EQ(dev.post("/api/v1/rule-versions/" + v1_id + "/submit", "{}", maker).status, 200);

  auto self = dev.post("/api/v1/rule-versions/" + v1_id + "/approve", "{}", maker);
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.json().at("error").as_string(), "MakerCheckerViolation");

  auto admin_version = dev.post("/api/v1/rules/" + rule_id + "/versions",
                                std::string(R"({"condition_tree":)") + tree + R"(,"priority":900})", admin);
  ASSERT_EQ(admin_version.status, 201);
  const std::string admin_id = id(admin_version, "rule_version_id");
  ASSERT_EQ(dev.post("/api/v1/rule-versions/" + admin_id + "/submit", "{}", admin).status, 200);
  auto admin_self = dev.post("/api/v1/rule-versions/" + admin_id + "/approve", "{}", admin);
  EXPECT_EQ(admin_self.status, 409) << "PLATFORM_ADMIN does not bypass separation of duties";

  EXPECT_EQ(dev.post("/api/v1/rule-versions/" + v1_id + "/approve", "{}", viewer).status, 403);
  auto approved = dev.post("/api/v1/rule-versions/" + v1_id + "/approve", R"({"remarks":"ok"})", checker);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("approved_by").as_string(), "dev-checker");

  auto v3 = dev.post("/api/v1/rules/" + rule_id + "/versions",
                     R"({"condition_tree":{"field":"amount","op":"GT","value":10000},"priority":500})", maker);
  ASSERT_EQ(v3.status, 201);
  const std::string v3_id = id(v3, "rule_version_id");
  ASSERT_EQ(dev.post("/api/v1/rule-versions/" + v3_id + "/submit", "{}", maker).status, 200);
  ASSERT_EQ(dev.post("/api/v1/rule-versions/" + v3_id + "/approve", "{}", checker).status, 200);
  EXPECT_EQ(dev.get("/api/v1/rule-versions/" + v1_id, viewer).json().at("status").as_string(), "SUPERSEDED");

  auto log = dev.get("/api/v1/audit-log?limit=50", viewer);
  ASSERT_EQ(log.status, 200);
  std::vector<std::string> steps;
  const auto body = log.json();
  for (const auto& item : body.at("items").as_array()) {
    if (item.at("entity_type").as_string() == "RULE" || item.at("entity_type").as_string() == "RULE_VERSION") {
      steps.push_back(std::string(item.at("action").as_string()) + " by " +
                      std::string(item.at("performed_by").as_string()));
    }
  }
  std::reverse(steps.begin(), steps.end());
  // The rule was created without a tree: its empty DRAFT v1 is created (and audited) too.
  EXPECT_EQ(steps, (std::vector<std::string>{"CREATE by dev-maker", "CREATE by dev-maker", "CREATE by dev-maker",
                                             "SUBMIT by dev-maker",
                                             "CREATE by dev-admin", "SUBMIT by dev-admin", "APPROVE by dev-checker",
                                             "CREATE by dev-maker", "SUBMIT by dev-maker", "SUPERSEDE by dev-checker",
                                             "APPROVE by dev-checker"}));
  auto verify = dev.get("/api/v1/audit-log/verify", viewer);
  EXPECT_EQ(verify.json().at("ok").as_bool(), true);
}

// The README walkthrough, verbatim in spirit: start fraudgov-dev, mint a maker token with the
// CLI, create a field, list fields.
TEST(DevBinary, ReadmeWalkthrough) {
  const unsigned short port = testing::freePort();
  const std::string var = testing::makeTempDir("walk");
  const std::map<std::string, std::string> env = {
      {"APP_ENV", "local"}, {"HTTP_PORT", std::to_string(port)}, {"FRAUDGOV_VAR_DIR", var}};
  testing::ChildProcess server(testing::binaryPath("fraudgov-dev"), {}, env);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(testing::waitForHttp(base + "/api/v1/health", std::chrono::seconds(20))) << server.stderrText();
  EXPECT_NE(server.stderrText().find("test-user-token?user=maker"), std::string::npos) << "startup banner";

  testing::ChildProcess mint(testing::binaryPath("fraudgov-dev"), {"token", "--user", "maker"}, env);
  ASSERT_EQ(mint.wait(std::chrono::seconds(10)), 0) << mint.stderrText();
  std::string token = mint.stdoutText();
  while (!token.empty() && token.back() == '\n') token.pop_back();

  net::CurlHttpClient client;
  net::OutboundRequest create;
  create.method = "POST";
  create.url = base + "/api/v1/rule-fields";
  create.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
  create.body = R"J({"field_key":"velocity_1h","display_name":"Card velocity (1h)","data_type":"NUMBER",)J"
                R"J("allowed_operators":["GT","GTE","LT","LTE","BETWEEN"]})J";
  auto created = client.send(create);
  ASSERT_TRUE(created);
  EXPECT_EQ(created->status, 201) << created->body;

  net::OutboundRequest list;
  list.url = base + "/api/v1/rule-fields";
  list.headers = {{"Authorization", "Bearer " + token}};
  auto listed = client.send(list);
  ASSERT_TRUE(listed);
  EXPECT_EQ(listed->status, 200);
  EXPECT_NE(listed->body.find("velocity_1h"), std::string::npos);

  testing::ChildProcess custom(testing::binaryPath("fraudgov-dev"),
                               {"token", "--sub", "alice", "--permission", "rule:read", "--role", "RULE_VIEWER"}, env);
  EXPECT_EQ(custom.wait(std::chrono::seconds(10)), 0) << custom.stderrText();

  server.signal(SIGINT);
  EXPECT_EQ(server.wait(std::chrono::seconds(15)), 0);
}

}  // namespace fraudgov
