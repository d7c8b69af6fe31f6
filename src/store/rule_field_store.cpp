#include "store/rule_field_store.h"

#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

#define FRAUDGOV_FIELD_COLUMNS                                                                          \
  "field_key, field_id, display_name, description, data_type, allowed_operators, multi_value_allowed, " \
  "is_sensitive, current_version, version, created_by, created_at, updated_at"

constexpr Sql kList{"field_list", "SELECT " FRAUDGOV_FIELD_COLUMNS " FROM rule_fields ORDER BY field_id"};
constexpr Sql kFind{"field_find", "SELECT " FRAUDGOV_FIELD_COLUMNS " FROM rule_fields WHERE field_key = $1"};
constexpr Sql kMaxId{"field_max_id", "SELECT COALESCE(MAX(field_id), 0) FROM rule_fields"};
constexpr Sql kInsert{"field_insert", "INSERT INTO rule_fields (" FRAUDGOV_FIELD_COLUMNS
                                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"};
constexpr Sql kUpdate{"field_update",
                      "UPDATE rule_fields SET display_name = $2, description = $3, data_type = $4, "
                      "allowed_operators = $5, multi_value_allowed = $6, is_sensitive = $7, current_version = $8, "
                      "version = $9, updated_at = $10 WHERE field_key = $1 AND version = $11"};
#undef FRAUDGOV_FIELD_COLUMNS

#define FRAUDGOV_VERSION_COLUMNS                                                                \
  "rule_field_version_id, field_key, version, field_id, display_name, description, data_type, " \
  "allowed_operators, multi_value_allowed, is_sensitive, status, created_by, created_at, approved_by, approved_at"
constexpr Sql kInsertVersion{"field_version_insert",
                             "INSERT INTO rule_field_versions (" FRAUDGOV_VERSION_COLUMNS
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"};
constexpr Sql kListVersions{"field_version_list",
                            "SELECT " FRAUDGOV_VERSION_COLUMNS
                            " FROM rule_field_versions WHERE field_key = $1 ORDER BY version DESC"};
constexpr Sql kLatestApproved{"field_version_latest_approved",
                              "SELECT " FRAUDGOV_VERSION_COLUMNS
                              " FROM rule_field_versions v WHERE status = 'APPROVED' AND version = "
                              "(SELECT MAX(w.version) FROM rule_field_versions w WHERE w.field_key = v.field_key "
                              "AND w.status = 'APPROVED') ORDER BY field_id, field_key"};
#undef FRAUDGOV_VERSION_COLUMNS

constexpr Sql kListMeta{"meta_list",
                        "SELECT field_key, meta_key, meta_value, description, created_at, updated_at "
                        "FROM rule_field_metadata WHERE field_key = $1 ORDER BY meta_key"};
constexpr Sql kFindMeta{"meta_find",
                        "SELECT field_key, meta_key, meta_value, description, created_at, updated_at "
                        "FROM rule_field_metadata WHERE field_key = $1 AND meta_key = $2"};
constexpr Sql kInsertMeta{"meta_insert",
                          "INSERT INTO rule_field_metadata (field_key, meta_key, meta_value, description, created_at, "
                          "updated_at) VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Sql kUpdateMeta{"meta_update",
                          "UPDATE rule_field_metadata SET meta_value = $3, updated_at = $4 "
                          "WHERE field_key = $1 AND meta_key = $2"};
constexpr Sql kDeleteMeta{"meta_delete", "DELETE FROM rule_field_metadata WHERE field_key = $1 AND meta_key = $2"};

constexpr Sql kGetMetadata{"store_metadata_get", "SELECT value FROM store_metadata WHERE key = $1"};
constexpr Sql kPutMetadata{"store_metadata_put",
                           "INSERT INTO store_metadata (key, value) VALUES ($1, $2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value"};

// allowed_operators is a JSON array of operator names; anything else is corruption.
void operatorsFrom(RowDecoder& d, const boost::json::value& v, std::vector<domain::Operator>& out) {
  if (!v.is_array()) return d.corrupt("allowed_operators");
  for (const auto& e : v.as_array()) {
    const auto op = e.is_string() ? domain::parseOperator(e.as_string()) : std::nullopt;
    if (!op) return d.corrupt("allowed_operators");
    out.push_back(*op);
  }
}

// Reads the definition columns starting at `first`: display_name, description, data_type,
// allowed_operators, multi_value_allowed, is_sensitive.
domain::FieldDefinition definitionFrom(RowDecoder& d, const Row& row, std::size_t first) {
  domain::FieldDefinition def;
  def.display_name = row.text(first);
  def.description = row.optionalText(first + 1);
  d.enumValue(first + 2, "data_type", domain::parseDataType, def.data_type);
  operatorsFrom(d, row.json(first + 3), def.allowed_operators);
  def.multi_value_allowed = row.boolean(first + 4);
  def.is_sensitive = row.boolean(first + 5);
  return def;
}

Result<domain::RuleField> fieldFrom(const Row& row) {
  RowDecoder d(row, "rule_fields", 0);
  domain::RuleField f;
  f.field_key = row.text(0);
  f.field_id = static_cast<int>(row.integer(1));
  f.definition = definitionFrom(d, row, 2);
  f.current_version = static_cast<int>(row.integer(8));
  f.version = static_cast<int>(row.integer(9));
  f.created_by = row.text(10);
  f.created_at = row.timestamp(11);
  f.updated_at = row.timestamp(12);
  return d.finish(std::move(f));
}

Result<domain::FieldVersion> fieldVersionFrom(const Row& row) {
  RowDecoder d(row, "rule_field_versions", 0);
  domain::FieldVersion v;
  v.rule_field_version_id = row.text(0);
  v.field_key = row.text(1);
  v.version = static_cast<int>(row.integer(2));
  v.field_id = static_cast<int>(row.integer(3));
  v.definition = definitionFrom(d, row, 4);
  d.enumValue(10, "status", domain::parseVersionStatus, v.status);
  v.created_by = row.text(11);
  v.created_at = row.timestamp(12);
  v.approved_by = row.optionalText(13);
  v.approved_at = row.optionalTimestamp(14);
  return d.finish(std::move(v));
}

Result<domain::FieldMetadata> metadataFrom(const Row& row) {
  RowDecoder d(row, "rule_field_metadata", 0);
  domain::FieldMetadata m;
  m.field_key = row.text(0);
  m.meta_key = row.text(1);
  d.object(2, "meta_value", m.meta_value);
  m.description = row.optionalText(3);
  m.created_at = row.timestamp(4);
  m.updated_at = row.timestamp(5);
  return d.finish(std::move(m));
}

}  // namespace

Result<std::vector<domain::RuleField>> RuleFieldStore::list(SqlSession& s) {
  return collect<domain::RuleField>(s, kList, {}, fieldFrom);
}

Result<std::optional<domain::RuleField>> RuleFieldStore::find(SqlSession& s, std::string_view field_key) {
  const SqlParam params[] = {std::string(field_key)};
  return first<domain::RuleField>(s, kFind, params, fieldFrom);
}

Result<int> RuleFieldStore::maxFieldId(SqlSession& s) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMaxId));
  return static_cast<int>(rows.at(0).integer(0));
}

Status RuleFieldStore::insert(SqlSession& s, const domain::RuleField& f) {
  const auto& d = f.definition;
  const SqlParam params[] = {f.field_key,
                             std::int64_t{f.field_id},
                             d.display_name,
                             nullableText(d.description),
                             std::string(domain::dataTypeName(d.data_type)),
                             JsonParam{domain::operatorsJson(d.allowed_operators)},
                             d.multi_value_allowed,
                             d.is_sensitive,
                             std::int64_t{f.current_version},
                             std::int64_t{f.version},
                             f.created_by,
                             f.created_at,
                             f.updated_at};
  return runStatement(s, kInsert, params);
}

Result<bool> RuleFieldStore::update(SqlSession& s, const domain::RuleField& f, int expected_version) {
  const auto& d = f.definition;
  const SqlParam params[] = {f.field_key,
                             d.display_name,
                             nullableText(d.description),
                             std::string(domain::dataTypeName(d.data_type)),
                             JsonParam{domain::operatorsJson(d.allowed_operators)},
                             d.multi_value_allowed,
                             d.is_sensitive,
                             std::int64_t{f.current_version},
                             std::int64_t{f.version},
                             f.updated_at,
                             std::int64_t{expected_version}};
  return updatedOneRow(s, kUpdate, params);
}

Status RuleFieldStore::insertVersion(SqlSession& s, const domain::FieldVersion& v) {
  const auto& d = v.definition;
  const SqlParam params[] = {v.rule_field_version_id,
                             v.field_key,
                             std::int64_t{v.version},
                             std::int64_t{v.field_id},
                             d.display_name,
                             nullableText(d.description),
                             std::string(domain::dataTypeName(d.data_type)),
                             JsonParam{domain::operatorsJson(d.allowed_operators)},
                             d.multi_value_allowed,
                             d.is_sensitive,
                             std::string(domain::versionStatusName(v.status)),
                             v.created_by,
                             v.created_at,
                             nullableText(v.approved_by),
                             v.approved_at ? SqlParam(*v.approved_at) : SqlParam(std::monostate{})};
  return runStatement(s, kInsertVersion, params);
}

Result<std::vector<domain::FieldVersion>> RuleFieldStore::listVersions(SqlSession& s, std::string_view field_key) {
  const SqlParam params[] = {std::string(field_key)};
  return collect<domain::FieldVersion>(s, kListVersions, params, fieldVersionFrom);
}

Result<std::vector<domain::FieldVersion>> RuleFieldStore::latestApprovedVersions(SqlSession& s) {
  return collect<domain::FieldVersion>(s, kLatestApproved, {}, fieldVersionFrom);
}

Result<std::vector<domain::FieldMetadata>> RuleFieldStore::listMetadata(SqlSession& s, std::string_view field_key) {
  const SqlParam params[] = {std::string(field_key)};
  return collect<domain::FieldMetadata>(s, kListMeta, params, metadataFrom);
}

Result<std::optional<domain::FieldMetadata>> RuleFieldStore::findMetadata(SqlSession& s, std::string_view field_key,
                                                                          std::string_view meta_key) {
  const SqlParam params[] = {std::string(field_key), std::string(meta_key)};
  return first<domain::FieldMetadata>(s, kFindMeta, params, metadataFrom);
}

Status RuleFieldStore::insertMetadata(SqlSession& s, const domain::FieldMetadata& m) {
  const SqlParam params[] = {m.field_key,  m.meta_key,  JsonParam{m.meta_value}, nullableText(m.description),
                             m.created_at, m.updated_at};
  return runStatement(s, kInsertMeta, params);
}

Status RuleFieldStore::updateMetadata(SqlSession& s, const domain::FieldMetadata& m) {
  const SqlParam params[] = {m.field_key, m.meta_key, JsonParam{m.meta_value}, m.updated_at};
  return runStatement(s, kUpdateMeta, params);
}

Status RuleFieldStore::deleteMetadata(SqlSession& s, std::string_view field_key, std::string_view meta_key) {
  const SqlParam params[] = {std::string(field_key), std::string(meta_key)};
  return runStatement(s, kDeleteMeta, params);
}

Result<std::optional<std::string>> StoreMetadata::get(SqlSession& s, std::string_view key) {
  const SqlParam params[] = {std::string(key)};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kGetMetadata, params));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>(rows[0].text(0));
}

Status StoreMetadata::put(SqlSession& s, std::string_view key, std::string_view value) {
  const SqlParam params[] = {std::string(key), std::string(value)};
  return runStatement(s, kPutMetadata, params);
}

}  // namespace fraudgov::store
