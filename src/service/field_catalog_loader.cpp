#include "service/field_catalog_loader.h"

#include "store/rule_field_store.h"

namespace fraudgov::service {

Result<CatalogSnapshot> loadCatalog(store::SqlSession& s) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto fields, store::RuleFieldStore::list(s));
  CatalogSnapshot out;
  for (const auto& f : fields) {
    const auto& d = f.definition;
    out.fields.emplace(f.field_key, compiler::FieldSpec{f.field_key, f.field_id, d.data_type, d.allowed_operators,
                                                        d.multi_value_allowed, d.is_sensitive});
    out.versions.emplace(f.field_key, f.current_version);
  }
  return out;
}

Result<compiler::NormalizedTree> normalizeTree(const boost::json::value& tree, const CatalogSnapshot& catalog,
                                               std::string_view path_root) {
  auto normalized = compiler::normalizeConditionTree(tree, catalog.fields);
  if (normalized) return normalized;
  Error error = std::move(normalized).error();
  if (auto* errors = error.details.if_contains("errors"); errors && errors->is_array()) {
    for (auto& e : errors->as_array()) {
      auto* path = e.is_object() ? e.as_object().if_contains("path") : nullptr;
      if (path && path->is_string() && path->as_string().starts_with("$")) {
        std::string rewritten(path_root);
        rewritten.append(path->as_string().begin() + 1, path->as_string().end());
        *path = rewritten;
      }
    }
  }
  return fail(std::move(error));
}

domain::FieldDependencies dependenciesOf(const compiler::NormalizedTree& tree, const CatalogSnapshot& catalog) {
  domain::FieldDependencies deps;
  for (const auto& key : tree.field_keys) {
    auto it = catalog.versions.find(key);
    deps[key] = it == catalog.versions.end() ? 0 : it->second;
  }
  return deps;
}

}  // namespace fraudgov::service
