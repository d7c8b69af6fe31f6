#include "compiler/simulation.h"

namespace fraudgov::compiler {

SimulationResult simulate(const CompiledCondition& condition, const std::vector<boost::json::object>& transactions) {
  SimulationResult out;
  out.matched.reserve(transactions.size());
  for (std::size_t i = 0; i < transactions.size(); ++i) {
    const bool hit = matches(condition, transactions[i]);
    out.matched.push_back(hit);
    if (hit) out.matched_indices.push_back(i);
  }
  out.match_count = out.matched_indices.size();
  return out;
}

}  // namespace fraudgov::compiler
