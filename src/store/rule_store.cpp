#include "store/rule_store.h"

#include <limits>

namespace fraudgov::store {

namespace {

using domain::Approval;
using domain::Rule;
using domain::RuleVersion;

// First pages are "the page after +infinity": one statement per direction covers them.
constexpr Timestamp kEndOfTime{253402300799999999};  // 9999-12-31T23:59:59.999999Z
constexpr const char* kMaxUuid = "ffffffff-ffff-ffff-ffff-ffffffffffff";

#define FRAUDGOV_RULE_COLUMNS                                                                                     \
  "rule_id, rule_name, description, rule_type, status, current_version, version, created_by, created_by_issuer, " \
  "created_at, updated_at"
#define FRAUDGOV_RULE_FILTERS \
  "rule_type = COALESCE($1, rule_type) AND status = COALESCE($2, status) AND rule_name = COALESCE($3, rule_name) "

constexpr Sql kInsertRule{"rule_insert", "INSERT INTO rules (" FRAUDGOV_RULE_COLUMNS
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Sql kUpdateRule{"rule_update",
                          "UPDATE rules SET status = $2, current_version = $3, version = $4, updated_at = $5 "
                          "WHERE rule_id = $1 AND version = $6"};
constexpr Sql kFindRule{"rule_find", "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE rule_id = $1"};
constexpr Sql kListRulesNext{"rule_list_next",
                             "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE " FRAUDGOV_RULE_FILTERS
                             "AND (created_at < $4 OR (created_at = $4 AND rule_id < $5)) "
                             "ORDER BY created_at DESC, rule_id DESC LIMIT $6"};
constexpr Sql kListRulesPrev{"rule_list_prev",
                             "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE " FRAUDGOV_RULE_FILTERS
                             "AND (created_at > $4 OR (created_at = $4 AND rule_id > $5)) "
                             "ORDER BY created_at ASC, rule_id ASC LIMIT $6"};
#undef FRAUDGOV_RULE_FILTERS
#undef FRAUDGOV_RULE_COLUMNS

#define FRAUDGOV_VERSION_COLUMNS                                                                          \
  "rule_version_id, rule_id, version, condition_tree, normalized_tree, scope, priority, action, status, " \
  "created_by, created_by_issuer, created_at, approved_by, approved_by_issuer, approved_at"
constexpr Sql kInsertVersion{"rule_version_insert",
                             "INSERT INTO rule_versions (" FRAUDGOV_VERSION_COLUMNS
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"};
constexpr Sql kFindVersion{"rule_version_find",
                           "SELECT " FRAUDGOV_VERSION_COLUMNS " FROM rule_versions WHERE rule_version_id = $1"};
constexpr Sql kListVersions{"rule_version_list", "SELECT " FRAUDGOV_VERSION_COLUMNS
                                                 " FROM rule_versions WHERE rule_id = $1 ORDER BY version DESC"};
constexpr Sql kVersionsWithStatus{"rule_version_by_status",
                                  "SELECT " FRAUDGOV_VERSION_COLUMNS
                                  " FROM rule_versions WHERE rule_id = $1 AND status = $2 ORDER BY version"};
constexpr Sql kMaxVersion{"rule_version_max", "SELECT COALESCE(MAX(version), 0) FROM rule_versions WHERE rule_id = $1"};
constexpr Sql kUpdateVersionState{"rule_version_state",
                                  "UPDATE rule_versions SET status = $2, approved_by = $3, approved_by_issuer = $4, "
                                  "approved_at = $5 WHERE rule_version_id = $1"};
#undef FRAUDGOV_VERSION_COLUMNS

#define FRAUDGOV_APPROVAL_COLUMNS                                                                                \
  "a.approval_id, a.entity_type, a.entity_id, a.action, a.status, a.maker, a.maker_issuer, a.author, "           \
  "a.author_issuer, a.checker, a.checker_issuer, a.content_digest, a.remarks, a.idempotency_key, a.created_at, " \
  "a.decided_at, rv.rule_id"
#define FRAUDGOV_APPROVAL_FROM                                                                               \
  " FROM approvals a LEFT JOIN rule_versions rv ON a.entity_type = 'RULE_VERSION' AND rv.rule_version_id = " \
  "a.entity_id "
#define FRAUDGOV_APPROVAL_FILTERS                                                      \
  "a.status = COALESCE($1, a.status) AND a.entity_type = COALESCE($2, a.entity_type) " \
  "AND a.entity_id = COALESCE($3, a.entity_id) "
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
                          "AND (a.created_at < $4 OR (a.created_at = $4 AND a.approval_id < $5)) "
                          "ORDER BY a.created_at DESC, a.approval_id DESC LIMIT $6"};
constexpr Sql kListApprovalsPrev{
    "approval_list_prev", "SELECT " FRAUDGOV_APPROVAL_COLUMNS FRAUDGOV_APPROVAL_FROM "WHERE " FRAUDGOV_APPROVAL_FILTERS
                          "AND (a.created_at > $4 OR (a.created_at = $4 AND a.approval_id > $5)) "
                          "ORDER BY a.created_at ASC, a.approval_id ASC LIMIT $6"};
#undef FRAUDGOV_APPROVAL_FILTERS
#undef FRAUDGOV_APPROVAL_FROM
#undef FRAUDGOV_APPROVAL_COLUMNS

SqlParam optionalTime(const std::optional<Timestamp>& t) { return t ? SqlParam(*t) : SqlParam(std::monostate{}); }

Rule ruleFrom(const Row& row) {
  Rule r;
  r.rule_id = row.text(0);
  r.rule_name = row.text(1);
  r.description = row.optionalText(2);
  r.rule_type = domain::parseRuleType(row.text(3)).value_or(domain::RuleType::kAllowlist);
  r.status = domain::parseVersionStatus(row.text(4)).value_or(domain::VersionStatus::kDraft);
  r.current_version = static_cast<int>(row.integer(5));
  r.version = static_cast<int>(row.integer(6));
  r.created_by = row.text(7);
  r.created_by_issuer = row.text(8);
  r.created_at = row.timestamp(9);
  r.updated_at = row.timestamp(10);
  return r;
}

RuleVersion versionFrom(const Row& row) {
  RuleVersion v;
  v.rule_version_id = row.text(0);
  v.rule_id = row.text(1);
  v.version = static_cast<int>(row.integer(2));
  v.condition_tree = row.json(3);
  v.normalized_tree = row.json(4);
  auto scope = row.json(5);
  if (scope.is_object()) v.scope = std::move(scope.as_object());
  v.priority = static_cast<int>(row.integer(6));
  v.action = domain::parseRuleAction(row.text(7)).value_or(domain::RuleAction::kReview);
  v.status = domain::parseVersionStatus(row.text(8)).value_or(domain::VersionStatus::kDraft);
  v.created_by = row.text(9);
  v.created_by_issuer = row.text(10);
  v.created_at = row.timestamp(11);
  v.approved_by = row.optionalText(12);
  v.approved_by_issuer = row.optionalText(13);
  v.approved_at = row.optionalTimestamp(14);
  return v;
}

Approval approvalFrom(const Row& row) {
  Approval a;
  a.approval_id = row.text(0);
  a.entity_type = row.text(1);
  a.entity_id = row.text(2);
  a.action = row.text(3);
  a.status = domain::parseApprovalStatus(row.text(4)).value_or(domain::ApprovalStatus::kPending);
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
  return a;
}

template <class T, class From>
Result<std::vector<T>> collect(SqlSession& s, const Sql& sql, std::span<const SqlParam> params, From from) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(sql, params));
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(from(row));
  return out;
}

template <class T, class From>
Result<std::optional<T>> first(SqlSession& s, const Sql& sql, std::span<const SqlParam> params, From from) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(sql, params));
  if (rows.empty()) return std::optional<T>{};
  return std::optional<T>(from(rows[0]));
}

// Decodes a [created_at, id] cursor key into bound parameters; the first page uses +infinity.
Result<std::pair<SqlParam, SqlParam>> timeIdBounds(const PageRequest& page) {
  if (!page.cursor_keys) return std::pair<SqlParam, SqlParam>{kEndOfTime, std::string(kMaxUuid)};
  const auto& k = *page.cursor_keys;
  if (k.size() != 2 || !k[0].is_string() || !k[1].is_string()) {
    return fail(Error::badRequest("Invalid cursor", {{"parameter", "cursor"}}));
  }
  auto t = parseIso(k[0].as_string());
  if (!t) return fail(Error::badRequest("Invalid cursor", {{"parameter", "cursor"}}));
  return std::pair<SqlParam, SqlParam>{*t, std::string(k[1].as_string())};
}

bool backwards(const PageRequest& page) { return page.cursor_keys && page.direction == Direction::kPrev; }

}  // namespace

boost::json::array timeIdKey(Timestamp created_at, const std::string& id) {
  return boost::json::array{formatIsoFixed(created_at), id};
}

Status RuleStore::insertRule(SqlSession& s, const Rule& r) {
  const SqlParam params[] = {r.rule_id,
                             r.rule_name,
                             nullableText(r.description),
                             std::string(domain::ruleTypeName(r.rule_type)),
                             std::string(domain::versionStatusName(r.status)),
                             std::int64_t{r.current_version},
                             std::int64_t{r.version},
                             r.created_by,
                             r.created_by_issuer,
                             r.created_at,
                             r.updated_at};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsertRule, params));
  return {};
}

Result<bool> RuleStore::updateRule(SqlSession& s, const Rule& r, int expected_version) {
  const SqlParam params[] = {r.rule_id,
                             std::string(domain::versionStatusName(r.status)),
                             std::int64_t{r.current_version},
                             std::int64_t{r.version},
                             r.updated_at,
                             std::int64_t{expected_version}};
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t affected, s.execute(kUpdateRule, params));
  return affected == 1;
}

Result<std::optional<Rule>> RuleStore::findRule(SqlSession& s, std::string_view rule_id) {
  const SqlParam params[] = {std::string(rule_id)};
  return first<Rule>(s, kFindRule, params, ruleFrom);
}

Result<std::vector<Rule>> RuleStore::listRules(SqlSession& s, const RuleFilter& f, const PageRequest& page) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto bounds, timeIdBounds(page));
  const SqlParam params[] = {
      nullableText(f.rule_type),   nullableText(f.status), nullableText(f.rule_name), bounds.first, bounds.second,
      std::int64_t{page.limit + 1}};
  return collect<Rule>(s, backwards(page) ? kListRulesPrev : kListRulesNext, params, ruleFrom);
}

Status RuleStore::insertVersion(SqlSession& s, const RuleVersion& v) {
  const SqlParam params[] = {v.rule_version_id,
                             v.rule_id,
                             std::int64_t{v.version},
                             JsonParam{v.condition_tree},
                             JsonParam{v.normalized_tree},
                             JsonParam{v.scope},
                             std::int64_t{v.priority},
                             std::string(domain::ruleActionName(v.action)),
                             std::string(domain::versionStatusName(v.status)),
                             v.created_by,
                             v.created_by_issuer,
                             v.created_at,
                             nullableText(v.approved_by),
                             nullableText(v.approved_by_issuer),
                             optionalTime(v.approved_at)};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsertVersion, params));
  return {};
}

Result<std::optional<RuleVersion>> RuleStore::findVersion(SqlSession& s, std::string_view rule_version_id) {
  const SqlParam params[] = {std::string(rule_version_id)};
  return first<RuleVersion>(s, kFindVersion, params, versionFrom);
}

Result<std::vector<RuleVersion>> RuleStore::listVersions(SqlSession& s, std::string_view rule_id) {
  const SqlParam params[] = {std::string(rule_id)};
  return collect<RuleVersion>(s, kListVersions, params, versionFrom);
}

Result<int> RuleStore::maxVersion(SqlSession& s, std::string_view rule_id) {
  const SqlParam params[] = {std::string(rule_id)};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMaxVersion, params));
  return static_cast<int>(rows.at(0).integer(0));
}

Result<std::vector<RuleVersion>> RuleStore::versionsWithStatus(SqlSession& s, std::string_view rule_id,
                                                               domain::VersionStatus status) {
  const SqlParam params[] = {std::string(rule_id), std::string(domain::versionStatusName(status))};
  return collect<RuleVersion>(s, kVersionsWithStatus, params, versionFrom);
}

Status RuleStore::updateVersionState(SqlSession& s, const RuleVersion& v) {
  const SqlParam params[] = {v.rule_version_id, std::string(domain::versionStatusName(v.status)),
                             nullableText(v.approved_by), nullableText(v.approved_by_issuer),
                             optionalTime(v.approved_at)};
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kUpdateVersionState, params));
  return {};
}

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
  FRAUDGOV_RETURN_IF_ERROR(s.execute(kInsertApproval, params));
  return {};
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
  FRAUDGOV_ASSIGN_OR_RETURN(std::int64_t affected, s.execute(kDecide, params));
  return affected == 1;
}

Result<std::vector<Approval>> ApprovalStore::list(SqlSession& s, const ApprovalFilter& f, const PageRequest& page) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto bounds, timeIdBounds(page));
  const SqlParam params[] = {
      nullableText(f.status), nullableText(f.entity_type), nullableText(f.entity_id), bounds.first,
      bounds.second,          std::int64_t{page.limit + 1}};
  return collect<Approval>(s, backwards(page) ? kListApprovalsPrev : kListApprovalsNext, params, approvalFrom);
}

}  // namespace fraudgov::store
