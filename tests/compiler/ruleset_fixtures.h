#pragma once
// Building blocks for ruleset compiler, export and runtime tests.

#include <string>
#include <string_view>

#include "compiler/ruleset_compiler.h"
#include "compiler/tree_test_util.h"

namespace fraudgov::testing {

inline compiler::RulesetMember member(std::string rule_id, std::string rule_version_id, int priority,
                                      std::string_view when, domain::RuleAction action = domain::RuleAction::kDecline,
                                      std::string_view scope = "{}") {
  compiler::RulesetMember m;
  m.rule_id = std::move(rule_id);
  m.rule_version_id = std::move(rule_version_id);
  m.priority = priority;
  m.scope = parseJson(scope).as_object();
  m.when = parseJson(when);
  m.action = action;
  return m;
}

inline compiler::RulesetSource ruleset(domain::RuleType type, std::vector<compiler::RulesetMember> rules,
                                       std::string id = "rs-1", int version = 1) {
  return compiler::RulesetSource{std::move(id), version, type, std::move(rules)};
}

inline constexpr const char* kAmountOver1000 = R"({"field":"amount","op":"GT","value":1000})";
inline constexpr const char* kEuroOrDollar = R"({"field":"currency","op":"IN","value":["EUR","USD"]})";
inline constexpr const char* kCardNotPresent = R"({"field":"card_present","op":"EQ","value":false})";

}  // namespace fraudgov::testing
