#pragma once
// Size bounds on a condition tree. They exist so that a hostile tree cannot exhaust the stack,
// memory or CPU of the validator, the compiler or the runtime engine that loads the artifact.

#include <cstddef>

namespace fraudgov::compiler {

struct TreeLimits {
  // Logical nesting depth: the largest number of logical nodes (and/or/not in any notation) on a
  // path from the root to a leaf. A bare leaf has depth 0, {"not":leaf} depth 1, and a chain of
  // ten nested logical nodes depth 10 (accepted); eleven is refused.
  std::size_t max_depth = 10;
  std::size_t max_nodes = 1000;         // leaves plus logical nodes
  std::size_t max_array = 100;          // and/or/conditions lists and IN/NOT_IN/BETWEEN values
  std::size_t max_string_bytes = 4096;  // any string: values, field keys, operators, patterns
  std::size_t max_regex_bytes = 512;    // REGEX patterns (tighter: they are compiled)
  std::size_t max_regex_leaves = 20;    // REGEX leaves per tree: compiling one can cost milliseconds
  std::size_t max_errors = 20;          // validation stops collecting after this many
};

}  // namespace fraudgov::compiler
