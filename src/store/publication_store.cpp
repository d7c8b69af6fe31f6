#include "store/publication_store.h"

#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

using domain::ActivationRecordRow;
using domain::PublishedArtifact;

#define FRAUDGOV_MANIFEST_COLUMNS                                                                          \
  "manifest_id, ruleset_version_id, environment, region, country, rule_type, ruleset_key, publication, "   \
  "field_registry_version, artifact_uri, manifest_uri, checksum, signing_kid, created_by, created_by_issuer, " \
  "created_at, manifest"
constexpr Sql kInsertManifest{"manifest_insert",
                              "INSERT INTO ruleset_manifests (" FRAUDGOV_MANIFEST_COLUMNS
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"};
constexpr Sql kFindManifest{"manifest_find", "SELECT " FRAUDGOV_MANIFEST_COLUMNS
                                             " FROM ruleset_manifests WHERE ruleset_version_id = $1"};
#undef FRAUDGOV_MANIFEST_COLUMNS
constexpr Sql kMaxPublication{"manifest_max_publication",
                              "SELECT COALESCE(MAX(publication), 0) FROM ruleset_manifests WHERE environment = $1 "
                              "AND region = $2 AND country = $3 AND rule_type = $4"};
constexpr Sql kInsertActivation{
    "activation_insert",
    "INSERT INTO ruleset_activations (activation_id, ruleset_version_id, manifest_id, environment, region, country, "
    "ruleset_key, sequence, pointer_uri, record, activated_by, activated_by_issuer, activated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"};
constexpr Sql kMaxSequence{"activation_max_sequence",
                           "SELECT COALESCE(MAX(sequence), 0) FROM ruleset_activations WHERE environment = $1 "
                           "AND region = $2 AND country = $3 AND ruleset_key = $4"};
constexpr Sql kLatestRecord{"activation_latest_record",
                             "SELECT record FROM ruleset_activations WHERE environment = $1 AND region = $2 "
                             "AND country = $3 AND ruleset_key = $4 ORDER BY sequence DESC LIMIT 1"};
constexpr Sql kListKeys{"artifact_key_list",
                        "SELECT kid, public_key_pem, status, created_at FROM artifact_keys "
                        "ORDER BY status ASC, created_at DESC, kid ASC"};
constexpr Sql kRetireKeys{"artifact_key_retire",
                          "UPDATE artifact_keys SET status = 'retired' WHERE status = 'active' AND kid <> $1"};
constexpr Sql kUpsertKey{"artifact_key_upsert",
                         "INSERT INTO artifact_keys (kid, public_key_pem, status, created_at) VALUES ($1, $2, $3, $4) "
                         "ON CONFLICT (kid) DO UPDATE SET status = excluded.status"};

Result<std::pair<PublishedArtifact, std::string>> manifestFrom(const Row& row) {
  RowDecoder d(row, "ruleset_manifests", 0);
  PublishedArtifact p;
  p.manifest_id = row.text(0);
  p.ruleset_version_id = row.text(1);
  p.environment = row.text(2);
  p.region = row.text(3);
  p.country = row.text(4);
  d.enumValue(5, "rule_type", domain::parseRuleType, p.rule_type);
  p.ruleset_key = row.text(6);
  p.publication = static_cast<int>(row.integer(7));
  if (!row.isNull(8)) p.field_registry_version = static_cast<int>(row.integer(8));
  p.artifact_uri = row.text(9);
  p.manifest_uri = row.text(10);
  p.checksum = row.text(11);
  p.signing_kid = row.text(12);
  p.created_by = row.text(13);
  p.created_by_issuer = row.text(14);
  p.created_at = row.timestamp(15);
  return d.finish(std::make_pair(std::move(p), row.text(16)));
}

Result<ArtifactKeyRow> keyFrom(const Row& row) {
  RowDecoder d(row, "artifact_keys", 0);
  ArtifactKeyRow k{row.text(0), row.text(1), row.text(2), row.timestamp(3)};
  if (k.status != "active" && k.status != "retired") d.corrupt("status");
  return d.finish(std::move(k));
}

SqlParam optionalInt(const std::optional<int>& v) { return v ? SqlParam(std::int64_t{*v}) : SqlParam(std::monostate{}); }

}  // namespace

Status PublicationStore::insertManifest(SqlSession& s, const PublishedArtifact& p, std::string_view manifest) {
  const SqlParam params[] = {p.manifest_id,
                             p.ruleset_version_id,
                             p.environment,
                             p.region,
                             p.country,
                             std::string(domain::ruleTypeName(p.rule_type)),
                             p.ruleset_key,
                             std::int64_t{p.publication},
                             optionalInt(p.field_registry_version),
                             p.artifact_uri,
                             p.manifest_uri,
                             p.checksum,
                             p.signing_kid,
                             p.created_by,
                             p.created_by_issuer,
                             p.created_at,
                             std::string(manifest)};
  return runStatement(s, kInsertManifest, params);
}

Result<std::optional<std::pair<PublishedArtifact, std::string>>> PublicationStore::findManifest(
    SqlSession& s, std::string_view ruleset_version_id) {
  const SqlParam params[] = {std::string(ruleset_version_id)};
  return first<std::pair<PublishedArtifact, std::string>>(s, kFindManifest, params, manifestFrom);
}

Result<int> PublicationStore::maxPublication(SqlSession& s, const PublishedArtifact& target) {
  const SqlParam params[] = {target.environment, target.region, target.country,
                             std::string(domain::ruleTypeName(target.rule_type))};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMaxPublication, params));
  return static_cast<int>(rows.at(0).integer(0));
}

Status PublicationStore::insertActivation(SqlSession& s, const ActivationRecordRow& a, std::string_view record) {
  const SqlParam params[] = {a.activation_id, a.ruleset_version_id, a.manifest_id,  a.environment,
                             a.region,        a.country,            a.ruleset_key,  a.sequence,
                             a.pointer_uri,   std::string(record),  a.activated_by, a.activated_by_issuer,
                             a.activated_at};
  return runStatement(s, kInsertActivation, params);
}

Result<std::int64_t> PublicationStore::maxSequence(SqlSession& s, const ActivationRecordRow& pointer) {
  const SqlParam params[] = {pointer.environment, pointer.region, pointer.country, pointer.ruleset_key};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMaxSequence, params));
  return rows.at(0).integer(0);
}

Result<std::optional<std::string>> PublicationStore::latestActivationRecord(SqlSession& s,
                                                                           const ActivationRecordRow& pointer) {
  const SqlParam params[] = {pointer.environment, pointer.region, pointer.country, pointer.ruleset_key};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kLatestRecord, params));
  if (rows.empty()) return std::optional<std::string>();
  return std::optional<std::string>(rows.at(0).text(0));
}

Result<std::vector<ArtifactKeyRow>> PublicationStore::listKeys(SqlSession& s) {
  return collect<ArtifactKeyRow>(s, kListKeys, {}, keyFrom);
}

Status PublicationStore::registerActiveKey(SqlSession& s, const ArtifactKeyRow& active) {
  const SqlParam retire[] = {active.kid};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kRetireKeys, retire));
  const SqlParam upsert[] = {active.kid, active.public_key_pem, std::string("active"), active.created_at};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kUpsertKey, upsert));
  return {};
}

}  // namespace fraudgov::store
