#pragma once
// Rule-field catalog entities (predecessor-spec §4.3–4.5) and their validation rules.

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "domain/field_types.h"
#include "domain/validation.h"

namespace fraudgov::domain {

// The editable part of a field; every change to it produces a new immutable FieldVersion.
struct FieldDefinition {
  std::string display_name;
  std::optional<std::string> description;
  DataType data_type = DataType::kString;
  std::vector<Operator> allowed_operators;
  bool multi_value_allowed = false;
  bool is_sensitive = false;
  bool operator==(const FieldDefinition&) const = default;
};

struct RuleField {
  std::string field_key;
  int field_id = 0;
  FieldDefinition definition;
  int current_version = 1;  // number of the latest FieldVersion
  int version = 1;          // optimistic-lock counter: +1 per change
  std::string created_by;
  Timestamp created_at;
  Timestamp updated_at;
};

enum class VersionStatus { kDraft, kPendingApproval, kApproved, kRejected, kSuperseded, kActive };
std::string_view versionStatusName(VersionStatus s);
std::optional<VersionStatus> parseVersionStatus(std::string_view s);

struct FieldVersion {
  std::string rule_field_version_id;
  std::string field_key;
  int version = 1;
  int field_id = 0;
  FieldDefinition definition;
  VersionStatus status = VersionStatus::kDraft;
  std::string created_by;
  Timestamp created_at;
  std::optional<std::string> approved_by;
  std::optional<Timestamp> approved_at;
};

struct FieldMetadata {
  std::string field_key;
  std::string meta_key;
  boost::json::object meta_value;
  std::optional<std::string> description;
  Timestamp created_at;
  Timestamp updated_at;
};

// field_key: 1..100 chars of ^[a-z][a-z0-9_]*$, no "__", not ending in "_".
std::optional<std::string> checkFieldKey(std::string_view key);
// meta_key: 1..100 chars of [A-Za-z0-9_.:-], starting with a letter or digit.
std::optional<std::string> checkMetaKey(std::string_view key);
std::vector<FieldIssue> checkDefinition(const FieldDefinition& d);

// The snapshot the audit log records for a field (predecessor "F" plus versions).
boost::json::object auditSnapshot(const RuleField& f);
boost::json::object auditSnapshot(const FieldMetadata& m);
// Stable entity id for audit rows about a text-keyed entity (predecessor-compatible UUIDv5).
std::string fieldAuditId(std::string_view field_key);
std::string metadataAuditId(std::string_view field_key, std::string_view meta_key);

// The 26 standard fields (predecessor-spec §4.14), field ids 1..26.
struct StandardField {
  int field_id;
  const char* field_key;
  const char* display_name;
  DataType data_type;
  std::vector<Operator> allowed_operators;
  bool multi_value_allowed;
  bool is_sensitive;
};
const std::vector<StandardField>& standardFields();
inline constexpr int kFirstCustomFieldId = 27;

boost::json::array operatorsJson(const std::vector<Operator>& ops);

}  // namespace fraudgov::domain
