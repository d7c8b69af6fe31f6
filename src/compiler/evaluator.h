#pragma once
// Evaluation of condition trees against transactions. A tree is validated and compiled once into
// a flat, pre-parsed form; matching it is then a pure, allocation-free function that is safe to
// call from many threads on the same CompiledCondition.
//
// Semantics (the same for simulation, artifact checks and tests):
//   * A leaf whose field is absent from the transaction, or JSON null, does not match, whatever
//     the operator: NE and NOT_IN need a present value too. Its negation therefore matches:
//     {"not":{"field":"email","op":"EQ","value":"x"}} is true for a transaction without "email".
//   * A transaction value of the wrong JSON type does not match either: "100" or true for a NUMBER
//     field, 1 for a STRING field, a DATE string parseIso rejects.
//   * STRING/ENUM: exact byte comparison (EQ, NE, IN, NOT_IN, CONTAINS, STARTS_WITH, ENDS_WITH);
//     REGEX is an RE2 partial match (anchor with ^...$ for a full match).
//   * NUMBER: integers and doubles are compared as double. DATE: ISO-8601 strings compared as
//     instants, so "2026-01-15T12:00:00+02:00" equals "2026-01-15T10:00:00Z"; a date alone is
//     midnight UTC. BOOLEAN: true/false. BETWEEN is inclusive at both ends.
//   * and/or evaluate children in order and short-circuit.

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiler/compiled_leaf.h"
#include "compiler/condition_tree.h"
#include "compiler/field_catalog.h"
#include "compiler/tree_limits.h"

namespace fraudgov::compiler {

class ConditionBuilder;

class CompiledCondition {
 public:
  // Pre-order: a logical node's children follow it; each child's `end` is where its next sibling starts.
  struct Node {
    enum class Kind : std::uint8_t { kAnd, kOr, kNot, kLeaf };
    Kind kind = Kind::kLeaf;
    std::uint32_t end = 0;   // one past the last node of this subtree
    std::uint32_t leaf = 0;  // kLeaf: index into leaves()
  };

  CompiledCondition() = default;  // empty: matches nothing

  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<CompiledLeaf>& leaves() const { return leaves_; }  // in tree order

 private:
  friend class ConditionBuilder;
  std::vector<Node> nodes_;
  std::vector<CompiledLeaf> leaves_;
};

// Validates (normalizeConditionTree) and compiles a tree in any notation.
Result<CompiledCondition> compileCondition(const boost::json::value& tree, const FieldCatalog& catalog,
                                           const TreeLimits& limits = {});
// Same for an already normalized tree; it is validated again against this catalog, so a tree
// normalized under another catalog (or assembled by hand) cannot slip through.
Result<CompiledCondition> compileCondition(const NormalizedTree& tree, const FieldCatalog& catalog,
                                           const TreeLimits& limits = {});

bool matches(const CompiledCondition& condition, const boost::json::object& transaction);

struct LeafTrace {
  std::string path;  // in the normalized tree
  std::string field;
  domain::Operator op = domain::Operator::kEq;
  LeafOutcome outcome = LeafOutcome::kNotEvaluated;
};

struct Explanation {
  bool matched = false;
  std::vector<LeafTrace> leaves;  // every leaf in tree order; short-circuited ones kNotEvaluated
};

// matches() with the outcome of every leaf it looked at.
Explanation explain(const CompiledCondition& condition, const boost::json::object& transaction);

}  // namespace fraudgov::compiler
