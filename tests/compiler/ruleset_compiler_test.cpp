// The ruleset compiler: AST shape, rule order, evaluation modes, member checks, the artifact
// bytes (JCS: raw UTF-8, ECMAScript numbers) and their determinism, pinned by a golden artifact.

#include "compiler/ruleset_compiler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json/array.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/canonical_json.h"
#include "common/crypto.h"
#include "compiler/ruleset_fixtures.h"
#include "compiler/standard_catalog.h"
#include "compiler/tree_generator.h"

namespace fraudgov::compiler {
namespace {

namespace bj = boost::json;
using domain::RuleAction;
using domain::RuleType;
using fraudgov::testing::kAmountOver1000;
using fraudgov::testing::kCardNotPresent;
using fraudgov::testing::kEuroOrDollar;
using fraudgov::testing::member;
using fraudgov::testing::ruleset;
using fraudgov::testing::standardCatalog;

std::vector<std::string> versionOrder(const CompiledRuleset& compiled) {
  std::vector<std::string> ids;
  for (const auto& rule : compiled.ast.at("rules").as_array()) {
    ids.emplace_back(rule.as_object().at("ruleVersionId").as_string());
  }
  return ids;
}

CompiledRuleset compileOk(const RulesetSource& source, const FieldCatalog& catalog = standardCatalog()) {
  auto compiled = compileRuleset(source, catalog);
  EXPECT_TRUE(compiled) << compiled.error().message;
  return compiled ? *compiled : CompiledRuleset{};
}

TEST(RulesetCompiler, OrdersByPriorityDescThenRuleIdThenVersionId) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth, {member("b", "v2", 100, kAmountOver1000), member("b", "v1", 100, kAmountOver1000),
                                member("z", "v9", 900, kAmountOver1000), member("a", "v5", 100, kAmountOver1000),
                                member("a", "v0", 1, kAmountOver1000)}));
  EXPECT_EQ(versionOrder(compiled), (std::vector<std::string>{"v9", "v5", "v1", "v2", "v0"}));
}

TEST(RulesetCompiler, OrdersIdsByBytesNotNumerically) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth, {member("rule-10", "x", 5, kAmountOver1000), member("rule-9", "y", 5, kAmountOver1000),
                                member("Rule-9", "z", 5, kAmountOver1000)}));
  EXPECT_EQ(versionOrder(compiled), (std::vector<std::string>{"z", "x", "y"}));
}

TEST(RulesetCompiler, ModeFollowsRuleType) {
  struct Case {
    RuleType type;
    RuleAction action;
    const char* mode;
  };
  for (const auto& c : {Case{RuleType::kAllowlist, RuleAction::kApprove, "FIRST_MATCH"},
                        Case{RuleType::kBlocklist, RuleAction::kDecline, "FIRST_MATCH"},
                        Case{RuleType::kAuth, RuleAction::kDecline, "FIRST_MATCH"},
                        Case{RuleType::kMonitoring, RuleAction::kReview, "ALL_MATCHING"}}) {
    EXPECT_EQ(evaluationMode(c.type), c.mode);
    const auto compiled = compileOk(ruleset(c.type, {member("r", "v", 10, kAmountOver1000, c.action)}));
    EXPECT_EQ(compiled.ast.at("evaluation").at("mode").as_string(), c.mode);
    EXPECT_EQ(compiled.ast.at("ruleType").as_string(), domain::ruleTypeName(c.type));
  }
}

TEST(RulesetCompiler, AstHasExactlyTheSpecifiedMembers) {
  const auto compiled = compileOk(ruleset(RuleType::kAuth, {member("r", "v", 10, kAmountOver1000)}, "rs-9", 4));
  EXPECT_EQ(compiled.ast.size(), 6u);
  EXPECT_EQ(compiled.ast.at("rulesetId").as_string(), "rs-9");
  EXPECT_EQ(compiled.ast.at("version").as_int64(), 4);
  EXPECT_EQ(compiled.ast.at("velocityFailurePolicy").as_string(), "SKIP");
  const auto& rule = compiled.ast.at("rules").as_array().at(0).as_object();
  EXPECT_EQ(rule.size(), 6u);
  EXPECT_EQ(json::serialize(rule), json::serialize(fraudgov::testing::parseJson(
                                       R"({"ruleId":"r","ruleVersionId":"v","priority":10,"scope":{},
                                           "when":{"field":"amount","op":"GT","value":1000},"action":"DECLINE"})")));
  EXPECT_EQ(compiled.bytes, json::canonicalize(compiled.ast));
  EXPECT_EQ(compiled.checksum, "sha256:" + crypto::sha256Hex(compiled.bytes));
  EXPECT_EQ(compiled.checksum.size(), 71u);
}

TEST(RulesetCompiler, EmptyRuleListCompilesToEmptyArray) {
  const auto compiled = compileOk(ruleset(RuleType::kMonitoring, {}, "rs-empty", 2));
  EXPECT_EQ(compiled.bytes,
            R"({"evaluation":{"mode":"ALL_MATCHING"},"ruleType":"MONITORING","rules":[],"rulesetId":"rs-empty",)"
            R"("velocityFailurePolicy":"SKIP","version":2})");
}

TEST(RulesetCompiler, WhenIsNormalizedWhateverTheNotation) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth,
              {member("r", "v", 10,
                      R"({"type":"AND","conditions":[{"type":"CONDITION","field":"amount","operator":"GT","value":5},
                  {"logicalOperator":"NOT","condition":{"field":{"field_key":"card_present"},"op":"EQ","value":true}}]})")}));
  EXPECT_NE(
      compiled.bytes.find(
          R"("when":{"and":[{"field":"amount","op":"GT","value":5},{"not":{"field":"card_present","op":"EQ","value":true}}]})"),
      std::string::npos)
      << compiled.bytes;
}

TEST(RulesetCompiler, InvalidTreeNamesTheRuleVersionAndPath) {
  auto compiled = compileRuleset(
      ruleset(RuleType::kAuth,
              {member("r-ok", "rv-ok", 10, kAmountOver1000),
               member("r-bad", "rv-bad", 20, R"({"and":[{"field":"amount","op":"CONTAINS","value":"1"}]})")}),
      standardCatalog());
  ASSERT_FALSE(compiled);
  const Error& e = compiled.error();
  EXPECT_EQ(e.code, ErrorCode::kCompilationFailed);
  EXPECT_NE(e.message.find("rv-bad"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("$.and[0].op"), std::string::npos) << e.message;
  EXPECT_EQ(e.details.at("rule_version_id").as_string(), "rv-bad");
  EXPECT_EQ(e.details.at("rule_id").as_string(), "r-bad");
  EXPECT_EQ(e.details.at("ruleset_id").as_string(), "rs-1");
  EXPECT_EQ(e.details.at("errors").as_array().at(0).at("path").as_string(), "$.and[0].op");
}

TEST(RulesetCompiler, UnknownFieldIsACompilationError) {
  auto compiled = compileRuleset(
      ruleset(RuleType::kAuth, {member("r", "rv-x", 10, R"({"field":"velocity_1h","op":"GT","value":3})")}),
      standardCatalog());
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().code, ErrorCode::kCompilationFailed);
  EXPECT_NE(compiled.error().message.find("velocity_1h"), std::string::npos) << compiled.error().message;
}

struct MemberCase {
  const char* name;
  RulesetMember member;
  const char* path;
};

TEST(RulesetCompiler, RefusesMembersTheArtifactCannotCarry) {
  const std::vector<MemberCase> cases = {
      {"priority 0", member("r", "v", 0, kAmountOver1000), "$.priority"},
      {"priority 1001", member("r", "v", 1001, kAmountOver1000), "$.priority"},
      {"AUTH with REVIEW", member("r", "v", 10, kAmountOver1000, RuleAction::kReview), "$.action"},
      {"empty rule_id", member("", "v", 10, kAmountOver1000), "$.rule_id"},
      {"empty rule_version_id", member("r", "", 10, kAmountOver1000), "$.rule_version_id"},
      {"bad scope key", member("r", "v", 10, kAmountOver1000, RuleAction::kDecline, R"({"Country":"US"})"),
       "$.scope.<key>"},
      {"bad scope value", member("r", "v", 10, kAmountOver1000, RuleAction::kDecline, R"({"country":5})"),
       "$.scope.country"},
  };
  for (const auto& c : cases) {
    auto compiled = compileRuleset(ruleset(RuleType::kAuth, {c.member}), standardCatalog());
    ASSERT_FALSE(compiled) << c.name;
    EXPECT_EQ(compiled.error().code, ErrorCode::kCompilationFailed) << c.name;
    EXPECT_EQ(compiled.error().details.at("errors").as_array().at(0).at("path").as_string(), c.path) << c.name;
  }
}

TEST(RulesetCompiler, RefusesARuleVersionListedTwice) {
  auto compiled = compileRuleset(
      ruleset(RuleType::kAuth, {member("r", "v", 10, kAmountOver1000), member("r", "v", 20, kEuroOrDollar)}),
      standardCatalog());
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().code, ErrorCode::kCompilationFailed);
  EXPECT_EQ(compiled.error().details.at("rule_version_id").as_string(), "v");
}

TEST(RulesetCompiler, RefusesABadHeader) {
  EXPECT_EQ(compileRuleset(ruleset(RuleType::kAuth, {}, ""), standardCatalog()).error().code, ErrorCode::kCompilationFailed);
  EXPECT_EQ(compileRuleset(ruleset(RuleType::kAuth, {}, "rs", 0), standardCatalog()).error().code,
            ErrorCode::kCompilationFailed);
}

TEST(RulesetCompiler, NonAsciiTextStaysRawUtf8) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth,
              {member("r", "v", 10,
                      R"({"field":"merchant_name","op":"CONTAINS","value":"Caf\u00e9 \u6771\u4eac \ud83d\ude00"})",
                      RuleAction::kDecline, R"({"city":"Z\u00fcrich"})")}));
  EXPECT_NE(compiled.bytes.find("\"Caf\xc3\xa9 \xe6\x9d\xb1\xe4\xba\xac \xf0\x9f\x98\x80\""), std::string::npos)
      << compiled.bytes;
  EXPECT_NE(compiled.bytes.find("\"Z\xc3\xbcrich\""), std::string::npos) << compiled.bytes;
  EXPECT_EQ(compiled.bytes.find("\\u"), std::string::npos) << compiled.bytes;
}

TEST(RulesetCompiler, ControlCharactersUseJcsEscapes) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth,
              {member("r", "v", 10, R"({"field":"merchant_name","op":"EQ","value":"a\"b\\c\n\t\u0001/\u007f"})")}));
  EXPECT_NE(compiled.bytes.find(R"("value":"a\"b\\c\n\t\u0001/)"
                                "\x7f\""),
            std::string::npos)
      << compiled.bytes;
}

TEST(RulesetCompiler, NumbersTakeTheirEcmaScriptForm) {
  const auto compiled = compileOk(ruleset(
      RuleType::kAuth,
      {member(
          "r", "v", 10,
          R"({"or":[{"field":"amount","op":"BETWEEN","value":[1e3,2.50e3]},{"field":"amount","op":"GT","value":1000.0},
                        {"field":"amount","op":"LT","value":-0.0},{"field":"amount","op":"GTE","value":1E21},
                        {"field":"amount","op":"LTE","value":0.0000001},{"field":"amount","op":"EQ","value":12.340},
                        {"field":"amount","op":"EQ","value":18446744073709551615},
                        {"field":"amount","op":"EQ","value":-9007199254740993}]})")}));
  EXPECT_NE(
      compiled.bytes.find(R"({"or":[{"field":"amount","op":"BETWEEN","value":[1000,2500]},)"
                          R"({"field":"amount","op":"GT","value":1000},{"field":"amount","op":"LT","value":0},)"
                          R"({"field":"amount","op":"GTE","value":1e+21},)"
                          R"({"field":"amount","op":"LTE","value":1e-7},{"field":"amount","op":"EQ","value":12.34},)"
                          R"({"field":"amount","op":"EQ","value":18446744073709552000},)"
                          R"({"field":"amount","op":"EQ","value":-9007199254740992}]})"),
      std::string::npos)
      << compiled.bytes;
}

// Random trees in every notation, random priorities with collisions, several versions per rule:
// compiling again, and compiling the members in another order, must give the same bytes.
TEST(RulesetCompiler, SameInputSameBytesWhateverTheMemberOrder) {
  const auto catalog = fraudgov::testing::extendedCatalog();
  fraudgov::testing::TreeGenerator generator(catalog, 8785);
  std::vector<RulesetMember> members;
  for (int i = 0; i < 60; ++i) {
    RulesetMember m;
    m.rule_id = "rule-" + std::to_string(generator.below(20));
    m.rule_version_id = "rv-" + std::to_string(i);
    m.priority = 1 + generator.below(5) * 100;
    m.when = generator.tree(3).input;
    m.action = generator.chance(50) ? RuleAction::kApprove : RuleAction::kDecline;
    members.push_back(std::move(m));
  }
  const auto first = compileOk(ruleset(RuleType::kAuth, members), catalog);
  EXPECT_EQ(compileOk(ruleset(RuleType::kAuth, members), catalog).bytes, first.bytes);
  std::mt19937 rng(42);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(members.begin(), members.end(), rng);
    const auto again = compileOk(ruleset(RuleType::kAuth, members), catalog);
    EXPECT_EQ(again.bytes, first.bytes);
    EXPECT_EQ(again.checksum, first.checksum);
  }
}

// The AST lives in an arena its copies share: copying and editing copies from several threads at
// once, and outliving the compile result, must be safe.
TEST(RulesetCompiler, AstCopiesOutliveTheResultAndCopyAcrossThreads) {
  bj::object kept;
  std::string bytes;
  {
    auto compiled = compileOk(
        ruleset(RuleType::kAuth, {member("r", "v", 10, kAmountOver1000), member("s", "w", 20, kEuroOrDollar)}));
    bytes = compiled.bytes;
    std::vector<std::thread> threads;
    std::vector<std::string> results(4);
    for (std::size_t t = 0; t < results.size(); ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          bj::object copy = compiled.ast;
          copy["rulesetId"] = std::string(40, 'x');
          copy["rulesetId"] = compiled.ast.at("rulesetId");
          results[t] = json::canonicalize(copy);
        }
      });
    }
    for (auto& thread : threads) thread.join();
    for (const auto& r : results) EXPECT_EQ(r, compiled.bytes);
    kept = compiled.ast;
  }
  EXPECT_EQ(json::canonicalize(kept), bytes);
  EXPECT_EQ(json::canonicalize(bj::object(kept, {})), bytes);
}

// A fixed three-rule AUTH ruleset, its bytes written out by hand from predecessor-spec 9.6 and
// RFC 8785, and the SHA-256 of those bytes (computed independently with sha256sum). A change
// here changes every published artifact's checksum: it must be deliberate.
TEST(RulesetCompiler, GoldenAuthArtifact) {
  const auto compiled = compileOk(
      ruleset(RuleType::kAuth,
              {member("rule-c", "rv-c1", 100, R"({"field":"merchant_name","op":"CONTAINS","value":"Caf\u00e9"})",
                      RuleAction::kApprove, R"({"channel":["ECOM","MOTO"]})"),
               member("rule-b", "rv-b1", 500, R"({"field":"amount","op":"GT","value":1000.50})", RuleAction::kDecline,
                      R"({"country":"US"})"),
               member("rule-a", "rv-a1", 500,
                      R"({"and":[{"field":"currency","op":"IN","value":["EUR","USD"]},
                         {"not":{"field":"card_present","op":"EQ","value":true}}]})")},
              "rs-golden", 3));
  const std::string expected =
      R"({"evaluation":{"mode":"FIRST_MATCH"},"ruleType":"AUTH","rules":[)"
      R"({"action":"DECLINE","priority":500,"ruleId":"rule-a","ruleVersionId":"rv-a1","scope":{},)"
      R"("when":{"and":[{"field":"currency","op":"IN","value":["EUR","USD"]},)"
      R"({"not":{"field":"card_present","op":"EQ","value":true}}]}},)"
      R"({"action":"DECLINE","priority":500,"ruleId":"rule-b","ruleVersionId":"rv-b1","scope":{"country":"US"},)"
      R"("when":{"field":"amount","op":"GT","value":1000.5}},)"
      R"({"action":"APPROVE","priority":100,"ruleId":"rule-c","ruleVersionId":"rv-c1",)"
      R"("scope":{"channel":["ECOM","MOTO"]},"when":{"field":"merchant_name","op":"CONTAINS","value":"Caf)"
      "\xc3\xa9"
      R"("}}],"rulesetId":"rs-golden","velocityFailurePolicy":"SKIP","version":3})";
  EXPECT_EQ(compiled.bytes, expected);
  EXPECT_EQ(compiled.checksum, "sha256:bdad8e4e2e20760326b3ce36ce349977ae92bcf060ef13c878ec56944af1a5d4");
}

}  // namespace
}  // namespace fraudgov::compiler
