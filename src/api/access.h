#pragma once
// What a route requires of its caller. Every route declares one when it is registered
// (route_table.h), and the declaration is also what enforces it, so the documented requirement
// and the checked one cannot differ.

#include <optional>
#include <string>

#include "api/admin_access.h"
#include "auth/permission.h"

namespace fraudgov::api {

class Access {
 public:
  enum class Kind { kPermission, kAuthenticated, kOperational, kPublic };

  static Access permission(auth::Permission p) { return Access(Kind::kPermission, p, AdminEndpoint::kHealth); }
  // Any valid token (the predecessor's "authenticated only" reads).
  static Access authenticated() { return Access(Kind::kAuthenticated, std::nullopt, AdminEndpoint::kHealth); }
  // The admin-access gate: operational token and/or source address (health, readiness, metrics).
  static Access operational(AdminEndpoint e) { return Access(Kind::kOperational, std::nullopt, e); }
  // No credentials: /openapi.json and the development issuer's routes.
  static Access none() { return Access(Kind::kPublic, std::nullopt, AdminEndpoint::kHealth); }

  Kind kind() const { return kind_; }
  const std::optional<auth::Permission>& requiredPermission() const { return permission_; }
  AdminEndpoint endpoint() const { return endpoint_; }
  // "permission:rule:read", "authenticated", "operational:health", "operational:metrics", "public".
  std::string describe() const;

 private:
  Access(Kind kind, std::optional<auth::Permission> p, AdminEndpoint e) : kind_(kind), permission_(p), endpoint_(e) {}
  Kind kind_;
  std::optional<auth::Permission> permission_;
  AdminEndpoint endpoint_;
};

}  // namespace fraudgov::api
