#include "domain/field_types.h"

#include "common/enum_names.h"

namespace fraudgov::domain {

namespace {
constexpr auto kDataTypes = enumNames<DataType>({
    {DataType::kString, "STRING"},
    {DataType::kNumber, "NUMBER"},
    {DataType::kBoolean, "BOOLEAN"},
    {DataType::kDate, "DATE"},
    {DataType::kEnum, "ENUM"},
});

constexpr auto kOperators = enumNames<Operator>({
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
});
}  // namespace

std::optional<DataType> parseDataType(std::string_view text) { return parseName(kDataTypes, text); }

std::string_view dataTypeName(DataType t) { return nameOf(kDataTypes, t); }

std::optional<Operator> parseOperator(std::string_view text) { return parseName(kOperators, text); }

std::string_view operatorName(Operator op) { return nameOf(kOperators, op); }

const std::vector<Operator>& allOperators() {
  static const std::vector<Operator> all = [] {
    const auto values = enumValues(kOperators);
    return std::vector<Operator>(values.begin(), values.end());
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
