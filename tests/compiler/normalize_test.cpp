// Normalization: every notation maps to the same {"and"|"or"|"not"} / {"field","op","value"} form,
// normalization is idempotent, and it survives a serialize/parse round trip.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json/object.hpp>
#include <string>

#include "common/json.h"
#include "compiler/condition_tree.h"
#include "compiler/standard_catalog.h"
#include "compiler/tree_generator.h"
#include "compiler/tree_test_util.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using fraudgov::testing::parseJson;
using fraudgov::testing::standardCatalog;

bj::value normalized(const bj::value& tree, const FieldCatalog& catalog = standardCatalog()) {
  auto result = normalizeConditionTree(tree, catalog);
  EXPECT_TRUE(result) << json::serialize(tree) << " -> " << fraudgov::testing::findings(result.error());
  return result ? result->tree : bj::value();
}

const char* kExpected = R"({"and":[
  {"field":"amount","op":"GT","value":1000},
  {"or":[{"field":"currency","op":"IN","value":["USD","EUR"]},{"field":"card_present","op":"EQ","value":false}]},
  {"not":{"field":"country_code","op":"EQ","value":"US"}}]})";

TEST(Normalize, NotationAIsKeptAsIs) { EXPECT_EQ(normalized(parseJson(kExpected)), parseJson(kExpected)); }

TEST(Normalize, NotationB) {
  const auto typed = parseJson(R"({"type":"AND","conditions":[
    {"type":"CONDITION","field":"amount","operator":"GT","value":1000},
    {"type":"or","conditions":[
      {"type":"condition","field":"currency","op":"IN","value":["USD","EUR"]},
      {"type":"Condition","field":{"field_key":"card_present"},"operator":"EQ","value":false}]},
    {"type":"NOT","condition":{"type":"CONDITION","field":"country_code","operator":"EQ","value":"US"}}]})");
  EXPECT_EQ(normalized(typed), parseJson(kExpected));
}

TEST(Normalize, NotationC) {
  const auto tree = parseJson(R"({"logicalOperator":"AND","conditions":[
    {"field":"amount","operator":"GT","value":1000},
    {"logicalOperator":"OR","conditions":[{"field":"currency","operator":"IN","value":["USD","EUR"]},
                                          {"field":"card_present","operator":"EQ","value":false}]},
    {"logicalOperator":"NOT","conditions":[{"field":"country_code","operator":"EQ","value":"US"}]}]})");
  EXPECT_EQ(normalized(tree), parseJson(kExpected));
}

TEST(Normalize, MixedNotations) {
  const auto tree = parseJson(R"({"logicalOperator":"and","conditions":[
    {"type":"CONDITION","field":{"field_key":"amount"},"op":"GT","operator":"GT","value":1000},
    {"or":[{"field":"currency","op":"IN","value":["USD","EUR"]},
           {"type":"CONDITION","field":"card_present","operator":"EQ","value":false}]},
    {"type":"not","conditions":[{"field":"country_code","op":"EQ","value":"US"}]}]})");
  EXPECT_EQ(normalized(tree), parseJson(kExpected));
}

TEST(Normalize, ValuesAreCopiedAsGiven) {
  const auto tree = parseJson(R"({"field":"amount","op":"BETWEEN","value":[1.50,1e3]})");
  const auto out = normalized(tree);
  EXPECT_EQ(out.at("value"), tree.at("value"));
  EXPECT_TRUE(out.at("value").at(1).is_double());
}

TEST(Normalize, IsIdempotent) {
  const auto once = normalized(parseJson(kExpected));
  EXPECT_EQ(normalized(once), once);
}

TEST(Normalize, ReportsStatistics) {
  const auto result = normalizeConditionTree(parseJson(R"({"or":[
      {"field":"amount","op":"GT","value":1},
      {"not":{"and":[{"field":"currency","op":"EQ","value":"USD"},{"field":"amount","op":"LT","value":9}]}}]})"),
                                             standardCatalog());
  ASSERT_TRUE(result);
  EXPECT_EQ(result->depth, 3u);
  EXPECT_EQ(result->node_count, 6u);
  EXPECT_EQ(result->field_keys, (std::vector<std::string>{"amount", "currency"}));
}

TEST(Normalize, CanonicalBytesAreJcs) {
  const auto result = normalizeConditionTree(
      parseJson(R"({"type":"CONDITION","value":1000.0,"operator":"GT","field":"amount"})"), standardCatalog());
  ASSERT_TRUE(result);
  EXPECT_EQ(canonicalTreeBytes(*result), R"({"field":"amount","op":"GT","value":1000})");
}

TEST(Normalize, GeneratedTreesNormalizeAndRoundTrip) {
  const FieldCatalog catalog = fraudgov::testing::extendedCatalog();
  fraudgov::testing::TreeGenerator generator(catalog, 20260115);
  for (int i = 0; i < 200; ++i) {
    const auto sample = generator.tree(generator.below(6));
    SCOPED_TRACE(fmt::format("sample {}: {}", i, json::serialize(sample.input)));
    const auto first = normalizeConditionTree(sample.input, catalog);
    ASSERT_TRUE(first) << fraudgov::testing::findings(first.error());
    EXPECT_EQ(first->tree, sample.expected);
    EXPECT_EQ(normalized(first->tree, catalog), first->tree);

    const auto reparsed = json::parseStrict(json::serialize(sample.input));
    ASSERT_TRUE(reparsed);
    const auto second = normalizeConditionTree(*reparsed, catalog);
    ASSERT_TRUE(second);
    EXPECT_EQ(second->tree, first->tree);
    EXPECT_EQ(canonicalTreeBytes(*second), canonicalTreeBytes(*first));

    const auto stored = json::parseStrict(json::serialize(first->tree));
    ASSERT_TRUE(stored);
    EXPECT_EQ(normalized(*stored, catalog), first->tree);
  }
}

}  // namespace
}  // namespace fraudgov::compiler
