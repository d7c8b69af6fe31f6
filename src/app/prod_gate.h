#pragma once
// The production configuration gate (issue 4 item 4). With APP_ENV=prod, fraudgov refuses to start
// on any setting that would let traffic to its dependencies travel in clear text, let local
// pages call it, or weaken HSTS:
//
//   * AUTH_ISSUER, AUTH_JWKS_URL, S3_ENDPOINT_URL, AWS_SECRETS_MANAGER_ENDPOINT: https:// only;
//   * DATABASE_URL: postgresql:// with sslmode=require or sslmode=verify-full (every sslmode
//     parameter, so a later one cannot weaken an earlier one);
//   * CORS_ORIGINS: https:// origins only, none of them local (localhost, loopback, 0.0.0.0);
//   * HSTS_MAX_AGE: at least one year.
//
// Outside prod the JWKS URL may use plain http only for a loopback host (a local identity
// provider); anything else must be https there too (SPEC §2.1).
//
// The rules that hold in every environment stay with their settings in config.cpp: the algorithm
// allow-list, the leeway limit, wildcard and malformed CORS origins, secrets given as plain
// variables, and METRICS_TOKEN being required in prod. fraudgov-dev's refusal of prod is in the
// binary itself and in cli.cpp.

#include <string>
#include <vector>

#include "app/config.h"
#include "secrets/secret_provider.h"

namespace fraudgov::app {

inline constexpr unsigned kMinProdHstsMaxAge = 31536000;  // one year

// One message per problem (never a URL's credentials: only scheme and setting names are shown).
// settings: raw configuration values, for the settings Config does not keep.
std::vector<std::string> productionGateProblems(const Config& config, const secrets::EnvLookup& settings);

}  // namespace fraudgov::app
