#include "compiler/condition_tree.h"

#include "common/canonical_json.h"
#include "compiler/tree_normalizer.h"

namespace fraudgov::compiler {

Result<NormalizedTree> normalizeConditionTree(const boost::json::value& tree, const FieldCatalog& catalog,
                                              const TreeLimits& limits, boost::json::storage_ptr storage) {
  return TreeNormalizer(catalog, limits, nullptr, std::move(storage)).run(tree);
}

std::string canonicalTreeBytes(const NormalizedTree& tree) { return json::canonicalize(tree.tree); }

}  // namespace fraudgov::compiler
