#include "domain/rule.h"

#include <gtest/gtest.h>

namespace fraudgov::domain {

TEST(Actions, FollowThePredecessorTable) {
  EXPECT_TRUE(actionAllowed(RuleType::kAllowlist, RuleAction::kApprove));
  EXPECT_FALSE(actionAllowed(RuleType::kAllowlist, RuleAction::kDecline));
  EXPECT_TRUE(actionAllowed(RuleType::kBlocklist, RuleAction::kDecline));
  EXPECT_TRUE(actionAllowed(RuleType::kAuth, RuleAction::kApprove));
  EXPECT_TRUE(actionAllowed(RuleType::kAuth, RuleAction::kDecline));
  EXPECT_FALSE(actionAllowed(RuleType::kAuth, RuleAction::kReview));
  EXPECT_TRUE(actionAllowed(RuleType::kMonitoring, RuleAction::kReview));
  EXPECT_EQ(defaultAction(RuleType::kAuth), RuleAction::kDecline);
  EXPECT_EQ(defaultAction(RuleType::kMonitoring), RuleAction::kReview);
}

TEST(Digest, CoversEverythingTheCheckerReviews) {
  RuleVersion v;
  v.normalized_tree = boost::json::object{{"field", "amount"}, {"op", "GT"}, {"value", 1000}};
  v.scope = {{"network", boost::json::array{"VISA"}}};
  v.priority = 100;
  v.action = RuleAction::kDecline;
  const FieldDependencies deps{{"amount", 1}};
  const std::string base = ruleVersionDigest(v, deps);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(ruleVersionDigest(v, deps), base) << "deterministic";
  auto changed = [&](auto mutate, FieldDependencies d) {
    RuleVersion copy = v;
    mutate(copy);
    return ruleVersionDigest(copy, d);
  };
  EXPECT_NE(changed([](RuleVersion& c) { c.priority = 101; }, deps), base);
  EXPECT_NE(changed([](RuleVersion& c) { c.action = RuleAction::kApprove; }, deps), base);
  EXPECT_NE(changed([](RuleVersion& c) { c.scope = {}; }, deps), base);
  EXPECT_NE(changed([](RuleVersion& c) { c.normalized_tree.as_object()["value"] = 1001; }, deps), base);
  EXPECT_NE(changed([](RuleVersion&) {}, {{"amount", 2}}), base) << "a redefined field changes the digest";
  // Key order does not matter: the digest is over canonical JSON.
  RuleVersion reordered = v;
  reordered.normalized_tree = boost::json::object{{"value", 1000}, {"op", "GT"}, {"field", "amount"}};
  EXPECT_EQ(ruleVersionDigest(reordered, deps), base);
}

TEST(Scope, ValidatesShape) {
  EXPECT_TRUE(checkScope({{"network", boost::json::array{"VISA", "MC"}}, {"mcc", "7995"}}, "scope").empty());
  EXPECT_FALSE(checkScope({{"Bad-Key", "x"}}, "scope").empty());
  EXPECT_FALSE(checkScope({{"network", 5}}, "scope").empty());
  EXPECT_FALSE(checkScope({{"network", boost::json::array{1}}}, "scope").empty());
  boost::json::array many;
  for (int i = 0; i < 101; ++i) many.emplace_back("v");
  EXPECT_FALSE(checkScope({{"network", many}}, "scope").empty());
}

}  // namespace fraudgov::domain
