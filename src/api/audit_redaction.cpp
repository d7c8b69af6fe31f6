#include "api/audit_redaction.h"

#include "api/views.h"

namespace fraudgov::api {

std::optional<Access> auditEntityReadAccess(std::string_view entity_type) {
  namespace e = domain::audit_entity;
  if (entity_type == e::kRule || entity_type == e::kRuleVersion) {
    return Access::permission(auth::Permission::kRuleRead);
  }
  for (std::string_view open : {e::kRuleField, e::kRuleFieldMetadata, e::kFieldVersion, e::kRuleset,
                                e::kRulesetVersion, e::kApproval, e::kFieldRegistryManifest}) {
    if (entity_type == open) return Access::authenticated();
  }
  return std::nullopt;
}

bool mayReadAuditContent(const auth::Principal& principal, std::string_view entity_type) {
  const auto access = auditEntityReadAccess(entity_type);
  if (!access) return false;
  switch (access->kind()) {
    case Access::Kind::kAuthenticated:
      return true;
    case Access::Kind::kPermission:
      return principal.hasPermission(*access->requiredPermission());
    case Access::Kind::kOperational:
    case Access::Kind::kPublic:
      break;
  }
  return false;
}

boost::json::object auditEntryJson(const auth::Principal& principal, const domain::AuditRecord& record) {
  boost::json::object o = auditJson(record);
  if (mayReadAuditContent(principal, record.event.entity_type)) return o;
  o["old_value"] = nullptr;
  o["new_value"] = nullptr;
  o["redacted"] = true;
  return o;
}

}  // namespace fraudgov::api
