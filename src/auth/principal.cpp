#include "auth/principal.h"

#include <algorithm>

#include "common/crypto.h"

namespace fraudgov::auth {

namespace {

std::string stringClaim(const boost::json::object& claims, std::string_view name) {
  const auto* v = claims.if_contains(name);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> stringArray(const boost::json::value& v) {
  std::vector<std::string> out;
  if (!v.is_array()) return out;
  for (const auto& item : v.get_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

std::vector<std::string> rolesFrom(const boost::json::object& claims, const std::vector<std::string>& audiences) {
  for (const auto& aud : audiences) {
    if (const auto* v = claims.if_contains(aud + "/roles")) return stringArray(*v);
  }
  if (const auto* v = claims.if_contains("roles")) return stringArray(*v);
  return {};
}

void appendScopeItems(const boost::json::object& claims, std::vector<std::string>& out) {
  const std::string scope = stringClaim(claims, "scope");
  std::string_view rest = scope;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    const std::string_view item = rest.substr(0, space);
    if (!item.empty()) out.emplace_back(item);
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
}

std::vector<std::string> permissionsFrom(const boost::json::object& claims, ScopeClaim scope) {
  std::vector<std::string> out;
  if (const auto* v = claims.if_contains("permissions")) out = stringArray(*v);
  // `scope` is what the client asked for at the token endpoint (RFC 8693/6749), not what the
  // identity provider's RBAC granted; counting it would let any client that can request an
  // arbitrary scope string mint itself permissions. Operators must opt in explicitly.
  if (scope == ScopeClaim::kGrantsPermissions) appendScopeItems(claims, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

bool Principal::isPlatformAdmin() const { return hasRole(kPlatformAdminRole); }

bool Principal::hasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

bool Principal::hasPermission(Permission permission) const {
  const std::string_view name = permissionName(permission);
  return isPlatformAdmin() || std::find(permissions.begin(), permissions.end(), name) != permissions.end();
}

bool Principal::sameIdentity(const Principal& other) const {
  return issuer == other.issuer && subject == other.subject;
}

std::string Principal::label() const { return subject; }

std::string identityDigest(std::string_view issuer, std::string_view subject) {
  std::string identity = std::to_string(issuer.size()) + ":";
  identity.append(issuer).append(subject);
  return crypto::toHex(crypto::sha256(identity)).substr(0, 32);
}

Principal principalFromClaims(const boost::json::object& claims, const std::vector<std::string>& audiences,
                              ScopeClaim scope) {
  Principal p;
  p.issuer = stringClaim(claims, "iss");
  p.subject = stringClaim(claims, "sub");
  p.email = stringClaim(claims, "email");
  p.name = stringClaim(claims, "name");
  p.roles = rolesFrom(claims, audiences);
  p.permissions = permissionsFrom(claims, scope);
  p.machine = stringClaim(claims, "gty") == "client-credentials";
  p.identity_digest = identityDigest(p.issuer, p.subject);
  return p;
}

}  // namespace fraudgov::auth
