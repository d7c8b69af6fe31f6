#pragma once
// Runs one compiled condition over a batch of transactions (POST /rules/simulate and tests).

#include <boost/json/object.hpp>
#include <cstddef>
#include <vector>

#include "compiler/evaluator.h"

namespace fraudgov::compiler {

struct SimulationResult {
  std::size_t match_count = 0;
  std::vector<std::size_t> matched_indices;  // ascending
  std::vector<bool> matched;                 // one per transaction, in input order
};

SimulationResult simulate(const CompiledCondition& condition, const std::vector<boost::json::object>& transactions);

}  // namespace fraudgov::compiler
