#include "compiler/leaf_validator.h"

#include <fmt/format.h>
#include <algorithm>
#include <string_view>

#include "compiler/text_checks.h"
#include "compiler/value_checks.h"

namespace fraudgov::compiler {

namespace bj = boost::json;
using domain::Operator;

namespace {

struct OperatorRef {
  Operator op;
  std::string_view member;  // "op" or "operator": where findings about the operator point
};

std::string quoted(std::string_view s) { return fmt::format("'{}'", displayText(s)); }

std::string operatorList(const std::vector<Operator>& ops) {
  std::string out;
  for (Operator op : ops) {
    if (!out.empty()) out += ", ";
    out += domain::operatorName(op);
  }
  return out;
}

// "field" is a key string, or {"field_key":"<key>"} (the predecessor's velocity-field form).
const bj::string* fieldReference(const bj::value& field) {
  if (field.is_string()) return &field.get_string();
  if (!field.is_object() || field.get_object().size() != 1) return nullptr;
  const bj::value* key = field.get_object().if_contains("field_key");
  return key != nullptr && key->is_string() ? &key->get_string() : nullptr;
}

std::optional<std::string> fieldKeyOf(const bj::object& node, const TreeLimits& limits, Diagnostics& diag) {
  const bj::value* field = node.if_contains("field");
  if (field == nullptr || field->is_null() || (field->is_string() && field->get_string().empty())) {
    diag.report("Leaf node missing 'field'");
    return std::nullopt;
  }
  auto at = diag.member("field");
  const bj::string* key = fieldReference(*field);
  if (key == nullptr || key->empty()) {
    diag.report("Invalid field reference: must be string or object with 'field_key'");
    return std::nullopt;
  }
  if (!checkText(*key, limits, diag)) return std::nullopt;
  return std::string(*key);
}

std::optional<OperatorRef> operatorOf(const bj::object& node, const TreeLimits& limits, Diagnostics& diag) {
  const bj::value* op = node.if_contains("op");
  const bj::value* alias = node.if_contains("operator");
  if (op == nullptr && alias == nullptr) {
    diag.report("Leaf node missing 'op' or 'operator'");
    return std::nullopt;
  }
  const std::string_view member = op != nullptr ? "op" : "operator";
  const bj::value& given = op != nullptr ? *op : *alias;
  auto at = diag.member(member);
  if (!given.is_string()) {
    diag.report("Operator must be a string");
    return std::nullopt;
  }
  if (op != nullptr && alias != nullptr && *op != *alias) {
    diag.report("'op' and 'operator' disagree; give one of them");
    return std::nullopt;
  }
  if (!checkText(given.get_string(), limits, diag)) return std::nullopt;
  const auto parsed = domain::parseOperator(given.get_string());
  if (!parsed) {
    diag.report(fmt::format("Unknown operator {} (expected one of {})", quoted(given.get_string()),
                            operatorList(domain::allOperators())));
    return std::nullopt;
  }
  return OperatorRef{*parsed, member};
}

// The field's own allow-list, then what its data type can mean (a catalog could be misconfigured).
bool operatorPermitted(const FieldSpec& field, const OperatorRef& ref, Diagnostics& diag) {
  auto at = diag.member(ref.member);
  const std::string_view op = domain::operatorName(ref.op);
  const auto& allowed = field.allowed_operators;
  if (std::find(allowed.begin(), allowed.end(), ref.op) == allowed.end()) {
    diag.report(fmt::format("Operator '{}' not allowed for field {} (allowed: {})", op, quoted(field.field_key),
                            operatorList(allowed)));
    return false;
  }
  if (!domain::operatorSupports(field.data_type, ref.op)) {
    diag.report(fmt::format("Operator '{}' is not supported for {} field {}", op, domain::dataTypeName(field.data_type),
                            quoted(field.field_key)));
    return false;
  }
  if (domain::isMultiValueOperator(ref.op) && !field.multi_value_allowed) {
    diag.report(fmt::format("Field {} does not allow multi-value operators (IN/NOT_IN)", quoted(field.field_key)));
    return false;
  }
  return true;
}

}  // namespace

std::optional<NormalizedLeaf> normalizeLeaf(const bj::object& node, ValidationContext& ctx) {
  Diagnostics& diag = ctx.diag;
  const auto key = fieldKeyOf(node, ctx.limits, diag);
  const auto op = operatorOf(node, ctx.limits, diag);
  const bj::value* value = node.if_contains("value");
  if (value == nullptr) diag.report("Leaf node missing 'value'");
  if (!key || !op || value == nullptr) return std::nullopt;

  const auto found = ctx.catalog.find(*key);
  if (found == ctx.catalog.end()) {
    auto at = diag.member("field");
    diag.report(fmt::format("Unknown field {}", quoted(*key)));
    return std::nullopt;
  }
  const FieldSpec& field = found->second;
  if (!operatorPermitted(field, *op, diag)) return std::nullopt;
  if (!checkLeafValue(*value, field, op->op, ctx)) return std::nullopt;
  bj::object normalized(ctx.storage);
  normalized.reserve(3);
  normalized.emplace("field", *key);
  normalized.emplace("op", domain::operatorName(op->op));
  normalized.emplace("value", *value);
  return NormalizedLeaf{std::move(normalized), *key};
}

}  // namespace fraudgov::compiler
