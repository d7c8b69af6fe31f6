#pragma once
// A real build/bin/fraudgov for secrets tests: a child process (APP_ENV=test) with its own local
// identity provider, SQLite database and var directory, plus the extra environment a test
// gives it. Every response it sends is kept, so a test can scan all of them for leaked secrets.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "net/http_client.h"
#include "support/api_harness.h"
#include "support/child_process.h"
#include "support/mini_http_server.h"

namespace fraudgov::testing {

class FraudgovProcess {
 public:
  explicit FraudgovProcess(const std::map<std::string, std::string>& extra_env);
  ~FraudgovProcess();

  // Empty when the server answers HTTP; otherwise why it did not start (with its stderr).
  const std::string& startError() const { return start_error_; }
  unsigned short port() const { return port_; }
  const std::string& varDir() const { return var_dir_; }
  ChildProcess& child() { return *child_; }

  HttpResult send(const std::string& method, const std::string& path, const net::HeaderList& headers = {},
                  const std::string& body = "");
  HttpResult health(const std::string& token);  // GET /api/v1/health with X-Health-Token (none if empty)
  // Every response so far: status line, headers and body.
  std::string transcript() const { return transcript_; }
  // A token from the local identity provider with these permissions.
  static std::string token(const std::string& subject, const std::vector<std::string>& permissions);

  // SIGTERM and wait; returns the exit code (nullopt if it hung).
  std::optional<int> terminate();

 private:
  std::unique_ptr<MiniHttpServer> idp_;
  std::unique_ptr<ChildProcess> child_;
  unsigned short port_ = 0;
  std::string var_dir_;
  std::string start_error_;
  std::string transcript_;
  net::CurlHttpClient client_;
};

// One keep-alive HTTP/1.1 connection driven byte by byte, to hold a request open across a signal.
class RawConnection {
 public:
  explicit RawConnection(unsigned short port);
  ~RawConnection();
  bool connected() const { return fd_ >= 0; }
  bool sendText(const std::string& bytes);
  // Reads exactly one response (Content-Length framed); status 0 when the connection failed.
  HttpResult readResponse();

 private:
  int fd_ = -1;
  std::string buffer_;
};

// Polls the child's stdout until it contains text (a log line) or the timeout passes.
bool waitForOutput(ChildProcess& child, const std::string& text, std::chrono::milliseconds timeout);
// Every file under dir, concatenated (binary-safe), for leak scans.
std::string readTree(const std::string& dir);
// Writes content to path atomically (temporary file + rename), as a secret rotation would.
void writeAtomically(const std::string& path, const std::string& content);

}  // namespace fraudgov::testing
