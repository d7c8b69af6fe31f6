#pragma once
// Persistence of rules and their versions. Versions have no content-update path here (and the
// database refuses one): only their status and approval data move, forward only.

#include <optional>
#include <vector>

#include "domain/audit_verification.h"
#include "domain/rule.h"
#include "store/keyset_bounds.h"
#include "store/sql.h"

namespace fraudgov::store {

struct RuleFilter {
  std::optional<std::string> rule_type;
  std::optional<std::string> status;
  std::optional<std::string> rule_name;
};

class RuleStore {
 public:
  static Status insertRule(SqlSession& s, const domain::Rule& r);
  // Writes status, counters and updated_at if the stored counter equals expected_version.
  static Result<bool> updateRule(SqlSession& s, const domain::Rule& r, int expected_version);
  static Result<std::optional<domain::Rule>> findRule(SqlSession& s, std::string_view rule_id);
  static Result<std::vector<domain::Rule>> listRules(SqlSession& s, const RuleFilter& filter, const TimeIdBounds& page);

  static Status insertVersion(SqlSession& s, const domain::RuleVersion& v);
  static Result<std::optional<domain::RuleVersion>> findVersion(SqlSession& s, std::string_view rule_version_id);
  static Result<std::vector<domain::RuleVersion>> listVersions(SqlSession& s, std::string_view rule_id);
  static Result<int> maxVersion(SqlSession& s, std::string_view rule_id);
  static Result<std::vector<domain::RuleVersion>> versionsWithStatus(SqlSession& s, std::string_view rule_id,
                                                                     domain::VersionStatus status);
  // Status and approval columns only.
  static Status updateVersionState(SqlSession& s, const domain::RuleVersion& v);

  // The content columns of rule versions, undecoded (audit verification compares them with what
  // the audit log recorded), ordered by id after `after_id` (start with kMinUuid).
  static Result<std::vector<domain::StoredRuleVersionContent>> contentsAfter(SqlSession& s, std::string_view after_id,
                                                                            std::int64_t limit);
  static constexpr const char* kMinUuid = "00000000-0000-0000-0000-000000000000";
};

}  // namespace fraudgov::store
