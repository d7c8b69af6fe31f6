#include "api/cached_read.h"

#include <boost/json/serialize.hpp>

#include "http/conditional.h"

namespace fraudgov::api {

service::ReadKey pageKey(service::ReadKey key, const service::PageQuery& paging) {
  key.add(paging.cursor).add(paging.direction == service::Direction::kPrev ? "prev" : "next").add(paging.limit);
  return key;
}

namespace {

http::Response answer(const http::Request& request, const service::RenderedBody& body) {
  if (http::ifNoneMatchMatches(request, body.etag)) return http::notModified(body.etag);
  http::Response response = http::Response::json(200, body.bytes);
  response.headers.set("ETag", body.etag);
  return response;
}

}  // namespace

RouteResult cachedJson(const http::Request& request, service::ReadCache& cache, const service::ReadKey& key,
                       const std::function<Result<boost::json::value>()>& render) {
  if (request.no_blocking) {
    // Rendering reads the database: only a kept body can be answered without waiting.
    const service::RenderedBodyPtr kept = cache.find(key);
    return kept ? answer(request, *kept) : http::Response::defer();
  }
  FRAUDGOV_ASSIGN_OR_RETURN(service::RenderedBodyPtr body, cache.get(key, [&]() -> Result<std::string> {
                              FRAUDGOV_ASSIGN_OR_RETURN(boost::json::value json, render());
                              return boost::json::serialize(json);
                            }));
  return answer(request, *body);
}

}  // namespace fraudgov::api
