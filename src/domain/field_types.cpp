#include "domain/field_types.h"

#include <array>
#include <utility>

namespace fraudgov::domain {

namespace {
constexpr std::array<std::pair<DataType, std::string_view>, 5> kDataTypes{{
    {DataType::kString, "STRING"},
    {DataType::kNumber, "NUMBER"},
    {DataType::kBoolean, "BOOLEAN"},
    {DataType::kDate, "DATE"},
    {DataType::kEnum, "ENUM"},
}};

constexpr std::array<std::pair<Operator, std::string_view>, 13> kOperators{{
    {Operator::kEq, "EQ"},
    {Operator::kNe, "NE"},
    {Operator::kIn, "IN"},
    {Operator::kNotIn, "NOT_IN"},
    {Operator::kGt, "GT"},
    {Operator::kGte, "GTE"},
    {Operator::kLt, "LT"},
    {Operator::kLte, "LTE"},
    {Operator::kBetween, "BETWEEN"},
    {Operator::kContains, "CONTAINS"},
    {Operator::kStartsWith, "STARTS_WITH"},
    {Operator::kEndsWith, "ENDS_WITH"},
    {Operator::kRegex, "REGEX"},
}};
}  // namespace

std::optional<DataType> parseDataType(std::string_view text) {
  for (const auto& [t, name] : kDataTypes) {
    if (name == text) return t;
  }
  return std::nullopt;
}

std::string_view dataTypeName(DataType t) {
  for (const auto& [v, name] : kDataTypes) {
    if (v == t) return name;
  }
  return "STRING";
}

std::optional<Operator> parseOperator(std::string_view text) {
  for (const auto& [op, name] : kOperators) {
    if (name == text) return op;
  }
  return std::nullopt;
}

std::string_view operatorName(Operator op) {
  for (const auto& [v, name] : kOperators) {
    if (v == op) return name;
  }
  return "EQ";
}

const std::vector<Operator>& allOperators() {
  static const std::vector<Operator> all = [] {
    std::vector<Operator> v;
    for (const auto& [op, name] : kOperators) v.push_back(op);
    return v;
  }();
  return all;
}

bool operatorSupports(DataType type, Operator op) {
  switch (type) {
    case DataType::kBoolean:
      return op == Operator::kEq || op == Operator::kNe;
    case DataType::kNumber:
    case DataType::kDate:
      return op == Operator::kEq || op == Operator::kNe || op == Operator::kIn || op == Operator::kNotIn ||
             op == Operator::kGt || op == Operator::kGte || op == Operator::kLt || op == Operator::kLte ||
             op == Operator::kBetween;
    case DataType::kEnum:
      return op == Operator::kEq || op == Operator::kNe || op == Operator::kIn || op == Operator::kNotIn;
    case DataType::kString:
      return op == Operator::kEq || op == Operator::kNe || op == Operator::kIn || op == Operator::kNotIn ||
             op == Operator::kContains || op == Operator::kStartsWith || op == Operator::kEndsWith ||
             op == Operator::kRegex;
  }
  return false;
}

bool isMultiValueOperator(Operator op) { return op == Operator::kIn || op == Operator::kNotIn; }

}  // namespace fraudgov::domain
