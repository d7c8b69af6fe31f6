#pragma once
// Authentication and permission checks in the predecessor's precedence: 401 (no or bad
// credentials), then 403 (missing permission), and only then input validation.

#include "auth/authenticator.h"
#include "auth/permission.h"
#include "common/error.h"
#include "http/message.h"

namespace fraudgov::api {

class Guard {
 public:
  explicit Guard(const auth::Authenticator& authenticator) : authenticator_(authenticator) {}
  // Verified once per request; later calls (rate limiter, then the route) reuse the verdict. The
  // principal lives in the request's state: the pointer is valid as long as the request.
  Result<const auth::Principal*> authenticate(http::Request& request) const;
  // Settles the request's verdict now when that needs neither a signature check nor a wait for
  // the identity provider (auth::Authenticator::authenticateWithoutWaiting); authenticate()
  // then returns it. False when it could not be settled that way.
  bool settleWithoutWaiting(http::Request& request) const;
  // The request's principal if its verdict is already settled and successful, else nullptr.
  const auth::Principal* authenticated(http::Request& request) const;
  Result<const auth::Principal*> require(http::Request& request, auth::Permission permission) const;
  // The authenticator's cheap verdict (auth::Authenticator::precheck): no signature is checked.
  Status precheck(const http::Request& request) const;

 private:
  const auth::Authenticator& authenticator_;
};

}  // namespace fraudgov::api
