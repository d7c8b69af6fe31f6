// fraudgov-dev: the production binary plus the development issuer and token tools. Refuses to
// run with APP_ENV=prod.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "app/cli.h"
#include "devtools/dev_extension.h"
#include "devtools/dev_users.h"

namespace {

using fraudgov::app::Config;

bool envIsProd() {
  const char* env = std::getenv("APP_ENV");
  std::string v = env ? env : "";
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.pop_back();
  return v.find("prod") != std::string::npos;
}

struct TokenOptions {
  std::string user;
  std::string subject;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
  int ttl = 3600;
};

int mintToken(const TokenOptions& o) {
  auto config = fraudgov::app::loadConfigOrReport("fraudgov-dev");
  if (!config) return 2;
  if (!config->use_dev_issuer) {
    std::fprintf(stderr, "fraudgov-dev token: an external issuer is configured (AUTH_ISSUER); tokens come from it\n");
    return 2;
  }
  auto issuer = fraudgov::devtools::DevIssuer::loadOrCreate(fraudgov::devtools::devKeyPath(*config));
  if (!issuer) {
    std::fprintf(stderr, "fraudgov-dev token: %s\n", issuer.error().message.c_str());
    return 1;
  }
  fraudgov::devtools::pointAuthAtDevIssuer(*config, config->http_port);
  fraudgov::devtools::TokenClaims claims;
  if (!o.user.empty()) {
    auto user = fraudgov::devtools::devUser(o.user);
    if (!user) {
      std::fprintf(stderr, "fraudgov-dev token: unknown user '%s' (maker, checker, admin, viewer)\n", o.user.c_str());
      return 2;
    }
    claims = fraudgov::devtools::userClaims(*user, config->auth.issuer, config->auth.audiences.front());
  } else {
    claims.issuer = config->auth.issuer;
    claims.audience = config->auth.audiences.front();
  }
  if (!o.subject.empty()) claims.subject = o.subject;
  if (!o.roles.empty()) claims.roles = o.roles;
  if (!o.permissions.empty()) claims.permissions = o.permissions;
  if (claims.subject.empty()) {
    std::fprintf(stderr, "fraudgov-dev token: give --user or --sub\n");
    return 2;
  }
  claims.ttl = std::chrono::seconds(o.ttl);
  auto token = issuer->mint(claims);
  if (!token) {
    std::fprintf(stderr, "fraudgov-dev token: %s\n", token.error().message.c_str());
    return 1;
  }
  std::cout << *token << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (envIsProd()) {
    std::fprintf(stderr, "fraudgov-dev: refusing to run with APP_ENV=prod; use the fraudgov binary\n");
    return 2;
  }
  fraudgov::devtools::DevEnvironment dev;
  const fraudgov::app::DevExtension extension = dev.extension();
  TokenOptions token;
  fraudgov::app::CliOptions options{
      "fraudgov-dev", &extension, [&token](CLI::App& cli, std::function<int()>& run) {
        auto* cmd = cli.add_subcommand("token", "Mint a token from the development issuer");
        cmd->add_option("--user", token.user, "maker, checker, admin or viewer");
        cmd->add_option("--sub", token.subject, "subject (overrides the user's)");
        cmd->add_option("--role", token.roles, "role (repeatable)");
        cmd->add_option("--permission", token.permissions, "permission (repeatable)");
        cmd->add_option("--ttl", token.ttl, "lifetime in seconds")->check(CLI::Range(60, 86400));
        cmd->callback([&run, &token] { run = [&token] { return mintToken(token); }; });
      }};
  return fraudgov::app::runCli(argc, argv, options);
}
