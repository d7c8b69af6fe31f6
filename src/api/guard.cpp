#include "api/guard.h"

#include "api/request_state.h"

namespace fraudgov::api {

Result<auth::Principal> Guard::authenticate(http::Request& request) const {
  auto& verdict = requestState(request).authentication;
  if (!verdict) {
    verdict = authenticator_.authenticate(request.headers.get("Authorization"));
    if (*verdict) request.principal_label = (*verdict)->label();
  }
  return *verdict;
}

Result<auth::Principal> Guard::require(http::Request& request, auth::Permission permission) const {
  FRAUDGOV_ASSIGN_OR_RETURN(auth::Principal principal, authenticate(request));
  if (!principal.hasPermission(permission)) return fail(Error::permissionDenied());
  return principal;
}

Status Guard::precheck(const http::Request& request) const {
  return authenticator_.precheck(request.headers.get("Authorization"));
}

}  // namespace fraudgov::api
