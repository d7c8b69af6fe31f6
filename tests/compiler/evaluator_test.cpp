// Evaluation semantics, case by case: every operator on every data type, missing fields, wrong
// transaction types, logical combinations, BETWEEN edges, REGEX partial matches.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/json.h"
#include "compiler/evaluator.h"
#include "compiler/simulation.h"
#include "compiler/standard_catalog.h"
#include "compiler/tree_test_util.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using fraudgov::testing::extendedCatalog;
using fraudgov::testing::parseJson;

struct EvalCase {
  const char* condition;
  const char* transaction;
  bool expected;
};

const std::vector<EvalCase> kCases = {
    // STRING: exact bytes, case-sensitive.
    {R"({"field":"currency","op":"EQ","value":"USD"})", R"({"currency":"USD"})", true},
    {R"({"field":"currency","op":"EQ","value":"USD"})", R"({"currency":"usd"})", false},
    {R"({"field":"currency","op":"EQ","value":"USD"})", R"({"currency":"USD "})", false},
    {R"({"field":"currency","op":"NE","value":"USD"})", R"({"currency":"EUR"})", true},
    {R"({"field":"currency","op":"NE","value":"USD"})", R"({"currency":"USD"})", false},
    {R"({"field":"currency","op":"IN","value":["USD","EUR"]})", R"({"currency":"EUR"})", true},
    {R"({"field":"currency","op":"IN","value":["USD","EUR"]})", R"({"currency":"GBP"})", false},
    {R"({"field":"description","op":"NOT_IN","value":["USD","EUR"]})", R"({"description":"GBP"})", true},
    {R"({"field":"description","op":"NOT_IN","value":["USD","EUR"]})", R"({"description":"USD"})", false},
    {R"({"field":"merchant_name","op":"CONTAINS","value":"Casino"})", R"({"merchant_name":"Big Casino Ltd"})", true},
    {R"({"field":"merchant_name","op":"CONTAINS","value":"Casino"})", R"({"merchant_name":"big casino ltd"})", false},
    {R"({"field":"merchant_name","op":"CONTAINS","value":"Caf\u00e9"})", R"({"merchant_name":"Le Caf\u00e9 Noir"})",
     true},
    {R"({"field":"description","op":"STARTS_WITH","value":"ATM "})", R"({"description":"ATM withdrawal"})", true},
    {R"({"field":"description","op":"STARTS_WITH","value":"ATM "})", R"({"description":"An ATM "})", false},
    {R"({"field":"description","op":"ENDS_WITH","value":".ru"})", R"({"description":"shop.example.ru"})", true},
    {R"({"field":"description","op":"ENDS_WITH","value":".ru"})", R"({"description":"shop.ru.example"})", false},
    {R"({"field":"description","op":"REGEX","value":"b+c"})", R"({"description":"xabbbcx"})", true},
    {R"({"field":"description","op":"REGEX","value":"^ab+c$"})", R"({"description":"xabbbcx"})", false},
    {R"({"field":"description","op":"REGEX","value":"^ab+c$"})", R"({"description":"abbbc"})", true},
    {R"({"field":"description","op":"REGEX","value":"(?i)casino"})", R"({"description":"CASINO royale"})", true},
    {R"({"field":"description","op":"REGEX","value":"^[0-9]{4}$"})", R"({"description":"12345"})", false},
    {R"({"field":"currency","op":"EQ","value":"USD"})", R"({"currency":840})", false},
    {R"({"field":"currency","op":"NE","value":"USD"})", R"({"currency":840})", false},
    {R"({"field":"currency","op":"IN","value":["USD"]})", R"({"currency":["USD"]})", false},
    // ENUM behaves as STRING.
    {R"({"field":"risk_level","op":"EQ","value":"HIGH"})", R"({"risk_level":"HIGH"})", true},
    {R"({"field":"risk_level","op":"NE","value":"HIGH"})", R"({"risk_level":"LOW"})", true},
    {R"({"field":"risk_level","op":"IN","value":["HIGH","CRITICAL"]})", R"({"risk_level":"CRITICAL"})", true},
    {R"({"field":"risk_level","op":"NOT_IN","value":["HIGH","CRITICAL"]})", R"({"risk_level":"CRITICAL"})", false},
    // NUMBER: int and double compared as double; booleans and numeric strings are not numbers.
    {R"({"field":"amount","op":"GT","value":1000})", R"({"amount":1000.5})", true},
    {R"({"field":"amount","op":"GT","value":1000})", R"({"amount":1000})", false},
    {R"({"field":"amount","op":"GTE","value":1000})", R"({"amount":1000})", true},
    {R"({"field":"amount","op":"GTE","value":1000.5})", R"({"amount":1000})", false},
    {R"({"field":"amount","op":"LT","value":0})", R"({"amount":-0.01})", true},
    {R"({"field":"amount","op":"LT","value":0})", R"({"amount":0})", false},
    {R"({"field":"amount","op":"LTE","value":99.99})", R"({"amount":99.99})", true},
    {R"({"field":"amount","op":"EQ","value":1000})", R"({"amount":1000.0})", true},
    {R"({"field":"amount","op":"EQ","value":1000.0})", R"({"amount":1000})", true},
    {R"({"field":"amount","op":"EQ","value":0.1})", R"({"amount":0.1})", true},
    {R"({"field":"amount","op":"EQ","value":18446744073709551615})", R"({"amount":18446744073709551615})", true},
    {R"({"field":"amount","op":"GT","value":1000})", R"({"amount":"1500"})", false},
    {R"({"field":"amount","op":"GT","value":0})", R"({"amount":true})", false},
    {R"({"field":"score","op":"NE","value":5})", R"({"score":6})", true},
    {R"({"field":"score","op":"NE","value":5})", R"({"score":5.0})", false},
    {R"({"field":"score","op":"NE","value":5})", R"({"score":"6"})", false},
    {R"({"field":"score","op":"IN","value":[1,2.5,-3]})", R"({"score":2.5})", true},
    {R"({"field":"score","op":"IN","value":[1,2.5,-3]})", R"({"score":-3.0})", true},
    {R"({"field":"score","op":"IN","value":[1,2.5,-3]})", R"({"score":2})", false},
    {R"({"field":"score","op":"NOT_IN","value":[1,2.5]})", R"({"score":3})", true},
    {R"({"field":"score","op":"NOT_IN","value":[1,2.5]})", R"({"score":1})", false},
    // BETWEEN is inclusive at both ends.
    {R"({"field":"amount","op":"BETWEEN","value":[10,20]})", R"({"amount":10})", true},
    {R"({"field":"amount","op":"BETWEEN","value":[10,20]})", R"({"amount":20})", true},
    {R"({"field":"amount","op":"BETWEEN","value":[10,20]})", R"({"amount":15.5})", true},
    {R"({"field":"amount","op":"BETWEEN","value":[10,20]})", R"({"amount":9.999})", false},
    {R"({"field":"amount","op":"BETWEEN","value":[10,20]})", R"({"amount":20.0001})", false},
    {R"({"field":"amount","op":"BETWEEN","value":[5,5]})", R"({"amount":5})", true},
    // BOOLEAN.
    {R"({"field":"card_present","op":"EQ","value":true})", R"({"card_present":true})", true},
    {R"({"field":"card_present","op":"EQ","value":true})", R"({"card_present":false})", false},
    {R"({"field":"card_present","op":"EQ","value":false})", R"({"card_present":false})", true},
    {R"({"field":"card_present","op":"NE","value":false})", R"({"card_present":true})", true},
    {R"({"field":"card_present","op":"EQ","value":true})", R"({"card_present":"true"})", false},
    {R"({"field":"card_present","op":"EQ","value":true})", R"({"card_present":1})", false},
    // DATE: compared as instants, offsets honoured, a bare date is midnight UTC.
    {R"({"field":"timestamp","op":"EQ","value":"2026-01-15T10:00:00Z"})",
     R"({"timestamp":"2026-01-15T12:00:00+02:00"})", true},
    {R"({"field":"timestamp","op":"EQ","value":"2026-01-15T12:00:00+02:00"})",
     R"({"timestamp":"2026-01-15 10:00:00.000000"})", true},
    {R"({"field":"timestamp","op":"EQ","value":"2026-01-15"})", R"({"timestamp":"2026-01-15T00:00:00Z"})", true},
    {R"({"field":"timestamp","op":"EQ","value":"2026-01-15"})", R"({"timestamp":"2026-01-15T00:00:00-01:00"})", false},
    {R"({"field":"timestamp","op":"GT","value":"2026-01-15T10:00:00Z"})",
     R"({"timestamp":"2026-01-15T11:00:00+01:00"})", false},
    {R"({"field":"timestamp","op":"GT","value":"2026-01-15T10:00:00Z"})",
     R"({"timestamp":"2026-01-15T10:00:00.000001Z"})", true},
    {R"({"field":"timestamp","op":"GTE","value":"2026-01-15T10:00:00Z"})",
     R"({"timestamp":"2026-01-15T05:00:00-05:00"})", true},
    {R"({"field":"timestamp","op":"LT","value":"2026-01-15"})", R"({"timestamp":"2026-01-14T23:59:59Z"})", true},
    {R"({"field":"timestamp","op":"LTE","value":"2026-01-15"})", R"({"timestamp":"2026-01-15T00:00:01Z"})", false},
    {R"({"field":"timestamp","op":"BETWEEN","value":["2026-01-01","2026-01-31"]})", R"({"timestamp":"2026-01-31"})",
     true},
    {R"({"field":"timestamp","op":"BETWEEN","value":["2026-01-01","2026-01-31"]})",
     R"({"timestamp":"2026-01-31T00:00:01Z"})", false},
    {R"({"field":"timestamp","op":"BETWEEN","value":["2026-01-01","2026-01-31"]})",
     R"({"timestamp":"2026-01-01T01:30:00+02:00"})", false},
    {R"({"field":"timestamp","op":"GT","value":"2020-01-01"})", R"({"timestamp":"yesterday"})", false},
    {R"({"field":"timestamp","op":"GT","value":"2020-01-01"})", R"({"timestamp":1768473000})", false},
    {R"({"field":"settled_at","op":"NE","value":"2026-01-15T10:00:00Z"})",
     R"({"settled_at":"2026-01-15T12:00:00+02:00"})", false},
    {R"({"field":"settled_at","op":"IN","value":["2026-01-15T10:00:00Z","2026-02-01"]})",
     R"({"settled_at":"2026-01-15T11:00:00+01:00"})", true},
    {R"({"field":"settled_at","op":"NOT_IN","value":["2026-01-15T10:00:00Z","2026-02-01"]})",
     R"({"settled_at":"2026-02-01T00:00:00Z"})", false},
    // Missing or null fields never match, whatever the operator; their negation does.
    {R"({"field":"amount","op":"GT","value":5})", R"({})", false},
    {R"({"field":"amount","op":"GT","value":5})", R"({"amount":null})", false},
    {R"({"field":"currency","op":"NE","value":"USD"})", R"({"amount":1})", false},
    {R"({"field":"description","op":"NOT_IN","value":["x"]})", R"({})", false},
    {R"({"not":{"field":"amount","op":"GT","value":5}})", R"({})", true},
    {R"({"not":{"field":"amount","op":"GT","value":5}})", R"({"amount":"9"})", true},
    {R"({"not":{"field":"amount","op":"GT","value":5}})", R"({"amount":9})", false},
    // Logical combinations.
    {R"({"and":[{"field":"amount","op":"GT","value":100},{"field":"currency","op":"EQ","value":"USD"}]})",
     R"({"amount":150,"currency":"USD"})", true},
    {R"({"and":[{"field":"amount","op":"GT","value":100},{"field":"currency","op":"EQ","value":"USD"}]})",
     R"({"amount":150,"currency":"EUR"})", false},
    {R"({"or":[{"field":"amount","op":"GT","value":100},{"field":"currency","op":"EQ","value":"USD"}]})",
     R"({"amount":50,"currency":"USD"})", true},
    {R"({"or":[{"field":"amount","op":"GT","value":100},{"field":"currency","op":"EQ","value":"USD"}]})",
     R"({"amount":50})", false},
    {R"({"not":{"and":[{"field":"amount","op":"GT","value":100},{"field":"card_present","op":"EQ","value":true}]}})",
     R"({"amount":150,"card_present":false})", true},
    {R"({"not":{"not":{"field":"currency","op":"EQ","value":"USD"}}})", R"({"currency":"USD"})", true},
    {R"({"type":"OR","conditions":[{"type":"AND","conditions":[
        {"type":"CONDITION","field":"amount","operator":"GTE","value":5000},
        {"type":"NOT","condition":{"type":"CONDITION","field":"country_code","operator":"IN","value":["US","CA"]}}]},
      {"logicalOperator":"AND","conditions":[{"field":"card_present","op":"EQ","value":false},
        {"field":"merchant_category_code","op":"IN","value":["7995","6051"]}]}]})",
     R"({"amount":10,"country_code":"US","card_present":false,"merchant_category_code":"7995"})", true},
    {R"({"type":"OR","conditions":[{"type":"AND","conditions":[
        {"type":"CONDITION","field":"amount","operator":"GTE","value":5000},
        {"type":"NOT","condition":{"type":"CONDITION","field":"country_code","operator":"IN","value":["US","CA"]}}]},
      {"logicalOperator":"AND","conditions":[{"field":"card_present","op":"EQ","value":false},
        {"field":"merchant_category_code","op":"IN","value":["7995","6051"]}]}]})",
     R"({"amount":6000,"country_code":"CA","card_present":true})", false},
};

class Evaluation : public ::testing::TestWithParam<EvalCase> {};

TEST_P(Evaluation, MatchesAsSpecified) {
  const auto& c = GetParam();
  const auto compiled = compileCondition(parseJson(c.condition), extendedCatalog());
  ASSERT_TRUE(compiled) << compiled.error().message;
  const auto transaction = parseJson(c.transaction);
  EXPECT_EQ(matches(*compiled, transaction.as_object()), c.expected) << c.condition << " on " << c.transaction;
  EXPECT_EQ(explain(*compiled, transaction.as_object()).matched, c.expected);
}

INSTANTIATE_TEST_SUITE_P(Compiler, Evaluation, ::testing::ValuesIn(kCases));

TEST(Evaluator, LargeInSetsUseTheHashedPath) {
  bj::array values;
  for (int i = 0; i < 60; ++i) values.push_back(bj::value(fmt::format("M{}", i)));
  const bj::value tree = bj::object{{"field", "merchant_id"}, {"op", "IN"}, {"value", values}};
  const auto compiled = compileCondition(tree, extendedCatalog());
  ASSERT_TRUE(compiled);
  EXPECT_EQ(compiled->leaves()[0].strings.size(), 60u);
  EXPECT_TRUE(matches(*compiled, bj::object{{"merchant_id", "M0"}}));
  EXPECT_TRUE(matches(*compiled, bj::object{{"merchant_id", "M59"}}));
  EXPECT_FALSE(matches(*compiled, bj::object{{"merchant_id", "M60"}}));
}

TEST(Evaluator, ExplainReportsEachLeaf) {
  const auto compiled = compileCondition(parseJson(R"({"and":[
      {"field":"amount","op":"GT","value":1000},
      {"or":[{"field":"currency","op":"EQ","value":"USD"},{"field":"card_present","op":"EQ","value":true}]}]})"),
                                         extendedCatalog());
  ASSERT_TRUE(compiled);

  auto short_circuited = explain(*compiled, bj::object{{"amount", 5}});
  EXPECT_FALSE(short_circuited.matched);
  ASSERT_EQ(short_circuited.leaves.size(), 3u);
  EXPECT_EQ(short_circuited.leaves[0].path, "$.and[0]");
  EXPECT_EQ(short_circuited.leaves[0].field, "amount");
  EXPECT_EQ(short_circuited.leaves[0].op, domain::Operator::kGt);
  EXPECT_EQ(short_circuited.leaves[0].outcome, LeafOutcome::kNotMatched);
  EXPECT_EQ(short_circuited.leaves[1].outcome, LeafOutcome::kNotEvaluated);
  EXPECT_EQ(short_circuited.leaves[2].outcome, LeafOutcome::kNotEvaluated);

  auto full = explain(*compiled, bj::object{{"amount", 5000}, {"currency", 978}, {"card_present", true}});
  EXPECT_TRUE(full.matched);
  EXPECT_EQ(full.leaves[0].outcome, LeafOutcome::kMatched);
  EXPECT_EQ(full.leaves[1].path, "$.and[1].or[0]");
  EXPECT_EQ(full.leaves[1].outcome, LeafOutcome::kWrongType);
  EXPECT_EQ(full.leaves[2].outcome, LeafOutcome::kMatched);

  auto missing = explain(*compiled, bj::object{{"amount", 5000}});
  EXPECT_FALSE(missing.matched);
  EXPECT_EQ(missing.leaves[1].outcome, LeafOutcome::kMissing);
  EXPECT_EQ(missing.leaves[2].outcome, LeafOutcome::kMissing);
}

TEST(Evaluator, InvalidTreesDoNotCompile) {
  const auto compiled = compileCondition(parseJson(R"({"field":"amount","op":"GT","value":"x"})"), extendedCatalog());
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().code, ErrorCode::kInvalidArgument);
}

TEST(Evaluator, NormalizedTreesAreRevalidatedAgainstTheCatalog) {
  const auto tree = normalizeConditionTree(parseJson(R"({"field":"score","op":"GT","value":1})"), extendedCatalog());
  ASSERT_TRUE(tree);
  EXPECT_TRUE(compileCondition(*tree, extendedCatalog()));
  const auto compiled = compileCondition(*tree, fraudgov::testing::standardCatalog());  // no "score" there
  ASSERT_FALSE(compiled);
  EXPECT_TRUE(fraudgov::testing::hasFinding(compiled.error(), "$.field", "Unknown field 'score'"));
}

TEST(Evaluator, EmptyConditionMatchesNothing) {
  const CompiledCondition empty;
  EXPECT_FALSE(matches(empty, bj::object{{"amount", 1}}));
  EXPECT_FALSE(explain(empty, bj::object{}).matched);
}

TEST(Simulation, CountsAndListsMatches) {
  const auto compiled = compileCondition(
      parseJson(R"({"and":[{"field":"amount","op":"GT","value":100},{"field":"currency","op":"IN","value":["USD"]}]})"),
      extendedCatalog());
  ASSERT_TRUE(compiled);
  const std::vector<bj::object> transactions = {
      bj::object{{"amount", 150}, {"currency", "USD"}},
      bj::object{{"amount", 50}, {"currency", "USD"}},
      bj::object{},
      bj::object{{"amount", 100.01}, {"currency", "USD"}},
      bj::object{{"amount", 1e6}, {"currency", "EUR"}},
  };
  const auto result = simulate(*compiled, transactions);
  EXPECT_EQ(result.match_count, 2u);
  EXPECT_EQ(result.matched_indices, (std::vector<std::size_t>{0, 3}));
  EXPECT_EQ(result.matched, (std::vector<bool>{true, false, false, true, false}));
  EXPECT_EQ(simulate(*compiled, {}).match_count, 0u);
}

}  // namespace
}  // namespace fraudgov::compiler
