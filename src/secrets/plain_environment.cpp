#include "secrets/plain_environment.h"

#include <fmt/format.h>

#include <utility>

#include "common/text.h"
#include "secrets/secret_names.h"

namespace fraudgov::secrets {

namespace {

// URL-valued settings that could carry a credential, and the secret that replaces it.
const std::vector<std::pair<const char*, const char*>> kUrlVariables = {
    {"DATABASE_URL", names::kDatabasePassword}, {"DATABASE_URL_APP", names::kDatabasePassword},
    {"REDIS_URL", names::kRedisPassword},       {"S3_ENDPOINT_URL", names::kS3SecretAccessKey},
    {"AWS_SECRETS_MANAGER_ENDPOINT", nullptr},  {"AUTH_JWKS_URL", nullptr},
};

std::string remedy(std::string_view secret) {
  return fmt::format(
      "provide it as {}_FILE, a systemd credential ($CREDENTIALS_DIRECTORY/{}) or through the "
      "secrets manager",
      secret, secret);
}

}  // namespace

bool embedsPassword(std::string_view url) {
  if (text::toLower(url).find("password=") != std::string::npos) return true;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  const std::string_view rest = url.substr(scheme_end + 3);
  const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = authority.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view userinfo = authority.substr(0, at);
  const auto colon = userinfo.find(':');
  return colon != std::string_view::npos && colon + 1 < userinfo.size();
}

std::vector<std::string> plainEnvironmentViolations(const EnvLookup& env,
                                                    const std::vector<std::string>& secret_names) {
  std::vector<std::string> problems;
  for (const auto& name : secret_names) {
    if (auto value = env(name); value && !value->empty()) {
      problems.push_back(fmt::format("{} is set as a plain environment variable; in prod {}", name, remedy(name)));
    }
  }
  return problems;
}

std::vector<std::string> passwordInUrlViolations(const EnvLookup& settings) {
  std::vector<std::string> problems;
  for (const auto& [variable, secret] : kUrlVariables) {
    auto value = settings(variable);
    if (!value || !embedsPassword(*value)) continue;
    problems.push_back(secret
                           ? fmt::format("{} contains a password; in prod remove it and {}", variable, remedy(secret))
                           : fmt::format("{} contains a password; credentials do not belong in URLs", variable));
  }
  return problems;
}

std::vector<std::string> configFileSecretViolations(const EnvLookup& env, const EnvLookup& settings,
                                                    const std::vector<std::string>& secret_names) {
  std::vector<std::string> problems;
  for (const auto& name : secret_names) {
    const auto in_env = env(name);
    if ((in_env && !in_env->empty()) || !settings(name)) continue;
    problems.push_back(
        fmt::format("{} is set in the FRAUDGOV_CONFIG file, which is never read for secrets; {}", name, remedy(name)));
  }
  return problems;
}

}  // namespace fraudgov::secrets
