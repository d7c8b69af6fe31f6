#include "store/field_registry_store.h"

#include <boost/json/serialize.hpp>

#include "common/json.h"
#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

#define FRAUDGOV_REGISTRY_COLUMNS \
  "manifest_id, registry_version, artifact_uri, checksum, field_count, fields, created_by, created_by_issuer, created_at"
constexpr Sql kInsert{"registry_insert", "INSERT INTO field_registry_manifests (" FRAUDGOV_REGISTRY_COLUMNS
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"};
constexpr Sql kLatest{"registry_latest", "SELECT " FRAUDGOV_REGISTRY_COLUMNS
                                         " FROM field_registry_manifests ORDER BY registry_version DESC LIMIT 1"};
constexpr Sql kFind{"registry_find",
                    "SELECT " FRAUDGOV_REGISTRY_COLUMNS " FROM field_registry_manifests WHERE registry_version = $1"};
constexpr Sql kList{"registry_list", "SELECT " FRAUDGOV_REGISTRY_COLUMNS
                                     " FROM field_registry_manifests ORDER BY registry_version DESC LIMIT $1"};
#undef FRAUDGOV_REGISTRY_COLUMNS

Result<RegistryManifest> manifestFrom(const Row& row) {
  RowDecoder d(row, "field_registry_manifests", 0);
  RegistryManifest m;
  m.manifest_id = row.text(0);
  m.registry_version = static_cast<int>(row.integer(1));
  m.artifact_uri = row.text(2);
  m.checksum = row.text(3);
  m.field_count = static_cast<int>(row.integer(4));
  auto fields = json::parseStrict(row.text(5));
  if (fields && fields->is_array()) {
    m.fields = std::move(*fields);
  } else {
    d.corrupt("fields");
  }
  m.created_by = row.text(6);
  m.created_by_issuer = row.text(7);
  m.created_at = row.timestamp(8);
  return d.finish(std::move(m));
}

}  // namespace

Status FieldRegistryStore::insert(SqlSession& s, const RegistryManifest& m) {
  const SqlParam params[] = {m.manifest_id,   std::int64_t{m.registry_version}, m.artifact_uri,
                             m.checksum,      std::int64_t{m.field_count},      boost::json::serialize(m.fields),
                             m.created_by,    m.created_by_issuer,              m.created_at};
  return runStatement(s, kInsert, params);
}

Result<std::optional<RegistryManifest>> FieldRegistryStore::latest(SqlSession& s) {
  return first<RegistryManifest>(s, kLatest, {}, manifestFrom);
}

Result<std::optional<RegistryManifest>> FieldRegistryStore::find(SqlSession& s, int registry_version) {
  const SqlParam params[] = {std::int64_t{registry_version}};
  return first<RegistryManifest>(s, kFind, params, manifestFrom);
}

Result<std::vector<RegistryManifest>> FieldRegistryStore::list(SqlSession& s, int limit) {
  const SqlParam params[] = {std::int64_t{limit}};
  return collect<RegistryManifest>(s, kList, params, manifestFrom);
}

}  // namespace fraudgov::store
