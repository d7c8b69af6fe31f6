// Condition-tree throughput: evaluation (SPEC 8: >= 1,000,000 rule evaluations/s per core),
// validation + normalization, compilation and canonicalization.

#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/json.h"
#include "compiler/condition_tree.h"
#include "compiler/evaluator.h"
#include "compiler/simulation.h"
#include "compiler/standard_catalog.h"

namespace {

namespace bj = boost::json;
using namespace fraudgov;

bj::value parse(std::string_view text) { return *json::parseStrict(text); }

// An eight-leaf rule of the usual shape: amount threshold, currency and country lists, card-not-present
// in risky MCCs, a time window.
const char* kTypicalRule = R"({"and":[
  {"field":"amount","op":"GT","value":1000},
  {"field":"currency","op":"IN","value":["USD","EUR","GBP"]},
  {"not":{"field":"country_code","op":"IN","value":["US","CA"]}},
  {"or":[{"field":"card_present","op":"EQ","value":false},
         {"field":"merchant_category_code","op":"IN","value":["7995","6051","4829"]}]},
  {"field":"timestamp","op":"BETWEEN","value":["2026-01-01T00:00:00Z","2026-12-31T23:59:59Z"]},
  {"field":"merchant_name","op":"CONTAINS","value":"casino"},
  {"field":"transaction_type","op":"NE","value":"REFUND"}]})";

bj::object transaction() {
  return parse(R"({"transaction_id":"txn-0001","card_hash":"9f86d081884c7d659a2feaa0c55ad015","amount":1520.75,
    "currency":"EUR","merchant_id":"M-77812","merchant_name":"Royal casino Ltd","merchant_category":"GAMBLING",
    "merchant_category_code":"7995","merchant_city":"Valletta","card_present":false,"transaction_type":"PURCHASE",
    "entry_mode":"ECOM","country_code":"MT","pos_entry_mode":"81","ip_address":"203.0.113.7",
    "device_id":"dev-1","email":"a@example.com","timestamp":"2026-03-14T09:26:53+01:00",
    "billing_country":"MT","shipping_country":"MT"})")
      .as_object();
}

compiler::CompiledCondition compiled(std::string_view rule) {
  return *compiler::compileCondition(parse(rule), testing::standardCatalog());
}

void BM_EvaluateTypicalRuleFullPath(benchmark::State& state) {
  const auto rule = compiled(kTypicalRule);
  const auto txn = transaction();
  for (auto _ : state) benchmark::DoNotOptimize(compiler::matches(rule, txn));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateTypicalRuleFullPath);

void BM_EvaluateTypicalRuleEarlyExit(benchmark::State& state) {
  const auto rule = compiled(kTypicalRule);
  auto txn = transaction();
  txn["amount"] = 12.5;
  for (auto _ : state) benchmark::DoNotOptimize(compiler::matches(rule, txn));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateTypicalRuleEarlyExit);

void BM_SimulateTenThousandTransactions(benchmark::State& state) {
  const auto rule = compiled(kTypicalRule);
  std::vector<bj::object> txns;
  for (int i = 0; i < 10'000; ++i) {
    auto t = transaction();
    t["amount"] = 500.0 + i % 1000;
    txns.push_back(std::move(t));
  }
  for (auto _ : state) benchmark::DoNotOptimize(compiler::simulate(rule, txns).match_count);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(txns.size()));
}
BENCHMARK(BM_SimulateTenThousandTransactions)->Unit(benchmark::kMillisecond);

// {"and":[7 x {"or":[6 leaves]}]} in the typed notation: 1 + 7 + 42 = 50 nodes.
bj::value fiftyNodeTree() {
  const std::vector<std::string> leaves = {
      R"({"type":"CONDITION","field":"amount","operator":"GTE","value":250.5})",
      R"({"type":"CONDITION","field":"currency","operator":"IN","value":["USD","EUR","GBP","CHF"]})",
      R"({"type":"CONDITION","field":"merchant_name","operator":"CONTAINS","value":"casino"})",
      R"({"type":"CONDITION","field":"timestamp","operator":"BETWEEN","value":["2026-01-01","2026-06-30T23:59:59Z"]})",
      R"({"type":"CONDITION","field":"card_present","operator":"EQ","value":false})",
      R"({"type":"CONDITION","field":"country_code","operator":"NE","value":"US"})"};
  std::string text = R"({"type":"AND","conditions":[)";
  for (int g = 0; g < 7; ++g) {
    text += g > 0 ? R"(,{"type":"OR","conditions":[)" : R"({"type":"OR","conditions":[)";
    for (std::size_t l = 0; l < leaves.size(); ++l) {
      if (l > 0) text += ',';
      text += leaves[l];
    }
    text += "]}";
  }
  return parse(text + "]}");
}

void BM_NormalizeFiftyNodeTree(benchmark::State& state) {
  const auto tree = fiftyNodeTree();
  const auto catalog = testing::standardCatalog();
  for (auto _ : state) benchmark::DoNotOptimize(compiler::normalizeConditionTree(tree, catalog));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormalizeFiftyNodeTree)->Unit(benchmark::kMicrosecond);

void BM_CompileFiftyNodeTree(benchmark::State& state) {
  const auto tree = fiftyNodeTree();
  const auto catalog = testing::standardCatalog();
  for (auto _ : state) benchmark::DoNotOptimize(compiler::compileCondition(tree, catalog));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CompileFiftyNodeTree)->Unit(benchmark::kMicrosecond);

void BM_CanonicalizeFiftyNodeTree(benchmark::State& state) {
  const auto normalized = *compiler::normalizeConditionTree(fiftyNodeTree(), testing::standardCatalog());
  for (auto _ : state) benchmark::DoNotOptimize(compiler::canonicalTreeBytes(normalized));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_CanonicalizeFiftyNodeTree)->Unit(benchmark::kMicrosecond);

// The most expensive tree a client can submit within the limits: 1000 nodes, 20 of them REGEX
// leaves (TreeLimits::max_regex_leaves) with distinct patterns just inside RE2's memory budget.
// Bounds the CPU one create-version request can cost.
void BM_NormalizeWorstCaseRegexTree(benchmark::State& state) {
  const auto catalog = testing::extendedCatalog();
  std::string text = R"({"and":[)";
  for (int g = 0; g < 10; ++g) {
    text += g > 0 ? R"(,{"or":[)" : R"({"or":[)";
    for (int l = 0; l < 98; ++l) {
      if (l > 0) text += ",";
      // Two REGEX leaves per group, each pattern distinct so none is served from the cache.
      constexpr const char* kHeavy = R"({{"field":"description","op":"REGEX","value":"(\\pL|\\pN|\\pS){{5}}{}"}})";
      text += l < 2 ? fmt::format(kHeavy, g * 2 + l) : R"({"field":"merchant_name","op":"CONTAINS","value":"casino"})";
    }
    text += "]}";
  }
  const auto tree = parse(text + "]}");
  if (const auto probe = compiler::normalizeConditionTree(tree, catalog); !probe) {
    state.SkipWithError(probe.error().message.c_str());
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(compiler::normalizeConditionTree(tree, catalog));
}
BENCHMARK(BM_NormalizeWorstCaseRegexTree)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
