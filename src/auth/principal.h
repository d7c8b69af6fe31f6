#pragma once
// Who is calling, as established by a verified access token.

#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permission.h"

namespace fraudgov::auth {

inline constexpr std::string_view kPlatformAdminRole = "PLATFORM_ADMIN";

struct Principal {
  std::string issuer;
  std::string subject;
  std::string email;
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;  // sorted, unique
  bool machine = false;                  // client-credentials grant
  // identityDigest(issuer, subject), computed once when the principal is built from claims (a
  // verified token's principal is cached, so per request it is only read).
  std::string identity_digest;

  bool isPlatformAdmin() const;
  // PLATFORM_ADMIN passes every permission check.
  bool hasPermission(Permission permission) const;
  bool hasRole(std::string_view role) const;
  // Identity is (issuer, subject); e-mail addresses and names are not identities.
  bool sameIdentity(const Principal& other) const;
  // For logs: the subject only (no e-mail, no name: those are personal data).
  std::string label() const;
};

// A fixed-length pseudonym of the identity (issuer, subject): 32 hex digits of a SHA-256, for keys
// that must not carry the identity itself (e.g. rate-limit buckets in Redis).
std::string identityDigest(std::string_view issuer, std::string_view subject);

// Whether the space-separated OAuth `scope` claim adds permissions (SPEC §6.2: it grants nothing
// unless an operator opts in with AUTH_SCOPE_GRANTS_PERMISSIONS).
enum class ScopeClaim { kIgnored, kGrantsPermissions };

// Builds the principal from verified claims. Roles come from the first configured audience's
// "{audience}/roles" claim that is present (a non-array value counts as no roles), else from a
// top-level "roles" array. Permissions are the "permissions" array, plus the space-separated
// "scope" only with ScopeClaim::kGrantsPermissions.
Principal principalFromClaims(const boost::json::object& claims, const std::vector<std::string>& audiences,
                              ScopeClaim scope = ScopeClaim::kIgnored);

}  // namespace fraudgov::auth
