#pragma once
// Use cases of rule governance (SPEC §3): rules, immutable versions, submission for review and
// the four-eyes decision. Every mutation is one write transaction that also writes its audit
// rows; separation of duties is checked here and again by the database.

#include <optional>
#include <vector>

#include "domain/audit.h"
#include "domain/rule.h"
#include "store/database.h"
#include "service/approval_flow.h"
#include "service/paging.h"
#include "store/rule_store.h"

namespace fraudgov::service {

struct NewRule {
  std::string rule_name;
  std::optional<std::string> description;
  domain::RuleType rule_type = domain::RuleType::kAllowlist;
  std::optional<boost::json::value> condition_tree;  // absent: version 1 is an empty DRAFT
  int priority = domain::kDefaultPriority;
  std::optional<domain::RuleAction> action;
};

struct NewRuleVersion {
  boost::json::value condition_tree;
  int priority = domain::kDefaultPriority;
  std::optional<domain::RuleAction> action;
  boost::json::object scope;
  std::optional<int> expected_rule_version;
};

struct CreatedRule {
  domain::Rule rule;
  std::optional<domain::RuleVersion> first_version;
};

struct RuleWithVersion {
  domain::Rule rule;
  domain::RuleVersion version;
};

struct RuleSummary {
  domain::Rule rule;
  std::optional<domain::RuleVersion> latest;
};

class RuleService {
 public:
  RuleService(store::Database& db, const CursorCodec& cursors) : db_(db), paging_(cursors) {}

  Result<CreatedRule> createRule(const domain::Actor& actor, const NewRule& input);
  Result<domain::Rule> getRule(std::string_view rule_id);
  Result<Page<domain::Rule>> listRules(const store::RuleFilter& filter, const PageQuery& query);
  Result<RuleSummary> summary(std::string_view rule_id);

  Result<domain::RuleVersion> createVersion(const domain::Actor& actor, std::string_view rule_id,
                                            const NewRuleVersion& input);
  Result<std::pair<domain::Rule, std::vector<domain::RuleVersion>>> listVersions(std::string_view rule_id);
  Result<RuleWithVersion> getVersion(std::string_view rule_version_id);

  Result<domain::RuleVersion> submit(const domain::Actor& actor, std::string_view rule_version_id,
                                     const SubmitInput& input);
  Result<domain::RuleVersion> approve(const domain::Actor& actor, std::string_view rule_version_id,
                                      const DecisionInput& input);
  Result<domain::RuleVersion> reject(const domain::Actor& actor, std::string_view rule_version_id,
                                     const DecisionInput& input);

 private:
  Result<domain::RuleVersion> decide(const domain::Actor& actor, std::string_view rule_version_id,
                                     const DecisionInput& input, bool approve);

  store::Database& db_;
  Paginator paging_;
};

Error ruleNotFound(std::string_view rule_id);
Error ruleVersionNotFound(std::string_view rule_version_id);

}  // namespace fraudgov::service
