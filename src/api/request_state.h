#pragma once
// What the application layer works out about a request once and shares between middleware and
// route handlers, kept in the request's opaque app_state slot.

#include <optional>

#include "auth/principal.h"
#include "common/error.h"
#include "http/message.h"
#include "http/router.h"
#include "ratelimit/policy.h"

namespace fraudgov::api {

struct RequestState {
  // The verdict on the Authorization header; the rate limiter needs it before routing and the
  // route's Guard reuses it, so a token is verified once per request.
  std::optional<Result<auth::Principal>> authentication;
  // The rate-limit charge of a first try on an I/O thread that was deferred to the worker pool
  // (http::Response::defer): the second run reuses it, so a request is charged once.
  std::optional<ratelimit::Decision> rate_charge;
  // The router's answer: asked before dispatch (may this be answered on an I/O thread?), at
  // dispatch, and again on the worker after a deferral; matched once.
  std::optional<http::RouteMatch> route;
};

// The request's state, created empty on first use.
RequestState& requestState(http::Request& request);

}  // namespace fraudgov::api
