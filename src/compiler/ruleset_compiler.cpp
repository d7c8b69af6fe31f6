#include "compiler/ruleset_compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <unordered_set>

#include "common/canonical_json.h"
#include "common/crypto.h"
#include "compiler/ast_arena.h"
#include "compiler/condition_tree.h"
#include "compiler/strict_object.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

struct PreparedRule {
  const RulesetMember* member = nullptr;
  bj::value when;  // normalized
};

// priority desc, rule_id asc, rule_version_id asc: a total order, since rule_version_ids are unique.
bool compilerOrder(const PreparedRule& a, const PreparedRule& b) {
  if (a.member->priority != b.member->priority) return a.member->priority > b.member->priority;
  if (a.member->rule_id != b.member->rule_id) return a.member->rule_id < b.member->rule_id;
  return a.member->rule_version_id < b.member->rule_version_id;
}

Error memberError(const RulesetSource& source, const RulesetMember& member, std::string_view problem,
                  bj::array errors) {
  return Error::compilation(
      fmt::format("Rule version {} (rule {}) cannot be compiled: {}", member.rule_version_id, member.rule_id, problem),
      {{"ruleset_id", source.ruleset_id},
       {"rule_id", member.rule_id},
       {"rule_version_id", member.rule_version_id},
       {"errors", std::move(errors)}});
}

Issues memberIssues(domain::RuleType type, const RulesetMember& member) {
  Issues issues;
  if (member.rule_id.empty()) issues.push_back({"$.rule_id", "must be a non-empty string"});
  if (member.rule_version_id.empty()) issues.push_back({"$.rule_version_id", "must be a non-empty string"});
  if (member.priority < domain::kMinPriority || member.priority > domain::kMaxPriority) {
    issues.push_back(
        {"$.priority", fmt::format("must be between {} and {}", domain::kMinPriority, domain::kMaxPriority)});
  }
  if (!domain::actionAllowed(type, member.action)) {
    issues.push_back({"$.action", domain::actionMismatchMessage(type, member.action)});
  }
  for (auto& issue : domain::checkScope(member.scope, "$.scope")) issues.push_back(std::move(issue));
  return issues;
}

Result<PreparedRule> prepare(const RulesetSource& source, const RulesetMember& member, const FieldCatalog& catalog,
                             const bj::storage_ptr& arena) {
  if (auto issues = memberIssues(source.rule_type, member); !issues.empty()) {
    return fail(memberError(source, member, issues[0].message + " at " + issues[0].path, issueList(issues)));
  }
  auto normalized = normalizeConditionTree(member.when, catalog, {}, arena);
  if (!normalized) {
    const bj::value* errors = normalized.error().details.if_contains("errors");
    return fail(memberError(source, member, normalized.error().message,
                            errors != nullptr && errors->is_array() ? errors->get_array() : bj::array{}));
  }
  return PreparedRule{&member, std::move(normalized->tree)};
}

Status checkHeader(const RulesetSource& source) {
  if (source.ruleset_id.empty()) return fail(Error::compilation("Ruleset cannot be compiled: ruleset_id is empty"));
  if (source.version < 1) {
    return fail(
        Error::compilation(fmt::format("Ruleset cannot be compiled: version must be at least 1, got {}", source.version),
                         {{"ruleset_id", source.ruleset_id}}));
  }
  return {};
}

Status checkUniqueVersions(const RulesetSource& source) {
  std::unordered_set<std::string_view> seen;
  for (const auto& member : source.rules) {
    if (!seen.insert(member.rule_version_id).second) {
      return fail(memberError(source, member, "it is listed more than once",
                              issueList({{"$.rule_version_id", "is listed more than once"}})));
    }
  }
  return {};
}

bj::object ruleNode(PreparedRule&& rule, const bj::storage_ptr& arena) {
  const RulesetMember& m = *rule.member;
  return bj::object({{"ruleId", m.rule_id},
                     {"ruleVersionId", m.rule_version_id},
                     {"priority", m.priority},
                     {"scope", m.scope},
                     {"when", std::move(rule.when)},
                     {"action", domain::ruleActionName(m.action)}},
                    arena);
}

bj::object buildAst(const RulesetSource& source, std::vector<PreparedRule>&& rules, const bj::storage_ptr& arena) {
  bj::array nodes(arena);
  nodes.reserve(rules.size());
  for (auto& rule : rules) nodes.push_back(ruleNode(std::move(rule), arena));
  return bj::object({{"rulesetId", source.ruleset_id},
                     {"version", source.version},
                     {"ruleType", domain::ruleTypeName(source.rule_type)},
                     {"evaluation", bj::object{{"mode", evaluationMode(source.rule_type)}}},
                     {"velocityFailurePolicy", "SKIP"},
                     {"rules", std::move(nodes)}},
                    arena);
}

}  // namespace

std::string_view evaluationMode(domain::RuleType t) {
  // Monitoring rules only observe, so every one that matches is reported; the others decide, and
  // the highest-priority match is the decision.
  return t == domain::RuleType::kMonitoring ? kAllMatching : kFirstMatch;
}

Result<CompiledRuleset> compileRuleset(const RulesetSource& source, const FieldCatalog& catalog) {
  FRAUDGOV_RETURN_IF_ERROR(checkHeader(source));
  FRAUDGOV_RETURN_IF_ERROR(checkUniqueVersions(source));
  const bj::storage_ptr arena = makeAstArena();
  std::vector<PreparedRule> rules;
  rules.reserve(source.rules.size());
  for (const auto& member : source.rules) {
    FRAUDGOV_ASSIGN_OR_RETURN(auto rule, prepare(source, member, catalog, arena));
    rules.push_back(std::move(rule));
  }
  std::sort(rules.begin(), rules.end(), compilerOrder);
  // Constructed, not assigned: assigning would copy the AST out of the arena into the default heap.
  CompiledRuleset compiled{buildAst(source, std::move(rules), arena), {}, {}};
  compiled.bytes = json::canonicalize(compiled.ast);
  compiled.checksum = crypto::sha256Checksum(compiled.bytes);
  return compiled;
}

}  // namespace fraudgov::compiler
