#pragma once
// A small deployment for `fraudgov doctor` to examine: a real build/bin binary with its own local
// identity provider and SQLite database, optionally behind a socat TLS terminator whose
// certificate comes from a throwaway CA made with the openssl command line.

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/child_process.h"
#include "support/mini_http_server.h"

namespace fraudgov::testing {

// A CA and a server certificate for 127.0.0.1 (subjectAltName IP), valid for a day.
struct TlsMaterial {
  std::string dir;
  std::string ca_pem;
  std::string server_pem;
  std::string server_key;
  std::string error;  // empty when everything was made

  static TlsMaterial make();
};

class Deployment {
 public:
  // binary: "fraudgov" or "fraudgov-dev"; env: on top of APP_ENV=test defaults (see deployment.cpp).
  Deployment(const std::string& binary, const std::map<std::string, std::string>& env);
  ~Deployment();

  const std::string& startError() const { return start_error_; }
  unsigned short port() const { return port_; }
  std::string httpUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
  ChildProcess& child() { return *child_; }

 private:
  std::unique_ptr<MiniHttpServer> idp_;
  std::unique_ptr<ChildProcess> child_;
  unsigned short port_ = 0;
  std::string start_error_;
};

// socat OPENSSL-LISTEN in front of a plain HTTP port.
class TlsTerminator {
 public:
  TlsTerminator(const TlsMaterial& tls, unsigned short backend_port);
  ~TlsTerminator();

  const std::string& startError() const { return start_error_; }
  std::string httpsUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }

 private:
  std::unique_ptr<ChildProcess> socat_;
  unsigned short port_ = 0;
  std::string start_error_;
};

struct DoctorRun {
  std::optional<int> exit_code;
  std::string out;
  std::string err;
  std::map<std::string, std::string> verdicts;  // check name -> PASS/FAIL/SKIP
  std::map<std::string, std::string> details;   // check name -> detail text
};

// Runs `<binary> doctor <args...>` and parses its table.
DoctorRun runDoctor(const std::string& binary, const std::vector<std::string>& args);

// Every check name the doctor prints, in order.
const std::vector<std::string>& doctorCheckNames();

// Writes content to a new file under dir and returns its path.
std::string writeFile(const std::string& dir, const std::string& name, const std::string& content);

}  // namespace fraudgov::testing
