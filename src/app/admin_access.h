#pragma once
// The single gate in front of operational endpoints (health, readiness, metrics). Every such
// route asks it, so tightening access happens in one place.

#include <optional>
#include <string>

#include "common/error.h"
#include "http/message.h"

namespace fraudgov::app {

enum class AdminEndpoint { kHealth, kMetrics };

struct AdminAccessPolicy {
  std::optional<std::string> health_token;
  std::optional<std::string> metrics_token;
};

class AdminAccess {
 public:
  explicit AdminAccess(AdminAccessPolicy policy) : policy_(std::move(policy)) {}
  // Missing credentials: 401; wrong credentials: 403 — the same bodies whatever the reason.
  Status check(const http::Request& request, AdminEndpoint endpoint) const;

 private:
  AdminAccessPolicy policy_;
};

}  // namespace fraudgov::app
