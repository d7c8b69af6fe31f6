#pragma once
// The closed set of permissions fraudgov checks (predecessor-spec §6.5), with their wire names as
// they appear in a token's `permissions` claim. Routes declare one of these; a permission that is
// not in this set cannot be required anywhere, so a typo is a compile error, not a silent 403.

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace fraudgov::auth {

enum class Permission {
  kRuleCreate,
  kRuleRead,
  kRuleUpdate,
  kRuleSubmit,
  kRuleApprove,
  kRuleReject,
  kRuleFieldCreate,
  kRuleFieldRead,
  kRuleFieldUpdate,
  kRuleFieldDelete,
  kRulesetCreate,
  kRulesetRead,
  kRulesetUpdate,
  kRulesetSubmit,
  kRulesetApprove,
  kRulesetReject,
  kRulesetActivate,
  kRulesetCompile,
  // Sign audit checkpoints on demand and export the full, unredacted audit log.
  kAuditAdmin,
};

std::string_view permissionName(Permission p);
std::optional<Permission> parsePermission(std::string_view wire_name);
// Every permission, in declaration order (the machine-client grant of the development issuer).
std::span<const Permission> allPermissions();
// Read permissions never change state: requests under them are not idempotency-tracked.
bool isReadPermission(Permission p);

}  // namespace fraudgov::auth
