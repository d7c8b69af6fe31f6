#pragma once
// One leaf of a compiled condition: its operand pre-parsed into the form the comparison needs
// (double, UTC microseconds, a string set, an RE2 program), so evaluating it does no parsing
// of the rule, only of the transaction value.

#include <boost/json/object.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiler/field_catalog.h"
#include "compiler/regex_policy.h"
#include "compiler/string_set.h"

namespace re2 {
class RE2;
}

namespace fraudgov::compiler {

// Why a leaf did or did not match; explain() reports it per leaf.
enum class LeafOutcome {
  kMatched,
  kNotMatched,    // the value is present and of the right type, and the comparison is false
  kMissing,       // the field is absent from the transaction or JSON null
  kWrongType,     // e.g. "100" or true for a NUMBER field, or an unparseable DATE string
  kNotEvaluated,  // skipped by and/or short-circuiting
};

enum class OperandKind : std::uint8_t { kString, kNumber, kBoolean, kDate };

struct CompiledLeaf {
  std::string field;
  domain::Operator op = domain::Operator::kEq;
  OperandKind kind = OperandKind::kString;
  std::string path;                                // of the leaf in the normalized tree, e.g. "$.and[1]"
  std::string text;                                // STRING operand of a single-value operator
  double number_low = 0, number_high = 0;          // NUMBER operand; BETWEEN bounds
  std::int64_t instant_low = 0, instant_high = 0;  // DATE operand (UTC microseconds); BETWEEN bounds
  bool flag = false;                               // BOOLEAN operand
  StringSet strings;                               // STRING IN / NOT_IN
  std::vector<double> numbers;                     // NUMBER IN / NOT_IN, sorted
  std::vector<std::int64_t> instants;              // DATE IN / NOT_IN, sorted
  std::vector<bool> booleans;                      // BOOLEAN IN / NOT_IN (not in the standard catalog)
  std::shared_ptr<const re2::RE2> regex;           // REGEX; RE2 matching is thread-safe on a const object
};

// Builds a leaf from its normalized, validated form {"field","op","value"}. REGEX programs come
// from `regexes` (filled by validation) when present there.
Result<CompiledLeaf> compileLeaf(const boost::json::object& leaf, const FieldSpec& field, std::string path,
                                 const RegexCache& regexes);

// Missing or null field: kMissing. Value of the wrong JSON type or an unparseable DATE:
// kWrongType. Otherwise the comparison (NE and NOT_IN included) decides.
LeafOutcome evaluateLeaf(const CompiledLeaf& leaf, const boost::json::object& transaction);

}  // namespace fraudgov::compiler
