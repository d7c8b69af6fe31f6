#include "devtools/dev_users.h"

namespace fraudgov::devtools {

const std::vector<std::string>& allPermissions() {
  static const std::vector<std::string> all = {
      "rule:create",    "rule:read",         "rule:update",     "rule:submit",       "rule:approve",
      "rule:reject",    "rule_field:create", "rule_field:read", "rule_field:update", "rule_field:delete",
      "ruleset:create", "ruleset:read",      "ruleset:update",  "ruleset:submit",    "ruleset:approve",
      "ruleset:reject", "ruleset:activate",  "ruleset:compile"};
  return all;
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
                   {"rule:create", "rule:read", "rule:update", "rule:submit", "rule:approve", "rule:reject",
                    "rule_field:create", "rule_field:read", "rule_field:update", "rule_field:delete", "ruleset:create",
                    "ruleset:read", "ruleset:update", "ruleset:submit", "ruleset:compile"}};
  }
  if (kind == "checker") {
    return DevUser{"checker",
                   "dev-checker",
                   "checker@fraudgov.local",
                   "Development Rule Checker",
                   {"RULE_CHECKER"},
                   {"rule:read", "rule:approve", "rule:reject", "rule_field:read", "ruleset:read", "ruleset:approve",
                    "ruleset:reject", "ruleset:activate"}};
  }
  if (kind == "admin") {
    return DevUser{
        "admin",         "dev-admin", "admin@fraudgov.local", "Development Platform Admin", {"PLATFORM_ADMIN"},
        allPermissions()};
  }
  if (kind == "viewer") {
    return DevUser{"viewer",
                   "dev-viewer",
                   "viewer@fraudgov.local",
                   "Development Viewer",
                   {"RULE_VIEWER"},
                   {"rule:read", "rule_field:read", "ruleset:read"}};
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
  c.permissions = allPermissions();
  c.gty = "client-credentials";
  return c;
}

}  // namespace fraudgov::devtools
