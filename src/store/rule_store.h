#pragma once
// Persistence of rules and their versions. Versions have no content-update path here (and the
// database refuses one): only their status and approval data move, forward only.

#include <optional>
#include <vector>

#include "domain/rule.h"
#include "store/keyset.h"
#include "store/sql.h"

namespace fraudgov::store {

struct RuleFilter {
  std::optional<std::string> rule_type;
  std::optional<std::string> status;
  std::optional<std::string> rule_name;
};

// The sort key of keyset pages ordered by (created_at DESC, id DESC): [created_at, id].
boost::json::array timeIdKey(Timestamp created_at, const std::string& id);

class RuleStore {
 public:
  static Status insertRule(SqlSession& s, const domain::Rule& r);
  // Writes status, counters and updated_at if the stored counter equals expected_version.
  static Result<bool> updateRule(SqlSession& s, const domain::Rule& r, int expected_version);
  static Result<std::optional<domain::Rule>> findRule(SqlSession& s, std::string_view rule_id);
  static Result<std::vector<domain::Rule>> listRules(SqlSession& s, const RuleFilter& filter, const PageRequest& page);

  static Status insertVersion(SqlSession& s, const domain::RuleVersion& v);
  static Result<std::optional<domain::RuleVersion>> findVersion(SqlSession& s, std::string_view rule_version_id);
  static Result<std::vector<domain::RuleVersion>> listVersions(SqlSession& s, std::string_view rule_id);
  static Result<int> maxVersion(SqlSession& s, std::string_view rule_id);
  static Result<std::vector<domain::RuleVersion>> versionsWithStatus(SqlSession& s, std::string_view rule_id,
                                                                     domain::VersionStatus status);
  // Status and approval columns only.
  static Status updateVersionState(SqlSession& s, const domain::RuleVersion& v);
};

struct ApprovalFilter {
  std::optional<std::string> status;
  std::optional<std::string> entity_type;
  std::optional<std::string> entity_id;
};

class ApprovalStore {
 public:
  static Status insert(SqlSession& s, const domain::Approval& a);
  static Result<std::optional<domain::Approval>> findPending(SqlSession& s, std::string_view entity_id);
  static Result<std::optional<domain::Approval>> findByIdempotencyKey(SqlSession& s, std::string_view entity_type,
                                                                      std::string_view entity_id, std::string_view key);
  // Records the decision if the approval is still pending; false when someone decided first.
  static Result<bool> decide(SqlSession& s, const domain::Approval& a);
  static Result<std::vector<domain::Approval>> list(SqlSession& s, const ApprovalFilter& filter,
                                                    const PageRequest& page);
};

}  // namespace fraudgov::store
