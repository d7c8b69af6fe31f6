#include "doctor/deployment.h"

#include <fstream>
#include <sstream>
#include <thread>

#include "common/text.h"
#include "support/api_harness.h"
#include "support/loopback.h"
#include "support/poll.h"
#include "support/test_env.h"
#include "support/token_factory.h"

namespace fraudgov::testing {

namespace {

// Runs a tool to completion; returns its stderr when it fails.
std::optional<std::string> runTool(const std::string& program, const std::vector<std::string>& args) {
  ChildProcess p(program, args, {});
  const auto code = p.wait(std::chrono::seconds(60));
  if (code == 0) return std::nullopt;
  return program + " failed (" + (code ? std::to_string(*code) : "timeout") + "): " + p.stderrText();
}

}  // namespace

std::string writeFile(const std::string& dir, const std::string& name, const std::string& content) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
  return path;
}

TlsMaterial TlsMaterial::make() {
  TlsMaterial m;
  m.dir = makeTempDir("tls");
  m.ca_pem = m.dir + "/ca.pem";
  m.server_pem = m.dir + "/server.pem";
  m.server_key = m.dir + "/server.key";
  const std::string openssl = "/usr/bin/openssl";
  const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
  std::vector<std::string> ca = {"req", "-x509"};
  ca.insert(ca.end(), ec_key.begin(), ec_key.end());
  ca.insert(ca.end(),
            {"-keyout", m.dir + "/ca.key", "-out", m.ca_pem, "-days", "1", "-subj", "/CN=fraudgov doctor test CA",
             "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  std::vector<std::string> csr = {"req"};
  csr.insert(csr.end(), ec_key.begin(), ec_key.end());
  csr.insert(csr.end(), {"-keyout", m.server_key, "-out", m.dir + "/server.csr", "-subj", "/CN=127.0.0.1"});
  const std::string ext = writeFile(m.dir, "server.ext",
                                    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                    "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
  const std::vector<std::string> sign = {"x509",        "-req",     "-in",    m.dir + "/server.csr",
                                         "-CA",         m.ca_pem,   "-CAkey", m.dir + "/ca.key",
                                         "-set_serial", "2",        "-days",  "1",
                                         "-sha256",     "-extfile", ext,      "-out",
                                         m.server_pem};
  for (const auto& args : {ca, csr, sign}) {
    if (auto error = runTool(openssl, args)) {
      m.error = *error;
      break;
    }
  }
  return m;
}

Deployment::Deployment(const std::string& binary, const std::map<std::string, std::string>& env_overrides) {
  idp_ = std::make_unique<MiniHttpServer>([](const MiniRequest&) {
    return MiniResponse::json(TokenFactory::get().jwks({TestKey::kRsa, TestKey::kEc}));
  });
  port_ = freePort();
  auto env = testEnvironment(idp_->url("/.well-known/jwks.json"));
  env["HTTP_PORT"] = std::to_string(port_);
  env["DATABASE_URL"] = "sqlite:" + env["FRAUDGOV_VAR_DIR"] + "/fraudgov.db";
  // An empty override removes a default (e.g. the issuer, for fraudgov-dev's own).
  for (const auto& [k, v] : env_overrides) {
    if (v.empty())
      env.erase(k);
    else
      env[k] = v;
  }
  child_ = std::make_unique<ChildProcess>(binaryPath(binary), std::vector<std::string>{"serve"}, env);
  if (!waitForHttp(httpUrl() + "/api/v1/fraudgov-test-ready", std::chrono::seconds(30))) {
    const auto code = child_->wait(std::chrono::milliseconds(100));
    start_error_ = binary + " did not start (exit " + (code ? std::to_string(*code) : "none") +
                   "): " + child_->stderrText() + child_->stdoutText();
  }
}

Deployment::~Deployment() {
  child_.reset();
  idp_->stop();
}

TlsTerminator::TlsTerminator(const TlsMaterial& tls, unsigned short backend_port) {
  port_ = freePort();
  const std::string listen = "OPENSSL-LISTEN:" + std::to_string(port_) +
                             ",bind=127.0.0.1,reuseaddr,fork,cert=" + tls.server_pem + ",key=" + tls.server_key +
                             ",verify=0";
  socat_ = std::make_unique<ChildProcess>(
      "/usr/bin/socat", std::vector<std::string>{listen, "TCP:127.0.0.1:" + std::to_string(backend_port)},
      std::map<std::string, std::string>{});
  bool exited = false;
  const bool listening = pollUntil(
      [&] {
        exited = !socat_->running();
        return exited || acceptsTcp(port_);
      },
      std::chrono::seconds(10), std::chrono::milliseconds(20));
  if (!listening || exited) start_error_ = "socat did not start: " + socat_->stderrText();
}

TlsTerminator::~TlsTerminator() = default;

const std::vector<std::string>& doctorCheckNames() {
  static const std::vector<std::string> names = {"tls",
                                                 "headers.normal",
                                                 "headers.404",
                                                 "headers.401",
                                                 "hsts",
                                                 "no-banner",
                                                 "problem-json",
                                                 "metrics.anonymous",
                                                 "metrics.api.anonymous",
                                                 "metrics.token",
                                                 "health.anonymous",
                                                 "readyz.anonymous",
                                                 "health.token",
                                                 "test-utilities.absent",
                                                 "cors.simple",
                                                 "cors.preflight",
                                                 "rate-limit"};
  return names;
}

DoctorRun runDoctor(const std::string& binary, const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"doctor"};
  argv.insert(argv.end(), args.begin(), args.end());
  ChildProcess p(binaryPath(binary), argv, {});
  DoctorRun run;
  run.exit_code = p.wait(std::chrono::seconds(180));
  run.out = p.stdoutText();
  run.err = p.stderrText();
  std::istringstream lines(run.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string name, verdict;
    fields >> name >> verdict;
    if (verdict != "PASS" && verdict != "FAIL" && verdict != "SKIP") continue;
    std::string detail;
    std::getline(fields, detail);
    run.verdicts[name] = verdict;
    run.details[name] = std::string(text::trim(detail));
  }
  return run;
}

}  // namespace fraudgov::testing
