#include "domain/ruleset.h"

#include <set>

#include "common/text.h"

namespace fraudgov::domain {

namespace {

bool isIdentitySegment(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

void checkSegment(std::vector<FieldIssue>& issues, std::string_view path, const std::string& value) {
  if (!isIdentitySegment(value)) {
    issues.push_back({std::string(path), std::string(path) + " must be 1 to 64 characters of letters, digits, '_' or '-'"});
  }
}

void checkOptionalText(std::vector<FieldIssue>& issues, std::string_view path, const std::optional<std::string>& v,
                       std::size_t max) {
  if (v && (text::codePointCount(*v) > max || text::containsNul(*v))) {
    issues.push_back({std::string(path), std::string(path) + " must be at most " + std::to_string(max) +
                                             " characters without NUL"});
  }
}

}  // namespace

std::vector<FieldIssue> checkRulesetIdentity(const Ruleset& r) {
  std::vector<FieldIssue> issues;
  checkSegment(issues, "environment", r.environment);
  checkSegment(issues, "region", r.region);
  checkSegment(issues, "country", r.country);
  checkOptionalText(issues, "name", r.name, 255);
  checkOptionalText(issues, "description", r.description, 2000);
  return issues;
}

std::vector<FieldIssue> checkMembership(RuleType ruleset_type, const std::vector<RulesetMember>& members) {
  std::vector<FieldIssue> issues;
  std::set<std::string> rules;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const RulesetMember& m = members[i];
    const std::string path = "rule_version_ids[" + std::to_string(i) + "]";
    if (m.status != VersionStatus::kApproved) {
      issues.push_back({path, "Rule version " + m.rule_version_id + " is " + std::string(versionStatusName(m.status)) +
                                  "; only APPROVED rule versions can be included"});
    }
    if (m.rule_type != ruleset_type) {
      issues.push_back({path, "Rule version " + m.rule_version_id + " belongs to a " +
                                  std::string(ruleTypeName(m.rule_type)) + " rule; the ruleset is " +
                                  std::string(ruleTypeName(ruleset_type))});
    }
    if (!rules.insert(m.rule_id).second) {
      issues.push_back({path, "Rule version " + m.rule_version_id + " is a second version of rule " + m.rule_id +
                                  "; a ruleset holds at most one version per rule"});
    }
  }
  return issues;
}

boost::json::object auditSnapshot(const Ruleset& r) {
  boost::json::object o{{"ruleset_id", r.ruleset_id},
                        {"environment", r.environment},
                        {"region", r.region},
                        {"country", r.country},
                        {"rule_type", ruleTypeName(r.rule_type)}};
  o["name"] = r.name ? boost::json::value(*r.name) : boost::json::value(nullptr);
  o["description"] = r.description ? boost::json::value(*r.description) : boost::json::value(nullptr);
  return o;
}

boost::json::object auditSnapshot(const RulesetVersion& v) {
  boost::json::array ids;
  for (const auto& id : v.rule_version_ids) ids.emplace_back(id);
  boost::json::object o{{"ruleset_id", v.ruleset_id},
                        {"version", v.version},
                        {"status", versionStatusName(v.status)},
                        {"rule_version_ids", std::move(ids)}};
  o["approved_by"] = v.approved_by ? boost::json::value(*v.approved_by) : boost::json::value(nullptr);
  o["approved_at"] = v.approved_at ? boost::json::value(formatIso(*v.approved_at)) : boost::json::value(nullptr);
  o["activated_at"] = v.activated_at ? boost::json::value(formatIso(*v.activated_at)) : boost::json::value(nullptr);
  return o;
}

}  // namespace fraudgov::domain
