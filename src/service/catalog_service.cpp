#include "service/catalog_service.h"

#include "common/json.h"
#include "common/uuid.h"
#include "service/require_found.h"
#include "store/audit_store.h"
#include "store/rule_field_store.h"

namespace fraudgov::service {

namespace {

using store::AuditStore;
using store::RuleFieldStore;
using store::SqlSession;

constexpr std::string_view kSeedMarker = "seed.standard_fields";

Error metadataNotFound(std::string_view field_key, std::string_view meta_key) {
  return Error::notFound(
      "Metadata '" + std::string(meta_key) + "' not found for field '" + std::string(field_key) + "'",
      {{"field_key", field_key}, {"meta_key", meta_key}});
}

Result<domain::RuleField> requireField(SqlSession& s, std::string_view field_key) {
  return requireFound(RuleFieldStore::find(s, field_key), [&] { return fieldNotFound(field_key); });
}

domain::FieldVersion versionOf(const domain::RuleField& f, const std::string& created_by, Timestamp at) {
  domain::FieldVersion v;
  v.rule_field_version_id = uuid::v7();
  v.field_key = f.field_key;
  v.version = f.current_version;
  v.field_id = f.field_id;
  v.definition = f.definition;
  v.status = domain::VersionStatus::kDraft;
  v.created_by = created_by;
  v.created_at = at;
  return v;
}

boost::json::object versionSnapshot(const domain::FieldVersion& v) {
  return {{"rule_field_version_id", v.rule_field_version_id},
          {"field_key", v.field_key},
          {"version", v.version},
          {"status", domain::versionStatusName(v.status)}};
}

// Writes a new field version and its audit row; shared by create, patch and seeding.
Status recordVersion(SqlSession& s, const domain::Actor& actor, const domain::FieldVersion& v) {
  FRAUDGOV_RETURN_IF_ERROR(RuleFieldStore::insertVersion(s, v));
  FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(
      s, actor, {domain::audit_entity::kFieldVersion, v.rule_field_version_id, "CREATE", nullptr, versionSnapshot(v)}));
  return {};
}

Status insertField(SqlSession& s, const domain::Actor& actor, const domain::RuleField& f, domain::FieldVersion v) {
  if (auto r = RuleFieldStore::insert(s, f); !r) {
    if (store::isUniqueViolation(r.error())) {
      return fail(Error::conflict("Rule field '" + f.field_key + "' already exists", {{"field_key", f.field_key}}));
    }
    return r;
  }
  FRAUDGOV_RETURN_IF_ERROR(recordVersion(s, actor, v));
  FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(s, actor,
                                              {domain::audit_entity::kRuleField, domain::fieldAuditId(f.field_key),
                                               "CREATE", nullptr, domain::auditSnapshot(f)}));
  return {};
}

domain::FieldDefinition applyPatch(domain::FieldDefinition d, const FieldPatch& p) {
  if (p.display_name) d.display_name = *p.display_name;
  if (p.description) d.description = *p.description;
  if (p.data_type) d.data_type = *p.data_type;
  if (p.allowed_operators) d.allowed_operators = *p.allowed_operators;
  if (p.multi_value_allowed) d.multi_value_allowed = *p.multi_value_allowed;
  if (p.is_sensitive) d.is_sensitive = *p.is_sensitive;
  return d;
}

}  // namespace

Error fieldNotFound(std::string_view field_key) {
  return Error::notFound("Rule field '" + std::string(field_key) + "' not found", {{"field_key", field_key}});
}

Result<std::vector<domain::RuleField>> CatalogService::listFields() {
  return store::inStatement(db_, [](SqlSession& s) { return RuleFieldStore::list(s); });
}

Result<domain::RuleField> CatalogService::getField(std::string_view field_key) {
  return store::inStatement(db_, [&](SqlSession& s) { return requireField(s, field_key); });
}

Result<std::vector<domain::FieldVersion>> CatalogService::listVersions(std::string_view field_key) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<std::vector<domain::FieldVersion>> {
    FRAUDGOV_RETURN_IF_ERROR(requireField(s, field_key));
    return RuleFieldStore::listVersions(s, field_key);
  });
}

Result<domain::RuleField> CatalogService::createField(const domain::Actor& actor, const NewField& input) {
  std::vector<domain::FieldIssue> issues;
  if (auto problem = domain::checkFieldKey(input.field_key)) issues.push_back({"field_key", *problem});
  for (auto& i : domain::checkDefinition(input.definition)) issues.push_back(std::move(i));
  if (!issues.empty()) return fail(domain::validationError(issues));

  return store::inWrite(db_, [&](SqlSession& s) -> Result<domain::RuleField> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto existing, RuleFieldStore::find(s, input.field_key));
    if (existing) {
      return fail(
          Error::conflict("Rule field '" + input.field_key + "' already exists", {{"field_key", input.field_key}}));
    }
    // Under the store-wide write lock max+1 cannot race; ids 1..26 stay reserved for the standard set.
    FRAUDGOV_ASSIGN_OR_RETURN(int max_id, RuleFieldStore::maxFieldId(s));
    const Timestamp now = nowUtc();
    domain::RuleField f;
    f.field_key = input.field_key;
    f.field_id = std::max(max_id + 1, domain::kFirstCustomFieldId);
    f.definition = input.definition;
    f.created_by = actor.subject;
    f.created_at = now;
    f.updated_at = now;
    FRAUDGOV_RETURN_IF_ERROR(insertField(s, actor, f, versionOf(f, actor.subject, now)));
    return f;
  });
}

Result<domain::RuleField> CatalogService::patchField(const domain::Actor& actor, std::string_view field_key,
                                                     const FieldPatch& patch) {
  return store::inWrite(db_, [&](SqlSession& s) -> Result<domain::RuleField> {
    FRAUDGOV_ASSIGN_OR_RETURN(domain::RuleField before, requireField(s, field_key));
    domain::RuleField after = before;
    after.definition = applyPatch(before.definition, patch);
    if (after.definition == before.definition) return before;  // nothing changed: no version, no audit row
    if (auto issues = domain::checkDefinition(after.definition); !issues.empty())
      return fail(domain::validationError(issues));
    after.current_version = before.current_version + 1;
    after.version = before.version + 1;
    after.updated_at = nowUtc();
    FRAUDGOV_ASSIGN_OR_RETURN(bool updated, RuleFieldStore::update(s, after, before.version));
    if (!updated) {
      return fail(Error::concurrentModification(
          "Rule field was modified by another transaction. Please refresh and try again.",
          {{"entity_type", "RuleField"}, {"entity_id", field_key}}));
    }
    FRAUDGOV_RETURN_IF_ERROR(recordVersion(s, actor, versionOf(after, actor.subject, after.updated_at)));
    FRAUDGOV_RETURN_IF_ERROR(
        AuditStore::append(s, actor,
                           {domain::audit_entity::kRuleField, domain::fieldAuditId(field_key), "UPDATE",
                            domain::auditSnapshot(before), domain::auditSnapshot(after)}));
    return after;
  });
}

Result<std::vector<domain::FieldMetadata>> CatalogService::listMetadata(std::string_view field_key) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<std::vector<domain::FieldMetadata>> {
    FRAUDGOV_RETURN_IF_ERROR(requireField(s, field_key));
    return RuleFieldStore::listMetadata(s, field_key);
  });
}

Result<domain::FieldMetadata> CatalogService::getMetadata(std::string_view field_key, std::string_view meta_key) {
  return store::inRead(db_, [&](SqlSession& s) -> Result<domain::FieldMetadata> {
    FRAUDGOV_RETURN_IF_ERROR(requireField(s, field_key));
    return requireFound(RuleFieldStore::findMetadata(s, field_key, meta_key),
                        [&] { return metadataNotFound(field_key, meta_key); });
  });
}

Result<MetadataPut> CatalogService::putMetadata(const domain::Actor& actor, std::string_view field_key,
                                                std::string_view meta_key, boost::json::object meta_value) {
  std::vector<domain::FieldIssue> issues;
  if (auto problem = domain::checkMetaKey(meta_key)) issues.push_back({"meta_key", *problem});
  if (meta_value.empty()) issues.push_back({"meta_value", "meta_value cannot be empty"});
  if (json::containsNul(meta_value)) issues.push_back({"meta_value", "meta_value must not contain NUL characters"});
  if (!issues.empty()) return fail(domain::validationError(issues));

  return store::inWrite(db_, [&](SqlSession& s) -> Result<MetadataPut> {
    FRAUDGOV_RETURN_IF_ERROR(requireField(s, field_key));
    FRAUDGOV_ASSIGN_OR_RETURN(auto existing, RuleFieldStore::findMetadata(s, field_key, meta_key));
    const Timestamp now = nowUtc();
    const std::string audit_id = domain::metadataAuditId(field_key, meta_key);
    if (!existing) {
      domain::FieldMetadata m{
          std::string(field_key), std::string(meta_key), std::move(meta_value), std::nullopt, now, now};
      FRAUDGOV_RETURN_IF_ERROR(RuleFieldStore::insertMetadata(s, m));
      FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(
          s, actor, {domain::audit_entity::kRuleFieldMetadata, audit_id, "CREATE", nullptr, domain::auditSnapshot(m)}));
      return MetadataPut{std::move(m), true};
    }
    if (existing->meta_value == meta_value) return MetadataPut{std::move(*existing), false};
    domain::FieldMetadata updated = *existing;
    updated.meta_value = std::move(meta_value);
    updated.updated_at = now;
    FRAUDGOV_RETURN_IF_ERROR(RuleFieldStore::updateMetadata(s, updated));
    FRAUDGOV_RETURN_IF_ERROR(AuditStore::append(s, actor,
                                                {domain::audit_entity::kRuleFieldMetadata, audit_id, "UPDATE",
                                                 domain::auditSnapshot(*existing), domain::auditSnapshot(updated)}));
    return MetadataPut{std::move(updated), false};
  });
}

Status CatalogService::deleteMetadata(const domain::Actor& actor, std::string_view field_key,
                                      std::string_view meta_key) {
  return db_.write([&](SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(requireField(s, field_key));
    FRAUDGOV_ASSIGN_OR_RETURN(auto existing, RuleFieldStore::findMetadata(s, field_key, meta_key));
    if (!existing) return fail(metadataNotFound(field_key, meta_key));
    FRAUDGOV_RETURN_IF_ERROR(RuleFieldStore::deleteMetadata(s, field_key, meta_key));
    FRAUDGOV_RETURN_IF_ERROR(
        AuditStore::append(s, actor,
                           {domain::audit_entity::kRuleFieldMetadata, domain::metadataAuditId(field_key, meta_key),
                            "DELETE", domain::auditSnapshot(*existing), nullptr}));
    return {};
  });
}

Status CatalogService::seedStandardFields() {
  return db_.write([](SqlSession& s) -> Status {
    FRAUDGOV_ASSIGN_OR_RETURN(auto marker, store::StoreMetadata::get(s, kSeedMarker));
    if (marker) return {};
    const domain::Actor system{"fraudgov", "system", ""};
    const Timestamp now = nowUtc();
    for (const auto& sf : domain::standardFields()) {
      domain::RuleField f;
      f.field_key = sf.field_key;
      f.field_id = sf.field_id;
      f.definition = {sf.display_name,      std::nullopt,           sf.data_type,
                      sf.allowed_operators, sf.multi_value_allowed, sf.is_sensitive};
      f.created_by = system.subject;
      f.created_at = now;
      f.updated_at = now;
      domain::FieldVersion v = versionOf(f, system.subject, now);
      v.status = domain::VersionStatus::kApproved;  // the reviewed standard set, as the predecessor seeded it
      v.approved_by = system.subject;
      v.approved_at = now;
      FRAUDGOV_RETURN_IF_ERROR(insertField(s, system, f, std::move(v)));
    }
    return store::StoreMetadata::put(s, kSeedMarker, formatIso(now));
  });
}

}  // namespace fraudgov::service
