#include "app/admin_access.h"

#include "common/crypto.h"

namespace fraudgov::app {

Status AdminAccess::check(const http::Request& request, AdminEndpoint endpoint) const {
  const auto token =
      secrets_->get(endpoint == AdminEndpoint::kHealth ? secrets::names::kHealthToken : secrets::names::kMetricsToken);
  if (!token) return {};
  const auto presented = request.headers.get(endpoint == AdminEndpoint::kHealth ? "X-Health-Token" : "X-Metrics-Token");
  if (!presented) return fail({ErrorCode::kUnauthenticated, "Credentials required", {}});
  if (!crypto::constantTimeEquals(*presented, *token)) return fail({ErrorCode::kForbidden, "Access denied", {}});
  return {};
}

}  // namespace fraudgov::app
