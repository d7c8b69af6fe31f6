// GET /openapi.json: the served API description, public like the predecessor's docs endpoint.
#include <boost/json/serialize.hpp>
#include <memory>
#include <mutex>

#include "api/openapi.h"
#include "api/routes/routes.h"

namespace fraudgov::api {

namespace {

// Built on the first request rather than at registration: routes added later (fraudgov-dev's
// development routes, this one) are then part of it. The route table does not change after startup.
struct CachedDocument {
  std::once_flag built;
  std::string body;
};

}  // namespace

void addOpenApiRoute(RouteTable& routes, const http::Router& router, std::string version) {
  auto cache = std::make_shared<CachedDocument>();
  routes.add(http::Method::kGet, "/openapi.json", Access::none(),
             [&router, cache, version = std::move(version)](http::Request&) -> RouteResult {
               std::call_once(cache->built,
                              [&] { cache->body = boost::json::serialize(openApiDocument(router.routes(), version)); });
               return http::Response::json(200, cache->body);
             });
}

}  // namespace fraudgov::api
