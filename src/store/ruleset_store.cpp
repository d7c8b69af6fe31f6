#include "store/ruleset_store.h"

#include <unordered_map>

#include "common/uuid.h"
#include "store/row_helpers.h"

namespace fraudgov::store {

namespace {

using domain::Ruleset;
using domain::RulesetMember;
using domain::RulesetVersion;

#define FRAUDGOV_RULESET_COLUMNS                                                                                   \
  "ruleset_id, environment, region, country, rule_type, name, description, created_by, created_by_issuer, "     \
  "created_at, updated_at"
#define FRAUDGOV_RULESET_FILTERS                                                                   \
  "(rule_type = $1 OR $1 IS NULL) AND (environment = $2 OR $2 IS NULL) "              \
  "AND (region = $3 OR $3 IS NULL) AND (country = $4 OR $4 IS NULL) "
constexpr Sql kInsertRuleset{"ruleset_insert", "INSERT INTO rulesets (" FRAUDGOV_RULESET_COLUMNS
                                               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Sql kFindRuleset{"ruleset_find", "SELECT " FRAUDGOV_RULESET_COLUMNS " FROM rulesets WHERE ruleset_id = $1"};
constexpr Sql kFindByIdentity{"ruleset_by_identity",
                              "SELECT " FRAUDGOV_RULESET_COLUMNS
                              " FROM rulesets WHERE environment = $1 AND region = $2 AND country = $3 "
                              "AND rule_type = $4"};
constexpr Sql kListNext{"ruleset_list_next",
                        "SELECT " FRAUDGOV_RULESET_COLUMNS " FROM rulesets WHERE " FRAUDGOV_RULESET_FILTERS
                        "AND (created_at, ruleset_id) < ($5, $6) "
                        "ORDER BY created_at DESC, ruleset_id DESC LIMIT $7"};
constexpr Sql kListPrev{"ruleset_list_prev",
                        "SELECT " FRAUDGOV_RULESET_COLUMNS " FROM rulesets WHERE " FRAUDGOV_RULESET_FILTERS
                        "AND (created_at, ruleset_id) > ($5, $6) "
                        "ORDER BY created_at ASC, ruleset_id ASC LIMIT $7"};
#undef FRAUDGOV_RULESET_FILTERS
#undef FRAUDGOV_RULESET_COLUMNS

#define FRAUDGOV_VERSION_COLUMNS                                                                             \
  "ruleset_version_id, ruleset_id, version, status, created_by, created_by_issuer, created_at, approved_by, " \
  "approved_by_issuer, approved_at, activated_at"
constexpr Sql kInsertVersion{"ruleset_version_insert", "INSERT INTO ruleset_versions (" FRAUDGOV_VERSION_COLUMNS
                                                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"};
constexpr Sql kFindVersion{"ruleset_version_find", "SELECT " FRAUDGOV_VERSION_COLUMNS
                                                   " FROM ruleset_versions WHERE ruleset_version_id = $1"};
constexpr Sql kListVersionsNext{"ruleset_version_list_next",
                                "SELECT " FRAUDGOV_VERSION_COLUMNS
                                " FROM ruleset_versions WHERE ruleset_id = $1 AND (status = $2 OR $2 IS NULL) "
                                "AND (created_at, ruleset_version_id) < ($3, $4) "
                                "ORDER BY created_at DESC, ruleset_version_id DESC LIMIT $5"};
constexpr Sql kListVersionsPrev{"ruleset_version_list_prev",
                                "SELECT " FRAUDGOV_VERSION_COLUMNS
                                " FROM ruleset_versions WHERE ruleset_id = $1 AND (status = $2 OR $2 IS NULL) "
                                "AND (created_at, ruleset_version_id) > ($3, $4) "
                                "ORDER BY created_at ASC, ruleset_version_id ASC LIMIT $5"};
constexpr Sql kVersionsWithStatus{"ruleset_version_by_status",
                                  "SELECT " FRAUDGOV_VERSION_COLUMNS
                                  " FROM ruleset_versions WHERE ruleset_id = $1 AND status = $2 ORDER BY version"};
#undef FRAUDGOV_VERSION_COLUMNS
constexpr Sql kMaxVersion{"ruleset_version_max",
                          "SELECT COALESCE(MAX(version), 0) FROM ruleset_versions WHERE ruleset_id = $1"};
constexpr Sql kUpdateVersionState{"ruleset_version_state",
                                  "UPDATE ruleset_versions SET status = $2, approved_by = $3, approved_by_issuer = $4, "
                                  "approved_at = $5, activated_at = $6 WHERE ruleset_version_id = $1"};
constexpr Sql kAddMember{"ruleset_member_add",
                         "INSERT INTO ruleset_version_rules (ruleset_version_id, rule_version_id, position, created_at) "
                         "VALUES ($1, $2, $3, $4)"};
constexpr Sql kMemberIds{"ruleset_member_ids",
                         "SELECT rule_version_id FROM ruleset_version_rules WHERE ruleset_version_id = $1 "
                         "ORDER BY position"};
// The ids travel as one JSON array parameter: one round trip for a whole membership (up to 100
// rule versions) instead of one each, which a write transaction would pay under the write lock.
constexpr Sql kDescribeRuleVersions{
    "ruleset_describe_rule_versions",
    "SELECT rv.rule_version_id, rv.rule_id, rv.version, r.rule_name, r.rule_type, rv.priority, rv.scope, rv.status "
    "FROM rule_versions rv JOIN rules r ON r.rule_id = rv.rule_id "
    "WHERE rv.rule_version_id IN (SELECT value FROM json_each($1))",
    "SELECT rv.rule_version_id, rv.rule_id, rv.version, r.rule_name, r.rule_type, rv.priority, rv.scope, rv.status "
    "FROM rule_versions rv JOIN rules r ON r.rule_id = rv.rule_id "
    "WHERE rv.rule_version_id IN (SELECT jsonb_array_elements_text($1::jsonb)::uuid)"};
constexpr Sql kMemberSources{
    "ruleset_member_sources",
    "SELECT rv.rule_id, rv.rule_version_id, rv.priority, rv.scope, rv.normalized_tree, rv.action "
    "FROM ruleset_version_rules m JOIN rule_versions rv ON rv.rule_version_id = m.rule_version_id "
    "WHERE m.ruleset_version_id = $1 ORDER BY m.position"};

Result<Ruleset> rulesetFrom(const Row& row) {
  RowDecoder d(row, "rulesets", 0);
  Ruleset r;
  r.ruleset_id = row.text(0);
  r.environment = row.text(1);
  r.region = row.text(2);
  r.country = row.text(3);
  d.enumValue(4, "rule_type", domain::parseRuleType, r.rule_type);
  r.name = row.optionalText(5);
  r.description = row.optionalText(6);
  r.created_by = row.text(7);
  r.created_by_issuer = row.text(8);
  r.created_at = row.timestamp(9);
  r.updated_at = row.timestamp(10);
  return d.finish(std::move(r));
}

Result<RulesetVersion> versionFrom(const Row& row) {
  RowDecoder d(row, "ruleset_versions", 0);
  RulesetVersion v;
  v.ruleset_version_id = row.text(0);
  v.ruleset_id = row.text(1);
  v.version = static_cast<int>(row.integer(2));
  d.enumValue(3, "status", domain::parseVersionStatus, v.status);
  v.created_by = row.text(4);
  v.created_by_issuer = row.text(5);
  v.created_at = row.timestamp(6);
  v.approved_by = row.optionalText(7);
  v.approved_by_issuer = row.optionalText(8);
  v.approved_at = row.optionalTimestamp(9);
  v.activated_at = row.optionalTimestamp(10);
  return d.finish(std::move(v));
}

Result<RulesetMember> memberFrom(const Row& row) {
  RowDecoder d(row, "rule_versions", 0);
  RulesetMember m;
  m.rule_version_id = row.text(0);
  m.rule_id = row.text(1);
  m.version = static_cast<int>(row.integer(2));
  m.rule_name = row.text(3);
  d.enumValue(4, "rule_type", domain::parseRuleType, m.rule_type);
  m.priority = static_cast<int>(row.integer(5));
  d.object(6, "scope", m.scope);
  d.enumValue(7, "status", domain::parseVersionStatus, m.status);
  return d.finish(std::move(m));
}

Result<MemberSource> sourceFrom(const Row& row) {
  RowDecoder d(row, "rule_versions", 1);
  MemberSource m;
  m.rule_id = row.text(0);
  m.rule_version_id = row.text(1);
  m.priority = static_cast<int>(row.integer(2));
  d.object(3, "scope", m.scope);
  d.objectValue(4, "normalized_tree", m.normalized_tree);
  d.enumValue(5, "action", domain::parseRuleAction, m.action);
  return d.finish(std::move(m));
}

Status loadMembers(SqlSession& s, RulesetVersion& v) {
  const SqlParam params[] = {v.ruleset_version_id};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMemberIds, params));
  v.rule_version_ids.clear();
  for (const Row& row : rows) v.rule_version_ids.push_back(row.text(0));
  return {};
}

}  // namespace

Status RulesetStore::insert(SqlSession& s, const Ruleset& r) {
  const SqlParam params[] = {r.ruleset_id,
                             r.environment,
                             r.region,
                             r.country,
                             std::string(domain::ruleTypeName(r.rule_type)),
                             nullableText(r.name),
                             nullableText(r.description),
                             r.created_by,
                             r.created_by_issuer,
                             r.created_at,
                             r.updated_at};
  return runStatement(s, kInsertRuleset, params);
}

Result<std::optional<Ruleset>> RulesetStore::find(SqlSession& s, std::string_view ruleset_id) {
  const SqlParam params[] = {std::string(ruleset_id)};
  return first<Ruleset>(s, kFindRuleset, params, rulesetFrom);
}

Result<std::optional<Ruleset>> RulesetStore::findByIdentity(SqlSession& s, const Ruleset& identity) {
  const SqlParam params[] = {identity.environment, identity.region, identity.country,
                             std::string(domain::ruleTypeName(identity.rule_type))};
  return first<Ruleset>(s, kFindByIdentity, params, rulesetFrom);
}

Result<std::vector<Ruleset>> RulesetStore::list(SqlSession& s, const RulesetFilter& f, const TimeIdBounds& page) {
  const auto bounds = timeIdParams(page);
  const SqlParam params[] = {nullableText(f.rule_type), nullableText(f.environment), nullableText(f.region),
                             nullableText(f.country),   bounds.first,                bounds.second,
                             std::int64_t{page.limit + 1}};
  return collect<Ruleset>(s, page.backwards ? kListPrev : kListNext, params, rulesetFrom);
}

Status RulesetStore::insertVersion(SqlSession& s, const RulesetVersion& v) {
  const SqlParam params[] = {v.ruleset_version_id,
                             v.ruleset_id,
                             std::int64_t{v.version},
                             std::string(domain::versionStatusName(v.status)),
                             v.created_by,
                             v.created_by_issuer,
                             v.created_at,
                             nullableText(v.approved_by),
                             nullableText(v.approved_by_issuer),
                             optionalTime(v.approved_at),
                             optionalTime(v.activated_at)};
  return runStatement(s, kInsertVersion, params);
}

Status RulesetStore::addMember(SqlSession& s, std::string_view ruleset_version_id, std::string_view rule_version_id,
                               int position, Timestamp now) {
  const SqlParam params[] = {std::string(ruleset_version_id), std::string(rule_version_id), std::int64_t{position},
                             now};
  return runStatement(s, kAddMember, params);
}

Result<std::optional<RulesetVersion>> RulesetStore::findVersion(SqlSession& s, std::string_view id) {
  const SqlParam params[] = {std::string(id)};
  FRAUDGOV_ASSIGN_OR_RETURN(auto found, first<RulesetVersion>(s, kFindVersion, params, versionFrom));
  if (found) FRAUDGOV_RETURN_IF_ERROR(loadMembers(s, *found));
  return found;
}

Result<std::vector<RulesetVersion>> RulesetStore::listVersions(SqlSession& s, std::string_view ruleset_id,
                                                               const std::optional<std::string>& status,
                                                               const TimeIdBounds& page) {
  const auto bounds = timeIdParams(page);
  const SqlParam params[] = {std::string(ruleset_id), nullableText(status), bounds.first, bounds.second,
                             std::int64_t{page.limit + 1}};
  FRAUDGOV_ASSIGN_OR_RETURN(auto versions, collect<RulesetVersion>(
                                               s, page.backwards ? kListVersionsPrev : kListVersionsNext, params,
                                               versionFrom));
  for (auto& v : versions) FRAUDGOV_RETURN_IF_ERROR(loadMembers(s, v));
  return versions;
}

Result<std::vector<RulesetVersion>> RulesetStore::versionsWithStatus(SqlSession& s, std::string_view ruleset_id,
                                                                     domain::VersionStatus status) {
  const SqlParam params[] = {std::string(ruleset_id), std::string(domain::versionStatusName(status))};
  FRAUDGOV_ASSIGN_OR_RETURN(auto versions, collect<RulesetVersion>(s, kVersionsWithStatus, params, versionFrom));
  for (auto& v : versions) FRAUDGOV_RETURN_IF_ERROR(loadMembers(s, v));
  return versions;
}

Result<int> RulesetStore::maxVersion(SqlSession& s, std::string_view ruleset_id) {
  const SqlParam params[] = {std::string(ruleset_id)};
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kMaxVersion, params));
  return static_cast<int>(rows.at(0).integer(0));
}

Status RulesetStore::updateVersionState(SqlSession& s, const RulesetVersion& v) {
  const SqlParam params[] = {v.ruleset_version_id,          std::string(domain::versionStatusName(v.status)),
                             nullableText(v.approved_by),   nullableText(v.approved_by_issuer),
                             optionalTime(v.approved_at), optionalTime(v.activated_at)};
  return runStatement(s, kUpdateVersionState, params);
}

Result<std::vector<RulesetMember>> RulesetStore::describeRuleVersions(SqlSession& s,
                                                                      const std::vector<std::string>& ids) {
  // Only well-formed ids can exist; the others are simply not found (as before, one by one).
  boost::json::array wanted;
  for (const auto& id : ids) {
    if (uuid::isValid(id)) wanted.emplace_back(id);
  }
  if (wanted.empty()) return std::vector<RulesetMember>{};
  const SqlParam params[] = {JsonParam{std::move(wanted)}};
  FRAUDGOV_ASSIGN_OR_RETURN(auto found, collect<RulesetMember>(s, kDescribeRuleVersions, params, memberFrom));
  std::unordered_map<std::string, RulesetMember> by_id;
  for (auto& m : found) by_id.emplace(m.rule_version_id, std::move(m));
  // In the order asked for (a repeated id twice, as the caller's validation expects).
  std::vector<RulesetMember> out;
  for (const auto& id : ids) {
    if (const auto it = by_id.find(id); it != by_id.end()) out.push_back(it->second);
  }
  return out;
}

Result<std::vector<MemberSource>> RulesetStore::memberSources(SqlSession& s, std::string_view ruleset_version_id) {
  const SqlParam params[] = {std::string(ruleset_version_id)};
  return collect<MemberSource>(s, kMemberSources, params, sourceFrom);
}

}  // namespace fraudgov::store
