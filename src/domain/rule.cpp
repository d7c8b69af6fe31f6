#include "domain/rule.h"

#include <array>

#include "common/canonical_json.h"
#include "common/crypto.h"
#include "common/text.h"

namespace fraudgov::domain {

namespace {

bool isScopeKey(std::string_view k) {
  if (k.empty() || k.size() > 64 || k[0] < 'a' || k[0] > 'z') return false;
  for (char c : k) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::optional<std::string> scopeValueProblem(const boost::json::value& v) {
  auto stringOk = [](const boost::json::value& s) {
    return s.is_string() && text::codePointCount(s.get_string()) <= 256 && !text::containsNul(s.get_string());
  };
  if (v.is_string())
    return stringOk(v) ? std::nullopt : std::optional<std::string>("must be a string of at most 256 characters");
  if (!v.is_array()) return "must be a string or a list of strings";
  if (v.get_array().size() > 100) return "must list at most 100 values";
  for (const auto& e : v.get_array()) {
    if (!stringOk(e)) return "must list strings of at most 256 characters";
  }
  return std::nullopt;
}
}  // namespace

bool isApprovalEntityType(std::string_view s) {
  return s == approval_entity::kRuleVersion || s == approval_entity::kRulesetVersion ||
         s == approval_entity::kFieldVersion;
}

RuleAction defaultAction(RuleType t) {
  switch (t) {
    case RuleType::kAllowlist:
      return RuleAction::kApprove;
    case RuleType::kBlocklist:
      return RuleAction::kDecline;
    case RuleType::kAuth:
      return RuleAction::kDecline;
    case RuleType::kMonitoring:
      return RuleAction::kReview;
  }
  return RuleAction::kReview;
}

bool actionAllowed(RuleType t, RuleAction a) {
  switch (t) {
    case RuleType::kAllowlist:
      return a == RuleAction::kApprove;
    case RuleType::kBlocklist:
      return a == RuleAction::kDecline;
    case RuleType::kAuth:
      return a != RuleAction::kReview;
    case RuleType::kMonitoring:
      return a == RuleAction::kReview;
  }
  return false;
}

std::string actionMismatchMessage(RuleType t, RuleAction a) {
  const std::string got(ruleActionName(a));
  switch (t) {
    case RuleType::kAllowlist:
      return "ALLOWLIST rules must have action=APPROVE. Got: " + got;
    case RuleType::kBlocklist:
      return "BLOCKLIST rules must have action=DECLINE. Got: " + got;
    case RuleType::kAuth:
      return "AUTH rules cannot have action=REVIEW. Got: " + got;
    case RuleType::kMonitoring:
      return "MONITORING rules must have action=REVIEW. Got: " + got;
  }
  return "action not allowed";
}

std::string ruleVersionDigest(const RuleVersion& v, const FieldDependencies& fields) {
  boost::json::object deps;
  for (const auto& [key, version] : fields) deps[key] = version;
  const boost::json::object content{{"condition_tree", v.normalized_tree},
                                    {"scope", v.scope},
                                    {"priority", v.priority},
                                    {"action", ruleActionName(v.action)},
                                    {"field_versions", std::move(deps)}};
  return crypto::sha256Hex(json::canonicalize(content));
}

std::vector<FieldIssue> checkScope(const boost::json::object& scope, std::string_view path) {
  std::vector<FieldIssue> issues;
  if (scope.size() > 20) issues.push_back({std::string(path), "scope may have at most 20 dimensions"});
  for (const auto& kv : scope) {
    const std::string key(kv.key());
    const std::string where = std::string(path) + "." + (isScopeKey(key) ? key : std::string("<key>"));
    if (!isScopeKey(key)) {
      issues.push_back({where, "scope keys must match ^[a-z][a-z0-9_]{0,63}$"});
      continue;
    }
    if (auto problem = scopeValueProblem(kv.value())) issues.push_back({where, "scope value " + *problem});
  }
  return issues;
}

boost::json::object auditSnapshot(const Rule& r) {
  return {{"rule_id", r.rule_id},
          {"rule_name", r.rule_name},
          {"rule_type", ruleTypeName(r.rule_type)},
          {"status", versionStatusName(r.status)},
          {"current_version", r.current_version},
          {"version", r.version}};
}

boost::json::object auditSnapshot(const RuleVersion& v) {
  boost::json::object o{{"rule_id", v.rule_id},   {"rule_version_id", v.rule_version_id},
                        {"version", v.version},   {"status", versionStatusName(v.status)},
                        {"priority", v.priority}, {"action", ruleActionName(v.action)}};
  if (v.approved_by) o["approved_by"] = *v.approved_by;
  if (v.approved_at) o["approved_at"] = formatIso(*v.approved_at);
  return o;
}

}  // namespace fraudgov::domain
