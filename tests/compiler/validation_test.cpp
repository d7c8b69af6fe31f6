// Every kind of invalid tree is refused with kValidation and a finding at the right path.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "compiler/condition_tree.h"
#include "compiler/standard_catalog.h"
#include "compiler/tree_test_util.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using fraudgov::testing::extendedCatalog;
using fraudgov::testing::hasFinding;
using fraudgov::testing::parseJson;

struct InvalidCase {
  const char* name;
  std::string tree;
  const char* path;
  const char* fragment;
};

std::string listOf(std::size_t n, const std::string& element) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) out += ',';
    out += element;
  }
  return out + "]";
}

const std::string kLeaf = R"({"field":"amount","op":"GT","value":1})";

std::vector<InvalidCase> invalidCases() {
  const std::string long_text(4097, 'x');
  const std::string long_pattern(513, 'a');
  return {
      {"UnknownField", R"({"field":"nope","op":"EQ","value":"x"})", "$.field", "Unknown field 'nope'"},
      {"DisallowedOperator", R"({"field":"currency","op":"GT","value":"x"})", "$.op",
       "Operator 'GT' not allowed for field 'currency'"},
      {"DisallowedOperatorViaOperatorKey", R"({"field":"currency","operator":"CONTAINS","value":"x"})", "$.operator",
       "Operator 'CONTAINS' not allowed for field 'currency'"},
      {"UnknownOperator", R"({"field":"amount","op":"GREATER","value":1})", "$.op", "Unknown operator 'GREATER'"},
      {"OperatorNotAString", R"({"field":"amount","op":5,"value":1})", "$.op", "Operator must be a string"},
      {"OpAndOperatorDisagree", R"({"field":"amount","op":"GT","operator":"LT","value":1})", "$.op", "disagree"},
      {"StringGivenNumber", R"({"field":"currency","op":"EQ","value":5})", "$.value",
       "Field 'currency' expects STRING value"},
      {"NumberGivenString", R"({"field":"amount","op":"GT","value":"1000"})", "$.value",
       "Field 'amount' expects NUMBER value"},
      {"NumberGivenBoolean", R"({"field":"amount","op":"EQ","value":true})", "$.value",
       "Field 'amount' expects NUMBER value"},
      {"BooleanGivenString", R"({"field":"card_present","op":"EQ","value":"true"})", "$.value",
       "expects BOOLEAN value"},
      {"BooleanGivenNumber", R"({"field":"card_present","op":"EQ","value":1})", "$.value", "expects BOOLEAN value"},
      {"DateGivenNumber", R"({"field":"timestamp","op":"GT","value":1768473000})", "$.value",
       "Field 'timestamp' expects DATE string (ISO 8601)"},
      {"DateNotIso", R"({"field":"timestamp","op":"GT","value":"yesterday"})", "$.value", "expects DATE string"},
      {"DateImpossible", R"({"field":"timestamp","op":"GT","value":"2026-02-30"})", "$.value", "expects DATE string"},
      {"EnumGivenNumber", R"({"field":"risk_level","op":"EQ","value":3})", "$.value", "expects ENUM value"},
      {"NullValue", R"({"field":"amount","op":"EQ","value":null})", "$.value", "does not accept null values"},
      {"NullInList", R"({"field":"currency","op":"IN","value":["USD",null]})", "$.value[1]",
       "does not accept null values"},
      {"InOnSingleValueField", R"({"field":"ip_address","op":"IN","value":["10.0.0.1"]})", "$.op",
       "Field 'ip_address' does not allow multi-value operators (IN/NOT_IN)"},
      {"InWithoutList", R"({"field":"currency","op":"IN","value":"USD"})", "$.value",
       "Operator 'IN' requires a list for field 'currency'"},
      {"InEmptyList", R"({"field":"currency","op":"IN","value":[]})", "$.value", "cannot be empty"},
      {"InWrongElement", R"({"field":"currency","op":"IN","value":["USD",7]})", "$.value[1]", "expects STRING value"},
      {"BetweenOneValue", R"({"field":"amount","op":"BETWEEN","value":[1]})", "$.value",
       "Operator 'BETWEEN' requires exactly 2 values for field 'amount'"},
      {"BetweenThreeValues", R"({"field":"amount","op":"BETWEEN","value":[1,2,3]})", "$.value",
       "requires exactly 2 values"},
      {"BetweenScalar", R"({"field":"amount","op":"BETWEEN","value":5})", "$.value", "requires exactly 2 values"},
      {"BetweenWrongElement", R"({"field":"amount","op":"BETWEEN","value":["1",5]})", "$.value[0]",
       "expects NUMBER value"},
      {"BetweenLowAboveHigh", R"({"field":"amount","op":"BETWEEN","value":[10,5]})", "$.value", "low <= high"},
      {"BetweenDatesReversed",
       R"({"field":"timestamp","op":"BETWEEN","value":["2026-01-15T12:00:00+02:00","2026-01-15T09:59:59Z"]})",
       "$.value", "low <= high"},
      {"ScalarOperatorGivenList", R"({"field":"amount","op":"GT","value":[1]})", "$.value",
       "Operator 'GT' does not accept lists for field 'amount'"},
      {"OperatorUnsupportedByType", R"({"field":"flag_gt","op":"GT","value":true})", "$.op",
       "Operator 'GT' is not supported for BOOLEAN field 'flag_gt'"},
      {"RegexDoesNotCompile", R"({"field":"description","op":"REGEX","value":"(abc"})", "$.value",
       "REGEX pattern does not compile"},
      {"RegexBackreference", R"j({"field":"description","op":"REGEX","value":"(a)\\1"})j", "$.value",
       "REGEX pattern does not compile"},
      {"RegexLookahead", R"j({"field":"description","op":"REGEX","value":"a(?=b)"})j", "$.value",
       "REGEX pattern does not compile"},
      {"RegexTooLong", R"({"field":"description","op":"REGEX","value":")" + long_pattern + R"("})", "$.value",
       "exceeds maximum length of 512 bytes"},
      {"RegexOverMemoryBudget", R"({"field":"description","op":"REGEX","value":"\\pL{1000}"})", "$.value",
       "pattern too large"},
      {"RegexRepetitionTooLarge", R"j({"field":"description","op":"REGEX","value":"((((a{100}){100}){100}){100})"})j",
       "$.value", "REGEX pattern does not compile"},
      {"EmptyAnd", R"({"and":[]})", "$.and", "'and' cannot be empty"},
      {"EmptyOr", R"({"or":[]})", "$.or", "'or' cannot be empty"},
      {"EmptyTypedConditions", R"({"type":"OR","conditions":[]})", "$.conditions", "'conditions' cannot be empty"},
      {"AndNotAList", R"({"and":{"field":"amount","op":"GT","value":1}})", "$.and", "'and' must be a list"},
      {"TypedAndWithoutConditions", R"({"type":"AND"})", "$.conditions", "'conditions' must be a list"},
      {"NotGivenList", R"({"not":[)" + kLeaf + "]}", "$.not", "'not' must contain a single condition object"},
      {"TypedNotGivenScalar", R"({"type":"NOT","condition":"x"})", "$.condition",
       "'condition' must contain a single condition object"},
      {"TypedNotWithTwoConditions", R"({"type":"NOT","conditions":[)" + kLeaf + "," + kLeaf + "]}", "$.conditions",
       "exactly one condition"},
      {"TypedNotWithBothForms", R"({"type":"NOT","condition":)" + kLeaf + R"(,"conditions":[)" + kLeaf + "]}", "$",
       "either 'condition' or 'conditions'"},
      {"UnknownType", R"({"type":"XOR","conditions":[)" + kLeaf + "]}", "$.type", "unknown type 'XOR'"},
      {"TypeNotAString", R"({"type":1,"conditions":[)" + kLeaf + "]}", "$.type", "'type' must be a string"},
      {"UnknownLogicalOperator", R"({"logicalOperator":"NAND","conditions":[)" + kLeaf + "]}", "$.logicalOperator",
       "unknown logicalOperator 'NAND'"},
      {"UnknownShape", R"({"operator":"AND","conditions":[]})", "$",
       "must contain 'and', 'or', 'not', 'field', or 'type'"},
      {"ChildNotAnObject", R"({"and":[1]})", "$.and[0]", "Condition node must be a dictionary"},
      {"EmptyChild", R"({"or":[{}]})", "$.or[0]", "cannot be empty"},
      {"UnknownKeyOnLeaf", R"({"field":"amount","op":"GT","value":1,"description":"big"})", "$.description",
       "Unknown key 'description'"},
      {"UnknownKeyOnLogical", R"({"and":[)" + kLeaf + R"(],"or":[)" + kLeaf + "]}", "$.or", "Unknown key 'or'"},
      {"UnknownKeyOnTyped", R"({"type":"AND","conditions":[)" + kLeaf + R"(],"id":7})", "$.id", "Unknown key 'id'"},
      {"ConditionKeyOnTypedAnd", R"({"type":"AND","conditions":[)" + kLeaf + R"(],"condition":)" + kLeaf + "}",
       "$.condition", "Unknown key 'condition'"},
      {"MissingField", R"({"type":"CONDITION","op":"GT","value":1})", "$", "Leaf node missing 'field'"},
      {"EmptyFieldName", R"({"field":"","op":"GT","value":1})", "$", "Leaf node missing 'field'"},
      {"MissingOperator", R"({"field":"amount","value":1})", "$", "Leaf node missing 'op' or 'operator'"},
      {"MissingValue", R"({"field":"amount","op":"GT"})", "$", "Leaf node missing 'value'"},
      {"FieldReferenceWithoutKey", R"({"field":{"name":"amount"},"op":"GT","value":1})", "$.field",
       "Invalid field reference"},
      {"FieldReferenceList", R"({"field":["amount"],"op":"GT","value":1})", "$.field", "Invalid field reference"},
      {"ArrayOf101", R"({"field":"currency","op":"IN","value":)" + listOf(101, R"("USD")") + "}", "$.value",
       "Array at '$.value' exceeds maximum size of 100"},
      {"AndOf101", R"({"and":)" + listOf(101, kLeaf) + "}", "$.and", "exceeds maximum size of 100"},
      {"StringOf4097", R"({"field":"merchant_name","op":"EQ","value":")" + long_text + R"("})", "$.value",
       "String exceeds maximum length of 4096 bytes"},
      {"FieldKeyOf4097", R"({"field":")" + long_text + R"(","op":"EQ","value":"x"})", "$.field",
       "exceeds maximum length of 4096"},
      {"DeepPath",
       R"({"or":[)" + kLeaf + R"(,{"type":"AND","conditions":[)" + kLeaf +
           R"(,{"logicalOperator":"NOT","conditions":[{"field":"amount","op":"GT","value":"x"}]}]}]})",
       "$.or[1].conditions[1].conditions[0].value", "expects NUMBER value"},
      {"DeepPathThroughNot", R"({"not":{"type":"NOT","condition":{"field":"currency","op":"IN","value":[1]}}})",
       "$.not.condition.value[0]", "expects STRING value"},
      {"EmptyTree", "{}", "$", "Condition tree cannot be empty"},
      {"NullTree", "null", "$", "Condition tree cannot be empty"},
      {"ListTree", "[]", "$", "Condition node must be a dictionary"},
  };
}

FieldCatalog testCatalog() {
  FieldCatalog catalog = extendedCatalog();
  // A misconfigured catalog entry: BOOLEAN allowing GT must still be refused.
  fraudgov::testing::addField(catalog, 99, "flag_gt", domain::DataType::kBoolean,
                              {domain::Operator::kEq, domain::Operator::kGt}, false, false);
  return catalog;
}

class InvalidTree : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidTree, IsRefusedWithItsPath) {
  const auto& c = GetParam();
  const auto result = normalizeConditionTree(parseJson(c.tree), testCatalog());
  ASSERT_FALSE(result) << c.name << " was accepted";
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(hasFinding(result.error(), c.path, c.fragment));
  EXPECT_TRUE(result.error().message.starts_with("Invalid condition tree: ")) << result.error().message;
}

INSTANTIATE_TEST_SUITE_P(Compiler, InvalidTree, ::testing::ValuesIn(invalidCases()),
                         [](const ::testing::TestParamInfo<InvalidCase>& info) { return info.param.name; });

TEST(Validation, MessageNamesTheFirstFindingAndItsPath) {
  const auto result =
      normalizeConditionTree(parseJson(R"({"and":[{"field":"amount","op":"GT","value":"x"}]})"), testCatalog());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "Invalid condition tree: Field 'amount' expects NUMBER value at $.and[0].value");
}

TEST(Validation, CollectsSeveralFindings) {
  const auto tree = parseJson(R"({"or":[
      {"field":"nope","op":"EQ","value":"x"},
      {"field":"amount","op":"GT","value":true},
      {"field":"currency","op":"IN","value":[]}]})");
  const auto result = normalizeConditionTree(tree, testCatalog());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().details.at("errors").as_array().size(), 3u) << fraudgov::testing::findings(result.error());
  EXPECT_TRUE(hasFinding(result.error(), "$.or[0].field", "Unknown field"));
  EXPECT_TRUE(hasFinding(result.error(), "$.or[1].value", "expects NUMBER"));
  EXPECT_TRUE(hasFinding(result.error(), "$.or[2].value", "cannot be empty"));
}

TEST(Validation, StopsCollectingAtTheErrorCap) {
  const auto tree = parseJson(R"({"and":)" + listOf(50, R"({"field":"nope","op":"EQ","value":"x"})") + "}");
  const auto result = normalizeConditionTree(tree, testCatalog());
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().details.at("errors").as_array().size(), TreeLimits{}.max_errors);
}

bj::value regexLeaves(int count, bool distinct) {
  bj::array leaves;
  for (int i = 0; i < count; ++i) {
    const std::string pattern = fmt::format("^card-[0-9]+{}", distinct ? std::to_string(i) : "");
    leaves.push_back(bj::object{{"field", "description"}, {"op", "REGEX"}, {"value", pattern}});
  }
  return bj::object{{"or", std::move(leaves)}};
}

TEST(Validation, LimitsRegexLeavesPerTree) {
  EXPECT_TRUE(normalizeConditionTree(regexLeaves(20, true), testCatalog()));
  const auto result = normalizeConditionTree(regexLeaves(21, false), testCatalog());
  ASSERT_FALSE(result);
  EXPECT_TRUE(hasFinding(result.error(), "$.or[20].value", "exceeds maximum of 20 REGEX conditions"));
}

TEST(Validation, RefusesNonFiniteNumbers) {
  for (double bad : {std::numeric_limits<double>::infinity(), std::nan("")}) {
    const bj::value tree = bj::object{{"field", "amount"}, {"op", "GT"}, {"value", bad}};
    const auto result = normalizeConditionTree(tree, testCatalog());
    ASSERT_FALSE(result);
    EXPECT_TRUE(hasFinding(result.error(), "$.value", "finite NUMBER"));
  }
}

TEST(Validation, RefusesMalformedUtf8BuiltInCode) {
  const bj::value tree = bj::object{{"field", "merchant_name"}, {"op", "EQ"}, {"value", "caf\xc3"}};
  const auto result = normalizeConditionTree(tree, testCatalog());
  ASSERT_FALSE(result);
  EXPECT_TRUE(hasFinding(result.error(), "$.value", "not valid UTF-8"));
  const bj::value bad_key = bj::object{{"field", "amount"}, {"op", "GT"}, {"value", 1}, {"x\xff", 1}};
  const auto keyed = normalizeConditionTree(bad_key, testCatalog());
  ASSERT_FALSE(keyed);
  EXPECT_TRUE(hasFinding(keyed.error(), "$.x?", "Unknown key 'x?'"));  // never echoed raw
}

TEST(Validation, LongUnknownValuesAreNotEchoedInFull) {
  const std::string name(3000, 'q');
  const auto result = normalizeConditionTree(bj::object{{"field", name}, {"op", "EQ"}, {"value", "x"}}, testCatalog());
  ASSERT_FALSE(result);
  EXPECT_LT(result.error().message.size(), 200u);
}

TEST(Validation, AcceptsTheBoundaryValues) {
  const std::string text(4096, 'x');
  const std::string pattern(512, 'a');
  for (const auto& tree : {
           bj::value(bj::object{{"field", "merchant_name"}, {"op", "EQ"}, {"value", text}}),
           bj::value(bj::object{{"field", "description"}, {"op", "REGEX"}, {"value", pattern}}),
           parseJson(R"({"field":"currency","op":"IN","value":)" + listOf(100, R"("USD")") + "}"),
           parseJson(R"({"and":)" + listOf(100, kLeaf) + "}"),
           parseJson(R"({"field":"amount","op":"BETWEEN","value":[5,5]})"),
           parseJson(R"({"field":"amount","op":"BETWEEN","value":[-1.5,18446744073709551615]})"),
           parseJson(R"({"field":"timestamp","op":"BETWEEN","value":["2026-01-15","2026-01-15T00:00:00+00:00"]})"),
           parseJson(R"({"field":"timestamp","op":"GTE","value":"2026-01-15 10:30:00.123456-05:30"})"),
           parseJson(R"({"field":"card_present","op":"NE","value":false})"),
           parseJson(R"({"field":"description","op":"REGEX","value":"^(?i)casino\\b.*[0-9]{3,}$"})"),
           parseJson(R"({"field":"description","op":"REGEX","value":"^.{0,512}$"})"),
           parseJson(R"({"field":"description","op":"REGEX","value":"^[^@]{1,64}@[^@]{1,255}$"})"),
           parseJson(R"({"field":"amount","op":"GT","operator":"GT","value":1})"),
       }) {
    const auto result = normalizeConditionTree(tree, testCatalog());
    EXPECT_TRUE(result) << json::serialize(tree).substr(0, 200) << " -> "
                        << (result ? "" : fraudgov::testing::findings(result.error()));
  }
}

}  // namespace
}  // namespace fraudgov::compiler
