#pragma once
// POST /api/v1/rules/simulate: the submitted tree, validated against the live catalog, evaluated
// against the submitted transactions with the same evaluator that checks compiled artifacts.

#include <boost/json/object.hpp>
#include <vector>

#include "compiler/evaluator.h"
#include "compiler/simulation.h"
#include "domain/rule.h"
#include "store/database.h"

namespace fraudgov::service {

struct SimulationRequest {
  domain::RuleType rule_type = domain::RuleType::kAllowlist;
  boost::json::value condition_tree;
  std::vector<boost::json::object> transactions;
};

struct SimulationOutcome {
  compiler::SimulationResult result;
  boost::json::value normalized_tree;
};

class SimulationService {
 public:
  explicit SimulationService(store::Database& db) : db_(db) {}
  Result<SimulationOutcome> simulate(const SimulationRequest& request);

 private:
  store::Database& db_;
};

}  // namespace fraudgov::service
