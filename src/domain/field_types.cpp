#include "domain/field_types.h"

namespace fraudgov::domain {

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
