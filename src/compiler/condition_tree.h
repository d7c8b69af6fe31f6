#pragma once
// Validation and normalization of condition trees: the one gate every tree passes before it is
// stored, digested for approval, compiled into an artifact or evaluated.
//
// Input: any of the three notations (see node_shape.h), mixable node by node. Output: always
//   {"and":[..]} {"or":[..]} {"not":{..}} and leaves {"field":"<key>","op":"<OP>","value":<as given>}.
// Normalizing a normalized tree returns it unchanged.
//
// Validation is predecessor-spec 9.3 strict mode plus fraudgov's tightenings:
//   * unknown members on any node are refused, and "op"/"operator" must agree when both are given;
//   * the operator must be in the field's allowed_operators and make sense for its data type
//     (domain::operatorSupports: GT/GTE/LT/LTE/BETWEEN only NUMBER/DATE, text operators only STRING);
//   * null values are refused (the predecessor let null pass every type check, leaving the
//     runtime to guess what "amount > null" means);
//   * booleans are not NUMBERs; DATE values must parse as ISO-8601 (common/time.h parseIso);
//   * IN/NOT_IN need a non-empty list and a multi_value_allowed field; BETWEEN needs [low, high]
//     with low <= high; REGEX patterns must compile with RE2 within regex_policy.h's memory budget,
//     and a tree holds at most TreeLimits::max_regex_leaves of them.
// Limits (tree_limits.h) are enforced during the walk, before descending, so hostile input
// cannot exhaust the stack or run unbounded work.
//
// Errors: kValidation "Invalid condition tree: <first message> at <path>", with
// details.errors = [{"path","message"}] (up to TreeLimits::max_errors). Paths start at "$" and
// name the input's own members: .and[i] .or[i] .not .conditions[i] .condition, then for a leaf
// .field, .op or .operator, .value, .value[i].

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <cstddef>
#include <string>
#include <vector>

#include "common/error.h"
#include "compiler/field_catalog.h"
#include "compiler/tree_limits.h"

namespace fraudgov::compiler {

struct NormalizedTree {
  boost::json::value tree;
  std::size_t depth = 0;                // logical nesting depth, as TreeLimits::max_depth defines it
  std::size_t node_count = 0;           // leaves plus logical nodes
  std::vector<std::string> field_keys;  // fields referenced, sorted, without duplicates
};

// storage: the memory resource the normalized tree is built with (the default one unless the
// caller builds many trees that live and die together, like the ruleset compiler).
Result<NormalizedTree> normalizeConditionTree(const boost::json::value& tree, const FieldCatalog& catalog,
                                              const TreeLimits& limits = {}, boost::json::storage_ptr storage = {});

// RFC 8785 bytes of the normalized tree: what approval digests and artifacts are computed over.
std::string canonicalTreeBytes(const NormalizedTree& tree);

}  // namespace fraudgov::compiler
