// Ruleset use cases against the real store of the selected backend (no HTTP): the compiled bytes
// do not depend on how the database stores JSON (PostgreSQL jsonb rewrites numbers and key order,
// SQLite keeps the text), and approval never moves a member rule version.
#include "service/ruleset_service.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "common/json.h"
#include "common/uuid.h"
#include "compiler/condition_tree.h"
#include "publish/filesystem_artifact_store.h"
#include "service/catalog_service.h"
#include "service/field_catalog_loader.h"
#include "service/rule_service.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

const domain::Actor kMaker{"https://idp.test/", "maker", "r1"};
const domain::Actor kChecker{"https://idp.test/", "checker", "r2"};

class RulesetServiceTest : public ::testing::Test {
 protected:
  RulesetServiceTest()
      : db_(testing::openFreshDatabase()),
        dir_(std::filesystem::temp_directory_path() / ("fraudgov-rs-" + uuid::v4())),
        key_(std::make_shared<const publish::ArtifactSigningKey>(*publish::ArtifactSigningKey::generate())),
        publisher_({"test", std::make_shared<publish::FilesystemArtifactStore>(dir_), [this] { return key_; }}),
        cursors_("0123456789abcdef0123456789abcdef0123"),
        rules_(*db_, cursors_),
        rulesets_(*db_, cursors_, publisher_) {
    EXPECT_TRUE(service::CatalogService(*db_).seedStandardFields());
  }
  ~RulesetServiceTest() override { std::filesystem::remove_all(dir_); }

  domain::RuleVersion approvedRule(boost::json::value tree, int priority) {
    service::NewRule input;
    input.rule_name = "rule";
    input.rule_type = domain::RuleType::kAuth;
    input.priority = priority;
    input.condition_tree = std::move(tree);
    auto created = rules_.createRule(kMaker, input);
    EXPECT_TRUE(created) << created.error().message;
    const std::string id = created->first_version->rule_version_id;
    EXPECT_TRUE(rules_.submit(kMaker, id, {}));
    auto approved = rules_.approve(kChecker, id, {});
    EXPECT_TRUE(approved) << approved.error().message;
    return *approved;
  }

  std::unique_ptr<store::Database> db_;
  std::filesystem::path dir_;
  std::shared_ptr<const publish::ArtifactSigningKey> key_;
  service::Publisher publisher_;
  service::CursorCodec cursors_;
  service::RuleService rules_;
  service::RulesetService rulesets_;
};

TEST_F(RulesetServiceTest, CompiledBytesDoNotDependOnTheBackend) {
  // Numbers jsonb rewrites (1e3, 1.50e4), a non-ASCII string, keys out of order.
  auto tree = *json::parseStrict(
      R"({"and":[{"value":1e3,"op":"GT","field":"amount"},{"field":"amount","op":"LT","value":1.50e4},)"
      R"({"field":"merchant_name","op":"CONTAINS","value":"Café Zürich"}]})");
  const auto a = approvedRule(tree, 300);
  const auto b = approvedRule(*json::parseStrict(R"({"field":"currency","op":"IN","value":["EUR","GBP"]})"), 300);
  auto ruleset = rulesets_.createRuleset(kMaker, {"test", "EMEA", "CH", domain::RuleType::kAuth, {}, {}});
  ASSERT_TRUE(ruleset) << ruleset.error().message;
  auto version = rulesets_.createVersion(kMaker, ruleset->ruleset_id, {b.rule_version_id, a.rule_version_id});
  ASSERT_TRUE(version) << version.error().message;
  auto first = rulesets_.compile(version->version.ruleset_version_id);
  auto second = rulesets_.compile(version->version.ruleset_version_id);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->compiled.bytes, second->compiled.bytes);

  // The same ruleset compiled straight from what was submitted, without the store in between.
  compiler::RulesetSource source{ruleset->ruleset_id, 1, domain::RuleType::kAuth, {}};
  for (const auto* v : {&a, &b}) {
    source.rules.push_back({v->rule_id, v->rule_version_id, v->priority, v->scope, v->normalized_tree, v->action});
  }
  auto catalog = store::inRead(*db_, [](store::SqlSession& s) { return service::loadCatalog(s); });
  ASSERT_TRUE(catalog);
  auto direct = compiler::compileRuleset(source, catalog->fields);
  ASSERT_TRUE(direct) << direct.error().message;
  EXPECT_EQ(first->compiled.bytes, direct->bytes);
  EXPECT_NE(first->compiled.bytes.find(R"("value":1000})"), std::string::npos) << first->compiled.bytes;
  EXPECT_NE(first->compiled.bytes.find("Café Zürich"), std::string::npos) << "non-ASCII stays raw";
}

TEST_F(RulesetServiceTest, ApprovalPublishesWithoutTouchingMemberRuleVersions) {
  const auto a = approvedRule(*json::parseStrict(R"({"field":"amount","op":"GT","value":1})"), 100);
  auto ruleset = rulesets_.createRuleset(kMaker, {"test", "EMEA", "DE", domain::RuleType::kAuth, {}, {}});
  auto version = rulesets_.createVersion(kMaker, ruleset->ruleset_id, {a.rule_version_id});
  const std::string id = version->version.ruleset_version_id;
  ASSERT_TRUE(rulesets_.submit(kMaker, id, {}));
  auto self = rulesets_.approve(kMaker, id, {});
  ASSERT_FALSE(self);
  EXPECT_EQ(self.error().code, ErrorCode::kSeparationOfDuties);
  auto approved = rulesets_.approve(kChecker, id, {});
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(approved->version.status, domain::VersionStatus::kApproved);
  EXPECT_EQ(rules_.getVersion(a.rule_version_id)->version.status, domain::VersionStatus::kApproved);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "rulesets/test/EMEA/DE/CARD_AUTH/v1/ruleset.json"));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "rulesets/test/EMEA/DE/CARD_AUTH/v1/manifest.json"));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "rulesets/test/EMEA/DE/CARD_AUTH/manifest.json")) << "not active yet";
  ASSERT_TRUE(rulesets_.activate(kChecker, id));
  EXPECT_TRUE(std::filesystem::exists(dir_ / "rulesets/test/EMEA/DE/CARD_AUTH/manifest.json"));
}

}  // namespace
}  // namespace fraudgov
