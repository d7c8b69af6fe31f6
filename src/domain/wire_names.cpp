// The domain's wire vocabulary: every enumeration's names as clients, stored rows and published
// artifacts spell them, in one place so the contract can be reviewed (and diffed) at a glance.
// Parsing is exact: an unknown name is nullopt, never a default (SPEC §3 invariant 9).

#include <vector>

#include "common/enum_names.h"
#include "domain/approval_workflow.h"
#include "domain/field_types.h"
#include "domain/rule.h"
#include "domain/rule_field.h"
#include "domain/ruleset.h"

namespace fraudgov::domain {

namespace {

constexpr auto kTransitionNames = enumNames<Transition>({
    {Transition::kSubmit, "SUBMIT"},
    {Transition::kApprove, "APPROVE"},
    {Transition::kReject, "REJECT"},
    {Transition::kActivate, "ACTIVATE"},
    {Transition::kSupersede, "SUPERSEDE"},
});

constexpr auto kVersionStatusNames = enumNames<VersionStatus>({
    {VersionStatus::kDraft, "DRAFT"},
    {VersionStatus::kPendingApproval, "PENDING_APPROVAL"},
    {VersionStatus::kApproved, "APPROVED"},
    {VersionStatus::kRejected, "REJECTED"},
    {VersionStatus::kSuperseded, "SUPERSEDED"},
    {VersionStatus::kActive, "ACTIVE"},
});

constexpr auto kDataTypes = enumNames<DataType>({
    {DataType::kString, "STRING"},
    {DataType::kNumber, "NUMBER"},
    {DataType::kBoolean, "BOOLEAN"},
    {DataType::kDate, "DATE"},
    {DataType::kEnum, "ENUM"},
});

constexpr auto kOperators = enumNames<Operator>({
    {Operator::kEq, "EQ"},
    {Operator::kNe, "NE"},
    {Operator::kIn, "IN"},
    {Operator::kNotIn, "NOT_IN"},
    {Operator::kGt, "GT"},
    {Operator::kGte, "GTE"},
    {Operator::kLt, "LT"},
    {Operator::kLte, "LTE"},
    {Operator::kBetween, "BETWEEN"},
    {Operator::kContains, "CONTAINS"},
    {Operator::kStartsWith, "STARTS_WITH"},
    {Operator::kEndsWith, "ENDS_WITH"},
    {Operator::kRegex, "REGEX"},
});

constexpr auto kRuleTypes = enumNames<RuleType>({
    {RuleType::kAllowlist, "ALLOWLIST"},
    {RuleType::kBlocklist, "BLOCKLIST"},
    {RuleType::kAuth, "AUTH"},
    {RuleType::kMonitoring, "MONITORING"},
});

constexpr auto kRuleActions = enumNames<RuleAction>({
    {RuleAction::kApprove, "APPROVE"},
    {RuleAction::kDecline, "DECLINE"},
    {RuleAction::kReview, "REVIEW"},
});

constexpr auto kApprovalStatuses = enumNames<ApprovalStatus>({
    {ApprovalStatus::kPending, "PENDING"},
    {ApprovalStatus::kApproved, "APPROVED"},
    {ApprovalStatus::kRejected, "REJECTED"},
});

constexpr auto kRulesetKeys = enumNames<RuleType>({
    {RuleType::kAllowlist, "CARD_ALLOWLIST"},
    {RuleType::kBlocklist, "CARD_BLOCKLIST"},
    {RuleType::kAuth, "CARD_AUTH"},
    {RuleType::kMonitoring, "CARD_MONITORING"},
});

}  // namespace

std::string_view transitionName(Transition t) { return nameOf(kTransitionNames, t); }
std::string_view versionStatusName(VersionStatus s) { return nameOf(kVersionStatusNames, s); }
std::optional<VersionStatus> parseVersionStatus(std::string_view s) { return parseName(kVersionStatusNames, s); }
std::optional<DataType> parseDataType(std::string_view text) { return parseName(kDataTypes, text); }
std::string_view dataTypeName(DataType t) { return nameOf(kDataTypes, t); }
std::optional<Operator> parseOperator(std::string_view text) { return parseName(kOperators, text); }
std::string_view operatorName(Operator op) { return nameOf(kOperators, op); }

const std::vector<Operator>& allOperators() {
  static const std::vector<Operator> all = [] {
    const auto values = enumValues(kOperators);
    return std::vector<Operator>(values.begin(), values.end());
  }();
  return all;
}

std::optional<RuleType> parseRuleType(std::string_view s) { return parseName(kRuleTypes, s); }
std::string_view ruleTypeName(RuleType t) { return nameOf(kRuleTypes, t); }
std::optional<RuleAction> parseRuleAction(std::string_view s) { return parseName(kRuleActions, s); }
std::string_view ruleActionName(RuleAction a) { return nameOf(kRuleActions, a); }
std::string_view approvalStatusName(ApprovalStatus s) { return nameOf(kApprovalStatuses, s); }
std::optional<ApprovalStatus> parseApprovalStatus(std::string_view s) { return parseName(kApprovalStatuses, s); }
std::string_view rulesetKey(RuleType t) { return nameOf(kRulesetKeys, t); }

}  // namespace fraudgov::domain
