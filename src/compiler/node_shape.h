#pragma once
// Recognizes which of the three accepted notations a condition node uses and where its children
// are, so the rest of the compiler only ever deals with and / or / not / leaf:
//   A  {"and":[..]} {"or":[..]} {"not":{..}}                     leaf {"field","op"|"operator","value"}
//   B  {"type":"AND"|"OR","conditions":[..]} {"type":"NOT","condition":{..}|"conditions":[one]}
//      leaf {"type":"CONDITION","field","op"|"operator","value"}           (type case-insensitive)
//   C  {"logicalOperator":"AND"|"OR"|"NOT","conditions":[..]}     (NOT: conditions:[one] or condition)
// A node is strict: any member its notation does not define is an error.

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string_view>

#include "compiler/diagnostics.h"
#include "compiler/tree_limits.h"

namespace fraudgov::compiler {

enum class NodeKind { kAnd, kOr, kNot, kLeaf };

struct NodeShape {
  NodeKind kind = NodeKind::kLeaf;
  // Children of and/or, or the single child of a NOT written as "conditions":[one]: already
  // checked to be a non-empty list within TreeLimits::max_array. Elements are not checked yet.
  const boost::json::array* children = nullptr;
  // The child of a NOT written as "not":{..} or "condition":{..}: already checked to be an object.
  const boost::json::value* child = nullptr;
  // The member holding the children ("and", "or", "not", "conditions", "condition"): a path segment.
  std::string_view member;
};

// nullopt when the node's own shape is wrong (the reason is in diag). Unknown extra members are
// reported but do not stop recognition, so the children still get validated.
std::optional<NodeShape> classifyNode(const boost::json::object& node, const TreeLimits& limits, Diagnostics& diag);

}  // namespace fraudgov::compiler
