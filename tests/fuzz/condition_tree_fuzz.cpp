// Condition-tree validation on arbitrary JSON: bounded work, no crash, and whatever is accepted
// normalizes to a fixed point and compiles for the evaluator.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "common/json.h"
#include "compiler/condition_tree.h"
#include "compiler/evaluator.h"
#include "compiler/standard_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto catalog = fraudgov::testing::standardCatalog();
  auto parsed = fraudgov::json::parseStrict(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!parsed) return 0;
  auto normalized = fraudgov::compiler::normalizeConditionTree(*parsed, catalog);
  if (!normalized) return 0;
  auto again = fraudgov::compiler::normalizeConditionTree(normalized->tree, catalog);
  if (!again || again->tree != normalized->tree) std::abort();
  auto compiled = fraudgov::compiler::compileCondition(*normalized, catalog);
  if (!compiled) std::abort();
  boost::json::object txn{{"amount", 100}, {"currency", "USD"}, {"timestamp", "2026-01-01T00:00:00Z"}};
  (void)fraudgov::compiler::matches(*compiled, txn);
  return 0;
}
