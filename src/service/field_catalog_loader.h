#pragma once
// The field catalog as the compiler sees it, read inside the caller's transaction so that
// validation and the data it validates against are consistent.

#include "compiler/condition_tree.h"
#include "domain/rule.h"
#include "store/sql.h"

namespace fraudgov::service {

struct CatalogSnapshot {
  compiler::FieldCatalog fields;
  std::map<std::string, int> versions;  // field_key -> current_version
};

Result<CatalogSnapshot> loadCatalog(store::SqlSession& s);

// Validates and normalizes a tree against the snapshot. Error paths are reported from
// `path_root` (e.g. "condition_tree.and[1].value" instead of "$.and[1].value").
Result<compiler::NormalizedTree> normalizeTree(const boost::json::value& tree, const CatalogSnapshot& catalog,
                                               std::string_view path_root);

domain::FieldDependencies dependenciesOf(const compiler::NormalizedTree& tree, const CatalogSnapshot& catalog);

}  // namespace fraudgov::service
