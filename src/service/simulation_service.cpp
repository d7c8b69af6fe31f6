#include "service/simulation_service.h"

#include "service/field_catalog_loader.h"

namespace fraudgov::service {

Result<SimulationOutcome> SimulationService::simulate(const SimulationRequest& request) {
  FRAUDGOV_ASSIGN_OR_RETURN(auto catalog, store::inStatement(db_, [](store::SqlSession& s) { return loadCatalog(s); }));
  FRAUDGOV_ASSIGN_OR_RETURN(auto normalized, normalizeTree(request.condition_tree, catalog, "condition_tree"));
  FRAUDGOV_ASSIGN_OR_RETURN(auto compiled, compiler::compileCondition(normalized, catalog.fields));
  SimulationOutcome out;
  out.result = compiler::simulate(compiled, request.transactions);
  out.normalized_tree = std::move(normalized.tree);
  return out;
}

}  // namespace fraudgov::service
