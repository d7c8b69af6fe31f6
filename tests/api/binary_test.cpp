// Properties only the real executables can show: the production binary carries no development
// issuer (neither routes nor code), startup refuses bad configuration with one line per problem,
// fraudgov-dev refuses prod, and SIGTERM drains in-flight requests.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <future>
#include <iterator>

#include "net/http_client.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/test_env.h"

namespace fraudgov {

using testing::ChildProcess;

namespace {

std::string readBinary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Markers of the development tooling: route paths, key file, user identities, symbols.
const std::vector<std::string> kDevMarkers = {"test-user-token", "/api/v1/test-token",     "dev-issuer-key",
                                              "dev-maker",       "Development Rule Maker", "8devtools",
                                              "DevIssuer",       "dev-automation"};

std::map<std::string, std::string> serverEnv(unsigned short port, const std::string& jwks_url) {
  auto env = testing::testEnvironment(jwks_url);
  env["HTTP_PORT"] = std::to_string(port);
  env["DATABASE_URL"] = "sqlite:" + testing::makeTempDir("bin") + "/db.sqlite";
  return env;
}

}  // namespace

TEST(ProductionBinary, ContainsNoDevelopmentCode) {
  const std::string prod = readBinary(testing::binaryPath("fraudgov"));
  const std::string dev = readBinary(testing::binaryPath("fraudgov-dev"));
  ASSERT_GT(prod.size(), 100000u);
  for (const auto& marker : kDevMarkers) {
    EXPECT_EQ(prod.find(marker), std::string::npos) << "'" << marker << "' found in the production binary";
  }
  // The same scan finds them in fraudgov-dev, so it would notice a leak.
  for (const auto& marker : {"test-user-token", "dev-issuer-key", "8devtools"}) {
    EXPECT_NE(dev.find(marker), std::string::npos) << marker;
  }
}

TEST(ProductionBinary, TestTokenRoutesAre404AndSigtermDrains) {
  testing::MiniHttpServer idp(
      [](const testing::MiniRequest&) { return testing::MiniResponse::json(testing::TokenFactory::get().jwks()); });
  const unsigned short port = testing::freePort();
  auto env = serverEnv(port, idp.url("/jwks"));
  env["JWKS_UNKNOWN_KID_COOLDOWN_SECONDS"] = "0";
  ChildProcess server(testing::binaryPath("fraudgov"), {"serve"}, env);
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  ASSERT_TRUE(testing::waitForHttp(base + "/api/v1/health", std::chrono::seconds(20))) << server.stderrText();

  net::CurlHttpClient client;
  auto get = [&](const std::string& path, const std::string& token = "") {
    net::OutboundRequest r;
    r.url = base + path;
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    r.timeout = std::chrono::seconds(10);
    auto response = client.send(r);
    EXPECT_TRUE(response);
    return response ? response->status : 0L;
  };
  EXPECT_EQ(get("/api/v1/test-token"), 404);
  EXPECT_EQ(get("/api/v1/test-user-token?user=admin"), 404);
  EXPECT_EQ(get("/.well-known/jwks.json"), 404);

  // An in-flight request (an unknown kid waiting on a hanging IdP) completes after SIGTERM.
  idp.setHandler([](const testing::MiniRequest&) { return testing::MiniResponse::hang(std::chrono::seconds(10)); });
  const auto& tf = testing::TokenFactory::get();
  auto claims = tf.claims(testing::kTestIssuer, testing::kTestAudience, "late");
  auto slow = std::async(std::launch::async, [&] { return get("/api/v1/rule-fields", tf.unknownKid(claims)); });
  ASSERT_TRUE(idp.waitForRequests(2, std::chrono::seconds(5)));
  server.signal(SIGTERM);
  EXPECT_EQ(slow.get(), 401) << "the request in flight is answered, not dropped";
  EXPECT_EQ(server.wait(std::chrono::seconds(15)), 0) << server.stderrText();
}

TEST(ProductionBinary, RefusesToStartWithoutAnIssuer) {
  ChildProcess p(testing::binaryPath("fraudgov"), {},
                 {{"APP_ENV", "local"}, {"FRAUDGOV_VAR_DIR", testing::makeTempDir("noissuer")}});
  EXPECT_EQ(p.wait(std::chrono::seconds(10)), 1);
  EXPECT_NE(p.stderrText().find("development issuer exists only in fraudgov-dev"), std::string::npos);
}

TEST(Configuration, UnknownAppEnvAndOtherProblemsAreListedOnePerLine) {
  ChildProcess p(testing::binaryPath("fraudgov"), {"serve"},
                 {{"APP_ENV", "staging"},
                  {"HTTP_PORT", "99999"},
                  {"AUTH_LEEWAY_SECONDS", "600"},
                  {"AUTH_ALGORITHMS", "RS256,HS256,none"}});
  EXPECT_EQ(p.wait(std::chrono::seconds(10)), 2);
  const std::string err = p.stderrText();
  for (const char* expected : {"APP_ENV must be one of local, test, prod", "HTTP_PORT must be an integer",
                               "AUTH_LEEWAY_SECONDS must be an integer between 0 and 120", "'HS256' is not allowed",
                               "'none' is not allowed"}) {
    EXPECT_NE(err.find(expected), std::string::npos) << expected << " in:\n" << err;
  }
  EXPECT_GE(std::count(err.begin(), err.end(), '\n'), 5);
}

TEST(Configuration, TomlFileIsReadAndTheEnvironmentWins) {
  const std::string dir = testing::makeTempDir("toml");
  std::ofstream(dir + "/fraudgov.toml") << "APP_ENV = \"staging\"\nHTTP_PORT = 1234\n";
  ChildProcess from_file(testing::binaryPath("fraudgov"), {}, {{"FRAUDGOV_CONFIG", dir + "/fraudgov.toml"}});
  EXPECT_EQ(from_file.wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(from_file.stderrText().find("got 'staging'"), std::string::npos) << from_file.stderrText();
  ChildProcess env_wins(
      testing::binaryPath("fraudgov"), {},
      {{"FRAUDGOV_CONFIG", dir + "/fraudgov.toml"}, {"APP_ENV", "local"}, {"FRAUDGOV_VAR_DIR", dir + "/var"}});
  EXPECT_EQ(env_wins.wait(std::chrono::seconds(10)), 1);  // local without issuer: refused, but config was valid
  std::ofstream(dir + "/broken.toml") << "APP_ENV = \n";
  ChildProcess broken(testing::binaryPath("fraudgov"), {}, {{"FRAUDGOV_CONFIG", dir + "/broken.toml"}});
  EXPECT_EQ(broken.wait(std::chrono::seconds(10)), 2);
  EXPECT_NE(broken.stderrText().find("not valid TOML"), std::string::npos);
}

TEST(DevBinary, RefusesProd) {
  for (const char* env : {"prod", "PROD", " prod "}) {
    ChildProcess p(testing::binaryPath("fraudgov-dev"), {"serve"}, {{"APP_ENV", env}});
    EXPECT_EQ(p.wait(std::chrono::seconds(10)), 2) << env;
    EXPECT_NE(p.stderrText().find("refusing to run with APP_ENV=prod"), std::string::npos);
  }
}

}  // namespace fraudgov
