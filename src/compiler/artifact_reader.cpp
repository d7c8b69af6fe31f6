#include "compiler/artifact_reader.h"

#include <fmt/format.h>

#include <boost/json/array.hpp>
#include <limits>

#include "compiler/strict_object.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();

std::optional<RulesetMember> readRule(const bj::value& value, std::string path, Issues& issues) {
  StrictObject rule(value, std::move(path), issues);
  auto rule_id = rule.string("ruleId");
  auto rule_version_id = rule.string("ruleVersionId");
  auto priority = rule.integer("priority", std::numeric_limits<int>::min(), kMaxInt);
  const bj::object* scope = rule.object("scope");
  const bj::value* when = rule.value("when");
  auto action = rule.named("action", domain::parseRuleAction, "must be APPROVE, DECLINE or REVIEW");
  rule.refuseUnknownMembers();
  if (!rule_id || !rule_version_id || !priority || scope == nullptr || when == nullptr || !action) return std::nullopt;
  return RulesetMember{*rule_id, *rule_version_id, static_cast<int>(*priority), *scope, *when, *action};
}

void readMode(StrictObject& root, std::optional<domain::RuleType> type, Issues& issues) {
  const bj::value* evaluation = root.value("evaluation");
  if (evaluation == nullptr) return;
  StrictObject reader(*evaluation, root.pathOf("evaluation"), issues);
  auto mode = reader.string("mode");
  reader.refuseUnknownMembers();
  if (mode && type && *mode != evaluationMode(*type)) {
    reader.issue("mode",
                 fmt::format("must be {} for rule type {}", evaluationMode(*type), domain::ruleTypeName(*type)));
  }
}

void readRules(StrictObject& root, RulesetSource& source, Issues& issues) {
  const bj::array* rules = root.array("rules");
  if (rules == nullptr) return;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    auto member = readRule((*rules)[i], fmt::format("{}[{}]", root.pathOf("rules"), i), issues);
    if (member) source.rules.push_back(std::move(*member));
  }
}

}  // namespace

Result<RulesetSource> readArtifact(const bj::value& ast) {
  Issues issues;
  RulesetSource source;
  StrictObject root(ast, "$", issues);
  if (auto id = root.string("rulesetId")) source.ruleset_id = std::move(*id);
  if (auto version = root.integer("version", 1, kMaxInt)) source.version = static_cast<int>(*version);
  auto type = root.named("ruleType", domain::parseRuleType, "must be ALLOWLIST, BLOCKLIST, AUTH or MONITORING");
  if (type) source.rule_type = *type;
  readMode(root, type, issues);
  if (auto policy = root.string("velocityFailurePolicy"); policy && *policy != "SKIP") {
    root.issue("velocityFailurePolicy", "must be SKIP");
  }
  readRules(root, source, issues);
  root.refuseUnknownMembers();
  if (!issues.empty()) return fail(issuesError("Invalid ruleset artifact", issues));
  return source;
}

}  // namespace fraudgov::compiler
