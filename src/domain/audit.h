#pragma once
// Audit records and the hash chain that makes the log tamper-evident (SPEC §3 invariant 6):
// row_hash = SHA-256(prev_hash || "\n" || JCS(content)), the first row linking to 64 zeros.

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "common/error.h"
#include "common/time.h"

namespace fraudgov::domain {

// Who performed a change: compared on (issuer, subject), never on e-mail or name.
struct Actor {
  std::string issuer;
  std::string subject;
  std::string request_id;
};

// Entity types of audit rows (predecessor names, plus the ones fraudgov adds).
namespace audit_entity {
inline constexpr const char* kRuleField = "RULE_FIELD";
inline constexpr const char* kRuleFieldMetadata = "RULE_FIELD_METADATA";
inline constexpr const char* kFieldVersion = "FIELD_VERSION";
inline constexpr const char* kRule = "RULE";
inline constexpr const char* kRuleVersion = "RULE_VERSION";
inline constexpr const char* kRuleset = "RULESET";
inline constexpr const char* kRulesetVersion = "RULESET_VERSION";
inline constexpr const char* kApproval = "APPROVAL";
inline constexpr const char* kFieldRegistryManifest = "FIELD_REGISTRY_MANIFEST";
}  // namespace audit_entity

bool isAuditEntityType(std::string_view s);

struct AuditEvent {
  std::string entity_type;
  std::string entity_id;  // UUID
  std::string action;
  boost::json::value old_value;  // null when there was no previous state
  boost::json::value new_value;  // null when the entity is gone
};

struct AuditRecord {
  std::int64_t seq = 0;
  std::string audit_id;
  AuditEvent event;
  std::string performed_by;
  std::string performed_by_issuer;
  Timestamp performed_at;
  std::optional<std::string> request_id;
  std::string prev_hash;
  std::string row_hash;
};

inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

// The canonical bytes a row's hash covers (everything except the hashes themselves).
std::string auditCanonicalContent(const AuditRecord& r);
std::string auditRowHash(std::string_view prev_hash, const AuditRecord& r);

}  // namespace fraudgov::domain
