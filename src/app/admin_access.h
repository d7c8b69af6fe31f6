#pragma once
// The single gate in front of operational endpoints (health, readiness, metrics). Every such
// route asks it, so tightening access happens in one place.

#include <optional>
#include <string>

#include "common/error.h"
#include "http/message.h"
#include "secrets/secret_store.h"

namespace fraudgov::app {

enum class AdminEndpoint { kHealth, kMetrics };

class AdminAccess {
 public:
  // Tokens are read from the secret store on every check, so a rotation (SIGHUP) applies to the
  // next request without a restart.
  explicit AdminAccess(std::shared_ptr<const secrets::SecretStore> secrets) : secrets_(std::move(secrets)) {}
  // Missing credentials: 401; wrong credentials: 403 — the same bodies whatever the reason.
  Status check(const http::Request& request, AdminEndpoint endpoint) const;

 private:
  std::shared_ptr<const secrets::SecretStore> secrets_;
};

}  // namespace fraudgov::app
