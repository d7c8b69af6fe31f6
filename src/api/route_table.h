#pragma once
// Registers routes together with their access requirement, which it enforces before the handler
// runs (401, then 403, in the predecessor's precedence). Handlers of credentialed routes receive
// the verified principal, so none can forget to check. Mutating requests (any method but GET/HEAD
// under a non-read permission) pass through the Idempotency-Key gate.

#include <functional>
#include <string_view>

#include "api/access.h"
#include "api/admin_access.h"
#include "api/guard.h"
#include "api/idempotency_gate.h"
#include "api/route_handler.h"

namespace fraudgov::api {

using PrincipalHandler = std::function<RouteResult(http::Request&, const auth::Principal&)>;
using PlainHandler = std::function<RouteResult(http::Request&)>;

class RouteTable {
 public:
  // admin: the gate of operational routes; nullptr when this table registers none.
  RouteTable(http::Router& router, const Guard& guard, const IdempotencyGate* idempotency = nullptr,
             const AdminAccess* admin = nullptr)
      : router_(router), guard_(guard), idempotency_(idempotency), admin_(admin) {}

  // kPermission or kAuthenticated access.
  void add(http::Method method, std::string_view path, const Access& access, PrincipalHandler handler);
  // A GET answered through cachedJson (api/cached_read.h), which defers instead of waiting for the
  // database: it may be answered on an I/O thread (http::Waits::kDefersInstead). Everything the
  // handler does before cachedJson must be free of waiting too (parameter parsing only).
  void addCachedRead(std::string_view path, const Access& access, PrincipalHandler handler);
  // Whether a route was registered by addCachedRead: its 200 carries a strong ETag and it answers
  // If-None-Match with 304 (api/cached_read.h).
  static bool isCachedRead(const http::Route& route);
  // kOperational or kPublic access.
  void add(http::Method method, std::string_view path, const Access& access, PlainHandler handler);

 private:
  http::Router& router_;
  const Guard& guard_;
  const IdempotencyGate* idempotency_;
  const AdminAccess* admin_;

  void addGuarded(http::Method method, std::string_view path, const Access& access, PrincipalHandler handler,
                  http::Waits waits);
};

}  // namespace fraudgov::api
