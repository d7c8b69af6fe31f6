#include "app/prod_gate.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "common/text.h"

namespace fraudgov::app {

namespace {

bool isHttps(std::string_view url) { return text::toLower(url.substr(0, 8)) == "https://"; }

// The scheme as written (for messages), or "none".
std::string schemeOf(std::string_view url) {
  const auto end = url.find("://");
  return end == std::string_view::npos ? std::string("none") : text::toLower(url.substr(0, end));
}

// The host of scheme://[user@]host[:port][/...], brackets kept for IPv6 literals.
std::string_view hostOf(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) return authority.substr(0, authority.find(']') + 1);
  return authority.substr(0, authority.find(':'));
}

// localhost names, loopback and unspecified addresses, in any spelling inet_aton accepts
// (127.1, 0x7f000001) and IPv4-mapped IPv6.
bool isLocalHost(std::string_view host_text) {
  const std::string host = text::toLower(host_text);
  if (host == "localhost" || host.ends_with(".localhost")) return true;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.substr(1, host.size() - 2).c_str(), &v6) != 1) return false;
    if (IN6_IS_ADDR_LOOPBACK(&v6) || IN6_IS_ADDR_UNSPECIFIED(&v6)) return true;
    return IN6_IS_ADDR_V4MAPPED(&v6) &&
           (v6.s6_addr[12] == 127 || (v6.s6_addr[12] | v6.s6_addr[13] | v6.s6_addr[14] | v6.s6_addr[15]) == 0);
  }
  in_addr v4{};
  if (inet_aton(host.c_str(), &v4) == 0) return false;
  const std::uint32_t address = ntohl(v4.s_addr);
  return (address >> 24) == 127 || address == 0;
}

void requireHttps(std::vector<std::string>& problems, std::string_view setting, std::string_view url) {
  if (!isHttps(url)) {
    problems.push_back(fmt::format("{} must be an https:// URL in prod (it uses {})", setting, schemeOf(url)));
  }
}

// Every sslmode parameter of a postgresql:// URL (libpq's URI form), in order.
std::vector<std::string> sslModes(std::string_view url) {
  std::vector<std::string> modes;
  const auto query_start = url.find('?');
  if (query_start == std::string_view::npos) return modes;
  std::string_view query = url.substr(query_start + 1);
  query = query.substr(0, query.find('#'));
  for (const auto& pair : text::splitTrimmed(query, '&')) {
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == "sslmode") modes.push_back(pair.substr(eq + 1));
  }
  return modes;
}

void checkDatabase(const Config& config, const secrets::EnvLookup& settings, std::vector<std::string>& problems) {
  if (!settings("DATABASE_URL") && !settings("DATABASE_URL_APP")) return;  // "required in prod" is reported already
  const std::string_view url = config.database_url;
  if (!url.starts_with("postgresql://") && !url.starts_with("postgres://")) {
    problems.push_back("DATABASE_URL must be a postgresql:// URL in prod (SQLite is for local and test)");
    return;
  }
  const auto modes = sslModes(url);
  const bool all_strict = std::all_of(modes.begin(), modes.end(),
                                      [](const std::string& m) { return m == "require" || m == "verify-full"; });
  if (modes.empty() || !all_strict) {
    problems.push_back("DATABASE_URL must set sslmode=require or sslmode=verify-full in prod");
  }
}

void checkCorsOrigins(const Config& config, std::vector<std::string>& problems) {
  for (const auto& origin : config.cors_origins) {
    if (!isHttps(origin)) {
      problems.push_back(fmt::format("CORS_ORIGINS: '{}' is refused in prod: only https:// origins", origin));
    } else if (isLocalHost(hostOf(origin))) {
      problems.push_back(fmt::format("CORS_ORIGINS: '{}' is refused in prod: a local origin", origin));
    }
  }
}

}  // namespace

std::vector<std::string> productionGateProblems(const Config& config, const secrets::EnvLookup& settings) {
  std::vector<std::string> problems;
  const std::string& jwks = config.auth.jwks_url;
  if (config.env != AppEnv::kProd) {
    if (!jwks.empty() && !isHttps(jwks) && !isLocalHost(hostOf(jwks))) {
      problems.push_back(
          fmt::format("AUTH_JWKS_URL must be https:// unless its host is loopback (it uses {})", schemeOf(jwks)));
    }
    return problems;
  }
  if (!config.auth.issuer.empty()) requireHttps(problems, "AUTH_ISSUER", config.auth.issuer);
  // A JWKS URL derived from the issuer shares its scheme: one problem, reported once.
  if (settings("AUTH_JWKS_URL")) requireHttps(problems, "AUTH_JWKS_URL", jwks);
  for (const char* setting : {"S3_ENDPOINT_URL", "AWS_SECRETS_MANAGER_ENDPOINT"}) {
    if (auto url = settings(setting)) requireHttps(problems, setting, text::trim(*url));
  }
  checkDatabase(config, settings, problems);
  checkCorsOrigins(config, problems);
  if (config.headers.hsts_max_age < kMinProdHstsMaxAge) {
    problems.push_back(fmt::format("HSTS_MAX_AGE must be at least {} (one year) in prod", kMinProdHstsMaxAge));
  }
  return problems;
}

}  // namespace fraudgov::app
