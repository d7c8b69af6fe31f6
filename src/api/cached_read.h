#pragma once
// The one way a route answers a cacheable GET: the body comes from the read model
// (service/read_cache.h), rendered only on a miss; the response carries the body's strong ETag
// and honours If-None-Match with 304 Not Modified. Called by a handler, i.e. after the route
// table's guard accepted the request, and inside the pipeline, so a 304 gets the security
// headers, request id, rate limiting and access log like any other response.

#include <boost/json/value.hpp>
#include <functional>

#include "api/route_handler.h"
#include "service/paging.h"
#include "service/read_cache.h"

namespace fraudgov::api {

// `key` with a list's paging parameters (cursor, direction, limit) appended.
service::ReadKey pageKey(service::ReadKey key, const service::PageQuery& paging);

// render() builds the JSON from ONE database read (one statement or one read transaction) and
// must not depend on who asks.
RouteResult cachedJson(const http::Request& request, service::ReadCache& cache, const service::ReadKey& key,
                       const std::function<Result<boost::json::value>()>& render);

}  // namespace fraudgov::api
