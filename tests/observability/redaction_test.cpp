// Credentials never reach a log line: header and JSON redaction helpers, free-text masking, and
// the formatter's last-line-of-defence pass over every line.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json/serialize.hpp>
#include <sstream>

#include "common/json.h"
#include "observability/log.h"
#include "observability/logger.h"
#include "observability/redaction.h"
#include "observability/secret_values.h"

namespace fraudgov::observability {

namespace {

constexpr const char* kJwt =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJtYWtlci0xIiwiZXhwIjoxOTAwMDAwMDAwfQ.c2lnbmF0dXJlLWJ5dGVz";

bool has(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(Redaction, SensitiveHeadersAndKeys) {
  for (const char* h : {"Authorization", "authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
                        "X-Metrics-Token", "x-health-token", "X-Api-Key", "X-Auth-Token", "X-Vendor-Secret"}) {
    EXPECT_TRUE(isSensitiveHeader(h)) << h;
  }
  for (const char* h : {"Content-Type", "X-Request-ID", "Accept", "Idempotency-Key", "X-Forwarded-For"}) {
    EXPECT_FALSE(isSensitiveHeader(h)) << h;
  }
  for (const char* k : {"password", "Token", "client_secret", "access_token", "refresh_token", "api_key", "apiKey",
                        "private_key", "CURSOR_HMAC_KEY", "aws_secret_access_key", "sslpassword"}) {
    EXPECT_TRUE(isSensitiveKey(k)) << k;
  }
  for (const char* k : {"field_key", "ruleset_key", "idempotency_key", "token_category", "request_id", "status"}) {
    EXPECT_FALSE(isSensitiveKey(k)) << k;
  }
}

TEST(Redaction, HeadersAndJsonBodies) {
  const auto headers = redactedHeaders({{"Authorization", std::string("Bearer ") + kJwt},
                                        {"X-Metrics-Token", "metrics-secret"},
                                        {"Cookie", "session=abc"},
                                        {"Content-Type", "application/json"}});
  EXPECT_EQ(headers.at("authorization").as_string(), kRedacted);
  EXPECT_EQ(headers.at("x-metrics-token").as_string(), kRedacted);
  EXPECT_EQ(headers.at("cookie").as_string(), kRedacted);
  EXPECT_EQ(headers.at("content-type").as_string(), "application/json");

  const auto body = json::parseStrict(
      R"({"field_key":"amount","password":"p","nested":{"Client_Secret":"s","list":[{"token":"t"},1]},"n":3})");
  ASSERT_TRUE(body);
  const auto redacted = boost::json::serialize(redactJson(*body));
  EXPECT_EQ(redacted, R"({"field_key":"amount","password":"***REDACTED***","nested":{"Client_Secret":"***REDACTED***",)"
                      R"("list":[{"token":"***REDACTED***"},1]},"n":3})");
}

TEST(Redaction, FreeTextLosesCredentialsButKeepsItsMeaning) {
  const std::string jwt = kJwt;
  EXPECT_EQ(redactText("auth failed for Bearer " + jwt + " (expired)"),
            "auth failed for Bearer ***REDACTED*** (expired)");
  EXPECT_EQ(redactText("token=" + jwt), "token=***REDACTED***");
  EXPECT_EQ(redactText("kid not found in " + jwt), "kid not found in ***REDACTED***");
  EXPECT_EQ(redactText("Authorization: Basic dXNlcjpwYXNzd29yZA=="), "Authorization: ***REDACTED***");
  EXPECT_EQ(redactText("connect postgresql://app:s3cr3t-pw@db:5432/fraudgov?sslmode=require failed"),
            "connect postgresql://app:***REDACTED***@db:5432/fraudgov?sslmode=require failed");
  EXPECT_EQ(redactText("host=db user=app password=hunter2hunter2 dbname=x"),
            "host=db user=app password=***REDACTED*** dbname=x");
  EXPECT_EQ(redactText("GET /x?X-Amz-Signature=abcdef0123&x=1"), "GET /x?X-Amz-Signature=***REDACTED***&x=1");
  EXPECT_EQ(redactText("X-Metrics-Token: abc123secret"), "X-Metrics-Token: ***REDACTED***");
  // Ordinary text is left alone.
  for (const char* plain : {"field_key=amount status=422", "https://idp.example/.well-known/jwks.json",
                            "route /api/v1/rules/{rule_id} took 3 ms", "invalid token: signature mismatch",
                            "basic validation failed", "2026-01-01T10:00:00Z"}) {
    EXPECT_EQ(redactText(plain), plain);
  }
}

TEST(Redaction, RegisteredSecretValuesAreMaskedEverywhere) {
  SecretValues values;
  values.set({"metrics-token-value-1234", "short", "with\"quote\\and-more"});
  EXPECT_EQ(values.redact("x metrics-token-value-1234 y"), "x ***REDACTED*** y");
  EXPECT_EQ(values.redact("too short to mask: short"), "too short to mask: short");
  EXPECT_EQ(values.redact(R"({"v":"with\"quote\\and-more"})"), R"({"v":"***REDACTED***"})") << "JSON-escaped form";
  EXPECT_EQ(values.redact("Bearer abcdefgh12345678"), "Bearer ***REDACTED***") << "the patterns apply too";
  EXPECT_EQ(redactText("x metrics-token-value-1234 y"), "x metrics-token-value-1234 y") << "no process-wide list";
  values.set({});
  EXPECT_EQ(values.redact("x metrics-token-value-1234 y"), "x metrics-token-value-1234 y");
}

TEST(Redaction, EachLoggerMasksOnlyItsOwnSecretValues) {
  auto stream = std::make_shared<std::ostringstream>();
  initLogging("debug", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream));
  Logger first;
  Logger second;
  first.secretValues().set({"first-runtime-secret"});
  second.secretValues().set({"second-runtime-secret"});
  first.event(spdlog::level::info, "one", {{"note", "first-runtime-secret"}});
  second.event(spdlog::level::info, "two", {{"note", "first-runtime-secret second-runtime-secret"}});
  spdlog::default_logger()->flush();
  const std::string out = stream->str();
  initLogging("warn");
  EXPECT_FALSE(has(out, "second-runtime-secret")) << out;
  EXPECT_TRUE(has(out, "\"note\":\"***REDACTED***\"")) << out;
  EXPECT_TRUE(has(out, "\"note\":\"first-runtime-secret ***REDACTED***\"")) << "another runtime's secret" << out;
}

TEST(Redaction, EveryLogLinePassesThroughTheRedactor) {
  auto stream = std::make_shared<std::ostringstream>();
  initLogging("debug", std::make_shared<spdlog::sinks::ostream_sink_mt>(*stream));
  Logger log;
  log.secretValues().set({"rotating-secret-value-42"});
  const std::string jwt = kJwt;
  log.event(spdlog::level::err, "unhandled exception",
            {{"exception", "upstream said: Bearer " + jwt},
             {"password", "hunter2"},
             {"nested", {{"client_secret", "abc"}, {"field_key", "amount"}}},
             {"note", "value rotating-secret-value-42 leaked"}});
  spdlog::info("plain message with token={}", jwt);
  spdlog::default_logger()->flush();
  const std::string out = stream->str();
  initLogging("warn");

  EXPECT_FALSE(has(out, jwt)) << out;
  EXPECT_FALSE(has(out, "hunter2")) << out;
  EXPECT_FALSE(has(out, "\"abc\"")) << out;
  EXPECT_FALSE(has(out, "rotating-secret-value-42")) << out;
  EXPECT_TRUE(has(out, "\"field_key\":\"amount\"")) << out;
  // Still one valid JSON object per line.
  std::istringstream lines(out);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(json::parseStrict(line).has_value()) << line;
    ++n;
  }
  EXPECT_EQ(n, 2);
}

}  // namespace fraudgov::observability
