#include "compiler/compiled_leaf.h"

#include <fmt/format.h>
#include <re2/re2.h>
#include <algorithm>
#include <boost/json/array.hpp>
#include <string_view>

#include "compiler/json_operands.h"
#include "compiler/regex_policy.h"

namespace fraudgov::compiler {

namespace bj = boost::json;
using domain::DataType;
using domain::Operator;

namespace {

OperandKind kindOf(DataType type) {
  switch (type) {
    case DataType::kNumber:
      return OperandKind::kNumber;
    case DataType::kBoolean:
      return OperandKind::kBoolean;
    case DataType::kDate:
      return OperandKind::kDate;
    case DataType::kString:
    case DataType::kEnum:
      return OperandKind::kString;
  }
  return OperandKind::kString;
}

std::string_view view(const bj::string& s) { return {s.data(), s.size()}; }

// Reached only when handed a tree that did not come out of normalizeConditionTree.
Error notNormalized(const CompiledLeaf& leaf) {
  return Error::internal(fmt::format("Condition leaf at {} was not validated before compiling", leaf.path));
}

// Stores one operand value; `high` selects the upper BETWEEN bound.
Status setOperand(CompiledLeaf& leaf, const bj::value& v, bool high) {
  switch (leaf.kind) {
    case OperandKind::kString:
      if (!v.is_string()) return fail(notNormalized(leaf));
      leaf.text = std::string(view(v.get_string()));
      return {};
    case OperandKind::kNumber: {
      const auto n = asNumber(v);
      if (!n) return fail(notNormalized(leaf));
      (high ? leaf.number_high : leaf.number_low) = *n;
      return {};
    }
    case OperandKind::kDate: {
      const auto t = asInstant(v);
      if (!t) return fail(notNormalized(leaf));
      (high ? leaf.instant_high : leaf.instant_low) = *t;
      return {};
    }
    case OperandKind::kBoolean:
      if (!v.is_bool()) return fail(notNormalized(leaf));
      leaf.flag = v.get_bool();
      return {};
  }
  return fail(notNormalized(leaf));
}

Status addMember(CompiledLeaf& leaf, const bj::value& v) {
  switch (leaf.kind) {
    case OperandKind::kString:
      if (!v.is_string()) break;
      leaf.strings.insert(std::string(view(v.get_string())));
      return {};
    case OperandKind::kNumber:
      if (const auto n = asNumber(v)) {
        leaf.numbers.push_back(*n);
        return {};
      }
      break;
    case OperandKind::kDate:
      if (const auto t = asInstant(v)) {
        leaf.instants.push_back(*t);
        return {};
      }
      break;
    case OperandKind::kBoolean:
      if (!v.is_bool()) break;
      leaf.booleans.push_back(v.get_bool());
      return {};
  }
  return fail(notNormalized(leaf));
}

Status setOperands(CompiledLeaf& leaf, const bj::value& value, const RegexCache& regexes) {
  if (domain::isMultiValueOperator(leaf.op) || leaf.op == Operator::kBetween) {
    if (!value.is_array()) return fail(notNormalized(leaf));
    const bj::array& list = value.get_array();
    if (leaf.op == Operator::kBetween) {
      if (list.size() != 2) return fail(notNormalized(leaf));
      if (auto ok = setOperand(leaf, list[0], false); !ok) return ok;
      return setOperand(leaf, list[1], true);
    }
    for (const auto& member : list) {
      if (auto ok = addMember(leaf, member); !ok) return ok;
    }
    std::sort(leaf.numbers.begin(), leaf.numbers.end());
    std::sort(leaf.instants.begin(), leaf.instants.end());
    return {};
  }
  if (auto ok = setOperand(leaf, value, false); !ok) return ok;
  if (leaf.op != Operator::kRegex) return {};
  if (const auto cached = regexes.find(leaf.text); cached != regexes.end()) {
    leaf.regex = cached->second;
    return {};
  }
  auto compiled = compileRegex(leaf.text, leaf.text.size());
  if (!compiled) return fail(notNormalized(leaf));
  leaf.regex = std::move(*compiled);
  return {};
}

template <class T>
bool compareOrdered(const CompiledLeaf& leaf, T x, T low, T high, const std::vector<T>& sorted) {
  switch (leaf.op) {
    case Operator::kEq:
      return x == low;
    case Operator::kNe:
      return x != low;
    case Operator::kGt:
      return x > low;
    case Operator::kGte:
      return x >= low;
    case Operator::kLt:
      return x < low;
    case Operator::kLte:
      return x <= low;
    case Operator::kBetween:
      return low <= x && x <= high;
    case Operator::kIn:
      return std::binary_search(sorted.begin(), sorted.end(), x);
    case Operator::kNotIn:
      return !std::binary_search(sorted.begin(), sorted.end(), x);
    default:
      return false;
  }
}

bool compareString(const CompiledLeaf& leaf, std::string_view x) {
  switch (leaf.op) {
    case Operator::kEq:
      return x == leaf.text;
    case Operator::kNe:
      return x != leaf.text;
    case Operator::kIn:
      return leaf.strings.contains(x);
    case Operator::kNotIn:
      return !leaf.strings.contains(x);
    case Operator::kContains:
      return x.find(leaf.text) != std::string_view::npos;
    case Operator::kStartsWith:
      return x.starts_with(leaf.text);
    case Operator::kEndsWith:
      return x.ends_with(leaf.text);
    case Operator::kRegex:
      return re2::RE2::PartialMatch(re2::StringPiece(x.data(), x.size()), *leaf.regex);
    default:
      return false;
  }
}

bool compareBoolean(const CompiledLeaf& leaf, bool x) {
  const bool listed = std::find(leaf.booleans.begin(), leaf.booleans.end(), x) != leaf.booleans.end();
  switch (leaf.op) {
    case Operator::kEq:
      return x == leaf.flag;
    case Operator::kNe:
      return x != leaf.flag;
    case Operator::kIn:
      return listed;
    case Operator::kNotIn:
      return !listed;
    default:
      return false;
  }
}

LeafOutcome outcome(bool matched) { return matched ? LeafOutcome::kMatched : LeafOutcome::kNotMatched; }

}  // namespace

Result<CompiledLeaf> compileLeaf(const bj::object& node, const FieldSpec& field, std::string path,
                                 const RegexCache& regexes) {
  CompiledLeaf leaf;
  leaf.kind = kindOf(field.data_type);
  leaf.path = std::move(path);
  const bj::value* key = node.if_contains("field");
  const bj::value* op = node.if_contains("op");
  const bj::value* value = node.if_contains("value");
  const auto parsed = op != nullptr && op->is_string() ? domain::parseOperator(op->get_string()) : std::nullopt;
  if (key == nullptr || !key->is_string() || !parsed || value == nullptr) return fail(notNormalized(leaf));
  leaf.field = std::string(view(key->get_string()));
  leaf.op = *parsed;
  if (auto ok = setOperands(leaf, *value, regexes); !ok) return fail(ok.error());
  return leaf;
}

LeafOutcome evaluateLeaf(const CompiledLeaf& leaf, const bj::object& transaction) {
  const auto found = transaction.find(leaf.field);
  if (found == transaction.end() || found->value().is_null()) return LeafOutcome::kMissing;
  const bj::value& v = found->value();
  switch (leaf.kind) {
    case OperandKind::kString:
      if (!v.is_string()) return LeafOutcome::kWrongType;
      return outcome(compareString(leaf, view(v.get_string())));
    case OperandKind::kNumber: {
      const auto n = asNumber(v);
      if (!n) return LeafOutcome::kWrongType;
      return outcome(compareOrdered(leaf, *n, leaf.number_low, leaf.number_high, leaf.numbers));
    }
    case OperandKind::kDate: {
      const auto t = asInstant(v);
      if (!t) return LeafOutcome::kWrongType;
      return outcome(compareOrdered(leaf, *t, leaf.instant_low, leaf.instant_high, leaf.instants));
    }
    case OperandKind::kBoolean:
      if (!v.is_bool()) return LeafOutcome::kWrongType;
      return outcome(compareBoolean(leaf, v.get_bool()));
  }
  return LeafOutcome::kWrongType;
}

}  // namespace fraudgov::compiler
