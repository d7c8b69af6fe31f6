#include "domain/audit.h"

#include <array>

#include "common/canonical_json.h"
#include "common/crypto.h"

namespace fraudgov::domain {

bool isAuditEntityType(std::string_view s) {
  static constexpr std::array<std::string_view, 9> kAll = {
      audit_entity::kRuleField,      audit_entity::kRuleFieldMetadata, audit_entity::kFieldVersion,
      audit_entity::kRule,           audit_entity::kRuleVersion,       audit_entity::kRuleset,
      audit_entity::kRulesetVersion, audit_entity::kApproval,          audit_entity::kFieldRegistryManifest};
  for (auto e : kAll) {
    if (e == s) return true;
  }
  return false;
}

std::string auditCanonicalContent(const AuditRecord& r) {
  boost::json::object o;
  o["seq"] = r.seq;
  o["audit_id"] = r.audit_id;
  o["entity_type"] = r.event.entity_type;
  o["entity_id"] = r.event.entity_id;
  o["action"] = r.event.action;
  o["old_value"] = r.event.old_value;
  o["new_value"] = r.event.new_value;
  o["performed_by"] = r.performed_by;
  o["performed_by_issuer"] = r.performed_by_issuer;
  o["performed_at"] = formatIsoFixed(r.performed_at);
  o["request_id"] = r.request_id ? boost::json::value(*r.request_id) : boost::json::value(nullptr);
  return json::canonicalize(o);
}

std::string auditRowHash(std::string_view prev_hash, const AuditRecord& r) {
  std::string input(prev_hash);
  input += '\n';
  input += auditCanonicalContent(r);
  return crypto::sha256Hex(input);
}

}  // namespace fraudgov::domain
