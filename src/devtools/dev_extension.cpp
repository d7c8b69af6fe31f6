#include "devtools/dev_extension.h"

#include <boost/json/serialize.hpp>
#include <cstdio>

#include "api/query_params.h"
#include "api/route_handler.h"
#include "devtools/dev_users.h"
#include "observability/log.h"

namespace fraudgov::devtools {

namespace {

constexpr int kTokenTtlSeconds = 3600;

boost::json::object tokenEnvelope(const std::string& token, const std::string& category, const std::string& base,
                                  Timestamp issued_at) {
  return {
      {"access_token", token},
      {"token_type", "Bearer"},
      {"expires_in", kTokenTtlSeconds},
      {"issued_at", formatIso(issued_at)},
      {"token_category", category},
      {"usage", {{"curl_example", "curl -H \"Authorization: Bearer <access_token>\" " + base + "api/v1/rule-fields"}}}};
}

void printBanner(const app::Config& config, unsigned short port) {
  const std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::fprintf(stderr,
               "\nfraudgov-dev is serving %s (APP_ENV=%s, %s) with its development issuer.\n"
               "  Get a token:  TOKEN=$(curl -s '%s/api/v1/test-user-token?user=maker' | jq -r .access_token)\n"
               "  First call:   curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/rule-fields | jq '.[0]'\n"
               "  Users: maker, checker, admin, viewer. Stop with Ctrl-C.\n\n",
               base.c_str(), std::string(app::appEnvName(config.env)).c_str(), config.database_url.c_str(),
               base.c_str(), base.c_str());
}

}  // namespace

std::string devKeyPath(const app::Config& config) { return config.var_dir + "/dev-issuer-key.pem"; }

void pointAuthAtDevIssuer(app::Config& config, unsigned short bound_port) {
  const std::string base = "http://127.0.0.1:" + std::to_string(bound_port) + "/";
  config.auth.issuer = base;
  config.auth.jwks_url = base + ".well-known/jwks.json";
}

app::DevExtension DevEnvironment::extension() {
  return {[this](app::Config& c, unsigned short port) { return configure(c, port); },
          [this](const app::Config& c, http::Router& r) { return addRoutes(c, r); }};
}

Status DevEnvironment::configure(app::Config& config, unsigned short port) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto issuer, DevIssuer::loadOrCreate(devKeyPath(config), clock_));
  issuer_.emplace(std::move(issuer));
  pointAuthAtDevIssuer(config, port);
  printBanner(config, port);
  return {};
}

Status DevEnvironment::addRoutes(const app::Config& config, http::Router& router) {
  const std::string issuer = config.auth.issuer;
  const std::string audience = config.auth.audiences.front();
  const DevIssuer* dev = &*issuer_;

  router.add(http::Method::kGet, "/.well-known/jwks.json", "public",
             [dev](http::Request&) { return http::Response::json(200, dev->jwksJson()); });

  router.add(http::Method::kGet, "/api/v1/test-token", "public",
             api::route([dev, issuer, audience](http::Request&) -> api::RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto token, dev->mint(machineClaims(issuer, audience)));
               auto body = tokenEnvelope(token, "M2M (Client Credentials)", issuer, dev->clock().now());
               body["limitations"] = {"Token represents a client, not a user",
                                      "maker=checker validation will reject its approvals",
                                      "For maker-checker testing, use /api/v1/test-user-token"};
               return api::jsonResponse(200, body);
             }));

  router.add(http::Method::kGet, "/api/v1/test-user-token", "public",
             api::route([dev, issuer, audience](http::Request& request) -> api::RouteResult {
               FRAUDGOV_ASSIGN_OR_RETURN(auto kind, api::singleQueryParam(request, "user"));
               auto user = devUser(kind.value_or("maker"));
               if (!user) {
                 return fail(Error::malformed("Invalid user type. Must be 'maker', 'checker', 'admin' or 'viewer'",
                                              {{"parameter", "user"}}));
               }
               FRAUDGOV_ASSIGN_OR_RETURN(auto token, dev->mint(userClaims(*user, issuer, audience)));
               auto body = tokenEnvelope(token, "User Token (development issuer)", issuer, dev->clock().now());
               body["user_type"] = user->kind;
               body["user_email"] = user->email;
               body["subject"] = user->subject;
               boost::json::array roles;
               for (const auto& r : user->roles) roles.emplace_back(r);
               body["roles"] = std::move(roles);
               body["maker_checker_compatible"] = true;
               return api::jsonResponse(200, body);
             }));
  return {};
}

}  // namespace fraudgov::devtools
