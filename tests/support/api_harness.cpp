#include "support/api_harness.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "common/text.h"
#include "support/loopback.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov::testing {

std::optional<std::string> HttpResult::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (text::iequals(k, name)) return v;
  }
  return std::nullopt;
}

boost::json::value HttpResult::json() const {
  auto parsed = json::parseStrict(body);
  return parsed ? std::move(*parsed) : boost::json::value(nullptr);
}

void expectSecurityHeaders(const HttpResult& r, std::string_view context) {
  const std::map<std::string, std::string> exact = {
      {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
      {"Cross-Origin-Resource-Policy", "same-origin"},
      {"Cache-Control", "no-store"},
      {"X-XSS-Protection", "0"},
  };
  for (const auto& [name, value] : exact) {
    EXPECT_EQ(r.header(name).value_or("<missing>"), value) << name << " on " << context << " (" << r.status << ")";
  }
  const auto permissions = r.header("Permissions-Policy").value_or("");
  EXPECT_NE(permissions.find("camera=()"), std::string::npos) << "Permissions-Policy on " << context;
  EXPECT_NE(permissions.find("geolocation=()"), std::string::npos) << "Permissions-Policy on " << context;
  EXPECT_FALSE(r.header("X-Request-ID").value_or("").empty()) << "X-Request-ID on " << context;
  EXPECT_FALSE(r.header("Server")) << "Server banner on " << context;
  EXPECT_FALSE(r.header("X-Powered-By")) << "X-Powered-By on " << context;
  if (r.status >= 400) {
    EXPECT_EQ(r.header("Content-Type").value_or(""), "application/problem+json") << context;
    const auto body = r.json();
    EXPECT_TRUE(body.is_object()) << "problem body on " << context << ": " << r.body;
    if (body.is_object()) {
      for (const char* member : {"type", "title", "status", "detail", "error", "message", "details", "request_id"}) {
        EXPECT_TRUE(body.as_object().contains(member)) << member << " missing in problem on " << context;
      }
      EXPECT_EQ(body.at("status").to_number<long>(), r.status) << context;
      EXPECT_EQ(std::string(body.at("request_id").as_string()), r.header("X-Request-ID").value_or("")) << context;
    }
  }
}

HttpResult rawExchange(unsigned short port, const std::string& bytes) {
  HttpResult out;
  const int fd = connectLoopback(port, 10);
  if (fd < 0) {
    ADD_FAILURE() << "cannot connect to port " << port;
    return out;
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may answer and close before reading everything
    sent += static_cast<std::size_t>(n);
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    raw.append(buf, static_cast<std::size_t>(n));
    const auto header_end = raw.find("\r\n\r\n");
    if (header_end != std::string::npos) {
      const auto cl = text::toLower(raw.substr(0, header_end)).find("content-length:");
      if (cl != std::string::npos) {
        const std::size_t length = std::stoul(raw.substr(cl + 15));
        if (raw.size() >= header_end + 4 + length) break;
      }
    }
  }
  ::close(fd);
  const auto header_end = raw.find("\r\n\r\n");
  if (raw.size() < 12 || header_end == std::string::npos) return out;
  out.status = std::stol(raw.substr(9, 3));
  std::size_t line_start = raw.find("\r\n") + 2;
  while (line_start < header_end) {
    const auto line_end = raw.find("\r\n", line_start);
    const std::string line = raw.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      out.headers.emplace_back(line.substr(0, colon), std::string(text::trim(line.substr(colon + 1))));
    }
    line_start = line_end + 2;
  }
  out.body = raw.substr(header_end + 4);
  return out;
}

secrets::EnvLookup mapLookup(std::map<std::string, std::string> env) {
  return [env = std::move(env)](std::string_view name) -> std::optional<std::string> {
    auto it = env.find(std::string(name));
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

std::map<std::string, std::string> testEnvironment(const std::string& jwks_url) {
  return {{"APP_ENV", "test"},
          {"HTTP_HOST", "127.0.0.1"},
          {"HTTP_PORT", "0"},
          {"HTTP_WORKER_THREADS", "8"},
          {"DATABASE_URL", migratedDatabaseUrl()},
          {"DATABASE_POOL_SIZE", "8"},
          {"AUTH_ISSUER", kTestIssuer},
          {"AUTH_JWKS_URL", jwks_url},
          {"AUTH_AUDIENCE", kTestAudience},
          {"LOG_LEVEL", "warn"},
          // Limits no functional test reaches (tests/ratelimit sets tight ones); limiting stays on.
          {"RATE_LIMIT_READ_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_WRITE_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_ANONYMOUS_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_AUTH_FAILURES_PER_MINUTE", "1000000"},
          {"RATE_LIMIT_OPERATIONAL_PER_MINUTE", "1000000"},
          {"FRAUDGOV_VAR_DIR", makeTempDir("var")}};
}

ApiHarness::ApiHarness() : ApiHarness(Options{}) {}

ApiHarness::ApiHarness(Options options) : idp_up_(std::make_shared<std::atomic<bool>>(options.idp_available)) {
  auto up = idp_up_;
  idp_ = std::make_unique<MiniHttpServer>([up](const MiniRequest&) {
    if (!*up) return MiniResponse::json(R"({"error":"down"})", 503);
    return MiniResponse::json(TokenFactory::get().jwks({TestKey::kRsa, TestKey::kEc}));
  });
  auto env = testEnvironment(idp_->url("/.well-known/jwks.json"));
  for (auto& [k, v] : options.env) env[k] = v;
  auto loaded = app::loadConfig(mapLookup(env));
  for (const auto& p : loaded.problems) ADD_FAILURE() << "config: " << p;
  app::RuntimeOptions runtime_options;
  if (options.manual_clock) {
    runtime_options.clock = &clock_;
    runtime_options.key_clock_recheck = std::chrono::milliseconds(2);
    runtime_options.maintenance_clock_recheck = std::chrono::milliseconds(5);
  }
  auto rt = app::Runtime::create(std::move(loaded.config), nullptr, runtime_options);
  if (!rt) {
    ADD_FAILURE() << "runtime: " << rt.error().message;
    return;
  }
  runtime_ = std::move(*rt);
  runtime_->start();
}

ApiHarness::~ApiHarness() {
  // The identity provider first: a refresh stuck in a hanging response ends at once instead of
  // holding the runtime's shutdown for the whole fetch timeout.
  idp_->stop();
  runtime_.reset();
}

unsigned short ApiHarness::port() const { return runtime_->port(); }
std::string ApiHarness::url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
}
void ApiHarness::setIdpAvailable(bool available) { *idp_up_ = available; }

boost::json::object ApiHarness::claims(const std::string& subject) const {
  return TokenFactory::claims(kTestIssuer, kTestAudience, subject);
}

std::string ApiHarness::token(const std::string& subject, const std::vector<std::string>& permissions,
                              const std::vector<std::string>& roles) const {
  auto c = claims(subject);
  boost::json::array perms;
  for (const auto& p : permissions) perms.emplace_back(p);
  c["permissions"] = std::move(perms);
  if (!roles.empty()) {
    boost::json::array r;
    for (const auto& role : roles) r.emplace_back(role);
    c[std::string(kTestAudience) + "/roles"] = std::move(r);
  }
  return TokenFactory::get().rs256(c);
}

std::string ApiHarness::makerToken() const {
  return token("maker-1",
               {"rule:create", "rule:read", "rule:update", "rule:submit", "rule_field:create", "rule_field:update",
                "rule_field:delete", "ruleset:create", "ruleset:update", "ruleset:submit", "ruleset:read"},
               {"RULE_MAKER"});
}
std::string ApiHarness::checkerToken() const {
  return token("checker-1",
               {"rule:read", "rule:approve", "rule:reject", "ruleset:read", "ruleset:approve", "ruleset:reject",
                "ruleset:activate"},
               {"RULE_CHECKER"});
}
std::string ApiHarness::adminToken() const { return token("admin-1", {}, {"PLATFORM_ADMIN"}); }
std::string ApiHarness::viewerToken() const {
  return token("viewer-1", {"rule:read", "ruleset:read"}, {"RULE_VIEWER"});
}

HttpResult ApiHarness::send(const std::string& method, const std::string& path, const std::string& body,
                            const net::HeaderList& headers) {
  net::OutboundRequest request;
  request.method = method;
  request.url = url(path);
  request.headers = headers;
  request.body = body;
  request.timeout = std::chrono::seconds(30);
  auto response = client_.send(request);
  HttpResult out;
  if (!response) {
    ADD_FAILURE() << method << " " << path << ": " << response.error().message;
    return out;
  }
  out.status = response->status;
  out.body = std::move(response->body);
  out.headers = std::move(response->headers);
  expectSecurityHeaders(out, method + " " + path);
  return out;
}

HttpResult ApiHarness::get(const std::string& path, const std::string& token) {
  return send("GET", path, "",
              token.empty() ? net::HeaderList{} : net::HeaderList{{"Authorization", "Bearer " + token}});
}

HttpResult ApiHarness::del(const std::string& path, const std::string& token) {
  return send("DELETE", path, "",
              token.empty() ? net::HeaderList{} : net::HeaderList{{"Authorization", "Bearer " + token}});
}

HttpResult ApiHarness::withJson(const std::string& method, const std::string& path, const boost::json::value& body,
                                const std::string& token) {
  net::HeaderList headers{{"Content-Type", "application/json"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return send(method, path, boost::json::serialize(body), headers);
}

HttpResult ApiHarness::post(const std::string& path, const boost::json::value& body, const std::string& token) {
  return withJson("POST", path, body, token);
}
HttpResult ApiHarness::patch(const std::string& path, const boost::json::value& body, const std::string& token) {
  return withJson("PATCH", path, body, token);
}
HttpResult ApiHarness::put(const std::string& path, const boost::json::value& body, const std::string& token) {
  return withJson("PUT", path, body, token);
}

}  // namespace fraudgov::testing
