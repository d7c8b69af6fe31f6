#include "api/views.h"

#include <boost/json/value_from.hpp>

#include "common/json.h"
#include "domain/audit_verification.h"

namespace fraudgov::api {

boost::json::value jsonOrNull(const std::optional<std::string>& v) {
  return v ? boost::json::value(*v) : boost::json::value(nullptr);
}

boost::json::value jsonOrNull(const std::optional<Timestamp>& t) {
  return t ? boost::json::value(formatIso(*t)) : boost::json::value(nullptr);
}

namespace {
void putDefinition(boost::json::object& o, const domain::FieldDefinition& d) {
  o["display_name"] = d.display_name;
  o["description"] = jsonOrNull(d.description);
  o["data_type"] = domain::dataTypeName(d.data_type);
  o["allowed_operators"] = domain::operatorsJson(d.allowed_operators);
  o["multi_value_allowed"] = d.multi_value_allowed;
  o["is_sensitive"] = d.is_sensitive;
}
}  // namespace

boost::json::object fieldJson(const domain::RuleField& f) {
  boost::json::object o;
  o["field_key"] = f.field_key;
  o["field_id"] = f.field_id;
  putDefinition(o, f.definition);
  o["current_version"] = f.current_version;
  o["version"] = f.version;
  o["created_by"] = f.created_by;
  o["created_at"] = formatIso(f.created_at);
  o["updated_at"] = formatIso(f.updated_at);
  return o;
}

boost::json::object fieldVersionJson(const domain::FieldVersion& v) {
  boost::json::object o;
  o["rule_field_version_id"] = v.rule_field_version_id;
  o["field_key"] = v.field_key;
  o["version"] = v.version;
  o["field_id"] = v.field_id;
  putDefinition(o, v.definition);
  o["status"] = domain::versionStatusName(v.status);
  o["created_by"] = v.created_by;
  o["created_at"] = formatIso(v.created_at);
  o["approved_by"] = jsonOrNull(v.approved_by);
  o["approved_at"] = jsonOrNull(v.approved_at);
  return o;
}

boost::json::object metadataJson(const domain::FieldMetadata& m) {
  return {{"meta_value", m.meta_value},
          {"field_key", m.field_key},
          {"meta_key", m.meta_key},
          {"description", jsonOrNull(m.description)},
          {"created_at", formatIso(m.created_at)},
          {"updated_at", formatIso(m.updated_at)}};
}

boost::json::object auditJson(const domain::AuditRecord& r) {
  // The export line's members, with the API's timestamp spelling (the export keeps every digit
  // the hash covers).
  boost::json::object o = domain::auditExportLine(r);
  o["performed_at"] = formatIso(r.performed_at);
  return o;
}

boost::json::object verificationJson(const store::AuditVerification& v) {
  boost::json::object o{{"ok", v.ok}, {"checked", v.checked}};
  // Only for a row whose link or hash does not hold (a truncated chain has none).
  if (!v.ok && v.broken_seq) {
    o["first_broken"] = {
        {"seq", v.broken_seq.value_or(0)}, {"audit_id", v.broken_audit_id.value_or("")}, {"reason", v.reason}};
  }
  return o;
}

boost::json::object auditReportJson(const service::AuditReport& r) {
  boost::json::object o = verificationJson(r.chain);
  o["status"] = r.verdict.status;
  o["reasons"] = boost::json::value_from(r.verdict.reasons);
  o["details"] = boost::json::value_from(r.verdict.details);
  o["head"] = r.head ? boost::json::value{{"sequence", r.head->seq}, {"hash", r.head->hash}}
                     : boost::json::value{{"sequence", 0}, {"hash", nullptr}};
  if (r.checkpoint) {
    o["checkpoint"] = {{"sequence", r.checkpoint->sequence},
                       {"head_hash", r.checkpoint->head_hash},
                       {"checkpointed_at", formatIso(r.checkpoint->checkpointed_at)},
                       {"environment", r.checkpoint->environment},
                       {"kid", r.checkpoint->kid},
                       {"signature_valid", true}};
  } else if (!r.sources.used.empty()) {
    o["checkpoint"] = {{"sequence", r.unverified_checkpoint_sequence ? boost::json::value(*r.unverified_checkpoint_sequence)
                                                                     : boost::json::value(nullptr)},
                       {"signature_valid", false}};
  } else {
    o["checkpoint"] = nullptr;
  }
  auto seq = [](const std::optional<std::int64_t>& v) { return v ? boost::json::value(*v) : boost::json::value(nullptr); };
  o["checkpoint_sources"] = {{"used", r.sources.used.empty() ? boost::json::value(nullptr)
                                                              : boost::json::value(r.sources.used)},
                             {"artifact_store_sequence", seq(r.sources.artifact_store)},
                             {"database_sequence", seq(r.sources.database)},
                             {"agree", r.sources.agree}};
  boost::json::array mismatches;
  constexpr std::size_t kMaxListed = 100;
  for (std::size_t i = 0; i < r.content_mismatches.size() && i < kMaxListed; ++i) {
    const auto& m = r.content_mismatches[i];
    mismatches.push_back({{"entity_type", m.entity_type}, {"entity_id", m.entity_id}, {"reason", m.reason}});
  }
  o["content"] = {{"rule_versions_checked", r.rule_versions_checked},
                  {"mismatch_count", r.content_mismatches.size()},
                  {"mismatches", std::move(mismatches)}};
  return o;
}

boost::json::object auditCheckpointJson(const store::AuditCheckpointRow& row) {
  auto parsed = json::parseStrict(row.document);
  boost::json::value document = parsed ? std::move(*parsed) : boost::json::value(nullptr);
  return {{"sequence", row.sequence},
          {"head_hash", row.head_hash},
          {"checkpointed_at", formatIso(row.checkpointed_at)},
          {"environment", row.environment},
          {"kid", row.kid},
          {"created_by", row.created_by},
          {"document", std::move(document)}};
}

boost::json::object ruleJson(const domain::Rule& r) {
  return {{"rule_id", r.rule_id},
          {"rule_name", r.rule_name},
          {"description", jsonOrNull(r.description)},
          {"rule_type", domain::ruleTypeName(r.rule_type)},
          {"current_version", r.current_version},
          {"status", domain::versionStatusName(r.status)},
          {"version", r.version},
          {"created_by", r.created_by},
          {"created_at", formatIso(r.created_at)},
          {"updated_at", formatIso(r.updated_at)}};
}

namespace {
void putVersionContent(boost::json::object& o, const domain::RuleVersion& v) {
  o["rule_version_id"] = v.rule_version_id;
  o["rule_id"] = v.rule_id;
  o["version"] = v.version;
  o["condition_tree"] = v.condition_tree;
  o["normalized_condition_tree"] = v.normalized_tree;
  o["priority"] = v.priority;
  o["action"] = domain::ruleActionName(v.action);
  o["scope"] = v.scope;
  o["status"] = domain::versionStatusName(v.status);
  o["created_by"] = v.created_by;
  o["created_at"] = formatIso(v.created_at);
  o["approved_by"] = jsonOrNull(v.approved_by);
  o["approved_at"] = jsonOrNull(v.approved_at);
}
}  // namespace

boost::json::object ruleVersionJson(const domain::RuleVersion& v) {
  boost::json::object o;
  putVersionContent(o, v);
  return o;
}

boost::json::object ruleVersionDetailJson(const domain::Rule& r, const domain::RuleVersion& v) {
  boost::json::object o;
  putVersionContent(o, v);
  o["rule_name"] = r.rule_name;
  o["rule_type"] = domain::ruleTypeName(r.rule_type);
  return o;
}

boost::json::object ruleSummaryJson(const domain::Rule& r, const std::optional<domain::RuleVersion>& latest) {
  return {
      {"rule_id", r.rule_id},
      {"rule_name", r.rule_name},
      {"rule_type", domain::ruleTypeName(r.rule_type)},
      {"status", domain::versionStatusName(r.status)},
      {"latest_version", latest ? boost::json::value(latest->version) : boost::json::value(nullptr)},
      {"latest_version_id", latest ? boost::json::value(latest->rule_version_id) : boost::json::value(nullptr)},
      {"priority", latest ? boost::json::value(latest->priority) : boost::json::value(nullptr)},
      {"action", latest ? boost::json::value(domain::ruleActionName(latest->action)) : boost::json::value(nullptr)}};
}

boost::json::object approvalJson(const domain::Approval& a) {
  return {{"approval_id", a.approval_id},
          {"entity_type", a.entity_type},
          {"entity_id", a.entity_id},
          {"action", a.action},
          {"maker", a.maker},
          {"checker", jsonOrNull(a.checker)},
          {"status", domain::approvalStatusName(a.status)},
          {"remarks", jsonOrNull(a.remarks)},
          {"idempotency_key", nullptr},  // never listed, as in the predecessor
          {"content_digest", a.content_digest},
          {"created_at", formatIso(a.created_at)},
          {"decided_at", jsonOrNull(a.decided_at)},
          {"rule_id", jsonOrNull(a.rule_id)},
          {"ruleset_id", jsonOrNull(a.ruleset_id)}};
}

}  // namespace fraudgov::api
