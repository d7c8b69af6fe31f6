// Issue 8: the activation round trip through the service layer on the backend the runner selects
// (FRAUDGOV_TEST_BACKEND=sqlite|postgres, FRAUDGOV_TEST_PG_URL): a new ruleset version of 20
// approved rules is created, submitted, approved (compile, sign, upload artifact + manifest to the
// filesystem store) and activated (signed activation record, pointer moved), with audit rows.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "publish/filesystem_artifact_store.h"
#include "service/catalog_service.h"
#include "service/rule_service.h"
#include "service/ruleset_service.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

const domain::Actor kMaker{"https://idp.bench/", "maker", "bench"};
const domain::Actor kChecker{"https://idp.bench/", "checker", "bench"};

void BM_ActivationRoundTrip(benchmark::State& state) {
  auto db = testing::openFreshDatabase();
  if (!service::CatalogService(*db).seedStandardFields()) return state.SkipWithError("seed failed");
  const auto dir = std::filesystem::temp_directory_path() / ("fraudgov-bench-" + std::to_string(::getpid()));
  auto key = publish::ArtifactSigningKey::generate();
  auto signing = std::make_shared<const publish::ArtifactSigningKey>(std::move(*key));
  service::Publisher publisher({"bench", std::make_shared<publish::FilesystemArtifactStore>(dir),
                                [signing] { return signing; }});
  service::CursorCodec cursors("0123456789abcdef0123456789abcdef");
  service::RuleService rules(*db, cursors);
  service::RulesetService rulesets(*db, cursors, publisher);
  std::vector<std::string> members;
  for (int i = 0; i < 20; ++i) {
    service::NewRule input;
    input.rule_name = "rule " + std::to_string(i);
    input.rule_type = domain::RuleType::kAuth;
    input.condition_tree = boost::json::object{{"field", "amount"}, {"op", "GT"}, {"value", 100 * i}};
    auto created = rules.createRule(kMaker, input);
    if (!created) return state.SkipWithError(created.error().message.c_str());
    const std::string id = created->first_version->rule_version_id;
    if (!rules.submit(kMaker, id, {}) || !rules.approve(kChecker, id, {})) return state.SkipWithError("rule approval");
    members.push_back(id);
  }
  auto ruleset = rulesets.createRuleset(kMaker, {"bench", "APAC", "IN", domain::RuleType::kAuth, {}, {}});
  if (!ruleset) return state.SkipWithError(ruleset.error().message.c_str());
  for (auto _ : state) {
    auto version = rulesets.createVersion(kMaker, ruleset->ruleset_id, members);
    if (!version) return state.SkipWithError(version.error().message.c_str());
    const std::string id = version->version.ruleset_version_id;
    auto ok = rulesets.submit(kMaker, id, {}) && rulesets.approve(kChecker, id, {}) && rulesets.activate(kChecker, id);
    if (!ok) return state.SkipWithError("round trip failed");
  }
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_ActivationRoundTrip)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace
}  // namespace fraudgov

BENCHMARK_MAIN();
