#include "store/approval_store.h"

#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

using domain::Approval;

#define FRAUDGOV_APPROVAL_COLUMNS                                                                                \
  "a.approval_id, a.entity_type, a.entity_id, a.action, a.status, a.maker, a.maker_issuer, a.author, "           \
  "a.author_issuer, a.checker, a.checker_issuer, a.content_digest, a.remarks, a.idempotency_key, a.created_at, " \
  "a.decided_at, rv.rule_id, rsv.ruleset_id"
#define FRAUDGOV_APPROVAL_FROM                                                                               \
  " FROM approvals a LEFT JOIN rule_versions rv ON a.entity_type = 'RULE_VERSION' AND rv.rule_version_id = " \
  "a.entity_id LEFT JOIN ruleset_versions rsv ON a.entity_type = 'RULESET_VERSION' "                       \
  "AND rsv.ruleset_version_id = a.entity_id "
#define FRAUDGOV_APPROVAL_FILTERS                                                      \
  "(a.status = $1 OR $1 IS NULL) AND (a.entity_type = $2 OR $2 IS NULL) " \
  "AND (a.entity_id = $3 OR $3 IS NULL) "
constexpr Sql kInsertApproval{
    "approval_insert",
    "INSERT INTO approvals (approval_id, entity_type, entity_id, action, status, maker, maker_issuer, author, "
    "author_issuer, checker, checker_issuer, content_digest, remarks, idempotency_key, created_at, decided_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"};
constexpr Sql kFindPending{"approval_pending", "SELECT " FRAUDGOV_APPROVAL_COLUMNS FRAUDGOV_APPROVAL_FROM
                                               "WHERE a.entity_id = $1 AND a.status = 'PENDING'"};
constexpr Sql kFindByKey{"approval_by_key", "SELECT " FRAUDGOV_APPROVAL_COLUMNS FRAUDGOV_APPROVAL_FROM
                                            "WHERE a.entity_type = $1 AND a.entity_id = $2 AND a.idempotency_key = $3"};
constexpr Sql kDecide{"approval_decide",
                      "UPDATE approvals SET status = $2, checker = $3, checker_issuer = $4, decided_at = $5, "
                      "remarks = COALESCE($6, remarks) WHERE approval_id = $1 AND status = 'PENDING'"};
constexpr Sql kListApprovalsNext{
    "approval_list_next", "SELECT " FRAUDGOV_APPROVAL_COLUMNS FRAUDGOV_APPROVAL_FROM "WHERE " FRAUDGOV_APPROVAL_FILTERS
                          "AND (a.created_at, a.approval_id) < ($4, $5) "
                          "ORDER BY a.created_at DESC, a.approval_id DESC LIMIT $6"};
constexpr Sql kListApprovalsPrev{
    "approval_list_prev", "SELECT " FRAUDGOV_APPROVAL_COLUMNS FRAUDGOV_APPROVAL_FROM "WHERE " FRAUDGOV_APPROVAL_FILTERS
                          "AND (a.created_at, a.approval_id) > ($4, $5) "
                          "ORDER BY a.created_at ASC, a.approval_id ASC LIMIT $6"};
#undef FRAUDGOV_APPROVAL_FILTERS
#undef FRAUDGOV_APPROVAL_FROM
#undef FRAUDGOV_APPROVAL_COLUMNS

Result<Approval> approvalFrom(const Row& row) {
  RowDecoder d(row, "approvals", 0);
  Approval a;
  a.approval_id = row.text(0);
  a.entity_type = row.text(1);
  a.entity_id = row.text(2);
  a.action = row.text(3);
  d.enumValue(4, "status", domain::parseApprovalStatus, a.status);
  a.maker = row.text(5);
  a.maker_issuer = row.text(6);
  a.author = row.text(7);
  a.author_issuer = row.text(8);
  a.checker = row.optionalText(9);
  a.checker_issuer = row.optionalText(10);
  a.content_digest = row.text(11);
  a.remarks = row.optionalText(12);
  a.idempotency_key = row.optionalText(13);
  a.created_at = row.timestamp(14);
  a.decided_at = row.optionalTimestamp(15);
  a.rule_id = row.optionalText(16);
  a.ruleset_id = row.optionalText(17);
  return d.finish(std::move(a));
}

}  // namespace

Status ApprovalStore::insert(SqlSession& s, const Approval& a) {
  const SqlParam params[] = {a.approval_id,
                             a.entity_type,
                             a.entity_id,
                             a.action,
                             std::string(domain::approvalStatusName(a.status)),
                             a.maker,
                             a.maker_issuer,
                             a.author,
                             a.author_issuer,
                             nullableText(a.checker),
                             nullableText(a.checker_issuer),
                             a.content_digest,
                             nullableText(a.remarks),
                             nullableText(a.idempotency_key),
                             a.created_at,
                             optionalTime(a.decided_at)};
  return runStatement(s, kInsertApproval, params);
}

Result<std::optional<Approval>> ApprovalStore::findPending(SqlSession& s, std::string_view entity_id) {
  const SqlParam params[] = {std::string(entity_id)};
  return first<Approval>(s, kFindPending, params, approvalFrom);
}

Result<std::optional<Approval>> ApprovalStore::findByIdempotencyKey(SqlSession& s, std::string_view entity_type,
                                                                    std::string_view entity_id, std::string_view key) {
  const SqlParam params[] = {std::string(entity_type), std::string(entity_id), std::string(key)};
  return first<Approval>(s, kFindByKey, params, approvalFrom);
}

Result<bool> ApprovalStore::decide(SqlSession& s, const Approval& a) {
  const SqlParam params[] = {a.approval_id,
                             std::string(domain::approvalStatusName(a.status)),
                             nullableText(a.checker),
                             nullableText(a.checker_issuer),
                             optionalTime(a.decided_at),
                             nullableText(a.remarks)};
  return updatedOneRow(s, kDecide, params);
}

Result<std::vector<Approval>> ApprovalStore::list(SqlSession& s, const ApprovalFilter& f, const TimeIdBounds& page) {
  const auto bounds = timeIdParams(page);
  const SqlParam params[] = {
      nullableText(f.status), nullableText(f.entity_type), nullableText(f.entity_id), bounds.first,
      bounds.second,          std::int64_t{page.limit + 1}};
  return collect<Approval>(s, page.backwards ? kListApprovalsPrev : kListApprovalsNext, params, approvalFrom);
}

}  // namespace fraudgov::store
