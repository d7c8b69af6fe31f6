// Observability and operational-endpoint protection against a real runtime (SPEC §6.3, §7):
// /metrics content and promtool's verdict after real traffic, route-template labels, token and
// CIDR protection (X-Forwarded-For believed only from trusted proxies), the separate admin
// listener, and logs free of tokens.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <sstream>

#include "app/config.h"
#include "common/json.h"
#include "observability/log.h"
#include "promtool.h"
#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;
using testing::HttpResult;

namespace {

constexpr const char* kMetricsToken = "metrics-token-0123456789abcdef";
constexpr const char* kHealthToken = "health-token-0123456789abcdef";

// These tests refuse many requests on purpose; the failed-authentication rate limit (SPEC §6.4,
// tested elsewhere) must not turn their 401/403 into 429.
ApiHarness::Options withEnv(std::map<std::string, std::string> env) {
  env.emplace("RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "100000");
  env.emplace("RATE_LIMIT_ANONYMOUS_PER_MINUTE", "100000");
  return {std::move(env), true};
}

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

HttpResult scrape(ApiHarness& api, const std::string& path = "/metrics") {
  return api.send("GET", path, "", {{"X-Metrics-Token", kMetricsToken}});
}

// A request to any host:port (the admin listener, an IPv6 address), with the SPEC §6.1 check.
HttpResult sendTo(const std::string& base, const std::string& path, const net::HeaderList& headers = {}) {
  net::CurlHttpClient client;
  net::OutboundRequest request;
  request.url = base + path;
  request.headers = headers;
  request.timeout = std::chrono::seconds(10);
  HttpResult out;
  auto response = client.send(request);
  if (!response) {
    ADD_FAILURE() << path << ": " << response.error().message;
    return out;
  }
  out.status = response->status;
  out.body = std::move(response->body);
  out.headers = std::move(response->headers);
  testing::expectSecurityHeaders(out, base + path);
  return out;
}

// The problem body without its per-request members, to compare refusals with each other.
std::string refusalShape(const HttpResult& r) {
  auto body = r.json();
  if (!body.is_object()) return r.body;
  body.as_object().erase("request_id");
  return std::to_string(r.status) + " " + boost::json::serialize(body);
}

bool ipv6LoopbackAvailable() {
  const int fd = ::socket(AF_INET6, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in6 addr{};
  addr.sin6_family = AF_INET6;
  addr.sin6_addr = in6addr_loopback;
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

// ---- content ---------------------------------------------------------------------------------

TEST(MetricsEndpoint, ScrapeAfterRealTrafficPassesPromtool) {
  ApiHarness api(withEnv({{"METRICS_TOKEN", kMetricsToken}}));
  const auto token = api.makerToken();
  api.get("/api/v1/rule-fields", token);
  api.get("/api/v1/rule-fields/amount", token);
  api.get("/api/v1/rule-fields/no_such_field", token);
  api.get("/api/v1/rule-fields", "");
  api.send("DELETE", "/api/v1/rule-fields", "", {{"Authorization", "Bearer " + token}});
  api.send("HEAD", "/api/v1/rule-fields/amount", "", {{"Authorization", "Bearer " + token}});
  api.post("/api/v1/rule-fields", boost::json::object{{"field_key", 1}}, token);
  api.get("/api/v1/does/not/exist", token);
  api.send("GET", "/api/v1/health");

  for (const char* path : {"/metrics", "/api/v1/metrics"}) {
    const auto r = scrape(api, path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.header("Content-Type").value_or(""), "text/plain; version=0.0.4; charset=utf-8");
    const auto check = testing::promtoolCheck(r.body);
    EXPECT_EQ(check.exit_code, 0) << path << ": " << check.output;
    for (const char* family :
         {"http_requests_total", "http_request_duration_seconds_bucket", "http_requests_in_flight",
          "fraudgov_jwks_keys 2", "fraudgov_jwks_stale 0", "fraudgov_jwks_circuit_breaker_state{state=\"closed\"} 1",
          "fraudgov_jwks_fetches_total{outcome=\"success\"}", "fraudgov_jwks_unknown_kid_refreshes_total",
          "fraudgov_db_pool_capacity 8", "fraudgov_db_pool_connections_in_use", "fraudgov_db_pool_wait_timeouts_total",
          "fraudgov_approvals_total", "fraudgov_compile_duration_seconds", "fraudgov_publish_duration_seconds",
          "fraudgov_rate_limited_total", "fraudgov_build_info", "process_start_time_seconds"}) {
      EXPECT_TRUE(has(r.body, family)) << family << " missing from " << path;
    }
  }
}

TEST(MetricsEndpoint, RoutesAreLabelledByTemplateNeverByRawPath) {
  ApiHarness api(withEnv({}));  // nothing configured: loopback may scrape outside prod
  const auto token = api.makerToken();
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", token).status, 200);
  EXPECT_EQ(api.get("/api/v1/rule-fields/merchant_id", token).status, 200);
  EXPECT_EQ(api.get("/api/v1/unknown-f00d-1234", token).status, 404);
  EXPECT_EQ(api.send("DELETE", "/api/v1/rule-fields", "", {{"Authorization", "Bearer " + token}}).status, 405);
  api.send("BREW", "/api/v1/rule-fields/amount");

  const auto r = api.get("/metrics", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(has(r.body,
                  "http_requests_total{method=\"GET\",route=\"/api/v1/rule-fields/{field_key}\","
                  "status_code=\"200\",status_class=\"2xx\"} 2\n"))
      << r.body;
  EXPECT_TRUE(
      has(r.body, "http_request_duration_seconds_count{method=\"GET\",route=\"/api/v1/rule-fields/{field_key}\"} 2"));
  EXPECT_TRUE(has(r.body, "route=\"__unmatched__\",status_code=\"404\""));
  // A method mismatch keeps the template it partially matched.
  EXPECT_TRUE(has(r.body, "{method=\"DELETE\",route=\"/api/v1/rule-fields\",status_code=\"405\""));
  EXPECT_TRUE(has(r.body, "method=\"OTHER\""));
  for (const char* raw : {"/api/v1/rule-fields/amount", "merchant_id", "unknown-f00d-1234", "BREW"}) {
    EXPECT_FALSE(has(r.body, raw)) << raw << " leaked into a label";
  }
  EXPECT_FALSE(has(r.body, token));
}

// ---- token protection ------------------------------------------------------------------------

TEST(MetricsEndpoint, TokenIsRequiredAndRefusalsLookAlike) {
  ApiHarness api(withEnv({{"METRICS_TOKEN", kMetricsToken}, {"HEALTH_TOKEN", kHealthToken}}));
  for (const char* path : {"/metrics", "/api/v1/metrics"}) {
    const auto missing = api.send("GET", path);
    EXPECT_EQ(missing.status, 401) << path;
    const auto empty_bearer = api.send("GET", path, "", {{"Authorization", "Bearer "}});
    EXPECT_EQ(empty_bearer.status, 401) << path;
    const auto wrong = api.send("GET", path, "", {{"X-Metrics-Token", "wrong"}});
    EXPECT_EQ(wrong.status, 403) << path;
    const auto wrong_bearer = api.send("GET", path, "", {{"Authorization", "Bearer wrong"}});
    EXPECT_EQ(wrong_bearer.status, 403) << path;
    const auto prefix = api.send("GET", path, "", {{"X-Metrics-Token", std::string(kMetricsToken).substr(0, 10)}});
    EXPECT_EQ(prefix.status, 403) << path;
    const auto other_token = api.send("GET", path, "", {{"X-Metrics-Token", kHealthToken}});
    EXPECT_EQ(other_token.status, 403) << "the health token does not open metrics";
    const auto user_jwt = api.get(path, api.adminToken());
    EXPECT_EQ(user_jwt.status, 403) << "a user's JWT is not the metrics token, whatever its roles";
    EXPECT_EQ(refusalShape(wrong), refusalShape(wrong_bearer));
    EXPECT_EQ(refusalShape(wrong), refusalShape(user_jwt));
    EXPECT_EQ(refusalShape(missing), refusalShape(empty_bearer));
    EXPECT_FALSE(has(wrong.body, "token")) << "nothing about what failed: " << wrong.body;

    EXPECT_EQ(api.send("GET", path, "", {{"X-Metrics-Token", kMetricsToken}}).status, 200);
    EXPECT_EQ(api.send("GET", path, "", {{"Authorization", std::string("Bearer ") + kMetricsToken}}).status, 200);
    EXPECT_EQ(api.send("GET", path, "", {{"authorization", std::string("bearer ") + kMetricsToken}}).status, 200);
    // A wrong value in one header does not cancel the right one in the other.
    EXPECT_EQ(api.send("GET", path, "",
                       {{"X-Metrics-Token", "wrong"}, {"Authorization", std::string("Bearer ") + kMetricsToken}})
                  .status,
              200);
  }
  const auto r = scrape(api);
  EXPECT_TRUE(has(r.body, "fraudgov_admin_access_denied_total{endpoint=\"metrics\"} ")) << r.body;
  EXPECT_FALSE(has(r.body, "fraudgov_admin_access_denied_total{endpoint=\"metrics\"} 0\n"));
  EXPECT_FALSE(has(r.body, kMetricsToken));
  EXPECT_FALSE(has(r.body, kHealthToken));
}

TEST(HealthEndpoints, TokenViaHeaderOrBearerAndAnonymousOnlyWhenUnconfigured) {
  {
    ApiHarness api(withEnv({{"HEALTH_TOKEN", kHealthToken}}));
    for (const char* path : {"/api/v1/health", "/api/v1/readyz"}) {
      EXPECT_EQ(api.send("GET", path).status, 401) << path;
      EXPECT_EQ(api.send("GET", path, "", {{"X-Health-Token", "nope"}}).status, 403) << path;
      EXPECT_EQ(api.send("GET", path, "", {{"X-Health-Token", kHealthToken}}).status, 200) << path;
      EXPECT_EQ(api.send("GET", path, "", {{"Authorization", std::string("Bearer ") + kHealthToken}}).status, 200);
    }
  }
  ApiHarness open(withEnv({}));  // local/test with nothing configured: anonymous, as before
  EXPECT_EQ(open.send("GET", "/api/v1/health").status, 200);
  EXPECT_EQ(open.send("GET", "/api/v1/readyz").status, 200);
}

// ---- source addresses ------------------------------------------------------------------------

TEST(MetricsEndpoint, CidrAllowListIsJudgedOnThePeer) {
  {
    ApiHarness api(withEnv({{"METRICS_ALLOW_CIDRS", "127.0.0.1/32"}}));
    EXPECT_EQ(api.send("GET", "/metrics").status, 200) << "inside the allow-list, no token configured";
  }
  {
    ApiHarness api(
        withEnv({{"METRICS_ALLOW_CIDRS", "10.0.0.0/8, 2001:db8::/32"}, {"HEALTH_ALLOW_CIDRS", "10.0.0.0/8"}}));
    EXPECT_EQ(api.send("GET", "/metrics").status, 401);
    EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Metrics-Token", "anything"}}).status, 403);
    EXPECT_EQ(api.send("GET", "/api/v1/health").status, 401) << "health has its own allow-list";
    // Spoofing: without TRUSTED_PROXIES the header is never believed.
    EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "10.1.2.3"}}).status, 401);
    EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "10.1.2.3"}, {"X-Real-IP", "10.1.2.3"}}).status,
              401);
  }
}

TEST(MetricsEndpoint, TokenAndCidrTogetherAreBothRequired) {
  {
    ApiHarness api(withEnv({{"METRICS_TOKEN", kMetricsToken}, {"METRICS_ALLOW_CIDRS", "10.0.0.0/8"}}));
    EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Metrics-Token", kMetricsToken}}).status, 403)
        << "the right token from outside the allow-list";
  }
  ApiHarness api(withEnv({{"METRICS_TOKEN", kMetricsToken}, {"METRICS_ALLOW_CIDRS", "127.0.0.0/8,::1/128"}}));
  EXPECT_EQ(api.send("GET", "/metrics").status, 401) << "inside the allow-list without the token";
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Metrics-Token", kMetricsToken}}).status, 200);
}

TEST(MetricsEndpoint, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  ApiHarness api(withEnv({{"METRICS_ALLOW_CIDRS", "10.0.0.0/8"}, {"TRUSTED_PROXIES", "127.0.0.1/32"}}));
  // The peer (127.0.0.1) is a trusted proxy; the hop it reports is the client.
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "10.1.2.3"}}).status, 200);
  // The client prepended an allowed address; the proxy appended the real one: refused.
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "10.1.2.3, 198.51.100.7"}}).status, 401);
  // No header: the client is the proxy itself, outside the allow-list.
  EXPECT_EQ(api.send("GET", "/metrics").status, 401);
  // An unreadable chain is not believed.
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "10.1.2.3, garbage"}}).status, 401);
}

TEST(MetricsEndpoint, Ipv6PeersAndDualStackSockets) {
  if (!ipv6LoopbackAvailable()) GTEST_SKIP() << "no IPv6 loopback in this environment";
  {
    ApiHarness api(withEnv({{"HTTP_HOST", "::1"}, {"METRICS_ALLOW_CIDRS", "::1/128"}}));
    const std::string base = "http://[::1]:" + std::to_string(api.port());
    EXPECT_EQ(sendTo(base, "/metrics").status, 200);
  }
  {
    ApiHarness api(withEnv({{"HTTP_HOST", "::1"}, {"METRICS_ALLOW_CIDRS", "2001:db8::/32,127.0.0.1/32"}}));
    EXPECT_EQ(sendTo("http://[::1]:" + std::to_string(api.port()), "/metrics").status, 401);
  }
  // A dual-stack listener sees IPv4 clients as ::ffff:a.b.c.d; IPv4 allow-lists still apply.
  ApiHarness api(withEnv({{"HTTP_HOST", "::"}, {"METRICS_ALLOW_CIDRS", "127.0.0.1/32"}}));
  EXPECT_EQ(api.send("GET", "/metrics").status, 200);
}

TEST(MetricsEndpoint, NothingConfiguredMeansLoopbackOnly) {
  // Outside prod with neither token nor allow-list, only loopback clients may scrape. The harness
  // can only connect over loopback, so make loopback look remote through a trusted proxy hop.
  ApiHarness api(withEnv({{"TRUSTED_PROXIES", "127.0.0.1/32"}}));
  EXPECT_EQ(api.send("GET", "/metrics").status, 200);
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Forwarded-For", "203.0.113.5"}}).status, 401);
  EXPECT_EQ(api.send("GET", "/api/v1/health", "", {{"X-Forwarded-For", "203.0.113.5"}}).status, 200)
      << "health stays anonymous in local/test";
}

// ---- configuration ---------------------------------------------------------------------------

TEST(OperationalConfig, BadAllowListsAndProdWithoutMetricsTokenAreProblems) {
  auto env = testing::testEnvironment("http://127.0.0.1:9/jwks");
  env["METRICS_ALLOW_CIDRS"] = "10.0.0.1/8,localhost";
  env["HEALTH_ALLOW_CIDRS"] = "::1/129";
  env["TRUSTED_PROXIES"] = "0.0.0.0/0";
  auto loaded = app::loadConfig(testing::mapLookup(env));
  std::string all;
  for (const auto& p : loaded.problems) all += p + "\n";
  EXPECT_TRUE(has(all, "METRICS_ALLOW_CIDRS: '10.0.0.1/8' has host bits set")) << all;
  EXPECT_TRUE(has(all, "METRICS_ALLOW_CIDRS: 'localhost' is not an IP address")) << all;
  EXPECT_TRUE(has(all, "HEALTH_ALLOW_CIDRS: '::1/129'")) << all;
  EXPECT_TRUE(has(all, "TRUSTED_PROXIES: '0.0.0.0/0' would believe any client")) << all;

  auto good = testing::testEnvironment("http://127.0.0.1:9/jwks");
  good["METRICS_ALLOW_CIDRS"] = "10.0.0.0/8, 2001:db8::/32";
  good["TRUSTED_PROXIES"] = "192.0.2.10";
  auto ok = app::loadConfig(testing::mapLookup(good));
  EXPECT_TRUE(ok.ok()) << (ok.problems.empty() ? "" : ok.problems.front());
  EXPECT_EQ(ok.config.metrics_allow_cidrs.blocks().size(), 2u);

  auto prod = testing::testEnvironment("https://idp.example/jwks");
  prod["APP_ENV"] = "prod";
  auto refused = app::loadConfig(testing::mapLookup(prod));
  std::string prod_problems;
  for (const auto& p : refused.problems) prod_problems += p + "\n";
  EXPECT_TRUE(has(prod_problems, "METRICS_TOKEN is required in prod")) << prod_problems;
}

// ---- admin listener --------------------------------------------------------------------------

TEST(AdminListener, ServesOnlyOperationalRoutesAndTakesThemOffTheMainListener) {
  ApiHarness api(withEnv({{"ADMIN_PORT", "0"}, {"METRICS_TOKEN", kMetricsToken}}));
  ASSERT_TRUE(api.runtime().adminPort().has_value());
  const std::string admin = "http://127.0.0.1:" + std::to_string(*api.runtime().adminPort());
  const auto token = api.makerToken();

  EXPECT_EQ(sendTo(admin, "/api/v1/health").status, 200);
  EXPECT_EQ(sendTo(admin, "/api/v1/readyz").status, 200);
  EXPECT_EQ(sendTo(admin, "/metrics").status, 401) << "same gate on the admin listener";
  EXPECT_EQ(sendTo(admin, "/metrics", {{"X-Metrics-Token", kMetricsToken}}).status, 200);
  EXPECT_EQ(sendTo(admin, "/api/v1/metrics", {{"X-Metrics-Token", kMetricsToken}}).status, 200);
  EXPECT_EQ(sendTo(admin, "/api/v1/rule-fields/amount", {{"Authorization", "Bearer " + token}}).status, 404);
  EXPECT_EQ(sendTo(admin, "/api/v1/rule-fields").status, 404);
  EXPECT_EQ(sendTo(admin, "/").status, 404);

  EXPECT_EQ(api.send("GET", "/api/v1/health").status, 404);
  EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Metrics-Token", kMetricsToken}}).status, 404);
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount", token).status, 200);

  // Both listeners feed the same request metrics.
  const auto r = sendTo(admin, "/metrics", {{"X-Metrics-Token", kMetricsToken}});
  EXPECT_TRUE(has(r.body, "route=\"/api/v1/rule-fields/{field_key}\",status_code=\"200\"")) << r.body;
  EXPECT_TRUE(has(r.body, "route=\"/api/v1/health\",status_code=\"200\""));
}

// ---- logs ------------------------------------------------------------------------------------

TEST(Logs, CarryRequestFieldsButNeverTokens) {
  auto stream = std::make_shared<std::ostringstream>();
  observability::initLogging("debug", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream));
  std::string user_token;
  {
    ApiHarness api(withEnv({{"METRICS_TOKEN", kMetricsToken}, {"HEALTH_TOKEN", kHealthToken}}));
    user_token = api.makerToken();
    net::HeaderList everything{{"Authorization", "Bearer " + user_token},
                               {"X-Metrics-Token", kMetricsToken},
                               {"X-Health-Token", kHealthToken},
                               {"Cookie", "session=cookie-value-123456"},
                               {"X-Request-ID", "log-test-1"}};
    EXPECT_EQ(api.send("GET", "/api/v1/rule-fields/amount", "", everything).status, 200);
    EXPECT_EQ(api.send("GET", "/metrics", "", everything).status, 200);
    EXPECT_EQ(api.send("GET", "/api/v1/readyz", "", everything).status, 200);
    EXPECT_EQ(api.send("GET", "/metrics", "", {{"X-Metrics-Token", "wrong-guess-abcdef123"}}).status, 403);
    EXPECT_EQ(api.get("/api/v1/rule-fields", user_token + "tampered").status, 401);
    EXPECT_EQ(api.get("/api/v1/rule-fields", "not.a.jwt").status, 401);
  }
  spdlog::default_logger()->flush();
  const std::string logs = stream->str();
  observability::initLogging("warn");

  for (const std::string& secret : {user_token, std::string(kMetricsToken), std::string(kHealthToken),
                                    std::string("cookie-value-123456"), std::string("wrong-guess-abcdef123")}) {
    EXPECT_FALSE(has(logs, secret)) << "leaked into logs: " << secret.substr(0, 12) << "...";
  }
  // The signature part alone would be enough to replay nothing, but no part of the JWT belongs in logs.
  EXPECT_FALSE(has(logs, user_token.substr(user_token.rfind('.') + 1)));
  // The log lines exist and carry what SPEC §7 asks for.
  bool found = false;
  std::istringstream lines(logs);
  std::string line;
  while (std::getline(lines, line)) {
    auto parsed = json::parseStrict(line);
    ASSERT_TRUE(parsed && parsed->is_object()) << line;
    const auto& o = parsed->as_object();
    // The client's id is logged apart from ours (issue 11 item 12), never adopted.
    if (o.contains("client_request_id") && o.at("client_request_id") == "log-test-1" && o.contains("route") &&
        o.at("route") == "/api/v1/rule-fields/{field_key}") {
      found = true;
      EXPECT_EQ(o.at("request_id").as_string().size(), 36u);
      EXPECT_EQ(o.at("status").to_number<int>(), 200);
      EXPECT_TRUE(o.contains("duration_us"));
      EXPECT_EQ(o.at("principal").as_string(), "maker-1");
    }
  }
  EXPECT_TRUE(found) << logs;
  EXPECT_TRUE(has(logs, "METRICS_ACCESS_DENIED")) << "the refusal is a logged security event";
}

}  // namespace fraudgov
