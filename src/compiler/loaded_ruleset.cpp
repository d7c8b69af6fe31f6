#include "compiler/loaded_ruleset.h"

#include <boost/json/array.hpp>

#include "common/crypto.h"
#include "common/json.h"
#include "compiler/artifact_reader.h"
#include "compiler/ruleset_compiler.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

Error invalidArtifact(std::string_view problem, bj::object details = {}) {
  return Error::validation("Invalid ruleset artifact: " + std::string(problem), std::move(details));
}

// What the compiler would make of the artifact's own content, which must be the artifact itself.
Result<CompiledRuleset> recompile(std::string_view bytes, const FieldCatalog& catalog) {
  auto document = json::parseStrict(bytes);
  if (!document) return fail(invalidArtifact(document.error().message));
  FRAUDGOV_ASSIGN_OR_RETURN(auto source, readArtifact(*document));
  auto compiled = compileRuleset(source, catalog);
  if (!compiled) return fail(invalidArtifact(compiled.error().message, std::move(compiled.error().details)));
  if (compiled->bytes != bytes) {
    return fail(
        invalidArtifact("the bytes are not what the compiler produces from their content "
                        "(not canonical JSON, or rules out of order)"));
  }
  return compiled;
}

}  // namespace

Result<LoadedRuleset> LoadedRuleset::load(std::string_view artifact_bytes, const FieldCatalog& catalog) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto compiled, recompile(artifact_bytes, catalog));
  LoadedRuleset loaded;
  loaded.ruleset_id_ = std::string(compiled.ast.at("rulesetId").as_string());
  loaded.version_ = static_cast<int>(compiled.ast.at("version").to_number<std::int64_t>());
  loaded.rule_type_ = *domain::parseRuleType(compiled.ast.at("ruleType").as_string());
  loaded.all_matching_ = evaluationMode(loaded.rule_type_) == kAllMatching;
  loaded.checksum_ = std::move(compiled.checksum);
  for (const auto& node : compiled.ast.at("rules").as_array()) {
    const bj::object& rule = node.as_object();
    FRAUDGOV_ASSIGN_OR_RETURN(auto condition, compileCondition(rule.at("when"), catalog));
    Decision decision{std::string(rule.at("ruleId").as_string()), std::string(rule.at("ruleVersionId").as_string()),
                      *domain::parseRuleAction(rule.at("action").as_string()),
                      static_cast<int>(rule.at("priority").to_number<std::int64_t>())};
    loaded.rules_.push_back({std::move(decision), ScopeMatcher(rule.at("scope").as_object()), std::move(condition)});
  }
  return loaded;
}

Result<LoadedRuleset> LoadedRuleset::load(std::string_view artifact_bytes, std::string_view expected_checksum,
                                          const FieldCatalog& catalog) {
  if (!crypto::constantTimeEquals(crypto::sha256Checksum(artifact_bytes), expected_checksum)) {
    return fail(invalidArtifact("checksum mismatch", {{"expected_checksum", expected_checksum}}));
  }
  return load(artifact_bytes, catalog);
}

std::vector<LoadedRuleset::Decision> LoadedRuleset::evaluate(const bj::object& transaction) const {
  std::vector<Decision> decisions;
  for (const Rule& rule : rules_) {
    if (!rule.scope.applies(transaction) || !matches(rule.condition, transaction)) continue;
    decisions.push_back(rule.decision);
    if (!all_matching_) break;
  }
  return decisions;
}

std::string_view LoadedRuleset::mode() const { return all_matching_ ? kAllMatching : kFirstMatch; }

bj::object decisionLine(std::string_view transaction_id, const std::vector<LoadedRuleset::Decision>& decisions) {
  bj::array matched;
  for (const auto& d : decisions) {
    matched.push_back(bj::object{{"rule_id", d.rule_id},
                                 {"rule_version_id", d.rule_version_id},
                                 {"action", domain::ruleActionName(d.action)},
                                 {"priority", d.priority}});
  }
  bj::value decision = decisions.empty() ? bj::value(nullptr) : bj::value(domain::ruleActionName(decisions[0].action));
  return {{"transaction_id", transaction_id}, {"matched", std::move(matched)}, {"decision", std::move(decision)}};
}

}  // namespace fraudgov::compiler
