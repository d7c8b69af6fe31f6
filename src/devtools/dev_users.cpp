#include "devtools/dev_users.h"

#include "auth/permission.h"

namespace fraudgov::devtools {

namespace {

using auth::Permission;

std::vector<std::string> names(std::initializer_list<Permission> grant) {
  std::vector<std::string> out;
  for (Permission p : grant) out.emplace_back(auth::permissionName(p));
  return out;
}

}  // namespace

std::vector<std::string> allPermissionNames() {
  std::vector<std::string> out;
  for (Permission p : auth::allPermissions()) out.emplace_back(auth::permissionName(p));
  return out;
}

const std::vector<std::string>& devUserKinds() {
  static const std::vector<std::string> kinds = {"maker", "checker", "admin", "viewer"};
  return kinds;
}

std::optional<DevUser> devUser(std::string_view kind) {
  if (kind == "maker") {
    // A senior analyst: authors rules and may review colleagues' work, so the only thing that
    // stops them approving their own rule is separation of duties (same identity), not a role.
    return DevUser{"maker",
                   "dev-maker",
                   "maker@fraudgov.local",
                   "Development Rule Maker",
                   {"RULE_MAKER"},
                   names({Permission::kRuleCreate, Permission::kRuleRead, Permission::kRuleUpdate,
                          Permission::kRuleSubmit, Permission::kRuleApprove, Permission::kRuleReject,
                          Permission::kRuleFieldCreate, Permission::kRuleFieldRead, Permission::kRuleFieldUpdate,
                          Permission::kRuleFieldDelete, Permission::kRulesetCreate, Permission::kRulesetRead,
                          Permission::kRulesetUpdate, Permission::kRulesetSubmit, Permission::kRulesetCompile})};
  }
  if (kind == "checker") {
    return DevUser{"checker",
                   "dev-checker",
                   "checker@fraudgov.local",
                   "Development Rule Checker",
                   {"RULE_CHECKER"},
                   names({Permission::kRuleRead, Permission::kRuleApprove, Permission::kRuleReject,
                          Permission::kRuleFieldRead, Permission::kRulesetRead, Permission::kRulesetApprove,
                          Permission::kRulesetReject, Permission::kRulesetActivate})};
  }
  if (kind == "admin") {
    return DevUser{"admin", "dev-admin", "admin@fraudgov.local", "Development Platform Admin", {"PLATFORM_ADMIN"},
                   allPermissionNames()};
  }
  if (kind == "viewer") {
    return DevUser{"viewer",
                   "dev-viewer",
                   "viewer@fraudgov.local",
                   "Development Viewer",
                   {"RULE_VIEWER"},
                   names({Permission::kRuleRead, Permission::kRuleFieldRead, Permission::kRulesetRead})};
  }
  return std::nullopt;
}

TokenClaims userClaims(const DevUser& user, const std::string& issuer, const std::string& audience) {
  TokenClaims c;
  c.issuer = issuer;
  c.subject = user.subject;
  c.audience = audience;
  c.email = user.email;
  c.name = user.name;
  c.roles = user.roles;
  c.permissions = user.permissions;
  return c;
}

TokenClaims machineClaims(const std::string& issuer, const std::string& audience) {
  TokenClaims c;
  c.issuer = issuer;
  c.subject = "dev-automation@clients";
  c.audience = audience;
  c.permissions = allPermissionNames();
  c.gty = "client-credentials";
  return c;
}

}  // namespace fraudgov::devtools
