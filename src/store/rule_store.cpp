#include "store/rule_store.h"

#include <limits>

#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

using domain::Approval;
using domain::Rule;
using domain::RuleVersion;


#define FRAUDGOV_RULE_COLUMNS                                                                                     \
  "rule_id, rule_name, description, rule_type, status, current_version, version, created_by, created_by_issuer, " \
  "created_at, updated_at"
#define FRAUDGOV_RULE_FILTERS \
  "(rule_type = $1 OR $1 IS NULL) AND (status = $2 OR $2 IS NULL) AND (rule_name = $3 OR $3 IS NULL) "

constexpr Sql kInsertRule{"rule_insert", "INSERT INTO rules (" FRAUDGOV_RULE_COLUMNS
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Sql kUpdateRule{"rule_update",
                          "UPDATE rules SET status = $2, current_version = $3, version = $4, updated_at = $5 "
                          "WHERE rule_id = $1 AND version = $6"};
constexpr Sql kFindRule{"rule_find", "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE rule_id = $1"};
constexpr Sql kListRulesNext{"rule_list_next",
                             "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE " FRAUDGOV_RULE_FILTERS
                             "AND (created_at, rule_id) < ($4, $5) "
                             "ORDER BY created_at DESC, rule_id DESC LIMIT $6"};
constexpr Sql kListRulesPrev{"rule_list_prev",
                             "SELECT " FRAUDGOV_RULE_COLUMNS " FROM rules WHERE " FRAUDGOV_RULE_FILTERS
                             "AND (created_at, rule_id) > ($4, $5) "
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



Result<Rule> ruleFrom(const Row& row) {
  RowDecoder d(row, "rules", 0);
  Rule r;
  r.rule_id = row.text(0);
  r.rule_name = row.text(1);
  r.description = row.optionalText(2);
  d.enumValue(3, "rule_type", domain::parseRuleType, r.rule_type);
  d.enumValue(4, "status", domain::parseVersionStatus, r.status);
  r.current_version = static_cast<int>(row.integer(5));
  r.version = static_cast<int>(row.integer(6));
  r.created_by = row.text(7);
  r.created_by_issuer = row.text(8);
  r.created_at = row.timestamp(9);
  r.updated_at = row.timestamp(10);
  return d.finish(std::move(r));
}

Result<RuleVersion> versionFrom(const Row& row) {
  RowDecoder d(row, "rule_versions", 0);
  RuleVersion v;
  v.rule_version_id = row.text(0);
  v.rule_id = row.text(1);
  v.version = static_cast<int>(row.integer(2));
  d.objectValue(3, "condition_tree", v.condition_tree);
  d.objectValue(4, "normalized_tree", v.normalized_tree);
  d.object(5, "scope", v.scope);
  v.priority = static_cast<int>(row.integer(6));
  d.enumValue(7, "action", domain::parseRuleAction, v.action);
  d.enumValue(8, "status", domain::parseVersionStatus, v.status);
  v.created_by = row.text(9);
  v.created_by_issuer = row.text(10);
  v.created_at = row.timestamp(11);
  v.approved_by = row.optionalText(12);
  v.approved_by_issuer = row.optionalText(13);
  v.approved_at = row.optionalTimestamp(14);
  return d.finish(std::move(v));
}

constexpr Sql kVersionContents{"rule_version_contents",
                               "SELECT rule_version_id, condition_tree, normalized_tree, scope, priority, action "
                               "FROM rule_versions WHERE rule_version_id > $1 ORDER BY rule_version_id LIMIT $2"};

}  // namespace

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
  return runStatement(s, kInsertRule, params);
}

Result<bool> RuleStore::updateRule(SqlSession& s, const Rule& r, int expected_version) {
  const SqlParam params[] = {r.rule_id,
                             std::string(domain::versionStatusName(r.status)),
                             std::int64_t{r.current_version},
                             std::int64_t{r.version},
                             r.updated_at,
                             std::int64_t{expected_version}};
  return updatedOneRow(s, kUpdateRule, params);
}

Result<std::optional<Rule>> RuleStore::findRule(SqlSession& s, std::string_view rule_id) {
  const SqlParam params[] = {std::string(rule_id)};
  return first<Rule>(s, kFindRule, params, ruleFrom);
}

Result<std::vector<Rule>> RuleStore::listRules(SqlSession& s, const RuleFilter& f, const TimeIdBounds& page) {
  const auto bounds = timeIdParams(page);
  const SqlParam params[] = {
      nullableText(f.rule_type),   nullableText(f.status), nullableText(f.rule_name), bounds.first, bounds.second,
      std::int64_t{page.limit + 1}};
  return collect<Rule>(s, page.backwards ? kListRulesPrev : kListRulesNext, params, ruleFrom);
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
  return runStatement(s, kInsertVersion, params);
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
  return runStatement(s, kUpdateVersionState, params);
}

Result<std::vector<domain::StoredRuleVersionContent>> RuleStore::contentsAfter(SqlSession& s,
                                                                             std::string_view after_id,
                                                                             std::int64_t limit) {
  const SqlParam params[] = {std::string(after_id), limit};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kVersionContents, params));
  std::vector<domain::StoredRuleVersionContent> out;
  out.reserve(rows.size());
  for (const Row& row : rows) {
    out.push_back({row.text(0), row.json(1), row.json(2), row.json(3), row.integer(4), row.text(5)});
  }
  return out;
}

}  // namespace fraudgov::store
