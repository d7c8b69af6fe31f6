#include "store/audit_checkpoint_store.h"

#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

#define FRAUDGOV_CHECKPOINT_COLUMNS \
  "sequence, head_hash, checkpointed_at, environment, kid, document, created_by, created_by_issuer"

constexpr Sql kInsert{"audit_checkpoint_insert", "INSERT INTO audit_checkpoints (" FRAUDGOV_CHECKPOINT_COLUMNS
                                                 ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"};
constexpr Sql kLatest{"audit_checkpoint_latest", "SELECT " FRAUDGOV_CHECKPOINT_COLUMNS
                                                 " FROM audit_checkpoints ORDER BY sequence DESC LIMIT 1"};
constexpr Sql kFind{"audit_checkpoint_find",
                    "SELECT " FRAUDGOV_CHECKPOINT_COLUMNS " FROM audit_checkpoints WHERE sequence = $1"};
#undef FRAUDGOV_CHECKPOINT_COLUMNS

Result<AuditCheckpointRow> fromRow(const Row& row) {
  return AuditCheckpointRow{row.integer(0), row.text(1), row.timestamp(2), row.text(3),
                            row.text(4),    row.text(5), row.text(6),      row.text(7)};
}

}  // namespace

Status AuditCheckpointStore::insert(SqlSession& s, const AuditCheckpointRow& r) {
  const SqlParam params[] = {r.sequence, r.head_hash, r.checkpointed_at, r.environment,
                             r.kid,      r.document,  r.created_by,      r.created_by_issuer};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsert, params));
  return {};
}

Result<std::optional<AuditCheckpointRow>> AuditCheckpointStore::latest(SqlSession& s) {
  return first<AuditCheckpointRow>(s, kLatest, {}, fromRow);
}

Result<std::optional<AuditCheckpointRow>> AuditCheckpointStore::find(SqlSession& s, std::int64_t sequence) {
  const SqlParam params[] = {sequence};
  return first<AuditCheckpointRow>(s, kFind, params, fromRow);
}

}  // namespace fraudgov::store
