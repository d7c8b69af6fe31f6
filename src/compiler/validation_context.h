#pragma once
// What the validation walk carries from node to node: its inputs, its findings, and the REGEX
// programs it has compiled so far.

#include <boost/json/storage_ptr.hpp>
#include <cstddef>
#include <utility>

#include "compiler/diagnostics.h"
#include "compiler/field_catalog.h"
#include "compiler/regex_policy.h"
#include "compiler/tree_limits.h"

namespace fraudgov::compiler {

struct ValidationContext {
  ValidationContext(const FieldCatalog& c, const TreeLimits& l, RegexCache* r, boost::json::storage_ptr s = {})
      : catalog(c), limits(l), diag(l.max_errors), regexes(r), storage(std::move(s)) {}

  const FieldCatalog& catalog;
  const TreeLimits& limits;
  Diagnostics diag;
  RegexCache* regexes;  // null: compiled patterns are only checked, then dropped
  std::size_t regex_leaves = 0;
  boost::json::storage_ptr storage;  // where the normalized tree is built
};

}  // namespace fraudgov::compiler
