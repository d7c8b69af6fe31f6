// Rate limiting over HTTP (SPEC §6.4, issue 4 item 6), with tiny budgets: which bucket each
// request is charged to, the 429 problem with Retry-After, and the draft-11 RateLimit-Policy /
// RateLimit headers on every charged response. The harness checks the security headers on
// every response, 429s included.
#include <gtest/gtest.h>

#include <regex>
#include <thread>

#include "api/rate_limit_middleware.h"
#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;
using testing::HttpResult;

namespace {

ApiHarness::Options tinyLimits() {
  return {{{"RATE_LIMIT_READ_PER_MINUTE", "4"},
           {"RATE_LIMIT_WRITE_PER_MINUTE", "3"},
           {"RATE_LIMIT_ANONYMOUS_PER_MINUTE", "2"},
           {"RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "3"},
           {"RATE_LIMIT_OPERATIONAL_PER_MINUTE", "50"},
           {"HEALTH_TOKEN", "health-token-for-rate-limit-tests"},
           {"JWKS_UNKNOWN_KID_COOLDOWN_SECONDS", "0"}}};
}

boost::json::object newField(const std::string& key) {
  return {{"field_key", key},
          {"display_name", "Rate limit probe"},
          {"data_type", "NUMBER"},
          {"allowed_operators", {"EQ", "GT"}}};
}

// RateLimit: "<policy>";r=<n>;t=<n>
struct RateLimitValue {
  std::string policy;
  long remaining = -1;
  long reset = -1;
};

std::optional<RateLimitValue> rateLimit(const HttpResult& r) {
  static const std::regex kSyntax(R"re(^"([a-z-]+)";r=(\d+);t=(\d+)$)re");
  std::smatch m;
  const std::string value = r.header("RateLimit").value_or("");
  if (!std::regex_match(value, m, kSyntax)) return std::nullopt;
  return RateLimitValue{m[1], std::stol(m[2]), std::stol(m[3])};
}

void expectLimited(const HttpResult& r, const std::string& policy, long quota) {
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json");
  const auto body = r.json();
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.at("error").as_string(), "RateLimitExceeded");
  EXPECT_EQ(body.at("status").to_number<long>(), 429);
  EXPECT_EQ(body.at("details").at("policy").as_string(), policy);
  ASSERT_TRUE(body.as_object().contains("violated-policies"));
  EXPECT_EQ(body.at("violated-policies").as_array().at(0).as_string(), policy);
  const long retry_after = std::stol(r.header("Retry-After").value_or("0"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60 / quota) << "one unit refills in window/quota seconds";
  EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"" + policy + "\";q=" + std::to_string(quota) + ";w=60");
  const auto value = rateLimit(r);
  ASSERT_TRUE(value) << r.header("RateLimit").value_or("<missing>");
  EXPECT_EQ(value->policy, policy);
  EXPECT_EQ(value->remaining, 0);
  EXPECT_GE(value->reset, retry_after);
  EXPECT_LE(value->reset, 60);
}

}  // namespace

class RateLimitApi : public ::testing::Test {
 protected:
  ApiHarness api{tinyLimits()};
  std::string maker = api.makerToken();
  int field_counter_ = 0;

  HttpResult createField(const std::string& token) {
    return api.post("/api/v1/rule-fields", newField("rl_probe_" + std::to_string(field_counter_++)), token);
  }
  HttpResult badToken(const std::string& subject = "guess") {
    return api.get("/api/v1/rule-fields", testing::TokenFactory::get().tamperedSignature(api.claims(subject)));
  }
};

TEST_F(RateLimitApi, WriteBudgetExhaustedGives429ProblemWithRetryAfterAndHeaders) {
  for (long expected_remaining = 2; expected_remaining >= 0; --expected_remaining) {
    auto r = createField(maker);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"write\";q=3;w=60");
    const auto value = rateLimit(r);
    ASSERT_TRUE(value) << r.header("RateLimit").value_or("<missing>");
    EXPECT_EQ(value->policy, "write");
    EXPECT_EQ(value->remaining, expected_remaining) << "remaining counts down";
    EXPECT_GT(value->reset, 0);
  }
  auto limited = createField(maker);
  expectLimited(limited, "write", 3);
  EXPECT_EQ(api.get("/api/v1/rule-fields/rl_probe_3", maker).status, 404) << "the refused write did not happen";
  // Other write methods share the write budget.
  expectLimited(api.del("/api/v1/rule-fields/rl_probe_0", maker), "write", 3);
}

TEST_F(RateLimitApi, ReadBudgetIsIndependentOfTheWriteBudget) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(createField(maker).status, 201);
  expectLimited(createField(maker), "write", 3);
  for (long expected_remaining = 3; expected_remaining >= 0; --expected_remaining) {
    auto r = api.get("/api/v1/rule-fields/amount", maker);
    ASSERT_EQ(r.status, 200) << "reads still work with the write budget gone";
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"read\";q=4;w=60");
    EXPECT_EQ(rateLimit(r)->remaining, expected_remaining);
  }
  expectLimited(api.get("/api/v1/rule-fields/amount", maker), "read", 4);
  // HEAD is a read (sent raw: a HEAD answer has no problem body for the harness to check).
  auto head = testing::rawExchange(api.port(),
                                   "HEAD /api/v1/rule-fields/amount HTTP/1.1\r\nHost: localhost\r\n"
                                   "Authorization: Bearer " +
                                       maker + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.status, 429);
  EXPECT_EQ(head.header("RateLimit-Policy").value_or(""), "\"read\";q=4;w=60");
  EXPECT_TRUE(head.header("Retry-After"));
  EXPECT_EQ(head.header("X-Frame-Options").value_or(""), "DENY");
}

TEST_F(RateLimitApi, PrincipalsHaveTheirOwnBudgets) {
  for (int i = 0; i < 3; ++i) ASSERT_EQ(createField(maker).status, 201);
  expectLimited(createField(maker), "write", 3);
  const std::string other_maker = api.token("maker-2", {"rule_field:create"});
  auto r = createField(other_maker);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(rateLimit(r)->remaining, 2);
  // Same subject, different token (a refreshed one): the same budget, keyed on (iss, sub).
  const std::string same_maker_new_token = api.token("maker-1", {"rule_field:create"});
  expectLimited(createField(same_maker_new_token), "write", 3);
}

TEST_F(RateLimitApi, AnonymousRequestsShareTheirAddressBudget) {
  for (long expected_remaining = 1; expected_remaining >= 0; --expected_remaining) {
    auto r = api.get("/api/v1/rule-fields", "");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"anonymous\";q=2;w=60");
    EXPECT_EQ(rateLimit(r)->remaining, expected_remaining);
  }
  expectLimited(api.get("/api/v1/rule-fields", ""), "anonymous", 2);
  {
    SCOPED_TRACE("charged before routing: unknown paths too");
    expectLimited(api.get("/api/v1/no-such-route", ""), "anonymous", 2);
  }
  expectLimited(api.post("/api/v1/rule-fields", newField("anon"), ""), "anonymous", 2);
  auto authenticated = api.get("/api/v1/rule-fields", maker);
  EXPECT_EQ(authenticated.status, 200) << "a principal from the same address has its own budget";
}

// Behind a trusted proxy each forwarded client has its own budget; from anyone else
// X-Forwarded-For is ignored, so a client cannot mint fresh budgets by inventing addresses.
TEST(RateLimitClientAddress, ForwardedForCountsOnlyFromTrustedProxies) {
  auto spoof = [](ApiHarness& api, const char* forwarded) {
    return api.send("GET", "/api/v1/rule-fields", "", {{"X-Forwarded-For", forwarded}}).status;
  };
  {
    ApiHarness direct(tinyLimits());
    EXPECT_EQ(spoof(direct, "198.51.100.1"), 401);
    EXPECT_EQ(spoof(direct, "198.51.100.2"), 401);
    EXPECT_EQ(spoof(direct, "198.51.100.3"), 429) << "invented addresses share the peer's budget";
  }
  auto options = tinyLimits();
  options.env["TRUSTED_PROXIES"] = "127.0.0.1/32";
  ApiHarness proxied(options);
  EXPECT_EQ(spoof(proxied, "198.51.100.1"), 401);
  EXPECT_EQ(spoof(proxied, "198.51.100.1"), 401);
  EXPECT_EQ(spoof(proxied, "198.51.100.1"), 429);
  EXPECT_EQ(spoof(proxied, "198.51.100.2"), 401) << "another client behind the proxy has its own budget";
}

TEST_F(RateLimitApi, FailedAuthenticationsExhaustATightBucketThen429BeforeVerification) {
  ASSERT_EQ(api.get("/api/v1/rule-fields", maker).status, 200);  // maker's token has verified before
  // An unknown kid makes the verifier ask the identity provider: proof that verification ran.
  const auto& tf = testing::TokenFactory::get();
  api.idp().resetRequestCount();
  EXPECT_EQ(api.get("/api/v1/rule-fields", tf.unknownKid(api.claims("probe-1"))).status, 401);
  EXPECT_TRUE(api.idp().waitForRequests(1, std::chrono::seconds(5)));
  for (long expected_remaining = 1; expected_remaining >= 0; --expected_remaining) {
    auto r = badToken();
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"auth-failures\";q=3;w=60");
    EXPECT_EQ(rateLimit(r)->remaining, expected_remaining);
  }
  expectLimited(badToken("another-guess"), "auth-failures", 3);
  expectLimited(api.get("/api/v1/rule-fields", "not-even-a-jwt"), "auth-failures", 3);

  api.idp().resetRequestCount();
  const auto refreshes = api.runtime().keys().status().unknown_kid_refresh_total;
  expectLimited(api.get("/api/v1/rule-fields", tf.unknownKid(api.claims("probe-2"))), "auth-failures", 3);
  // Verification would have asked for a refresh (counted before any answer is sent) and waited
  // for the IdP's reply; neither happened.
  EXPECT_EQ(api.runtime().keys().status().unknown_kid_refresh_total, refreshes) << "refused before verification";
  EXPECT_EQ(api.idp().requestCount(), 0u) << "refused before verification: the IdP was not asked";

  // A credential that verified before still works: it is not charged to the failures bucket.
  auto ok = api.get("/api/v1/rule-fields", maker);
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.header("RateLimit-Policy").value_or(""), "\"read\";q=4;w=60");
  EXPECT_EQ(createField(maker).status, 201);
  // A valid token never seen before is verified and passes: someone else's failures at this
  // address never refuse valid credentials (issue 11 item 11).
  auto newcomer = api.get("/api/v1/rule-fields", api.token("newcomer", {}));
  EXPECT_EQ(newcomer.status, 200) << newcomer.body;
  EXPECT_EQ(newcomer.header("RateLimit-Policy").value_or(""), "\"read\";q=4;w=60");
  // Anonymous traffic has its own bucket.
  EXPECT_EQ(api.get("/api/v1/rule-fields", "").status, 401);
}

TEST_F(RateLimitApi, OperationalEndpointsHaveTheirOwnBudgetAndRefusedTokensCount) {
  const net::HeaderList good{{"X-Health-Token", "health-token-for-rate-limit-tests"}};
  for (int i = 0; i < 10; ++i) {
    auto r = api.send("GET", "/api/v1/health", "", good);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"operational\";q=50;w=60") << "charged to its own budget";
  }
  for (int i = 0; i < 10; ++i) {
    auto r = api.send("GET", "/api/v1/health");
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"operational\";q=50;w=60") << "anonymous: the address's";
  }
  for (long expected_remaining = 2; expected_remaining >= 0; --expected_remaining) {
    auto r = api.send("GET", "/api/v1/health", "", {{"X-Health-Token", "guess-" + std::to_string(expected_remaining)}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(rateLimit(r)->remaining, expected_remaining);
  }
  expectLimited(api.send("GET", "/api/v1/health", "", {{"X-Health-Token", "guess-again"}}), "auth-failures", 3);
  EXPECT_EQ(api.send("GET", "/api/v1/health", "", good).status, 200) << "the known-good token still works";
  // The failures bucket is per address, not per endpoint family.
  expectLimited(badToken(), "auth-failures", 3);
  // User budgets are untouched by monitoring.
  EXPECT_EQ(api.get("/api/v1/rule-fields", maker).status, 200);
}

// Issue 11 item 11: a burst of bad tokens from an address (NAT, a proxy, a neighbour) must not
// lock out the valid users behind it; every fresh valid token still gets in.
TEST_F(RateLimitApi, ValidTokensAreNeverRefusedForSomeoneElsesFailures) {
  for (int i = 0; i < 10; ++i) badToken("guess-" + std::to_string(i));
  expectLimited(badToken("one-more"), "auth-failures", 3);
  for (const char* subject : {"fresh-1", "fresh-2", "fresh-3"}) {
    auto r = api.get("/api/v1/rule-fields", api.token(subject, {}));
    EXPECT_EQ(r.status, 200) << subject << " " << r.body;
    EXPECT_EQ(r.header("RateLimit-Policy").value_or(""), "\"read\";q=4;w=60") << "charged to the principal";
  }
  auto write = createField(api.token("fresh-maker", {"rule_field:create"}));
  EXPECT_EQ(write.status, 201) << write.body;
  // A fresh, valid operational token too.
  EXPECT_EQ(api.send("GET", "/api/v1/health", "", {{"X-Health-Token", "health-token-for-rate-limit-tests"}}).status,
            200);
}

namespace {
// Signature verifications this runtime has performed (the counter in its own registry).
double signatureVerifications(ApiHarness& api) {
  const std::string text = api.runtime().telemetry().metrics().render();
  const std::string name = "fraudgov_auth_signature_verifications_total ";
  const auto at = text.find("\n" + name);
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + 1 + name.size()));
}
}  // namespace

// ...while forged tokens from an address over its failure budget are refused without the
// signature check: a token refused before (by its digest) and tokens that fail the cheap checks
// (shape, algorithm, key id, issuer, audience, expiry) cost no cryptography.
TEST_F(RateLimitApi, ForgedTokensBeyondTheBudgetCostNoSignatureVerification) {
  const auto& tf = testing::TokenFactory::get();
  const std::string forged = tf.tamperedSignature(api.claims("forger"));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(api.get("/api/v1/rule-fields", forged).status, 401);
  const double before = signatureVerifications(api);
  ASSERT_GE(before, 1) << "the counter exists and counted the first attempts";
  auto expired_claims = api.claims("forger");
  expired_claims["exp"] = 1000;
  auto foreign_claims = api.claims("forger");
  foreign_claims["iss"] = "https://evil.example/";
  for (int i = 0; i < 20; ++i) {
    expectLimited(api.get("/api/v1/rule-fields", forged), "auth-failures", 3);
    expectLimited(api.get("/api/v1/rule-fields", tf.tamperedSignature(expired_claims)), "auth-failures", 3);
    expectLimited(api.get("/api/v1/rule-fields", tf.tamperedSignature(foreign_claims)), "auth-failures", 3);
    expectLimited(api.get("/api/v1/rule-fields", tf.unknownKid(api.claims("forger-" + std::to_string(i)))),
                  "auth-failures", 3);
    expectLimited(api.get("/api/v1/rule-fields", "garbage-" + std::to_string(i)), "auth-failures", 3);
  }
  EXPECT_EQ(signatureVerifications(api), before) << "no signature was checked for the refused tokens";
  // A valid token is still verified (once) and passes.
  EXPECT_EQ(api.get("/api/v1/rule-fields", api.token("honest", {})).status, 200);
  EXPECT_EQ(signatureVerifications(api), before + 1);
}

// Every listener and route is rate limited: anonymous monitoring requests get a per-address
// budget on the main listener and on the admin listener.
TEST(RateLimitOperational, AnonymousMetricsAndHealthAreRateLimited) {
  auto options = tinyLimits();
  options.env["RATE_LIMIT_OPERATIONAL_PER_MINUTE"] = "3";
  ApiHarness api(options);
  for (long expected_remaining = 2; expected_remaining >= 0; --expected_remaining) {
    auto r = api.send("GET", "/metrics");
    EXPECT_EQ(r.status, 200) << "loopback may scrape outside prod";
    const auto value = rateLimit(r);
    ASSERT_TRUE(value) << "charged: " << r.header("RateLimit").value_or("<no RateLimit header>");
    EXPECT_EQ(value->policy, "operational");
    EXPECT_EQ(value->remaining, expected_remaining);
  }
  expectLimited(api.send("GET", "/metrics"), "operational", 3);
  expectLimited(api.send("GET", "/api/v1/health"), "operational", 3);
  EXPECT_EQ(api.get("/api/v1/rule-fields", api.makerToken()).status, 200) << "users keep their own budgets";
}

TEST(RateLimitOperational, TheAdminListenerIsRateLimited) {
  auto options = tinyLimits();
  options.env["RATE_LIMIT_OPERATIONAL_PER_MINUTE"] = "3";
  options.env["ADMIN_PORT"] = "0";
  ApiHarness api(options);
  ASSERT_TRUE(api.runtime().adminPort().has_value());
  const auto admin = [&](const std::string& path) {
    return testing::rawExchange(*api.runtime().adminPort(),
                                "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
  };
  for (int i = 0; i < 3; ++i) EXPECT_EQ(admin("/metrics").status, 200);
  auto limited = admin("/metrics");
  expectLimited(limited, "operational", 3);
  testing::expectSecurityHeaders(limited, "admin 429");
  expectLimited(admin("/api/v1/readyz"), "operational", 3);
  EXPECT_EQ(admin("/no-such-path").status, 404);
  EXPECT_EQ(admin("/no-such-path").status, 404);
  expectLimited(admin("/no-such-path"), "anonymous", 2);
}

TEST(RateLimitApiSettings, DisabledMeansNoHeadersAndNo429) {
  auto options = tinyLimits();
  options.env["RATE_LIMIT_ENABLED"] = "false";
  ApiHarness api(options);
  for (int i = 0; i < 10; ++i) {
    auto r = api.get("/api/v1/rule-fields", "");
    EXPECT_EQ(r.status, 401);
    EXPECT_FALSE(r.header("RateLimit-Policy"));
    EXPECT_FALSE(r.header("RateLimit"));
  }
  EXPECT_EQ(api.runtime().rateLimiter(), nullptr);
}

TEST(RateLimitApiSettings, BadValuesAreConfigurationProblems) {
  const std::map<std::string, std::string> env = {{"APP_ENV", "test"},
                                                  {"AUTH_ISSUER", testing::kTestIssuer},
                                                  {"AUTH_AUDIENCE", testing::kTestAudience},
                                                  {"RATE_LIMIT_ENABLED", "sometimes"},
                                                  {"RATE_LIMIT_READ_PER_MINUTE", "0"},
                                                  {"RATE_LIMIT_WRITE_PER_MINUTE", "lots"},
                                                  {"RATE_LIMIT_ANONYMOUS_PER_MINUTE", "-5"},
                                                  {"RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "10000000"},
                                                  {"RATE_LIMIT_MAX_BUCKETS", "10"},
                                                  {"REDIS_URL", "redis://:hunter2@127.0.0.1:6379/0"}};
  auto loaded = app::loadConfig(testing::mapLookup(env));
  std::string all;
  for (const auto& p : loaded.problems) all += p + "\n";
  for (const char* expected :
       {"RATE_LIMIT_ENABLED must be true or false", "RATE_LIMIT_READ_PER_MINUTE must be an integer between 1 and",
        "RATE_LIMIT_WRITE_PER_MINUTE must be an integer", "RATE_LIMIT_ANONYMOUS_PER_MINUTE must be an integer",
        "RATE_LIMIT_AUTH_FAILURES_PER_MINUTE must be an integer", "RATE_LIMIT_MAX_BUCKETS must be an integer",
        "REDIS_URL must not contain credentials"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << " in:\n" << all;
  }
  EXPECT_EQ(all.find("hunter2"), std::string::npos) << "never echo a password";
}

TEST(RateLimitApiSettings, DefaultsFollowTheSpec) {
  const std::map<std::string, std::string> env = {
      {"APP_ENV", "test"}, {"AUTH_ISSUER", testing::kTestIssuer}, {"AUTH_AUDIENCE", testing::kTestAudience}};
  auto loaded = app::loadConfig(testing::mapLookup(env));
  ASSERT_TRUE(loaded.ok());
  const auto& r = loaded.config.rate_limit;
  EXPECT_TRUE(r.enabled);
  EXPECT_EQ(r.read_per_minute, 600);
  EXPECT_EQ(r.write_per_minute, 120);
  EXPECT_EQ(r.anonymous_per_minute, 120);
  EXPECT_EQ(r.auth_failures_per_minute, 10);
  EXPECT_FALSE(r.redis) << "in-process buckets unless REDIS_URL is set";
}

TEST(RateLimitAddressKeys, IPv6ClientsAreKeyedByTheirSlash64) {
  EXPECT_EQ(api::addressBucketKey("192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(api::addressBucketKey("::ffff:192.0.2.7"), "192.0.2.7");
  EXPECT_EQ(api::addressBucketKey("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(api::addressBucketKey("2001:db8:1:2::1"), api::addressBucketKey("2001:db8:1:2:ffff::9"));
  EXPECT_NE(api::addressBucketKey("2001:db8:1:2::1"), api::addressBucketKey("2001:db8:1:3::1"));
  EXPECT_EQ(api::addressBucketKey(""), "unknown");
  EXPECT_EQ(api::addressBucketKey("not-an-ip"), "unknown");
}

}  // namespace fraudgov
