// The doctor's judgement, check by check, against a scripted deployment: each defect the guide
// worries about makes exactly its check fail, with a reason an operator can act on.
#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "doctor/doctor.h"
#include "common/text.h"

namespace fraudgov {
namespace {

using doctor::CheckResult;
using doctor::Verdict;
using net::OutboundRequest;
using net::OutboundResponse;

constexpr const char* kMetricsToken = "m-token-never-printed";
constexpr const char* kHealthToken = "h-token-never-printed";

OutboundResponse secured(long status, std::string body, std::string content_type = "application/problem+json") {
  OutboundResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = {{"Content-Type", content_type},
               {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
               {"X-Frame-Options", "DENY"},
               {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"Permissions-Policy", "camera=(), geolocation=(), microphone=()"},
               {"Cross-Origin-Opener-Policy", "same-origin"},
               {"Cross-Origin-Resource-Policy", "same-origin"},
               {"Cache-Control", "no-store"},
               {"X-XSS-Protection", "0"},
               {"X-Request-ID", "req-1"}};
  return r;
}

OutboundResponse problem(long status) {
  return secured(status, R"({"type":"https://fraudgov.dev/problems/x","title":"T","status":)" + std::to_string(status) +
                             R"(,"detail":"d"})");
}

std::optional<std::string> header(const OutboundRequest& r, std::string_view name) {
  for (const auto& [n, v] : r.headers) {
    if (text::iequals(n, name)) return v;
  }
  return std::nullopt;
}

// A deployment that does everything right; `tamper` lets a test break one thing.
class ScriptedDeployment final : public net::HttpClient {
 public:
  std::function<void(const OutboundRequest&, OutboundResponse&)> tamper = [](const auto&, auto&) {};
  std::vector<OutboundRequest> requests;
  bool reachable = true;

  Result<OutboundResponse> send(const OutboundRequest& r) override {
    requests.push_back(r);
    if (!reachable) return fail(Error::unavailable("Outbound GET request failed: Couldn't connect to server"));
    OutboundResponse response = answer(r);
    tamper(r, response);
    return response;
  }

 private:
  OutboundResponse answer(const OutboundRequest& r) {
    const std::string path = r.url.substr(r.url.find('/', r.url.find("://") + 3));
    if (r.method == "OPTIONS") return problem(403);
    if (path == "/api/v1/health" || path == "/api/v1/readyz") {
      if (!header(r, "X-Health-Token")) return problem(401);
      return header(r, "X-Health-Token") == kHealthToken ? secured(200, R"({"ok":true})", "application/json")
                                                         : problem(403);
    }
    if (path == "/metrics" || path == "/api/v1/metrics") {
      if (!header(r, "X-Metrics-Token")) return problem(401);
      return header(r, "X-Metrics-Token") == kMetricsToken ? secured(200, "# TYPE up gauge\nup 1\n", "text/plain")
                                                           : problem(403);
    }
    if (path == "/api/v1/rule-fields" && header(r, "Authorization")) {
      if (++failures_ <= 3) return problem(401);
      OutboundResponse limited = problem(429);
      limited.headers.emplace_back("Retry-After", "12");
      limited.headers.emplace_back("RateLimit-Policy", "\"auth-failures\";q=3;w=60");
      limited.headers.emplace_back("RateLimit", "\"auth-failures\";r=0;t=12");
      return limited;
    }
    if (path == "/api/v1/rule-fields") return problem(401);
    return problem(404);
  }

  int failures_ = 0;
};

struct Outcome {
  std::map<std::string, CheckResult> checks;
  const CheckResult& operator[](const std::string& name) const { return checks.at(name); }
};

Outcome examine(ScriptedDeployment& deployment, const std::string& base = "https://fraudgov.example.com",
                bool with_tokens = true) {
  doctor::DoctorOptions options;
  options.base_url = base;
  doctor::DoctorCredentials credentials;
  if (with_tokens) {
    credentials.metrics_token = kMetricsToken;
    credentials.health_token = kHealthToken;
  }
  Outcome outcome;
  for (auto& r : doctor::runDoctorChecks(options, credentials, deployment)) outcome.checks[r.name] = r;
  return outcome;
}

std::vector<std::string> failing(const Outcome& outcome) {
  std::vector<std::string> names;
  for (const auto& [name, r] : outcome.checks) {
    if (r.verdict == Verdict::kFail) names.push_back(name);
  }
  return names;
}

using Names = std::vector<std::string>;

TEST(DoctorChecks, AHardenedDeploymentPassesEveryCheck) {
  ScriptedDeployment d;
  const auto outcome = examine(d);
  EXPECT_EQ(outcome.checks.size(), 17u);
  EXPECT_EQ(failing(outcome), Names{});
  EXPECT_EQ(outcome["rate-limit"].detail, "429 after 4 requests");
  EXPECT_EQ(d.requests.back().url, "https://fraudgov.example.com/api/v1/rule-fields") << "the burst runs last";
}

TEST(DoctorChecks, LegacyXssHeaderFailsTheHeaderChecksWithTheValue) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    for (auto& [n, v] : r.headers) {
      if (n == "X-XSS-Protection") v = "1; mode=block";
    }
  };
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), (Names{"headers.401", "headers.404", "headers.normal", "rate-limit"}));
  EXPECT_EQ(outcome["headers.404"].detail, "X-XSS-Protection is '1; mode=block' (want '0')");
}

TEST(DoctorChecks, MissingCspAndUnsafeInlineAreNamed) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    for (auto& [n, v] : r.headers) {
      if (n == "Content-Security-Policy") v = "default-src 'self'; script-src 'unsafe-inline'";
    }
  };
  const auto detail = examine(d)["headers.normal"].detail;
  EXPECT_NE(detail.find("Content-Security-Policy lacks default-src 'none'"), std::string::npos) << detail;
  EXPECT_NE(detail.find("unsafe-inline"), std::string::npos) << detail;
}

TEST(DoctorChecks, ServerBannerFailsAndHostileValuesStayOnOneLine) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    r.headers.emplace_back("Server", "nginx/1.22\r\nX: y");
  };
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), Names{"no-banner"});
  EXPECT_EQ(outcome["no-banner"].detail, "Server: nginx/1.22  X: y");
}

TEST(DoctorChecks, HstsBelowOneYearFails) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    for (auto& [n, v] : r.headers) {
      if (n == "Strict-Transport-Security") v = "max-age=86400";
    }
  };
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), Names{"hsts"});
  EXPECT_EQ(outcome["hsts"].detail, "max-age=86400 is below one year (31536000)");
}

TEST(DoctorChecks, StackTraceInAnErrorBodyFails) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest& request, OutboundResponse& r) {
    if (r.status == 404 && request.method == "GET") {
      r.body = R"({"type":"x","title":"t","status":404,"detail":"Traceback (most recent call last): ..."})";
    }
  };
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), Names{"problem-json"});
  EXPECT_NE(outcome["problem-json"].detail.find("a stack trace"), std::string::npos) << outcome["problem-json"].detail;
}

TEST(DoctorChecks, HtmlErrorPagesFail) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    if (r.status == 401) {
      r.body = "<html>401</html>";
      for (auto& [n, v] : r.headers) {
        if (n == "Content-Type") v = "text/html";
      }
    }
  };
  const auto detail = examine(d)["problem-json"].detail;
  EXPECT_NE(detail.find("Content-Type is 'text/html'"), std::string::npos) << detail;
  EXPECT_NE(detail.find("not a JSON object"), std::string::npos) << detail;
}

TEST(DoctorChecks, CorsGrantsToTheProbeOriginFail) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest& request, OutboundResponse& r) {
    if (header(request, "Origin")) {
      r.headers.emplace_back("Access-Control-Allow-Origin", "*");
      r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
    }
  };
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), (Names{"cors.preflight", "cors.simple"}));
  EXPECT_EQ(outcome["cors.simple"].detail,
            "GET /api/v1/rule-fields from https://evil.example answered Access-Control-Allow-Origin: *");
  const auto& preflight = d.requests.at(d.requests.size() - 5);
  EXPECT_EQ(preflight.method, "OPTIONS");
  EXPECT_EQ(header(preflight, "Access-Control-Request-Method").value_or(""), "POST");
}

TEST(DoctorChecks, OperationalRoutesOpenToAnonymousCallersFail) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest& request, OutboundResponse& r) {
    if (r.status == 401 && request.url.find("/api/v1/rule-fields") == std::string::npos) r = problem(200);
  };
  EXPECT_EQ(failing(examine(d)),
            (Names{"health.anonymous", "metrics.anonymous", "metrics.api.anonymous", "readyz.anonymous"}));
}

TEST(DoctorChecks, RefusedTokensFailTheTokenChecks) {
  ScriptedDeployment d;
  doctor::DoctorOptions options;
  options.base_url = "https://fraudgov.example.com";
  const auto results = doctor::runDoctorChecks(options, {"wrong-metrics", "wrong-health"}, d);
  std::map<std::string, CheckResult> by_name;
  for (const auto& r : results) by_name[r.name] = r;
  EXPECT_EQ(by_name["metrics.token"].detail, "GET /metrics with the token answered 403");
  EXPECT_EQ(by_name["health.token"].detail, "GET /api/v1/health with the token answered 403");
}

TEST(DoctorChecks, RateLimitWithoutHeadersOrWithout429Fails) {
  ScriptedDeployment d;
  d.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    if (r.status == 429) std::erase_if(r.headers, [](const auto& h) { return h.first == "Retry-After"; });
  };
  auto outcome = examine(d);
  EXPECT_EQ(failing(outcome), Names{"rate-limit"});
  EXPECT_NE(outcome["rate-limit"].detail.find("Retry-After missing"), std::string::npos);

  ScriptedDeployment unlimited;
  unlimited.tamper = [](const OutboundRequest&, OutboundResponse& r) {
    if (r.status == 429) r = problem(401);
  };
  outcome = examine(unlimited);
  EXPECT_EQ(outcome["rate-limit"].detail, "no 429 after 200 requests with an invalid token");
  EXPECT_LE(unlimited.requests.size(), 200u + 20u) << "the burst is capped";
}

TEST(DoctorChecks, TokensTravelOnlyOverTlsOrToLoopback) {
  ScriptedDeployment remote;
  const auto outcome = examine(remote, "http://fraudgov.example.com");
  EXPECT_EQ(outcome["metrics.token"].verdict, Verdict::kSkip);
  EXPECT_EQ(outcome["metrics.token"].detail, "not sent over plain http to a remote host");
  EXPECT_EQ(outcome["tls"].detail, "the base URL is http://: TLS is not in use");
  for (const auto& r : remote.requests) {
    for (const auto& [name, value] : r.headers) {
      EXPECT_EQ(value.find("never-printed"), std::string::npos) << name << " sent in clear text";
    }
  }
  ScriptedDeployment local;
  EXPECT_EQ(examine(local, "http://127.0.0.1:8080")["metrics.token"].verdict, Verdict::kPass);
}

TEST(DoctorChecks, AnUnreachableDeploymentFailsEveryCheckAfterOneAttempt) {
  ScriptedDeployment d;
  d.reachable = false;
  const auto outcome = examine(d);
  EXPECT_EQ(failing(outcome).size(), 17u);
  EXPECT_EQ(d.requests.size(), 1u);
  EXPECT_EQ(outcome["tls"].detail, "cannot connect over TLS: Outbound GET request failed: Couldn't connect to server");
  EXPECT_EQ(outcome["cors.simple"].detail, "not checked: the deployment could not be reached");
}

TEST(DoctorChecks, ReportIsATableWithASummary) {
  const std::string report =
      doctor::formatDoctorReport("https://x", {{"tls", Verdict::kPass, "certificate verified"},
                                            {"hsts", Verdict::kFail, "max-age=0 ..."},
                                            {"metrics.token", Verdict::kSkip, "no --metrics-token-file"}});
  EXPECT_EQ(report,
            "fraudgov doctor https://x\n"
            "CHECK                   RESULT  DETAIL\n"
            "tls                     PASS    certificate verified\n"
            "hsts                    FAIL    max-age=0 ...\n"
            "metrics.token           SKIP    no --metrics-token-file\n"
            "3 checks: 1 passed, 1 failed, 1 skipped\n");
}

}  // namespace
}  // namespace fraudgov
