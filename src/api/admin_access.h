#pragma once
// The single gate in front of operational endpoints (health, readiness, metrics; SPEC §6.3).
// Every such route asks it, so tightening access happens in one place.
//
// Per endpoint there are two optional requirements: a token (HEALTH_TOKEN / METRICS_TOKEN, read
// from the secret store on every check so a SIGHUP rotation applies to the next request) and a
// source-address allow-list (HEALTH_ALLOW_CIDRS / METRICS_ALLOW_CIDRS, judged on
// http::clientIp(): the TCP peer unless that peer is in TRUSTED_PROXIES).
//
//   token and CIDRs configured  -> BOTH are required (the allow-list narrows where a token holder
//                                  may call from; a leaked token alone is not enough)
//   only a token                -> the token
//   only CIDRs                  -> the address
//   neither                     -> metrics: loopback clients only (prod cannot get here: it refuses
//                                  to start without METRICS_TOKEN);
//                                  health: anyone in local/test (tests and `make run` rely on it),
//                                  loopback clients only in prod.
//
// The token is accepted from X-Health-Token / X-Metrics-Token or `Authorization: Bearer <token>`,
// compared in constant time. A refusal is 401 when no token was presented and 403 otherwise,
// with the same body whatever failed (token, address or both); the reason goes to the log only.

#include <memory>

#include "common/error.h"
#include "http/cidr.h"
#include "http/client_address.h"
#include "http/message.h"
#include "observability/telemetry.h"
#include "secrets/secret_store.h"

namespace fraudgov::api {

enum class AdminEndpoint { kHealth, kMetrics };

struct AdminAccessPolicy {
  http::CidrList health_cidrs;
  http::CidrList metrics_cidrs;
  http::TrustedProxies trusted_proxies;
  bool open_health_when_unconfigured = true;  // false in prod
};

class AdminAccess {
 public:
  // Refusals are counted and logged in `telemetry`, which must outlive this object.
  AdminAccess(std::shared_ptr<const secrets::SecretStore> secrets, AdminAccessPolicy policy,
              observability::Telemetry& telemetry)
      : secrets_(std::move(secrets)), policy_(std::move(policy)), telemetry_(telemetry) {}

  Status check(const http::Request& request, AdminEndpoint endpoint) const;

 private:
  std::shared_ptr<const secrets::SecretStore> secrets_;
  AdminAccessPolicy policy_;
  observability::Telemetry& telemetry_;
};

}  // namespace fraudgov::api
