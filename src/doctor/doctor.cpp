#include "doctor/doctor.h"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "common/enum_names.h"
#include "common/json.h"
#include "common/text.h"
#include "http/cors.h"

namespace fraudgov::doctor {

namespace {

using net::OutboundResponse;
using Probe = Result<OutboundResponse>;

constexpr std::string_view kApiPrefix = "/api/v1/";
constexpr std::string_view kInvalidToken = "fraudgov-doctor.invalid.token";
constexpr std::string_view kMissingPath = "/api/v1/fraudgov-doctor-no-such-route";
constexpr std::string_view kProtectedPath = "/api/v1/rule-fields";
constexpr unsigned kOneYear = 31536000;
constexpr std::size_t kMaxProblemsShown = 3;

// What an error body must never contain: traces of the common runtimes, and our own language.
constexpr std::string_view kStackTraceMarkers[] = {"Traceback (most recent call last)",
                                                   "terminate called",
                                                   "std::",
                                                   ".cpp:",
                                                   ".py\", line",
                                                   "\tat ",
                                                   "    at ",
                                                   "stack trace",
                                                   "stacktrace",
                                                   "goroutine ",
                                                   "Exception in thread",
                                                   "panicked at"};

CheckResult pass(std::string name, std::string detail = {}) {
  return {std::move(name), Verdict::kPass, std::move(detail)};
}
CheckResult failed(std::string name, std::string detail) {
  return {std::move(name), Verdict::kFail, std::move(detail)};
}
CheckResult skipped(std::string name, std::string detail) {
  return {std::move(name), Verdict::kSkip, std::move(detail)};
}

// A server-controlled value made safe for one line of the report.
std::string clip(std::string_view value, std::size_t max = 60) {
  std::string out;
  for (char c : value.substr(0, max)) out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  if (value.size() > max) out += "...";
  return out;
}

std::string summarize(const std::vector<std::string>& problems) {
  std::string out;
  for (std::size_t i = 0; i < problems.size() && i < kMaxProblemsShown; ++i) out += (i ? "; " : "") + problems[i];
  if (problems.size() > kMaxProblemsShown) out += fmt::format(" (+{} more)", problems.size() - kMaxProblemsShown);
  return out;
}

std::vector<std::string> headerValues(const OutboundResponse& r, std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [n, v] : r.headers) {
    if (text::iequals(n, name)) values.push_back(v);
  }
  return values;
}

bool containsText(std::string_view haystack, std::string_view needle) {
  return text::toLower(haystack).find(text::toLower(needle)) != std::string::npos;
}

// SPEC §6.1, value by value. HSTS is only required to be there: its max-age is the hsts check.
std::vector<std::string> headerSetProblems(const OutboundResponse& r) {
  std::vector<std::string> problems;
  const std::pair<std::string_view, std::string_view> exact[] = {{"X-Frame-Options", "DENY"},
                                                                 {"X-Content-Type-Options", "nosniff"},
                                                                 {"Referrer-Policy", "no-referrer"},
                                                                 {"Cross-Origin-Opener-Policy", "same-origin"},
                                                                 {"Cross-Origin-Resource-Policy", "same-origin"},
                                                                 {"X-XSS-Protection", "0"}};
  for (const auto& [name, want] : exact) {
    const auto value = r.header(name);
    if (!value)
      problems.push_back(fmt::format("{} missing", name));
    else if (!text::iequals(text::trim(*value), want)) {
      problems.push_back(fmt::format("{} is '{}' (want '{}')", name, clip(*value), want));
    }
  }
  const std::pair<std::string_view, std::vector<std::string_view>> containing[] = {
      {"Content-Security-Policy", {"default-src 'none'", "frame-ancestors 'none'"}},
      {"Cache-Control", {"no-store"}},
      {"Permissions-Policy", {"camera=()", "microphone=()", "geolocation=()"}}};
  for (const auto& [name, parts] : containing) {
    const auto value = r.header(name);
    if (!value) {
      problems.push_back(fmt::format("{} missing", name));
      continue;
    }
    for (auto part : parts) {
      if (!containsText(*value, part)) problems.push_back(fmt::format("{} lacks {}", name, part));
    }
  }
  if (const auto csp = r.header("Content-Security-Policy");
      csp && (containsText(*csp, "unsafe-inline") || containsText(*csp, "unsafe-eval"))) {
    problems.push_back("Content-Security-Policy allows unsafe-inline or unsafe-eval");
  }
  for (auto name : {"Strict-Transport-Security", "X-Request-ID"}) {
    if (!r.header(name)) problems.push_back(fmt::format("{} missing", name));
  }
  return problems;
}

std::optional<unsigned long long> hstsMaxAge(std::string_view value) {
  for (const auto& directive : text::splitTrimmed(value, ';')) {
    const std::string d = text::toLower(directive);
    if (!d.starts_with("max-age=")) continue;
    std::string_view digits = std::string_view(d).substr(8);
    if (digits.size() >= 2 && digits.front() == '"' && digits.back() == '"')
      digits = digits.substr(1, digits.size() - 2);
    unsigned long long age = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), age);
    if (ec == std::errc() && end == digits.data() + digits.size()) return age;
    return std::nullopt;
  }
  return std::nullopt;
}

std::vector<std::string> problemBodyProblems(const OutboundResponse& r) {
  std::vector<std::string> problems;
  const auto type = r.header("Content-Type").value_or("");
  if (!text::toLower(type).starts_with("application/problem+json")) {
    problems.push_back(fmt::format("Content-Type is '{}'", clip(type)));
  }
  for (auto marker : kStackTraceMarkers) {
    if (r.body.find(marker) != std::string::npos) {
      problems.push_back(fmt::format("body contains '{}' (a stack trace?)", clip(marker)));
      break;
    }
  }
  const auto body = json::parseStrict(r.body);
  if (!body || !body->is_object()) {
    problems.push_back("body is not a JSON object");
    return problems;
  }
  const auto& object = body->as_object();
  const auto* status = object.if_contains("status");
  if (!object.contains("type") || !object.contains("title") || !status || !status->is_number() ||
      status->to_number<long>() != r.status) {
    problems.push_back("body lacks type/title or a status matching the response");
  }
  return problems;
}

// Any Access-Control-Allow-* grant to the probe origin (or to everyone).
std::optional<std::string> corsGrant(const OutboundResponse& r) {
  for (const auto& [name, value] : r.headers) {
    if (text::iequals(name, "Access-Control-Allow-Origin")) {
      return fmt::format("Access-Control-Allow-Origin: {}", clip(value));
    }
    if (text::iequals(name, "Access-Control-Allow-Credentials")) {
      return fmt::format("Access-Control-Allow-Credentials: {}", clip(value));
    }
  }
  return std::nullopt;
}

bool isLoopbackUrl(std::string_view url) {
  std::string_view rest = url.substr(url.find("://") + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  return rest == "localhost" || rest.starts_with("localhost:") || rest.starts_with("127.") || rest.starts_with("[::1]");
}

class Doctor {
 public:
  Doctor(const DoctorOptions& options, const DoctorCredentials& credentials, net::HttpClient& client)
      : options_(options),
        client_(client),
        https_(options.base_url.starts_with("https://")),
        tokens_may_travel_(https_ || isLoopbackUrl(options.base_url)),
        credentials_(credentials) {}

  std::vector<CheckResult> run() {
    const Probe normal = normalResponse();
    results_.push_back(tlsCheck(normal));
    if (!normal) {
      // Nothing else can be judged; say so under every name so the table keeps its shape.
      for (auto name :
           {"headers.normal", "headers.404", "headers.401", "hsts", "no-banner", "problem-json", "metrics.anonymous",
            "metrics.api.anonymous", "metrics.token", "health.anonymous", "readyz.anonymous", "health.token",
            "test-utilities.absent", "cors.simple", "cors.preflight", "rate-limit"}) {
        results_.push_back(failed(name, "not checked: the deployment could not be reached"));
      }
      return std::move(results_);
    }
    const Probe missing = send("GET", kMissingPath);
    const Probe anonymous = send("GET", kProtectedPath);
    results_.push_back(headerCheck("headers.normal", normal, std::nullopt));
    results_.push_back(headerCheck("headers.404", missing, 404));
    results_.push_back(headerCheck("headers.401", anonymous, 401));
    results_.push_back(hstsCheck(*normal));
    results_.push_back(bannerCheck({&normal, &missing, &anonymous}));
    results_.push_back(problemJsonCheck({&missing, &anonymous}));
    results_.push_back(refusesAnonymous("metrics.anonymous", "/metrics"));
    results_.push_back(refusesAnonymous("metrics.api.anonymous", "/api/v1/metrics"));
    results_.push_back(metricsTokenCheck());
    results_.push_back(refusesAnonymous("health.anonymous", "/api/v1/health"));
    results_.push_back(refusesAnonymous("readyz.anonymous", "/api/v1/readyz"));
    results_.push_back(healthTokenCheck());
    results_.push_back(testUtilitiesCheck());
    results_.push_back(corsCheck("cors.simple", "GET", {}));
    results_.push_back(corsCheck("cors.preflight", "OPTIONS",
                                 {{"Access-Control-Request-Method", "POST"},
                                  {"Access-Control-Request-Headers", "authorization, content-type"}}));
    results_.push_back(rateLimitCheck());
    return std::move(results_);
  }

 private:
  Probe send(std::string_view method, std::string_view path, net::HeaderList headers = {}) {
    net::OutboundRequest request;
    request.method = std::string(method);
    request.url = options_.base_url + std::string(path);
    request.headers = std::move(headers);
    request.timeout = std::chrono::seconds(10);
    request.max_response_bytes = 1024 * 1024;
    request.ca_file = options_.ca_file;
    return client_.send(request);
  }

  std::optional<std::string> token(const std::optional<std::string>& value) const {
    return tokens_may_travel_ ? value : std::nullopt;
  }

  // A response without anything unusual about it: health with its token when there is one.
  Probe normalResponse() {
    if (const auto health = token(credentials_.health_token)) {
      return send("GET", "/api/v1/health", {{"X-Health-Token", *health}});
    }
    if (const auto metrics = token(credentials_.metrics_token)) {
      return send("GET", "/metrics", {{"X-Metrics-Token", *metrics}});
    }
    return send("GET", "/api/v1/health");
  }

  CheckResult tlsCheck(const Probe& first) const {
    if (!https_) return failed("tls", "the base URL is http://: TLS is not in use");
    if (!first) return failed("tls", fmt::format("cannot connect over TLS: {}", first.error().message));
    return pass("tls", "certificate verified");
  }

  static CheckResult headerCheck(std::string name, const Probe& probe, std::optional<long> expected_status) {
    if (!probe) return failed(std::move(name), probe.error().message);
    std::vector<std::string> problems;
    if (expected_status && probe->status != *expected_status) {
      problems.push_back(fmt::format("answered {} (want {})", probe->status, *expected_status));
    }
    const auto headers = headerSetProblems(*probe);
    problems.insert(problems.end(), headers.begin(), headers.end());
    if (problems.empty()) return pass(std::move(name));
    return failed(std::move(name), summarize(problems));
  }

  static CheckResult hstsCheck(const OutboundResponse& r) {
    const auto value = r.header("Strict-Transport-Security");
    if (!value) return failed("hsts", "Strict-Transport-Security missing");
    const auto age = hstsMaxAge(*value);
    if (!age) return failed("hsts", fmt::format("Strict-Transport-Security '{}' has no valid max-age", clip(*value)));
    if (*age < kOneYear) return failed("hsts", fmt::format("max-age={} is below one year ({})", *age, kOneYear));
    return pass("hsts", fmt::format("max-age={}", *age));
  }

  static CheckResult bannerCheck(std::initializer_list<const Probe*> probes) {
    for (const Probe* probe : probes) {
      if (!*probe) continue;
      for (auto name : {"Server", "X-Powered-By"}) {
        if (const auto value = (*probe)->header(name))
          return failed("no-banner", fmt::format("{}: {}", name, clip(*value)));
      }
    }
    return pass("no-banner");
  }

  static CheckResult problemJsonCheck(std::initializer_list<const Probe*> probes) {
    for (const Probe* probe : probes) {
      if (!*probe) return failed("problem-json", (*probe).error().message);
      if ((*probe)->status < 400) continue;
      const auto problems = problemBodyProblems(**probe);
      if (!problems.empty()) {
        return failed("problem-json", fmt::format("{} answer: {}", (*probe)->status, summarize(problems)));
      }
    }
    return pass("problem-json");
  }

  CheckResult refusesAnonymous(std::string name, std::string_view path) {
    const Probe probe = send("GET", path);
    if (!probe) return failed(std::move(name), probe.error().message);
    if (probe->status == 401 || probe->status == 403) return pass(std::move(name), std::to_string(probe->status));
    if (probe->status == 404) return pass(std::move(name), "404: not served on this listener");
    return failed(std::move(name), fmt::format("GET {} without credentials answered {}", path, probe->status));
  }

  std::optional<std::string> tokenSkipReason(const std::optional<std::string>& value, std::string_view option) const {
    if (!value) return fmt::format("no {}", option);
    if (!tokens_may_travel_) return std::string("not sent over plain http to a remote host");
    return std::nullopt;
  }

  CheckResult metricsTokenCheck() {
    if (auto why = tokenSkipReason(credentials_.metrics_token, "--metrics-token-file")) {
      return skipped("metrics.token", *why);
    }
    for (auto path : {"/metrics", "/api/v1/metrics"}) {
      const Probe probe = send("GET", path, {{"X-Metrics-Token", *credentials_.metrics_token}});
      if (!probe) return failed("metrics.token", probe.error().message);
      if (probe->status != 200) {
        return failed("metrics.token", fmt::format("GET {} with the token answered {}", path, probe->status));
      }
      if (probe->body.find("# TYPE") == std::string::npos) {
        return failed("metrics.token", fmt::format("GET {} did not return Prometheus text", path));
      }
    }
    return pass("metrics.token");
  }

  CheckResult healthTokenCheck() {
    if (auto why = tokenSkipReason(credentials_.health_token, "--health-token-file")) {
      return skipped("health.token", *why);
    }
    for (auto path : {"/api/v1/health", "/api/v1/readyz"}) {
      const Probe probe = send("GET", path, {{"X-Health-Token", *credentials_.health_token}});
      if (!probe) return failed("health.token", probe.error().message);
      // A readiness probe may truthfully answer 503 (not ready); the token was accepted all the same.
      const bool ok = probe->status == 200 || (probe->status == 503 && std::string_view(path) == "/api/v1/readyz");
      if (!ok) return failed("health.token", fmt::format("GET {} with the token answered {}", path, probe->status));
    }
    return pass("health.token");
  }

  // The paths are assembled at run time: tests/api/binary_test.cpp proves the production binary
  // has no test-token route by not finding those paths in it, and the doctor must not spoil that.
  CheckResult testUtilitiesCheck() {
    const std::string prefix = std::string(kApiPrefix) + "test";
    for (const std::string& path : {prefix + "-token", prefix + "-user-token"}) {
      const Probe probe = send("GET", path);
      if (!probe) return failed("test-utilities.absent", probe.error().message);
      if (probe->status != 404) {
        return failed("test-utilities.absent", fmt::format("GET {} answered {} (want 404)", path, probe->status));
      }
    }
    return pass("test-utilities.absent");
  }

  CheckResult corsCheck(std::string name, std::string_view method, net::HeaderList headers) {
    headers.emplace_back("Origin", options_.origin_probe);
    const Probe probe = send(method, kProtectedPath, std::move(headers));
    if (!probe) return failed(std::move(name), probe.error().message);
    if (const auto grant = corsGrant(*probe)) {
      return failed(std::move(name),
                    fmt::format("{} {} from {} answered {}", method, kProtectedPath, options_.origin_probe, *grant));
    }
    return pass(std::move(name), std::to_string(probe->status));
  }

  CheckResult rateLimitCheck() {
    for (int sent = 1; sent <= kDoctorMaxBurst; ++sent) {
      const Probe probe = send("GET", kProtectedPath, {{"Authorization", "Bearer " + std::string(kInvalidToken)}});
      if (!probe) return failed("rate-limit", fmt::format("request {} failed: {}", sent, probe.error().message));
      if (probe->status != 429) continue;
      std::vector<std::string> problems;
      const auto retry_after = probe->header("Retry-After");
      unsigned long seconds = 0;
      if (!retry_after ||
          std::from_chars(retry_after->data(), retry_after->data() + retry_after->size(), seconds).ec != std::errc() ||
          seconds == 0) {
        problems.push_back("Retry-After missing or not a positive number of seconds");
      }
      for (auto name : {"RateLimit-Policy", "RateLimit"}) {
        if (headerValues(*probe, name).empty()) problems.push_back(fmt::format("{} missing", name));
      }
      const auto headers = headerSetProblems(*probe);
      problems.insert(problems.end(), headers.begin(), headers.end());
      const auto body = problemBodyProblems(*probe);
      problems.insert(problems.end(), body.begin(), body.end());
      if (!problems.empty()) return failed("rate-limit", "429 " + summarize(problems));
      return pass("rate-limit", fmt::format("429 after {} requests", sent));
    }
    return failed("rate-limit", fmt::format("no 429 after {} requests with an invalid token", kDoctorMaxBurst));
  }

  const DoctorOptions& options_;
  net::HttpClient& client_;
  const bool https_;
  const bool tokens_may_travel_;
  const DoctorCredentials& credentials_;
  std::vector<CheckResult> results_;
};

constexpr auto kVerdictNames = enumNames<Verdict>({
    {Verdict::kPass, "PASS"},
    {Verdict::kFail, "FAIL"},
    {Verdict::kSkip, "SKIP"},
});

std::string_view verdictName(Verdict v) { return nameOf(kVerdictNames, v); }

// The token in a file, without the trailing newline editors add; an error names the file only.
Result<std::string> readToken(const std::string& path, std::string_view option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Error::validation(fmt::format("{}: cannot read '{}'", option, path)));
  const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  const std::string_view token = text::trim(content);
  if (token.empty()) return fail(Error::validation(fmt::format("{}: '{}' is empty", option, path)));
  return std::string(token);
}

Result<DoctorCredentials> readCredentials(const DoctorOptions& options) {
  DoctorCredentials credentials;
  if (!options.metrics_token_file.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(credentials.metrics_token, readToken(options.metrics_token_file, "--metrics-token-file"));
  }
  if (!options.health_token_file.empty()) {
    FRAUDGOV_ASSIGN_OR_RETURN(credentials.health_token, readToken(options.health_token_file, "--health-token-file"));
  }
  return credentials;
}

Status normalizeOptions(DoctorOptions& options) {
  std::string base(text::trim(options.base_url));
  while (base.ends_with('/')) base.pop_back();
  const std::string lower = text::toLower(base);
  const bool scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
  if (!scheme_ok || base.find_first_of(" \t\r\n?#") != std::string::npos || base.size() <= lower.find("://") + 3) {
    return fail(Error::validation("the base URL must look like https://host[:port][/prefix]"));
  }
  options.base_url = lower.substr(0, lower.find("://") + 3) + base.substr(lower.find("://") + 3);
  auto origin = http::normalizeOrigin(options.origin_probe);
  if (!origin) return fail(Error::validation("--origin-probe: " + origin.error().message));
  options.origin_probe = std::move(*origin);
  if (!options.ca_file.empty() && !std::ifstream(options.ca_file)) {
    return fail(Error::validation(fmt::format("--ca-file: cannot read '{}'", options.ca_file)));
  }
  return {};
}

}  // namespace

std::vector<CheckResult> runDoctorChecks(const DoctorOptions& options, const DoctorCredentials& credentials,
                                         net::HttpClient& client) {
  return Doctor(options, credentials, client).run();
}

std::string formatDoctorReport(const std::string& base_url, const std::vector<CheckResult>& results) {
  std::string out = fmt::format("fraudgov doctor {}\n{:<24}{:<8}{}\n", base_url, "CHECK", "RESULT", "DETAIL");
  int counts[3] = {0, 0, 0};
  for (const auto& r : results) {
    ++counts[static_cast<int>(r.verdict)];
    std::string line = fmt::format("{:<24}{:<8}{}", r.name, verdictName(r.verdict), clip(r.detail, 200));
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  out += fmt::format("{} checks: {} passed, {} failed, {} skipped\n", results.size(), counts[0], counts[1], counts[2]);
  return out;
}

int runDoctorCommand(DoctorOptions options) {
  constexpr int kUsage = 2;
  if (auto valid = normalizeOptions(options); !valid) {
    std::fprintf(stderr, "fraudgov doctor: %s\n", valid.error().message.c_str());
    return kUsage;
  }
  auto credentials = readCredentials(options);
  if (!credentials) {
    std::fprintf(stderr, "fraudgov doctor: %s\n", credentials.error().message.c_str());
    return kUsage;
  }
  net::CurlHttpClient client;
  const auto results = runDoctorChecks(options, *credentials, client);
  std::fputs(formatDoctorReport(options.base_url, results).c_str(), stdout);
  std::fflush(stdout);
  const bool all_passed =
      std::none_of(results.begin(), results.end(), [](const CheckResult& r) { return r.verdict == Verdict::kFail; });
  return all_passed ? 0 : 1;
}

void addDoctorCommand(CLI::App& cli, std::function<int()>& run) {
  auto options = std::make_shared<DoctorOptions>();
  auto* cmd = cli.add_subcommand("doctor", "Check a running deployment against the security hardening checklist");
  cmd->add_option("base-url", options->base_url, "Where the deployment answers, e.g. https://fraudgov.example.com")
      ->required();
  cmd->add_option("--metrics-token-file", options->metrics_token_file, "File holding METRICS_TOKEN");
  cmd->add_option("--health-token-file", options->health_token_file, "File holding HEALTH_TOKEN");
  cmd->add_option("--ca-file", options->ca_file, "PEM CA bundle to verify the server with (private CA)");
  cmd->add_option("--origin-probe", options->origin_probe, "An origin CORS must not allow")->capture_default_str();
  cmd->callback([&run, options] { run = [options] { return runDoctorCommand(*options); }; });
}

}  // namespace fraudgov::doctor
