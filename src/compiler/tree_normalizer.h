#pragma once
// The validation walk behind normalizeConditionTree (condition_tree.h), exposed inside the module
// so compileCondition can keep the REGEX programs it compiles instead of compiling them twice.

#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.h"
#include "compiler/condition_tree.h"
#include "compiler/node_shape.h"
#include "compiler/validation_context.h"

namespace fraudgov::compiler {

// One walk over one tree; construct a new one per tree. Recursion depth is bounded by
// TreeLimits::max_depth (checked before descending) and total work by max_nodes (the walk aborts
// when it is exceeded).
class TreeNormalizer {
 public:
  TreeNormalizer(const FieldCatalog& catalog, const TreeLimits& limits, RegexCache* regexes = nullptr,
                 boost::json::storage_ptr storage = {})
      : ctx_(catalog, limits, regexes, std::move(storage)) {}

  Result<NormalizedTree> run(const boost::json::value& root);

 private:
  // ancestors = number of logical nodes above this one.
  std::optional<boost::json::value> visit(const boost::json::value& node, std::size_t ancestors);
  std::optional<boost::json::value> visitLeaf(const boost::json::object& node);
  std::optional<boost::json::value> visitLogical(const NodeShape& shape, std::size_t level);

  ValidationContext ctx_;
  std::size_t nodes_ = 0;
  std::size_t depth_ = 0;
  std::vector<std::string> fields_;
};

}  // namespace fraudgov::compiler
