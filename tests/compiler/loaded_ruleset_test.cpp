// The runtime side: loading an artifact (strictly; tampering is refused), scopes, and the two
// evaluation modes.

#include "compiler/loaded_ruleset.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/json.h"
#include "compiler/ruleset_compiler.h"
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
using fraudgov::testing::standardCatalog;

// Three rules a EUR card-not-present purchase of 5000 matches, in compiled order r-high, r-mid, r-low.
RulesetSource threeRules(RuleType type, RuleAction action) {
  return ruleset(type, {member("r-low", "rv-low", 10, kCardNotPresent, action),
                        member("r-high", "rv-high", 900, kAmountOver1000, action),
                        member("r-mid", "rv-mid", 500, kEuroOrDollar, action)});
}

std::string artifact(const RulesetSource& source) {
  auto compiled = compileRuleset(source, standardCatalog());
  EXPECT_TRUE(compiled) << compiled.error().message;
  return compiled ? compiled->bytes : std::string();
}

LoadedRuleset loadOk(const std::string& bytes) {
  auto loaded = LoadedRuleset::load(bytes, standardCatalog());
  EXPECT_TRUE(loaded) << loaded.error().message;
  return loaded ? std::move(*loaded) : LoadedRuleset();
}

bj::object txn(std::string_view text) { return parseJson(text).as_object(); }

std::vector<std::string> matchedVersions(const std::vector<LoadedRuleset::Decision>& decisions) {
  std::vector<std::string> ids;
  for (const auto& d : decisions) ids.push_back(d.rule_version_id);
  return ids;
}

const char* kRiskyPurchase = R"({"amount":5000,"currency":"EUR","card_present":false})";

TEST(LoadedRuleset, FirstMatchGivesTheHighestPriorityMatchOnly) {
  const auto loaded = loadOk(artifact(threeRules(RuleType::kAuth, RuleAction::kDecline)));
  EXPECT_EQ(loaded.mode(), "FIRST_MATCH");
  EXPECT_EQ(loaded.ruleCount(), 3u);
  const auto decisions = loaded.evaluate(txn(kRiskyPurchase));
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].rule_id, "r-high");
  EXPECT_EQ(decisions[0].rule_version_id, "rv-high");
  EXPECT_EQ(decisions[0].action, RuleAction::kDecline);
  EXPECT_EQ(decisions[0].priority, 900);
  // Without the top rule's condition the next one in artifact order decides.
  EXPECT_EQ(matchedVersions(loaded.evaluate(txn(R"({"amount":5,"currency":"EUR","card_present":false})"))),
            std::vector<std::string>{"rv-mid"});
  EXPECT_TRUE(loaded.evaluate(txn(R"({"amount":5,"currency":"JPY","card_present":true})")).empty());
}

TEST(LoadedRuleset, AllMatchingGivesEveryMatchInArtifactOrder) {
  const auto loaded = loadOk(artifact(threeRules(RuleType::kMonitoring, RuleAction::kReview)));
  EXPECT_EQ(loaded.mode(), "ALL_MATCHING");
  EXPECT_EQ(matchedVersions(loaded.evaluate(txn(kRiskyPurchase))),
            (std::vector<std::string>{"rv-high", "rv-mid", "rv-low"}));
  EXPECT_EQ(matchedVersions(loaded.evaluate(txn(R"({"amount":5000,"currency":"JPY","card_present":false})"))),
            (std::vector<std::string>{"rv-high", "rv-low"}));
}

TEST(LoadedRuleset, ModesOfEveryRuleType) {
  EXPECT_EQ(loadOk(artifact(threeRules(RuleType::kAllowlist, RuleAction::kApprove))).mode(), "FIRST_MATCH");
  EXPECT_EQ(loadOk(artifact(threeRules(RuleType::kBlocklist, RuleAction::kDecline))).mode(), "FIRST_MATCH");
  const auto blocklist = loadOk(artifact(threeRules(RuleType::kBlocklist, RuleAction::kDecline)));
  EXPECT_EQ(blocklist.evaluate(txn(kRiskyPurchase)).size(), 1u);
  const auto allowlist = loadOk(artifact(threeRules(RuleType::kAllowlist, RuleAction::kApprove)));
  EXPECT_EQ(allowlist.ruleType(), RuleType::kAllowlist);
  EXPECT_EQ(allowlist.evaluate(txn(kRiskyPurchase)).at(0).action, RuleAction::kApprove);
}

TEST(LoadedRuleset, KeepsTheArtifactIdentity) {
  const auto source = ruleset(RuleType::kAuth, {member("r", "v", 10, kAmountOver1000)}, "rs-id", 12);
  const auto compiled = *compileRuleset(source, standardCatalog());
  const auto loaded = loadOk(compiled.bytes);
  EXPECT_EQ(loaded.rulesetId(), "rs-id");
  EXPECT_EQ(loaded.version(), 12);
  EXPECT_EQ(loaded.checksum(), compiled.checksum);
}

TEST(LoadedRuleset, ScopeDecidesWhichRulesAreTried) {
  const auto loaded = loadOk(artifact(ruleset(
      RuleType::kMonitoring,
      {member("r-ecom", "rv-ecom", 300, kAmountOver1000, RuleAction::kReview, R"({"channel":["ECOM","MOTO"]})"),
       member("r-us", "rv-us", 200, kAmountOver1000, RuleAction::kReview, R"({"country":"US","channel":"POS"})"),
       member("r-all", "rv-all", 100, kAmountOver1000, RuleAction::kReview),
       member("r-none", "rv-none", 50, kAmountOver1000, RuleAction::kReview, R"({"channel":[]})")})));
  auto matched = [&](std::string_view t) { return matchedVersions(loaded.evaluate(txn(t))); };
  using V = std::vector<std::string>;
  EXPECT_EQ(matched(R"({"amount":5000})"), (V{"rv-all"}));
  EXPECT_EQ(matched(R"({"amount":5000,"channel":"MOTO"})"), (V{"rv-ecom", "rv-all"}));
  EXPECT_EQ(matched(R"({"amount":5000,"channel":"moto"})"), (V{"rv-all"}));
  EXPECT_EQ(matched(R"({"amount":5000,"channel":"POS"})"), (V{"rv-all"}));  // every dimension must hold
  EXPECT_EQ(matched(R"({"amount":5000,"channel":"POS","country":"US"})"), (V{"rv-us", "rv-all"}));
  EXPECT_EQ(matched(R"({"amount":5000,"channel":["ECOM"]})"), (V{"rv-all"}));  // not a string
  EXPECT_EQ(matched(R"({"amount":5000,"channel":null})"), (V{"rv-all"}));
  EXPECT_EQ(matched(R"({"amount":5,"channel":"ECOM"})"), V{});  // in scope, condition false
}

TEST(LoadedRuleset, ChecksumOverloadBindsTheBytes) {
  const auto compiled = *compileRuleset(threeRules(RuleType::kAuth, RuleAction::kDecline), standardCatalog());
  EXPECT_TRUE(LoadedRuleset::load(compiled.bytes, compiled.checksum, standardCatalog()));
  std::string tampered = compiled.bytes;
  tampered.replace(tampered.find("1000"), 4, "9000");
  EXPECT_TRUE(LoadedRuleset::load(tampered, standardCatalog()));  // consistent content on its own...
  auto refused = LoadedRuleset::load(tampered, compiled.checksum, standardCatalog());  // ...but not what was signed
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("checksum"), std::string::npos);
}

struct Tampering {
  const char* name;
  std::string bytes;
};

std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(LoadedRuleset, RefusesTamperedOrInvalidArtifacts) {
  const std::string good = artifact(threeRules(RuleType::kAuth, RuleAction::kDecline));
  ASSERT_TRUE(LoadedRuleset::load(good, standardCatalog()));
  const std::vector<Tampering> cases = {
      {"not JSON", good.substr(0, good.size() - 1)},
      {"trailing newline", good + "\n"},
      {"whitespace", replaced(good, R"("ruleType":)", R"("ruleType": )")},
      {"keys out of order", replaced(good, R"({"evaluation":{"mode":"FIRST_MATCH"},"ruleType":"AUTH",)",
                                     R"({"ruleType":"AUTH","evaluation":{"mode":"FIRST_MATCH"},)")},
      {"rules out of order", replaced(good, R"("priority":900)", R"("priority":5)")},
      {"wrong mode", replaced(good, "FIRST_MATCH", "ALL_MATCHING")},
      {"unknown rule type", replaced(good, R"("AUTH")", R"("FRAUD")")},
      {"unknown action", replaced(good, "DECLINE", "BLOCK")},
      {"action the type forbids", replaced(good, "DECLINE", "REVIEW")},
      {"extra member", replaced(good, R"("version":1})", R"("version":1,"x":1})")},
      {"missing member", replaced(good, R"(,"velocityFailurePolicy":"SKIP")", "")},
      {"other failure policy", replaced(good, R"("SKIP")", R"("FAIL")")},
      {"priority out of range", replaced(good, R"("priority":900)", R"("priority":9000)")},
      {"priority as double", replaced(good, R"("priority":900)", R"("priority":900.5)")},
      {"unknown field in a tree", replaced(good, R"("field":"amount")", R"("field":"amount_x")")},
      {"operator not allowed", replaced(good, R"("op":"GT")", R"("op":"CONTAINS")")},
      {"non-normalized tree", replaced(good, R"("op":"GT")", R"("operator":"GT")")},
      {"duplicate key", replaced(good, R"("version":1})", R"("version":1,"version":1})")},
      {"invalid UTF-8", replaced(good, "rs-1", "rs-\xff")},
      {"not an object", "[]"},
      {"empty", ""},
  };
  for (const auto& c : cases) {
    auto loaded = LoadedRuleset::load(c.bytes, standardCatalog());
    ASSERT_FALSE(loaded) << c.name;
    EXPECT_EQ(loaded.error().message.rfind("Invalid ruleset artifact", 0), 0u)
        << c.name << ": " << loaded.error().message;
  }
}

TEST(LoadedRuleset, NamesThePathOfAStructuralProblem) {
  const std::string good = artifact(threeRules(RuleType::kAuth, RuleAction::kDecline));
  auto loaded = LoadedRuleset::load(replaced(good, R"("priority":900)", R"("priority":"900")"), standardCatalog());
  ASSERT_FALSE(loaded);
  EXPECT_TRUE(fraudgov::testing::hasFinding(loaded.error(), "$.rules[0].priority", "integer"));
}

TEST(LoadedRuleset, RefusesAnArtifactTheCatalogNoLongerSupports) {
  const std::string bytes = artifact(threeRules(RuleType::kAuth, RuleAction::kDecline));
  auto catalog = standardCatalog();
  catalog.erase("currency");
  auto loaded = LoadedRuleset::load(bytes, catalog);
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("rv-mid"), std::string::npos) << loaded.error().message;
}

TEST(LoadedRuleset, DecisionLineRendersMatchesAndTheDecision) {
  const auto loaded = loadOk(artifact(threeRules(RuleType::kMonitoring, RuleAction::kReview)));
  EXPECT_EQ(json::serialize(decisionLine("t-1", loaded.evaluate(txn(R"({"amount":5000,"card_present":true})")))),
            R"({"transaction_id":"t-1","matched":[{"rule_id":"r-high","rule_version_id":"rv-high",)"
            R"("action":"REVIEW","priority":900}],"decision":"REVIEW"})");
  EXPECT_EQ(json::serialize(decisionLine("t-2", {})), R"({"transaction_id":"t-2","matched":[],"decision":null})");
}

TEST(LoadedRuleset, AnEmptyRulesetDecidesNothing) {
  const auto loaded = loadOk(artifact(ruleset(RuleType::kAuth, {})));
  EXPECT_EQ(loaded.ruleCount(), 0u);
  EXPECT_TRUE(loaded.evaluate(txn(kRiskyPurchase)).empty());
}

}  // namespace
}  // namespace fraudgov::compiler
