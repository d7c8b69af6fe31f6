#include "api/route_handler.h"

#include <boost/json/serialize.hpp>

#include "http/problem.h"

namespace fraudgov::api {

http::Handler route(std::function<RouteResult(http::Request&)> fn) {
  return [fn = std::move(fn)](http::Request& request) {
    RouteResult result = fn(request);
    if (result) return std::move(*result);
    return http::problemResponse(result.error(), request.request_id);
  };
}

http::Response jsonResponse(unsigned status, const boost::json::value& body) {
  return http::Response::json(status, boost::json::serialize(body));
}

domain::Actor actorFor(const auth::Principal& principal, const http::Request& request) {
  return {principal.issuer, principal.subject, request.request_id};
}

}  // namespace fraudgov::api
