#include "auth/permission.h"

#include <utility>

namespace fraudgov::auth {

namespace {

constexpr std::array<std::pair<Permission, std::string_view>, 19> kNames{{
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
}};

constexpr std::array<Permission, kNames.size()> kAll = [] {
  std::array<Permission, kNames.size()> all{};
  for (std::size_t i = 0; i < kNames.size(); ++i) all[i] = kNames[i].first;
  return all;
}();

}  // namespace

std::string_view permissionName(Permission p) {
  for (const auto& [permission, name] : kNames) {
    if (permission == p) return name;
  }
  return {};  // unreachable: every enumerator is in the table (a unit test checks it)
}

std::optional<Permission> parsePermission(std::string_view wire_name) {
  for (const auto& [permission, name] : kNames) {
    if (name == wire_name) return permission;
  }
  return std::nullopt;
}

std::span<const Permission> allPermissions() { return kAll; }

bool isReadPermission(Permission p) {
  return p == Permission::kRuleRead || p == Permission::kRuleFieldRead || p == Permission::kRulesetRead;
}

}  // namespace fraudgov::auth
