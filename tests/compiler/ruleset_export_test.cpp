// The offline export: it round-trips, compiles byte-identically to the online compile of the
// same data, and is parsed strictly.

#include "compiler/ruleset_export.h"

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "common/json.h"
#include "compiler/ruleset_fixtures.h"
#include "compiler/standard_catalog.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using domain::RuleAction;
using domain::RuleType;
using fraudgov::testing::kAmountOver1000;
using fraudgov::testing::kCardNotPresent;
using fraudgov::testing::kEuroOrDollar;
using fraudgov::testing::member;
using fraudgov::testing::parseJson;
using fraudgov::testing::ruleset;

RulesetSource sampleSource() {
  return ruleset(RuleType::kMonitoring,
                 {member("r-2", "rv-2", 300, kEuroOrDollar, RuleAction::kReview, R"({"channel":["ECOM","MOTO"]})"),
                  member("r-1", "rv-1", 300, kAmountOver1000, RuleAction::kReview),
                  member("r-3", "rv-3", 50, R"({"type":"NOT","condition":)" + std::string(kCardNotPresent) + "}",
                         RuleAction::kReview, R"({"country":"Z\u00fcrich"})")},
                 "rs-export", 7);
}

// Through text, as the CLI reads it.
bj::value throughText(const bj::object& document) { return *json::parseStrict(json::serialize(document)); }

TEST(RulesetExport, CompilesByteIdenticallyToTheOnlineCompile) {
  const auto catalog = fraudgov::testing::extendedCatalog();
  const auto online = compileRuleset(sampleSource(), catalog);
  ASSERT_TRUE(online) << online.error().message;
  const auto offline = compileExport(throughText(rulesetExport(sampleSource(), catalog)));
  ASSERT_TRUE(offline) << offline.error().message;
  EXPECT_EQ(offline->bytes, online->bytes);
  EXPECT_EQ(offline->checksum, online->checksum);
}

TEST(RulesetExport, RoundTripsSourceAndCatalog) {
  const auto catalog = fraudgov::testing::extendedCatalog();
  const auto document = rulesetExport(sampleSource(), catalog);
  auto parsed = parseExport(throughText(document));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(json::serialize(rulesetExport(parsed->source, parsed->catalog)), json::serialize(document));
  ASSERT_EQ(parsed->catalog.size(), catalog.size());
  for (const auto& [key, spec] : catalog) {
    const FieldSpec& got = parsed->catalog.at(key);
    EXPECT_EQ(got.field_id, spec.field_id) << key;
    EXPECT_EQ(got.data_type, spec.data_type) << key;
    EXPECT_EQ(got.allowed_operators, spec.allowed_operators) << key;
    EXPECT_EQ(got.multi_value_allowed, spec.multi_value_allowed) << key;
    EXPECT_EQ(got.is_sensitive, spec.is_sensitive) << key;
  }
  auto source = parseRulesetExport(throughText(document));
  ASSERT_TRUE(source);
  EXPECT_EQ(source->ruleset_id, "rs-export");
  EXPECT_EQ(source->version, 7);
  EXPECT_EQ(source->rule_type, RuleType::kMonitoring);
  ASSERT_EQ(source->rules.size(), 3u);
  EXPECT_EQ(source->rules[0].rule_version_id, "rv-2");  // input order is kept; compiling sorts
}

TEST(RulesetExport, IsDeterministic) {
  const auto catalog = fraudgov::testing::standardCatalog();
  EXPECT_EQ(json::serialize(rulesetExport(sampleSource(), catalog)),
            json::serialize(rulesetExport(sampleSource(), fraudgov::testing::standardCatalog())));
  const auto document = rulesetExport(sampleSource(), catalog);
  EXPECT_EQ(document.at("fields").as_array().at(0).at("field_key").as_string(),
            "amount");  // field_key order, not field_id order
}

// Sets the member or element a JSON pointer names (its parent must exist).
void replaceAt(bj::value& document, std::string_view pointer, bj::value replacement) {
  const auto slash = pointer.rfind('/');
  bj::value& parent = slash == 0 ? document : document.at_pointer(pointer.substr(0, slash));
  const std::string last(pointer.substr(slash + 1));
  if (parent.is_object()) {
    parent.as_object()[last] = std::move(replacement);
  } else {
    parent.as_array().at(std::stoul(last)) = std::move(replacement);
  }
}

struct BadExport {
  const char* name;
  std::string pointer;  // RFC 6901 pointer of the member to replace or add
  const char* replacement;
  const char* path;  // expected issue path
};

TEST(RulesetExport, RefusesAnythingOutsideTheFormat) {
  const std::vector<BadExport> cases = {
      {"unknown root member", "/extra", "1", "$.extra"},
      {"schema_version 2", "/schema_version", "2", "$.schema_version"},
      {"schema_version as string", "/schema_version", R"("1")", "$.schema_version"},
      {"lower-case rule_type", "/rule_type", R"("monitoring")", "$.rule_type"},
      {"version 0", "/version", "0", "$.version"},
      {"version as double", "/version", "7.0", "$.version"},
      {"empty ruleset_id", "/ruleset_id", R"("")", "$.ruleset_id"},
      {"rules not an array", "/rules", "{}", "$.rules"},
      {"rule not an object", "/rules/1", "[]", "$.rules[1]"},
      {"unknown action", "/rules/0/action", R"("BLOCK")", "$.rules[0].action"},
      {"priority as string", "/rules/0/priority", R"("300")", "$.rules[0].priority"},
      {"scope as list", "/rules/2/scope", "[]", "$.rules[2].scope"},
      {"unknown rule member", "/rules/1/when", "{}", "$.rules[1].when"},
      {"numeric rule_id", "/rules/1/rule_id", "12", "$.rules[1].rule_id"},
      {"unknown data_type", "/fields/0/data_type", R"("MONEY")", "$.fields[0].data_type"},
      {"unknown operator", "/fields/0/allowed_operators/1", R"("LIKE")", "$.fields[0].allowed_operators[1]"},
      {"repeated operator", "/fields/0/allowed_operators/1", R"("EQ")", "$.fields[0].allowed_operators[1]"},
      {"field_id 0", "/fields/0/field_id", "0", "$.fields[0].field_id"},
      {"sensitive as string", "/fields/0/is_sensitive", R"("false")", "$.fields[0].is_sensitive"},
      {"duplicate field_key", "/fields/1/field_key", R"("amount")", "$.fields[1].field_key"},
  };
  const auto valid = rulesetExport(sampleSource(), fraudgov::testing::standardCatalog());
  for (const auto& c : cases) {
    bj::value document = valid;
    replaceAt(document, c.pointer, parseJson(c.replacement));
    auto parsed = parseExport(document);
    ASSERT_FALSE(parsed) << c.name;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalidArgument) << c.name;
    EXPECT_TRUE(fraudgov::testing::hasFinding(parsed.error(), c.path, "")) << c.name;
  }
}

TEST(RulesetExport, RefusesMissingMembers) {
  const auto valid = rulesetExport(sampleSource(), fraudgov::testing::standardCatalog());
  for (const char* key : {"schema_version", "ruleset_id", "version", "rule_type", "rules", "fields"}) {
    bj::object document = valid;
    document.erase(key);
    auto parsed = parseExport(document);
    ASSERT_FALSE(parsed) << key;
    EXPECT_TRUE(fraudgov::testing::hasFinding(parsed.error(), std::string("$.") + key, "is required"));
  }
  bj::object without_tree = valid;
  without_tree["rules"].as_array()[0].as_object().erase("condition_tree");
  EXPECT_TRUE(
      fraudgov::testing::hasFinding(parseExport(without_tree).error(), "$.rules[0].condition_tree", "is required"));
  EXPECT_FALSE(parseExport(bj::value(bj::array{})));
}

TEST(RulesetExport, ReportsEveryProblemAtOnce) {
  bj::object document = rulesetExport(sampleSource(), fraudgov::testing::standardCatalog());
  document["rule_type"] = "NOPE";
  document["rules"].as_array()[2].as_object()["action"] = "NOPE";
  auto parsed = parseExport(document);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().details.at("errors").as_array().size(), 2u);
  EXPECT_NE(parsed.error().message.find("Invalid ruleset export"), std::string::npos);
}

TEST(RulesetExport, CompileChecksTheMembersLikeOnline) {
  bj::object document = rulesetExport(sampleSource(), fraudgov::testing::standardCatalog());
  document["rules"].as_array()[1].as_object()["condition_tree"] = parseJson(R"({"field":"nope","op":"EQ","value":1})");
  auto compiled = compileExport(document);
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().code, ErrorCode::kCompilationFailed);
  EXPECT_EQ(compiled.error().details.at("rule_version_id").as_string(), "rv-1");
  // A tree that only validates against a field the export no longer lists fails too.
  bj::object no_amount = rulesetExport(sampleSource(), fraudgov::testing::standardCatalog());
  auto& fields = no_amount["fields"].as_array();
  fields.erase(fields.begin());  // "amount" is first in field_key order
  EXPECT_EQ(compileExport(no_amount).error().code, ErrorCode::kCompilationFailed);
}

}  // namespace
}  // namespace fraudgov::compiler
