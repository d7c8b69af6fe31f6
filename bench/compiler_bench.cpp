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
#include "compiler/loaded_ruleset.h"
#include "compiler/ruleset_compiler.h"
#include "compiler/simulation.h"
#include "compiler/standard_catalog.h"
#include "publish/manifest.h"
#include "publish/signing_key.h"

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

// Leaves of the kinds real rules are made of; a rule takes 3-8 of them, some under an or/not.
std::vector<bj::value> leafPool(int seed) {
  const std::vector<std::string> texts = {
      fmt::format(R"({{"field":"amount","op":"GT","value":{}}})", 100 + seed % 5000),
      fmt::format(R"({{"field":"amount","op":"BETWEEN","value":[{},{}.5]}})", seed % 100, 200 + seed % 1000),
      R"({"field":"currency","op":"IN","value":["USD","EUR","GBP","CHF"]})",
      fmt::format(R"({{"field":"merchant_category_code","op":"IN","value":["7995","6051","{}"]}})", 4000 + seed % 999),
      R"({"field":"card_present","op":"EQ","value":false})",
      fmt::format(R"({{"field":"merchant_name","op":"CONTAINS","value":"shop-{}"}})", seed),
      R"({"field":"country_code","op":"NE","value":"US"})",
      R"({"field":"timestamp","op":"GTE","value":"2026-01-01T00:00:00Z"})"};
  std::vector<bj::value> leaves;
  for (const auto& t : texts) leaves.push_back(parse(t));
  return leaves;
}

bj::value realisticTree(int seed) {
  const auto pool = leafPool(seed);
  const std::size_t leaf_count = 3 + static_cast<std::size_t>(seed % 6);
  bj::array top, alternatives;
  for (std::size_t i = 0; i < leaf_count; ++i) {
    const bj::value& leaf = pool[(static_cast<std::size_t>(seed) + i * 3) % pool.size()];
    if (i % 4 == 3) {
      top.push_back(bj::object{{"not", leaf}});
    } else if (i % 3 == 2) {
      alternatives.push_back(leaf);
    } else {
      top.push_back(leaf);
    }
  }
  if (!alternatives.empty()) top.push_back(bj::object{{"or", std::move(alternatives)}});
  return bj::object{{"and", std::move(top)}};
}

compiler::RulesetSource realisticRuleset(int rules) {
  compiler::RulesetSource source{"0195f0c2-7a3b-7c1d-9e2f-3a4b5c6d7e8f", 42, domain::RuleType::kAuth, {}};
  for (int i = 0; i < rules; ++i) {
    compiler::RulesetMember m;
    m.rule_id = fmt::format("0195f0c2-{:04x}-7000-8000-{:012x}", i % 977, i);
    m.rule_version_id = fmt::format("0195f0c3-{:04x}-7000-8000-{:012x}", i % 977, i);
    m.priority = 1 + (i * 37) % 1000;
    if (i % 5 == 0) m.scope = bj::object{{"channel", bj::array{"ECOM", "MOTO"}}};
    m.when = realisticTree(i);
    m.action = i % 3 == 0 ? domain::RuleAction::kApprove : domain::RuleAction::kDecline;
    source.rules.push_back(std::move(m));
  }
  return source;
}

// SPEC 8 goal: a 10,000-rule ruleset compiles, serializes and checksums in under 100 ms.
void BM_CompileRuleset(benchmark::State& state) {
  const auto source = realisticRuleset(static_cast<int>(state.range(0)));
  const auto catalog = testing::standardCatalog();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto compiled = compiler::compileRuleset(source, catalog);
    if (!compiled) {
      state.SkipWithError(compiled.error().message.c_str());
      return;
    }
    bytes = compiled->bytes.size();
    benchmark::DoNotOptimize(compiled->checksum);
  }
  state.counters["artifact_bytes"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CompileRuleset)->Arg(100)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

// What the runtime pays to take a new artifact: verify it by recompiling, then compile every condition.
void BM_LoadRuleset(benchmark::State& state) {
  const auto catalog = testing::standardCatalog();
  const auto compiled = *compiler::compileRuleset(realisticRuleset(static_cast<int>(state.range(0))), catalog);
  for (auto _ : state) {
    auto loaded = compiler::LoadedRuleset::load(compiled.bytes, compiled.checksum, catalog);
    if (!loaded) {
      state.SkipWithError(loaded.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(loaded->ruleCount());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LoadRuleset)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);

// One transaction through a 1,000-rule FIRST_MATCH ruleset that it does not match (the worst case:
// every rule in scope is tried).
void BM_EvaluateLoadedRulesetNoMatch(benchmark::State& state) {
  const auto catalog = testing::standardCatalog();
  const auto compiled = *compiler::compileRuleset(realisticRuleset(1'000), catalog);
  const auto loaded = *compiler::LoadedRuleset::load(compiled.bytes, catalog);
  auto txn = transaction();
  txn["amount"] = 1.0;
  txn["card_present"] = true;
  txn["channel"] = "ECOM";
  for (auto _ : state) benchmark::DoNotOptimize(loaded.evaluate(txn));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateLoadedRulesetNoMatch)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

// Issue 8: compile + sign — what an approval computes before it uploads: the artifact bytes and
// checksum, and the Ed25519-signed version manifest that binds them.
void BM_CompileAndSignRuleset(benchmark::State& state) {
  const auto source = realisticRuleset(static_cast<int>(state.range(0)));
  const auto catalog = testing::standardCatalog();
  const auto key = publish::ArtifactSigningKey::generate();
  if (!key) {
    state.SkipWithError("no signing key");
    return;
  }
  for (auto _ : state) {
    auto compiled = compiler::compileRuleset(source, catalog);
    if (!compiled) {
      state.SkipWithError(compiled.error().message.c_str());
      return;
    }
    publish::VersionManifest m;
    m.artifact_uri = "s3://bucket/rulesets/prod/APAC/IN/CARD_AUTH/v1/ruleset.json";
    m.checksum = compiled->checksum;
    m.environment = "prod";
    m.region = "APAC";
    m.country = "IN";
    m.ruleset_key = "CARD_AUTH";
    m.rule_type = "AUTH";
    m.ruleset_id = source.ruleset_id;
    m.ruleset_version_id = "0195f0c2-7a3b-7c1d-9e2f-3a4b5c6d7e90";
    m.ruleset_version = 1;
    m.compiler_version = std::string(compiler::kCompilerVersion);
    m.maker = {"https://idp/", "maker"};
    m.checker = {"https://idp/", "checker"};
    m.approved_at = nowUtc();
    benchmark::DoNotOptimize(publish::signDocument(publish::toJson(m), *key));
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CompileAndSignRuleset)->Arg(100)->Arg(1'000)->Arg(10'000)->Unit(benchmark::kMillisecond);
