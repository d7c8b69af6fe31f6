// The catalogs `fraudgov evaluate` validates against: the standard seed and --fields files.

#include "app/commands/field_catalog_file.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "compiler/ruleset_export.h"
#include "compiler/ruleset_fixtures.h"
#include "compiler/standard_catalog.h"

namespace fraudgov::app::commands {
namespace {

void expectSameCatalog(const compiler::FieldCatalog& got, const compiler::FieldCatalog& want) {
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [key, spec] : want) {
    ASSERT_TRUE(got.contains(key)) << key;
    const auto& g = got.at(key);
    EXPECT_EQ(g.field_id, spec.field_id) << key;
    EXPECT_EQ(g.data_type, spec.data_type) << key;
    EXPECT_EQ(g.allowed_operators, spec.allowed_operators) << key;
    EXPECT_EQ(g.multi_value_allowed, spec.multi_value_allowed) << key;
    EXPECT_EQ(g.is_sensitive, spec.is_sensitive) << key;
  }
}

TEST(FieldCatalogFile, StandardCatalogIsTheSeededOne) {
  expectSameCatalog(standardFieldCatalog(), fraudgov::testing::standardCatalog());
}

TEST(FieldCatalogFile, ReadsTheExportFieldsMember) {
  const auto catalog = fraudgov::testing::extendedCatalog();
  const auto document = compiler::rulesetExport(fraudgov::testing::ruleset(domain::RuleType::kAuth, {}), catalog);
  auto parsed = parseFieldDefinitions(json::serialize(document.at("fields")));
  ASSERT_TRUE(parsed) << parsed.error().message;
  expectSameCatalog(*parsed, catalog);
}

TEST(FieldCatalogFile, RefusesMalformedDefinitionsWithPaths) {
  auto parsed = parseFieldDefinitions(R"([{"field_key":"amount"}])");
  ASSERT_FALSE(parsed);
  EXPECT_NE(json::serialize(parsed.error().details).find("$.fields[0].field_id"), std::string::npos);
  EXPECT_FALSE(parseFieldDefinitions("{}"));
  EXPECT_FALSE(parseFieldDefinitions("[not json"));
}

}  // namespace
}  // namespace fraudgov::app::commands
