#pragma once
// Persistence of rulesets, their versions and exact membership. Versions have no content-update
// path (the database refuses one too): only their status and approval/activation data move.

#include <optional>
#include <vector>

#include "domain/ruleset.h"
#include "store/keyset_bounds.h"
#include "store/sql.h"

namespace fraudgov::store {

struct RulesetFilter {
  std::optional<std::string> rule_type;
  std::optional<std::string> environment;
  std::optional<std::string> region;
  std::optional<std::string> country;
};

// What the compiler needs of one member rule version.
struct MemberSource {
  std::string rule_id;
  std::string rule_version_id;
  int priority = 100;
  boost::json::object scope;
  boost::json::value normalized_tree;
  domain::RuleAction action = domain::RuleAction::kReview;
};

class RulesetStore {
 public:
  static Status insert(SqlSession& s, const domain::Ruleset& r);
  static Result<std::optional<domain::Ruleset>> find(SqlSession& s, std::string_view ruleset_id);
  static Result<std::optional<domain::Ruleset>> findByIdentity(SqlSession& s, const domain::Ruleset& identity);
  static Result<std::vector<domain::Ruleset>> list(SqlSession& s, const RulesetFilter& filter,
                                                   const TimeIdBounds& page);

  static Status insertVersion(SqlSession& s, const domain::RulesetVersion& v);
  static Status addMember(SqlSession& s, std::string_view ruleset_version_id, std::string_view rule_version_id,
                          int position, Timestamp now);
  // The version with its membership (rule_version_ids in the order they were given).
  static Result<std::optional<domain::RulesetVersion>> findVersion(SqlSession& s, std::string_view id);
  static Result<std::vector<domain::RulesetVersion>> listVersions(SqlSession& s, std::string_view ruleset_id,
                                                                  const std::optional<std::string>& status,
                                                                  const TimeIdBounds& page);
  static Result<std::vector<domain::RulesetVersion>> versionsWithStatus(SqlSession& s, std::string_view ruleset_id,
                                                                        domain::VersionStatus status);
  static Result<int> maxVersion(SqlSession& s, std::string_view ruleset_id);
  // Status, approval and activation columns only.
  static Status updateVersionState(SqlSession& s, const domain::RulesetVersion& v);

  // Rule versions as ruleset membership sees them, one per id in `ids` order; missing ids are absent.
  static Result<std::vector<domain::RulesetMember>> describeRuleVersions(SqlSession& s,
                                                                         const std::vector<std::string>& ids);
  static Result<std::vector<MemberSource>> memberSources(SqlSession& s, std::string_view ruleset_version_id);
};

}  // namespace fraudgov::store
