#include "api/route_table.h"

#include <stdexcept>

namespace fraudgov::api {

std::string Access::describe() const {
  switch (kind_) {
    case Kind::kPermission:
      return "permission:" + std::string(auth::permissionName(*permission_));
    case Kind::kAuthenticated:
      return "authenticated";
    case Kind::kOperational:
      return endpoint_ == AdminEndpoint::kHealth ? "operational:health" : "operational:metrics";
    case Kind::kPublic:
      break;
  }
  return "public";
}

namespace {

bool mutates(http::Method method, const Access& access) {
  if (method == http::Method::kGet || method == http::Method::kHead) return false;
  return !(access.requiredPermission() && auth::isReadPermission(*access.requiredPermission()));
}

}  // namespace

void RouteTable::add(http::Method method, std::string_view path, const Access& access, PrincipalHandler handler) {
  addGuarded(method, path, access, std::move(handler), http::Waits::kMay);
}

void RouteTable::addCachedRead(std::string_view path, const Access& access, PrincipalHandler handler) {
  addGuarded(http::Method::kGet, path, access, std::move(handler), http::Waits::kDefersInstead);
}

bool RouteTable::isCachedRead(const http::Route& route) {
  return route.method == http::Method::kGet && route.waits == http::Waits::kDefersInstead;
}

void RouteTable::addGuarded(http::Method method, std::string_view path, const Access& access,
                            PrincipalHandler handler, http::Waits waits) {
  if (access.kind() != Access::Kind::kPermission && access.kind() != Access::Kind::kAuthenticated) {
    throw std::logic_error("a principal handler needs a credentialed route: " + std::string(path));
  }
  const Guard& guard = guard_;
  http::Handler checked = route([&guard, access, handler = std::move(handler)](http::Request& request) -> RouteResult {
    FRAUDGOV_ASSIGN_OR_RETURN(
        const auth::Principal* principal,
        access.requiredPermission() ? guard.require(request, *access.requiredPermission()) : guard.authenticate(request));
    return handler(request, *principal);
  });
  if (idempotency_ && mutates(method, access)) checked = idempotency_->wrap(std::move(checked));
  router_.add(method, path, access.describe(), std::move(checked), waits);
}

void RouteTable::add(http::Method method, std::string_view path, const Access& access, PlainHandler handler) {
  if (access.kind() == Access::Kind::kOperational) {
    if (!admin_) throw std::logic_error("operational route without an admin-access gate: " + std::string(path));
    const AdminAccess& admin = *admin_;
    const AdminEndpoint endpoint = access.endpoint();
    router_.add(method, path, access.describe(),
                route([&admin, endpoint, handler = std::move(handler)](http::Request& request) -> RouteResult {
                  FRAUDGOV_RETURN_IF_ERROR(admin.check(request, endpoint));
                  return handler(request);
                }));
    return;
  }
  if (access.kind() != Access::Kind::kPublic) {
    throw std::logic_error("a credentialed route needs a principal handler: " + std::string(path));
  }
  router_.add(method, path, access.describe(), route(std::move(handler)));
}

}  // namespace fraudgov::api
