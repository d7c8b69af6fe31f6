// `fraudgov doctor` against real deployments: fraudgov behind a TLS terminator with every
// protection on (all PASS, exit 0), and deliberately misconfigured instances (exactly the
// expected checks FAIL, exit 1).
#include <gtest/gtest.h>

#include <set>

#include "doctor/deployment.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

using testing::Deployment;
using testing::DoctorRun;
using testing::TlsMaterial;
using testing::TlsTerminator;

constexpr const char* kMetricsToken = "doctor-metrics-token-5f1c9e";
constexpr const char* kHealthToken = "doctor-health-token-83ab2d";

std::string report(const DoctorRun& run) { return run.out + "\nstderr:\n" + run.err; }

// Every check appears once; those in `failing` FAIL, those in `skipped` SKIP, all others PASS.
void expectVerdicts(const DoctorRun& run, const std::set<std::string>& failing, const std::set<std::string>& skipped) {
  EXPECT_EQ(run.verdicts.size(), testing::doctorCheckNames().size()) << report(run);
  for (const auto& name : testing::doctorCheckNames()) {
    const std::string want = failing.contains(name) ? "FAIL" : skipped.contains(name) ? "SKIP" : "PASS";
    const auto it = run.verdicts.find(name);
    ASSERT_NE(it, run.verdicts.end()) << name << " missing in\n" << report(run);
    EXPECT_EQ(it->second, want) << name << ": " << run.details.at(name) << "\n" << report(run);
    if (want == "FAIL") {
      EXPECT_FALSE(run.details.at(name).empty()) << name << " fails without a reason";
    }
  }
}

class DoctorAgainstHardenedDeployment : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = TlsMaterial::make();
    ASSERT_TRUE(tls_.error.empty()) << tls_.error;
    secrets_ = testing::makeTempDir("doctor-secrets");
    metrics_file_ = testing::writeFile(secrets_, "metrics", std::string(kMetricsToken) + "\n");
    health_file_ = testing::writeFile(secrets_, "health", std::string(kHealthToken) + "\n");
    server_ = std::make_unique<Deployment>(
        "fraudgov", std::map<std::string, std::string>{{"METRICS_TOKEN_FILE", metrics_file_},
                                                       {"HEALTH_TOKEN_FILE", health_file_},
                                                       {"CORS_ORIGINS", "https://portal.example.com"},
                                                       {"RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "5"},
                                                       {"RATE_LIMIT_ANONYMOUS_PER_MINUTE", "60"}});
    ASSERT_TRUE(server_->startError().empty()) << server_->startError();
    terminator_ = std::make_unique<TlsTerminator>(tls_, server_->port());
    ASSERT_TRUE(terminator_->startError().empty()) << terminator_->startError();
  }

  TlsMaterial tls_;
  std::string secrets_, metrics_file_, health_file_;
  std::unique_ptr<Deployment> server_;
  std::unique_ptr<TlsTerminator> terminator_;
};

TEST_F(DoctorAgainstHardenedDeployment, EveryCheckPassesOverVerifiedTls) {
  const DoctorRun run =
      testing::runDoctor("fraudgov", {terminator_->httpsUrl(), "--ca-file", tls_.ca_pem, "--metrics-token-file",
                                      metrics_file_, "--health-token-file", health_file_});
  EXPECT_EQ(run.exit_code, 0) << report(run);
  expectVerdicts(run, {}, {});
  EXPECT_NE(run.out.find("17 checks: 17 passed, 0 failed, 0 skipped"), std::string::npos) << report(run);
  EXPECT_EQ(run.details.at("tls"), "certificate verified");
  for (const char* secret : {kMetricsToken, kHealthToken}) {
    EXPECT_EQ(report(run).find(secret), std::string::npos) << "the doctor printed a token";
  }
  std::printf("%s", run.out.c_str());  // the table, for the record
}

TEST_F(DoctorAgainstHardenedDeployment, UntrustedCertificateFailsTlsAndNothingIsJudged) {
  const DoctorRun run = testing::runDoctor("fraudgov", {terminator_->httpsUrl()});
  EXPECT_EQ(run.exit_code, 1) << report(run);
  std::set<std::string> all(testing::doctorCheckNames().begin(), testing::doctorCheckNames().end());
  expectVerdicts(run, all, {});
  EXPECT_NE(run.details.at("tls").find("cannot connect over TLS"), std::string::npos) << report(run);
  EXPECT_NE(run.details.at("hsts").find("not checked"), std::string::npos) << report(run);
}

TEST_F(DoctorAgainstHardenedDeployment, WithoutTokenFilesTheTokenChecksAreSkipped) {
  const DoctorRun run = testing::runDoctor("fraudgov-dev", {terminator_->httpsUrl(), "--ca-file", tls_.ca_pem});
  EXPECT_EQ(run.exit_code, 0) << "skips are not failures\n" << report(run);
  expectVerdicts(run, {}, {"metrics.token", "health.token"});
}

TEST(DoctorAgainstMisconfiguredDeployment, PlainHttpWeakHstsOpenOperationalRoutesLaxCorsNoRateLimit) {
  // Outside prod every one of these is accepted by the configuration; the doctor names each.
  Deployment server("fraudgov", {{"HSTS_MAX_AGE", "0"},
                                 {"RATE_LIMIT_ENABLED", "false"},
                                 {"CORS_ORIGINS", "https://evil.example,https://portal.example.com"}});
  ASSERT_TRUE(server.startError().empty()) << server.startError();
  const DoctorRun run = testing::runDoctor("fraudgov", {server.httpUrl()});
  EXPECT_EQ(run.exit_code, 1) << report(run);
  expectVerdicts(run,
                 {"tls", "hsts", "metrics.anonymous", "metrics.api.anonymous", "health.anonymous", "readyz.anonymous",
                  "cors.simple", "cors.preflight", "rate-limit"},
                 {"metrics.token", "health.token"});
  EXPECT_NE(run.details.at("hsts").find("max-age=0 is below one year"), std::string::npos) << report(run);
  EXPECT_NE(run.details.at("cors.preflight").find("Access-Control-Allow-Origin: https://evil.example"),
            std::string::npos)
      << report(run);
  EXPECT_NE(run.details.at("rate-limit").find("no 429 after 200 requests"), std::string::npos) << report(run);
  std::printf("%s", run.out.c_str());
}

TEST(DoctorAgainstMisconfiguredDeployment, DevelopmentBinaryExposesTestTokenRoutes) {
  // fraudgov-dev in local mode: its own issuer, test-token routes, open health and metrics.
  Deployment server("fraudgov-dev", {{"APP_ENV", "local"},
                                     {"AUTH_ISSUER", ""},
                                     {"AUTH_JWKS_URL", ""},
                                     {"AUTH_AUDIENCE", ""},
                                     {"RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "5"}});
  ASSERT_TRUE(server.startError().empty()) << server.startError();
  const DoctorRun run = testing::runDoctor("fraudgov-dev", {server.httpUrl()});
  EXPECT_EQ(run.exit_code, 1) << report(run);
  expectVerdicts(run,
                 {"tls", "metrics.anonymous", "metrics.api.anonymous", "health.anonymous", "readyz.anonymous",
                  "test-utilities.absent"},
                 {"metrics.token", "health.token"});
  std::printf("%s", run.out.c_str());
}

TEST(DoctorUsage, MistakesAreExitCodeTwoWithOneLine) {
  const std::string dir = testing::makeTempDir("doctor-usage");
  const std::string empty = testing::writeFile(dir, "empty", "\n");
  const std::vector<std::vector<std::string>> mistakes = {
      {},
      {"ftp://example.com"},
      {"example.com"},
      {"https://example.com", "--metrics-token-file", dir + "/missing"},
      {"https://example.com", "--health-token-file", empty},
      {"https://example.com", "--ca-file", dir + "/missing.pem"},
      {"https://example.com", "--origin-probe", "*"},
      {"https://example.com", "--no-such-option"}};
  for (const auto& args : mistakes) {
    const DoctorRun run = testing::runDoctor("fraudgov", args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(run.exit_code, 2) << joined << "\n" << report(run);
    EXPECT_TRUE(run.verdicts.empty()) << joined;
    EXPECT_FALSE(run.err.empty()) << joined;
  }
}

}  // namespace
}  // namespace fraudgov
