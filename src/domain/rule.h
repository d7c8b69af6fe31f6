#pragma once
// Rules, their immutable versions and the approvals that gate them (predecessor-spec §4.6–4.7,
// §7.1, §7.5; SPEC §3 invariants 1–3). Pure: no storage, no HTTP.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/time.h"
#include "domain/audit.h"
#include "domain/governed_version.h"
#include "domain/rule_field.h"
#include "domain/validation.h"

namespace fraudgov::domain {

enum class RuleType { kAllowlist, kBlocklist, kAuth, kMonitoring };
enum class RuleAction { kApprove, kDecline, kReview };

std::optional<RuleType> parseRuleType(std::string_view s);  // exact upper-case names
std::string_view ruleTypeName(RuleType t);
std::optional<RuleAction> parseRuleAction(std::string_view s);
std::string_view ruleActionName(RuleAction a);
RuleAction defaultAction(RuleType t);
bool actionAllowed(RuleType t, RuleAction a);
// "ALLOWLIST rules must have action=APPROVE. Got: DECLINE" and the like (predecessor wording).
std::string actionMismatchMessage(RuleType t, RuleAction a);

inline constexpr int kMinPriority = 1;
inline constexpr int kMaxPriority = 1000;
inline constexpr int kDefaultPriority = 100;

struct Rule {
  std::string rule_id;
  std::string rule_name;
  std::optional<std::string> description;
  RuleType rule_type = RuleType::kAllowlist;
  VersionStatus status = VersionStatus::kDraft;
  int current_version = 0;  // highest version number created
  int version = 1;          // optimistic-lock counter
  std::string created_by;
  std::string created_by_issuer;
  Timestamp created_at;
  Timestamp updated_at;
};

struct RuleVersion : GovernedVersion {
  std::string rule_version_id;
  std::string rule_id;
  int version = 1;
  boost::json::value condition_tree;   // as the author sent it (returned unchanged)
  boost::json::value normalized_tree;  // and/or/not form, what is digested and compiled
  boost::json::object scope;
  int priority = kDefaultPriority;
  RuleAction action = RuleAction::kReview;
  Timestamp created_at;
};

enum class ApprovalStatus { kPending, kApproved, kRejected };
std::string_view approvalStatusName(ApprovalStatus s);
std::optional<ApprovalStatus> parseApprovalStatus(std::string_view s);

namespace approval_entity {
inline constexpr const char* kRuleVersion = "RULE_VERSION";
inline constexpr const char* kRulesetVersion = "RULESET_VERSION";
inline constexpr const char* kFieldVersion = "FIELD_VERSION";
}  // namespace approval_entity
bool isApprovalEntityType(std::string_view s);

struct Approval {
  std::string approval_id;
  std::string entity_type;
  std::string entity_id;
  std::string action = "SUBMIT";
  ApprovalStatus status = ApprovalStatus::kPending;
  std::string maker;  // submitter subject
  std::string maker_issuer;
  std::string author;  // who created the version under review
  std::string author_issuer;
  std::optional<std::string> checker;
  std::optional<std::string> checker_issuer;
  std::string content_digest;  // sha256 of what was submitted for review
  std::optional<std::string> remarks;
  std::optional<std::string> idempotency_key;
  Timestamp created_at;
  std::optional<Timestamp> decided_at;
  std::optional<std::string> rule_id;     // view: parent rule of a RULE_VERSION approval
  std::optional<std::string> ruleset_id;  // view: parent ruleset of a RULESET_VERSION approval
};

// The version numbers of the fields a tree references, at the time of submission: part of
// what the checker approves (a field redefined after submission changes what the rule means).
using FieldDependencies = std::map<std::string, int>;

// SHA-256 (hex) over RFC 8785 bytes of the reviewed content: normalized tree, scope, priority,
// action and the field versions it depends on.
std::string ruleVersionDigest(const RuleVersion& v, const FieldDependencies& fields);

// Scope: an object of up to 20 dimensions, keys ^[a-z][a-z0-9_]{0,63}$, values a string or a
// list of up to 100 strings (each at most 256 characters).
std::vector<FieldIssue> checkScope(const boost::json::object& scope, std::string_view path);

boost::json::object auditSnapshot(const Rule& r);
boost::json::object auditSnapshot(const RuleVersion& v);

}  // namespace fraudgov::domain
