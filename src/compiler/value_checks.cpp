#include "compiler/value_checks.h"

#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <string>

#include "compiler/json_operands.h"
#include "compiler/regex_policy.h"
#include "compiler/text_checks.h"

namespace fraudgov::compiler {

namespace bj = boost::json;
using domain::DataType;
using domain::Operator;

namespace {

std::string fieldName(const FieldSpec& field) { return fmt::format("'{}'", displayText(field.field_key)); }

std::string operatorText(Operator op) { return fmt::format("'{}'", domain::operatorName(op)); }

std::string expectation(DataType type) {
  if (type == DataType::kDate) return "DATE string (ISO 8601)";
  return fmt::format("{} value", domain::dataTypeName(type));
}

bool expects(const FieldSpec& field, Diagnostics& diag) {
  diag.report(fmt::format("Field {} expects {}", fieldName(field), expectation(field.data_type)));
  return false;
}

bool checkNumber(const bj::value& v, const FieldSpec& field, Diagnostics& diag) {
  if (v.is_double() && !asNumber(v)) {
    diag.report(fmt::format("Field {} expects a finite NUMBER value", fieldName(field)));
    return false;
  }
  return asNumber(v) ? true : expects(field, diag);
}

// One operand: the whole value of a scalar operator, or one element of a list.
bool checkScalar(const bj::value& v, const FieldSpec& field, const TreeLimits& limits, Diagnostics& diag) {
  if (v.is_null()) {
    diag.report(fmt::format("Field {} does not accept null values", fieldName(field)));
    return false;
  }
  switch (field.data_type) {
    case DataType::kString:
    case DataType::kEnum:
      if (!v.is_string()) return expects(field, diag);
      return checkText(v.get_string(), limits, diag);
    case DataType::kNumber:
      return checkNumber(v, field, diag);
    case DataType::kBoolean:
      return v.is_bool() ? true : expects(field, diag);
    case DataType::kDate:
      if (!v.is_string()) return expects(field, diag);
      if (!checkText(v.get_string(), limits, diag)) return false;
      return asInstant(v) ? true : expects(field, diag);
  }
  return expects(field, diag);
}

bool checkElements(const bj::array& list, const FieldSpec& field, const TreeLimits& limits, Diagnostics& diag) {
  bool ok = true;
  for (std::size_t i = 0; i < list.size() && !diag.stopped(); ++i) {
    auto at = diag.index(i);
    ok = checkScalar(list[i], field, limits, diag) && ok;
  }
  return ok;
}

bool checkMultiValue(const bj::value& value, const FieldSpec& field, Operator op, const TreeLimits& limits,
                     Diagnostics& diag) {
  if (!value.is_array()) {
    diag.report(fmt::format("Operator {} requires a list for field {}", operatorText(op), fieldName(field)));
    return false;
  }
  const bj::array& list = value.get_array();
  if (list.empty()) {
    diag.report(fmt::format("Operator {} list cannot be empty for field {}", operatorText(op), fieldName(field)));
    return false;
  }
  if (list.size() > limits.max_array) {
    diag.report(fmt::format("Array at '{}' exceeds maximum size of {}", diag.path(), limits.max_array));
    return false;
  }
  return checkElements(list, field, limits, diag);
}

bool ordered(const bj::value& low, const bj::value& high, DataType type) {
  if (type == DataType::kDate) return *asInstant(low) <= *asInstant(high);
  return *asNumber(low) <= *asNumber(high);
}

bool checkBetween(const bj::value& value, const FieldSpec& field, const TreeLimits& limits, Diagnostics& diag) {
  if (!value.is_array() || value.get_array().size() != 2) {
    diag.report(fmt::format("Operator 'BETWEEN' requires exactly 2 values for field {}", fieldName(field)));
    return false;
  }
  const bj::array& bounds = value.get_array();
  if (!checkElements(bounds, field, limits, diag)) return false;
  if (!ordered(bounds[0], bounds[1], field.data_type)) {
    diag.report(fmt::format("Operator 'BETWEEN' requires low <= high for field {}", fieldName(field)));
    return false;
  }
  return true;
}

bool checkPattern(const bj::value& value, const FieldSpec& field, ValidationContext& ctx) {
  if (!value.is_string()) return expects(field, ctx.diag);
  if (++ctx.regex_leaves > ctx.limits.max_regex_leaves) {
    ctx.diag.report(fmt::format("Condition tree exceeds maximum of {} REGEX conditions", ctx.limits.max_regex_leaves));
    return false;
  }
  const std::string pattern(value.get_string());
  if (ctx.regexes != nullptr && ctx.regexes->contains(pattern)) return true;
  auto compiled = compileRegex(pattern, ctx.limits.max_regex_bytes);
  if (!compiled) {
    ctx.diag.report(fmt::format("{} (field {})", compiled.error().message, fieldName(field)));
    return false;
  }
  if (ctx.regexes != nullptr) ctx.regexes->emplace(pattern, std::move(*compiled));
  return true;
}

}  // namespace

bool checkText(std::string_view s, const TreeLimits& limits, Diagnostics& diag) {
  if (s.size() > limits.max_string_bytes) {
    diag.report(fmt::format("String exceeds maximum length of {} bytes", limits.max_string_bytes));
    return false;
  }
  if (!isValidUtf8(s)) {
    diag.report("String is not valid UTF-8");
    return false;
  }
  return true;
}

bool checkLeafValue(const bj::value& value, const FieldSpec& field, Operator op, ValidationContext& ctx) {
  auto at = ctx.diag.member("value");
  if (domain::isMultiValueOperator(op)) return checkMultiValue(value, field, op, ctx.limits, ctx.diag);
  if (op == Operator::kBetween) return checkBetween(value, field, ctx.limits, ctx.diag);
  if (value.is_array()) {
    ctx.diag.report(fmt::format("Operator {} does not accept lists for field {}", operatorText(op), fieldName(field)));
    return false;
  }
  if (!checkScalar(value, field, ctx.limits, ctx.diag)) return false;
  return op == Operator::kRegex ? checkPattern(value, field, ctx) : true;
}

}  // namespace fraudgov::compiler
