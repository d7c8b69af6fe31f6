#pragma once
// How a route handler answers: a Result<Response> whose error becomes a problem response at the
// edge (http/problem.h), so handlers stay linear and never build error bodies themselves.

#include <boost/json/value.hpp>
#include <functional>

#include "auth/principal.h"
#include "common/error.h"
#include "domain/audit.h"
#include "http/router.h"

namespace fraudgov::api {

using RouteResult = Result<http::Response>;

// Adapts a handler that returns Result<Response>: errors become problem responses.
http::Handler route(std::function<RouteResult(http::Request&)> fn);

http::Response jsonResponse(unsigned status, const boost::json::value& body);

// Who performs a governance change, with the request id the audit row correlates to.
domain::Actor actorFor(const auth::Principal& principal, const http::Request& request);

}  // namespace fraudgov::api
