#include "auth/permission.h"

#include "common/enum_names.h"

namespace fraudgov::auth {

namespace {

constexpr auto kNames = enumNames<Permission>({
    {Permission::kRuleCreate, "rule:create"},
    {Permission::kRuleRead, "rule:read"},
    {Permission::kRuleUpdate, "rule:update"},
    {Permission::kRuleSubmit, "rule:submit"},
    {Permission::kRuleApprove, "rule:approve"},
    {Permission::kRuleReject, "rule:reject"},
    {Permission::kRuleFieldCreate, "rule_field:create"},
    {Permission::kRuleFieldRead, "rule_field:read"},
    {Permission::kRuleFieldUpdate, "rule_field:update"},
    {Permission::kRuleFieldDelete, "rule_field:delete"},
    {Permission::kRulesetCreate, "ruleset:create"},
    {Permission::kRulesetRead, "ruleset:read"},
    {Permission::kRulesetUpdate, "ruleset:update"},
    {Permission::kRulesetSubmit, "ruleset:submit"},
    {Permission::kRulesetApprove, "ruleset:approve"},
    {Permission::kRulesetReject, "ruleset:reject"},
    {Permission::kRulesetActivate, "ruleset:activate"},
    {Permission::kRulesetCompile, "ruleset:compile"},
    {Permission::kAuditAdmin, "audit:admin"},
});

constexpr auto kAll = enumValues(kNames);

}  // namespace

std::string_view permissionName(Permission p) { return nameOf(kNames, p); }

std::optional<Permission> parsePermission(std::string_view wire_name) { return parseName(kNames, wire_name); }

std::span<const Permission> allPermissions() { return kAll; }

bool isReadPermission(Permission p) {
  return p == Permission::kRuleRead || p == Permission::kRuleFieldRead || p == Permission::kRulesetRead;
}

}  // namespace fraudgov::auth
