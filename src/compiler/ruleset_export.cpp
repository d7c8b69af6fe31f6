#include "compiler/ruleset_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <limits>

#include "compiler/strict_object.h"

namespace fraudgov::compiler {

namespace bj = boost::json;

namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();

std::string elementPath(std::string_view array_path, std::size_t i) { return fmt::format("{}[{}]", array_path, i); }

std::optional<RulesetMember> readMember(const bj::value& value, std::string path, Issues& issues) {
  StrictObject rule(value, std::move(path), issues);
  RulesetMember member;
  auto rule_id = rule.string("rule_id");
  auto rule_version_id = rule.string("rule_version_id");
  auto priority = rule.integer("priority", std::numeric_limits<int>::min(), kMaxInt);
  const bj::object* scope = rule.object("scope");
  const bj::value* tree = rule.value("condition_tree");
  auto action = rule.named("action", domain::parseRuleAction, "must be APPROVE, DECLINE or REVIEW");
  rule.refuseUnknownMembers();
  if (!rule_id || !rule_version_id || !priority || scope == nullptr || tree == nullptr || !action) return std::nullopt;
  return RulesetMember{*rule_id, *rule_version_id, static_cast<int>(*priority), *scope, *tree, *action};
}

std::optional<std::vector<domain::Operator>> readOperators(StrictObject& field) {
  const bj::array* names = field.array("allowed_operators");
  if (names == nullptr) return std::nullopt;
  std::vector<domain::Operator> ops;
  bool valid = true;
  for (std::size_t i = 0; i < names->size(); ++i) {
    const bj::value& name = (*names)[i];
    auto op = name.is_string() ? domain::parseOperator(name.get_string()) : std::nullopt;
    if (!op || std::find(ops.begin(), ops.end(), *op) != ops.end()) {
      field.issue(elementPath("allowed_operators", i), "must be a known operator, listed once");
      valid = false;
      continue;
    }
    ops.push_back(*op);
  }
  return valid ? std::optional(std::move(ops)) : std::nullopt;
}

std::optional<FieldSpec> readField(const bj::value& value, std::string path, Issues& issues) {
  StrictObject field(value, std::move(path), issues);
  auto key = field.string("field_key");
  auto id = field.integer("field_id", 1, kMaxInt);
  auto type = field.named("data_type", domain::parseDataType, "must be STRING, NUMBER, BOOLEAN, DATE or ENUM");
  auto ops = readOperators(field);
  auto multi = field.boolean("multi_value_allowed");
  auto sensitive = field.boolean("is_sensitive");
  field.refuseUnknownMembers();
  if (!key || !id || !type || !ops || !multi || !sensitive) return std::nullopt;
  return FieldSpec{*key, static_cast<int>(*id), *type, std::move(*ops), *multi, *sensitive};
}

void readRules(StrictObject& document, RulesetSource& source, Issues& issues) {
  const bj::array* rules = document.array("rules");
  if (rules == nullptr) return;
  for (std::size_t i = 0; i < rules->size(); ++i) {
    auto member = readMember((*rules)[i], elementPath(document.pathOf("rules"), i), issues);
    if (member) source.rules.push_back(std::move(*member));
  }
}

void readFields(StrictObject& document, FieldCatalog& catalog, Issues& issues) {
  const bj::array* fields = document.array("fields");
  if (fields == nullptr) return;
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const std::string path = elementPath(document.pathOf("fields"), i);
    auto field = readField((*fields)[i], path, issues);
    if (!field) continue;
    if (catalog.contains(field->field_key)) {
      issues.push_back({path + ".field_key", "duplicates an earlier field"});
      continue;
    }
    catalog.emplace(field->field_key, std::move(*field));
  }
}

void readHeader(StrictObject& document, RulesetSource& source) {
  const auto schema = document.integer("schema_version", 0, kMaxInt);
  if (schema && *schema != kRulesetExportSchemaVersion) {
    document.issue("schema_version",
                   fmt::format("is not supported: this compiler reads schema_version {}", kRulesetExportSchemaVersion));
  }
  if (auto id = document.string("ruleset_id")) source.ruleset_id = std::move(*id);
  if (auto version = document.integer("version", 1, kMaxInt)) source.version = static_cast<int>(*version);
  if (auto type =
          document.named("rule_type", domain::parseRuleType, "must be ALLOWLIST, BLOCKLIST, AUTH or MONITORING")) {
    source.rule_type = *type;
  }
}

bj::array operatorNames(const std::vector<domain::Operator>& ops) {
  bj::array names;
  for (auto op : ops) names.push_back(bj::string(domain::operatorName(op)));
  return names;
}

bj::array exportFields(const FieldCatalog& catalog) {
  std::vector<const FieldSpec*> fields;
  for (const auto& [key, spec] : catalog) fields.push_back(&spec);
  std::sort(fields.begin(), fields.end(), [](auto* a, auto* b) { return a->field_key < b->field_key; });
  bj::array out;
  for (const FieldSpec* f : fields) {
    out.push_back(bj::object{{"field_key", f->field_key},
                             {"field_id", f->field_id},
                             {"data_type", domain::dataTypeName(f->data_type)},
                             {"allowed_operators", operatorNames(f->allowed_operators)},
                             {"multi_value_allowed", f->multi_value_allowed},
                             {"is_sensitive", f->is_sensitive}});
  }
  return out;
}

bj::array exportRules(const std::vector<RulesetMember>& members) {
  bj::array out;
  for (const auto& m : members) {
    out.push_back(bj::object{{"rule_id", m.rule_id},
                             {"rule_version_id", m.rule_version_id},
                             {"priority", m.priority},
                             {"scope", m.scope},
                             {"condition_tree", m.when},
                             {"action", domain::ruleActionName(m.action)}});
  }
  return out;
}

}  // namespace

Result<RulesetExport> parseExport(const bj::value& document) {
  Issues issues;
  RulesetExport parsed;
  StrictObject root(document, "$", issues);
  readHeader(root, parsed.source);
  readRules(root, parsed.source, issues);
  readFields(root, parsed.catalog, issues);
  root.refuseUnknownMembers();
  if (!issues.empty()) return fail(issuesError("Invalid ruleset export", issues));
  return parsed;
}

Result<RulesetSource> parseRulesetExport(const bj::value& document) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto parsed, parseExport(document));
  return std::move(parsed.source);
}

bj::object rulesetExport(const RulesetSource& source, const FieldCatalog& catalog) {
  return {{"schema_version", kRulesetExportSchemaVersion},
          {"ruleset_id", source.ruleset_id},
          {"version", source.version},
          {"rule_type", domain::ruleTypeName(source.rule_type)},
          {"rules", exportRules(source.rules)},
          {"fields", exportFields(catalog)}};
}

Result<CompiledRuleset> compileExport(const bj::value& document) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto parsed, parseExport(document));
  return compileRuleset(parsed.source, parsed.catalog);
}

}  // namespace fraudgov::compiler
