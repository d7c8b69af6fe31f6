#include "service/field_registry_service.h"

#include <algorithm>

#include "common/canonical_json.h"
#include "common/crypto.h"
#include "common/uuid.h"
#include "publish/artifact_location.h"
#include "service/require_found.h"
#include "store/audit_store.h"
#include "store/rule_field_store.h"

namespace fraudgov::service {

namespace {

boost::json::object registryEntry(const domain::FieldVersion& v) {
  boost::json::array ops;
  for (auto op : v.definition.allowed_operators) ops.emplace_back(domain::operatorName(op));
  boost::json::object o{{"field_id", v.field_id},
                        {"field_key", v.field_key},
                        {"display_name", v.definition.display_name},
                        {"data_type", domain::dataTypeName(v.definition.data_type)},
                        {"allowed_operators", std::move(ops)},
                        {"multi_value_allowed", v.definition.multi_value_allowed},
                        {"is_sensitive", v.definition.is_sensitive}};
  o["description"] = v.definition.description ? boost::json::value(*v.definition.description) : nullptr;
  return o;
}

Error registryNotFound(int version) {
  return Error::notFound("Field registry manifest v" + std::to_string(version) + " not found",
                         {{"registry_version", version}});
}

}  // namespace

Result<std::optional<store::RegistryManifest>> FieldRegistryService::latest() {
  return store::inStatement(db_, [](store::SqlSession& s) { return store::FieldRegistryStore::latest(s); });
}

Result<std::vector<store::RegistryManifest>> FieldRegistryService::list() {
  return store::inStatement(db_, [](store::SqlSession& s) { return store::FieldRegistryStore::list(s, 100); });
}

Result<store::RegistryManifest> FieldRegistryService::find(int registry_version) {
  return requireFound(
      store::inStatement(db_,
                         [&](store::SqlSession& s) { return store::FieldRegistryStore::find(s, registry_version); }),
      [&] { return registryNotFound(registry_version); });
}

Result<int> FieldRegistryService::nextFieldId() {
  FRAUDGOV_ASSIGN_OR_RETURN(int max_id, store::inStatement(db_, [](store::SqlSession& s) {
                              return store::RuleFieldStore::maxFieldId(s);
                            }));
  return std::max(max_id + 1, domain::kFirstCustomFieldId);
}

Result<store::RegistryManifest> FieldRegistryService::publish(const domain::Actor& actor) {
  if (!artifacts_) return fail(Error::unavailable("Artifact storage is not configured"));
  return store::inWrite(db_, [&](store::SqlSession& s) -> Result<store::RegistryManifest> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto versions, store::RuleFieldStore::latestApprovedVersions(s));
    FRAUDGOV_ASSIGN_OR_RETURN(auto previous, store::FieldRegistryStore::latest(s));
    store::RegistryManifest m;
    m.manifest_id = uuid::v7();
    m.registry_version = previous ? previous->registry_version + 1 : 1;
    boost::json::array fields;
    for (const auto& v : versions) fields.push_back(registryEntry(v));
    m.field_count = static_cast<int>(fields.size());
    m.fields = fields;
    // Canonical and free of timestamps, so the same catalog always publishes the same bytes.
    const std::string bytes = json::canonicalize(boost::json::object{
        {"schema_version", 1}, {"registry_version", m.registry_version}, {"fields", std::move(fields)}});
    m.checksum = crypto::sha256Checksum(bytes);
    FRAUDGOV_ASSIGN_OR_RETURN(std::string key, publish::fieldRegistryKey(m.registry_version));
    FRAUDGOV_ASSIGN_OR_RETURN(auto stored, artifacts_->put(key, bytes, "application/json"));
    m.artifact_uri = stored.uri;
    m.created_by = actor.subject;
    m.created_by_issuer = actor.issuer;
    m.created_at = nowUtc();
    FRAUDGOV_RETURN_IF_ERROR(store::FieldRegistryStore::insert(s, m));
    FRAUDGOV_RETURN_IF_ERROR(store::AuditStore::append(
        s, actor,
        {domain::audit_entity::kFieldRegistryManifest, m.manifest_id, "PUBLISH", nullptr,
         boost::json::object{{"registry_version", m.registry_version},
                             {"artifact_uri", m.artifact_uri},
                             {"checksum", m.checksum},
                             {"field_count", m.field_count}}}));
    return m;
  });
}

}  // namespace fraudgov::service
