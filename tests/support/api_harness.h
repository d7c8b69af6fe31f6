#pragma once
// Black-box HTTP testing of a real fraudgov runtime: the production wiring (no development
// issuer) on an ephemeral port, a fresh database of the selected backend, and a local identity
// provider serving a real JWKS. Every response the harness receives is checked for the SPEC §6.1
// security headers by expectSecurityHeaders, so no test can forget it.

#include <boost/json/value.hpp>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/runtime.h"
#include "common/manual_clock.h"
#include "net/http_client.h"
#include "support/mini_http_server.h"
#include "support/token_factory.h"

namespace fraudgov::testing {

struct HttpResult {
  long status = 0;
  std::string body;
  net::HeaderList headers;

  std::optional<std::string> header(std::string_view name) const;
  boost::json::value json() const;  // null when the body is not JSON
};

// The one assertion every API test relies on (SPEC §6.1).
void expectSecurityHeaders(const HttpResult& response, std::string_view context);

// Sends raw bytes to 127.0.0.1:port and returns what came back (status line, headers, body).
HttpResult rawExchange(unsigned short port, const std::string& bytes);

inline constexpr const char* kTestIssuer = "https://idp.fraudgov.test/";
inline constexpr const char* kTestAudience = "https://fraudgov-api.test";

class ApiHarness {
 public:
  struct Options {
    std::map<std::string, std::string> env;  // overrides on top of the test defaults
    bool idp_available = true;               // false: the JWKS endpoint answers 503
    // The runtime reads clock() instead of the system clock: tests move time rather than sleep.
    bool manual_clock = false;
  };
  ApiHarness();
  explicit ApiHarness(Options options);
  ~ApiHarness();

  unsigned short port() const;
  std::string url(std::string_view path) const;
  app::Runtime& runtime() { return *runtime_; }
  MiniHttpServer& idp() { return *idp_; }
  void setIdpAvailable(bool available);
  // The runtime's clock when Options::manual_clock was set (otherwise it moves nothing).
  ManualClock& clock() { return clock_; }

  // Tokens from the local identity provider (RS256 unless stated).
  std::string token(const std::string& subject, const std::vector<std::string>& permissions,
                    const std::vector<std::string>& roles = {}) const;
  std::string makerToken() const;    // rule + rule_field authoring permissions
  std::string checkerToken() const;  // approve/reject permissions
  std::string adminToken() const;    // PLATFORM_ADMIN, no explicit permissions
  std::string viewerToken() const;   // read-only
  boost::json::object claims(const std::string& subject) const;

  HttpResult send(const std::string& method, const std::string& path, const std::string& body = "",
                  const net::HeaderList& headers = {});
  HttpResult get(const std::string& path, const std::string& token);
  HttpResult del(const std::string& path, const std::string& token);
  HttpResult post(const std::string& path, const boost::json::value& body, const std::string& token);
  HttpResult patch(const std::string& path, const boost::json::value& body, const std::string& token);
  HttpResult put(const std::string& path, const boost::json::value& body, const std::string& token);

 private:
  HttpResult withJson(const std::string& method, const std::string& path, const boost::json::value& body,
                      const std::string& token);

  ManualClock clock_;  // before the runtime, which reads it until it is gone
  std::unique_ptr<MiniHttpServer> idp_;
  std::shared_ptr<std::atomic<bool>> idp_up_;
  std::unique_ptr<app::Runtime> runtime_;
  net::CurlHttpClient client_;
};

// Environment for a runtime under test: APP_ENV=test, port 0, a fresh database.
std::map<std::string, std::string> testEnvironment(const std::string& jwks_url);
secrets::EnvLookup mapLookup(std::map<std::string, std::string> env);

}  // namespace fraudgov::testing
