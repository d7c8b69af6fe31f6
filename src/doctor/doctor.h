#pragma once
// `fraudgov doctor <base-url>` (SPEC §6.7): the hardening guide's "Security Audit Checklist" and
// "Testing Security Fixes", run from the outside against a live deployment the way the guide asks
// an operator to check by hand with curl. One line per check, under a stable name:
//
//   tls                     https base URL, certificate verified (--ca-file for a private CA)
//   headers.normal          SPEC §6.1 header set with the right values on an ordinary response
//   headers.404 / .401      ... on an unknown path and on a request without credentials
//   hsts                    Strict-Transport-Security max-age of at least one year
//   no-banner               no Server or X-Powered-By
//   problem-json            error bodies are application/problem+json, without stack traces
//   metrics.anonymous       /metrics and /api/v1/metrics refuse anonymous callers (401/403; a 404
//   metrics.api.anonymous   means they are served on a separate admin listener, which is fine)
//   metrics.token           ... and accept the token (--metrics-token-file; skipped without it)
//   health.anonymous        /api/v1/health and /api/v1/readyz refuse anonymous callers. An open
//   readyz.anonymous        health check discloses state and is a free probe for attackers; a
//                           load balancer should present HEALTH_TOKEN or sit in HEALTH_ALLOW_CIDRS
//                           (then the doctor, calling from elsewhere, still sees 401/403)
//   health.token            ... and accept the token (--health-token-file; skipped without it)
//   test-utilities.absent   /api/v1/test-token and /api/v1/test-user-token answer 404
//   cors.simple             a GET and a preflight from --origin-probe (https://evil.example) get
//   cors.preflight          no Access-Control-Allow-Origin (nor Allow-Credentials)
//   rate-limit              a burst of requests with an invalid token (at most 200: the failed-
//                           authentication bucket is the tightest) gets a 429 with Retry-After,
//                           RateLimit-Policy, RateLimit and the security headers. It runs last:
//                           afterwards this client's unknown credentials are refused for a while.
//
// Tokens are sent only over https or to a loopback host, and never printed.

#include <CLI/App.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/http_client.h"

namespace fraudgov::doctor {

struct DoctorOptions {
  std::string base_url;
  std::string metrics_token_file;  // empty: metrics.token is skipped
  std::string health_token_file;   // empty: health.token is skipped
  std::string ca_file;
  std::string origin_probe = "https://evil.example";
};

struct DoctorCredentials {
  std::optional<std::string> metrics_token;
  std::optional<std::string> health_token;
};

enum class Verdict { kPass, kFail, kSkip };

struct CheckResult {
  std::string name;
  Verdict verdict = Verdict::kPass;
  std::string detail;  // why it failed or was skipped; a short note when it passed
};

inline constexpr int kDoctorMaxBurst = 200;

// options must be valid (runDoctorCommand checks them): base_url without a trailing slash.
std::vector<CheckResult> runDoctorChecks(const DoctorOptions& options, const DoctorCredentials& credentials,
                                         net::HttpClient& client);
std::string formatDoctorReport(const std::string& base_url, const std::vector<CheckResult>& results);

// Validates the options, reads the token files, runs the checks and prints the table on stdout.
// Returns 0 when nothing failed, 1 when a check failed, 2 on a usage error (reported on stderr).
int runDoctorCommand(DoctorOptions options);
// Adds `doctor` to a binary's command line; when selected, `run` becomes runDoctorCommand.
void addDoctorCommand(CLI::App& cli, std::function<int()>& run);

}  // namespace fraudgov::doctor
