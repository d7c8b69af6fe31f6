#include "store/audit_store.h"

#include <limits>

#include "common/uuid.h"
#include "domain/audit_verification.h"
#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

constexpr Sql kLastRow{"audit_last", "SELECT seq, row_hash FROM audit_log ORDER BY seq DESC LIMIT 1"};

constexpr Sql kHashAt{"audit_hash_at", "SELECT row_hash FROM audit_log WHERE seq = $1"};

constexpr Sql kInsert{
    "audit_insert",
    "INSERT INTO audit_log (seq, audit_id, entity_type, entity_id, action, old_value, new_value, performed_by, "
    "performed_by_issuer, performed_at, request_id, prev_hash, row_hash) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"};

// Optional filters are written "(column = $n OR $n IS NULL)" so one static statement serves every
// combination with bound parameters only.
#define FRAUDGOV_AUDIT_FILTERS                                                       \
  "(entity_type = $1 OR $1 IS NULL) AND (entity_id = $2 OR $2 IS NULL) " \
  "AND (action = $3 OR $3 IS NULL) AND (performed_by = $4 OR $4 IS NULL) " \
  "AND (performed_at >= $5 OR $5 IS NULL) AND (performed_at <= $6 OR $6 IS NULL) "
#define FRAUDGOV_AUDIT_SELECT                                                                  \
  "SELECT seq, audit_id, entity_type, entity_id, action, old_value, new_value, performed_by, " \
  "performed_by_issuer, performed_at, request_id, prev_hash, row_hash FROM audit_log WHERE "

constexpr Sql kListNext{"audit_list_next",
                        FRAUDGOV_AUDIT_SELECT FRAUDGOV_AUDIT_FILTERS "AND seq < $7 ORDER BY seq DESC LIMIT $8"};
constexpr Sql kListPrev{"audit_list_prev",
                        FRAUDGOV_AUDIT_SELECT FRAUDGOV_AUDIT_FILTERS "AND seq > $7 ORDER BY seq ASC LIMIT $8"};
constexpr Sql kChainBatch{"audit_chain_batch", FRAUDGOV_AUDIT_SELECT "seq > $1 ORDER BY seq ASC LIMIT $2"};
#undef FRAUDGOV_AUDIT_SELECT
#undef FRAUDGOV_AUDIT_FILTERS

domain::AuditRecord fromRow(const Row& row) {
  domain::AuditRecord r;
  r.seq = row.integer(0);
  r.audit_id = row.text(1);
  r.event.entity_type = row.text(2);
  r.event.entity_id = row.text(3);
  r.event.action = row.text(4);
  r.event.old_value = row.json(5);
  r.event.new_value = row.json(6);
  r.performed_by = row.text(7);
  r.performed_by_issuer = row.text(8);
  r.performed_at = row.timestamp(9);
  r.request_id = row.optionalText(10);
  r.prev_hash = row.text(11);
  r.row_hash = row.text(12);
  return r;
}


}  // namespace

Result<domain::AuditRecord> AuditStore::append(SqlSession& s, const domain::Actor& actor, domain::AuditEvent event) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows last, s.query(kLastRow));
  domain::AuditRecord r;
  r.seq = last.empty() ? 1 : last[0].integer(0) + 1;
  r.prev_hash = last.empty() ? std::string(domain::kGenesisHash) : last[0].text(1);
  r.audit_id = uuid::v7();
  r.event = std::move(event);
  r.performed_by = actor.subject;
  r.performed_by_issuer = actor.issuer;
  r.performed_at = nowUtc();
  if (!actor.request_id.empty()) r.request_id = actor.request_id;
  r.row_hash = domain::auditRowHash(r.prev_hash, r);
  const SqlParam params[] = {r.seq,
                             r.audit_id,
                             r.event.entity_type,
                             r.event.entity_id,
                             r.event.action,
                             jsonOrNull(r.event.old_value),
                             jsonOrNull(r.event.new_value),
                             r.performed_by,
                             r.performed_by_issuer,
                             r.performed_at,
                             nullableText(r.request_id),
                             r.prev_hash,
                             r.row_hash};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsert, params));
  return r;
}

Result<std::vector<domain::AuditRecord>> AuditStore::list(SqlSession& s, const AuditFilter& f, const SeqBounds& page) {
  // The first page is the page after +infinity, so one statement per direction suffices.
  const std::int64_t after = page.after.value_or(std::numeric_limits<std::int64_t>::max());
  const SqlParam params[] = {nullableText(f.entity_type),
                             nullableText(f.entity_id),
                             nullableText(f.action),
                             nullableText(f.performed_by),
                             optionalTime(f.since),
                             optionalTime(f.until),
                             after,
                             std::int64_t{page.limit + 1}};
  const Sql& list = page.backwards ? kListPrev : kListNext;
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(list, params));
  std::vector<domain::AuditRecord> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    out.push_back(fromRow(row));
    // Verification reads the same rows and reports a mangled one as a broken chain; a listing
    // must not show it as if it were sound.
    FRAUDGOV_RETURN_IF_ERROR(readable(row, list));
  }
  return out;
}

Result<AuditVerification> AuditStore::verify(SqlSession& s) {
  domain::AuditChainWalker walker;
  FRAUDGOV_RETURN_IF_ERROR(walk(s, 0, [&](const domain::AuditRecord& r) { return walker.add(r); }));
  AuditVerification v;
  v.checked = walker.checked();
  if (const auto& b = walker.broken()) {
    v.ok = false;
    v.broken_seq = b->seq;
    v.broken_audit_id = b->audit_id;
    v.reason = b->reason;
  }
  return v;
}

Status AuditStore::walk(SqlSession& s, std::int64_t after_seq,
                        const std::function<bool(const domain::AuditRecord&)>& visit) {
  constexpr std::int64_t kBatch = 2000;
  for (std::int64_t after = after_seq;;) {
    const SqlParam params[] = {after, kBatch};
    FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kChainBatch, params));
    for (const Row& row : rows) {
      const domain::AuditRecord r = fromRow(row);
      if (!visit(r)) return {};
      after = r.seq;
    }
    if (static_cast<std::int64_t>(rows.size()) < kBatch) return {};
  }
}

Result<std::optional<AuditHead>> AuditStore::head(SqlSession& s) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows last, s.query(kLastRow));
  if (last.empty()) return std::optional<AuditHead>{};
  return std::optional<AuditHead>(AuditHead{last[0].integer(0), last[0].text(1)});
}

Result<std::optional<std::string>> AuditStore::hashAt(SqlSession& s, std::int64_t seq) {
  const SqlParam params[] = {seq};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kHashAt, params));
  if (rows.empty()) return std::optional<std::string>{};
  return std::optional<std::string>(rows[0].text(0));
}

}  // namespace fraudgov::store
