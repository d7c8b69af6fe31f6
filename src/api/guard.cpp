#include "api/guard.h"

#include "api/request_state.h"

namespace fraudgov::api {

namespace {

const Result<auth::Principal>& settle(http::Request& request, std::optional<Result<auth::Principal>>& verdict,
                                      Result<auth::Principal> outcome) {
  verdict = std::move(outcome);
  if (*verdict) request.principal_label = (*verdict)->label();
  return *verdict;
}

Result<const auth::Principal*> pointTo(const Result<auth::Principal>& verdict) {
  if (!verdict) return fail(verdict.error());
  return &*verdict;
}

}  // namespace

Result<const auth::Principal*> Guard::authenticate(http::Request& request) const {
  auto& verdict = requestState(request).authentication;
  if (verdict) return pointTo(*verdict);
  return pointTo(settle(request, verdict, authenticator_.authenticate(request.headers.get("Authorization"))));
}

bool Guard::settleWithoutWaiting(http::Request& request) const {
  auto& verdict = requestState(request).authentication;
  if (verdict) return true;
  auto outcome = authenticator_.authenticateWithoutWaiting(request.headers.get("Authorization"));
  if (!outcome) return false;
  settle(request, verdict, std::move(*outcome));
  return true;
}

const auth::Principal* Guard::authenticated(http::Request& request) const {
  const auto& verdict = requestState(request).authentication;
  return verdict && *verdict ? &**verdict : nullptr;
}

Result<const auth::Principal*> Guard::require(http::Request& request, auth::Permission permission) const {
  FRAUDGOV_ASSIGN_OR_RETURN(const auth::Principal* principal, authenticate(request));
  if (!principal->hasPermission(permission)) return fail(Error::permissionDenied());
  return principal;
}

Status Guard::precheck(const http::Request& request) const {
  return authenticator_.precheck(request.headers.get("Authorization"));
}

}  // namespace fraudgov::api
