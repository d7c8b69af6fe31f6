#pragma once
// The vocabulary of the field catalog: data types and comparison operators, with their
// predecessor-compatible spellings.

#include <optional>
#include <string_view>
#include <vector>

namespace fraudgov::domain {

enum class DataType { kString, kNumber, kBoolean, kDate, kEnum };

enum class Operator {
  kEq,
  kNe,
  kIn,
  kNotIn,
  kGt,
  kGte,
  kLt,
  kLte,
  kBetween,
  kContains,
  kStartsWith,
  kEndsWith,
  kRegex,
};

std::optional<DataType> parseDataType(std::string_view text);  // exact upper-case names
std::string_view dataTypeName(DataType t);
std::optional<Operator> parseOperator(std::string_view text);  // exact upper-case names
std::string_view operatorName(Operator op);
const std::vector<Operator>& allOperators();

// Which operators make sense for a data type (a fraudgov tightening: the predecessor let a
// BOOLEAN field allow GT). The 26 standard fields all satisfy it.
bool operatorSupports(DataType type, Operator op);
bool isMultiValueOperator(Operator op);  // IN, NOT_IN

}  // namespace fraudgov::domain
