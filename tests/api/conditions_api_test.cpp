// Condition trees over HTTP: every kind of invalid tree is a 422 naming the bad node, the size
// limits hold at their edges, valid trees in all three notations round-trip unchanged, and
// simulation answers a table of hand-checked cases.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <functional>
#include <random>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;
namespace bj = boost::json;

namespace {

bj::object leaf(const char* field, const char* op, bj::value value) {
  return {{"field", field}, {"op", op}, {"value", std::move(value)}};
}

// `depth` nested NOT nodes around a leaf, in the typed notation.
bj::object nestedTyped(int depth) {
  bj::object node{{"type", "CONDITION"}, {"field", "amount"}, {"operator", "GT"}, {"value", 1}};
  for (int i = 0; i < depth; ++i) node = bj::object{{"type", "NOT"}, {"condition", std::move(node)}};
  return node;
}

bj::object wideOr(int leaves) {
  bj::array children;
  for (int i = 0; i < leaves; ++i) children.push_back(leaf("amount", "GT", i));
  return {{"or", std::move(children)}};
}

}  // namespace

class ConditionsApi : public ::testing::Test {
 protected:
  ApiHarness api;
  std::string maker = api.makerToken();
  std::string rule_id = [this] {
    auto r = api.post("/api/v1/rules", {{"rule_name", "host"}, {"rule_type", "MONITORING"}}, maker);
    return std::string(r.json().at("rule_id").as_string());
  }();

  testing::HttpResult version(const bj::value& tree) {
    return api.post("/api/v1/rules/" + rule_id + "/versions", {{"condition_tree", tree}}, maker);
  }

  // Asserts a 422 whose errors include `path`.
  void expectInvalidAt(const bj::value& tree, const std::string& path, const std::string& what) {
    auto r = version(tree);
    ASSERT_EQ(r.status, 422) << what << ": " << r.body;
    const auto body = r.json();
    std::string paths;
    for (const auto& e : body.at("details").at("errors").as_array())
      paths += std::string(e.at("path").as_string()) + " ";
    EXPECT_NE(paths.find(path + " "), std::string::npos) << what << ": paths were " << paths;
  }
};

TEST_F(ConditionsApi, EachKindOfInvalidTreeNamesItsNode) {
  expectInvalidAt(bj::object{}, "condition_tree", "empty tree");
  expectInvalidAt(leaf("no_such_field", "EQ", "x"), "condition_tree.field", "unknown field");
  expectInvalidAt(leaf("currency", "GT", "x"), "condition_tree.op", "operator not allowed for the field");
  expectInvalidAt(leaf("amount", "GT", "100"), "condition_tree.value", "string for NUMBER");
  expectInvalidAt(leaf("amount", "GT", true), "condition_tree.value", "boolean is not a number");
  expectInvalidAt(leaf("card_present", "EQ", 1), "condition_tree.value", "number for BOOLEAN");
  expectInvalidAt(leaf("timestamp", "GT", "yesterday"), "condition_tree.value", "unparseable DATE");
  expectInvalidAt(leaf("currency", "EQ", nullptr), "condition_tree.value", "null value");
  expectInvalidAt(leaf("amount", "BETWEEN", bj::array{1}), "condition_tree.value", "BETWEEN with one value");
  expectInvalidAt(leaf("amount", "BETWEEN", bj::array{1, 2, 3}), "condition_tree.value", "BETWEEN with three");
  expectInvalidAt(leaf("amount", "BETWEEN", bj::array{9, 1}), "condition_tree.value", "BETWEEN out of order");
  expectInvalidAt(leaf("currency", "IN", "USD"), "condition_tree.value", "IN without a list");
  expectInvalidAt(leaf("currency", "IN", bj::array{}), "condition_tree.value", "empty IN");
  expectInvalidAt(leaf("ip_address", "IN", bj::array{"1.2.3.4"}), "condition_tree.op", "IN on a single-value field");
  expectInvalidAt(leaf("currency", "EQ", bj::array{"USD"}), "condition_tree.value", "list for a scalar operator");
  expectInvalidAt(bj::object{{"and", bj::array{leaf("amount", "GT", 1), leaf("amount", "GT", "x")}}},
                  "condition_tree.and[1].value", "nested bad value");
  expectInvalidAt(bj::object{{"and", bj::array{}}}, "condition_tree.and", "empty and");
  expectInvalidAt(bj::object{{"not", bj::array{leaf("amount", "GT", 1)}}}, "condition_tree.not", "not given a list");
  expectInvalidAt(bj::object{{"xor", bj::array{}}}, "condition_tree", "unknown node shape");
  expectInvalidAt(bj::object{{"field", "amount"}, {"op", "GT"}, {"value", 1}, {"extra", 1}}, "condition_tree.extra",
                  "unknown member");
  bj::array many;
  for (int i = 0; i < 101; ++i) many.emplace_back("c" + std::to_string(i));
  expectInvalidAt(leaf("currency", "IN", many), "condition_tree.value", "array of 101");
  expectInvalidAt(leaf("merchant_name", "CONTAINS", bj::string(std::string(4097, 'x'))), "condition_tree.value",
                  "string of 4 KiB + 1");
  expectInvalidAt(bj::object{{"logicalOperator", "AND"}, {"conditions", bj::array{leaf("amount", "GT", "x")}}},
                  "condition_tree.conditions[0].value", "logicalOperator notation");
}

TEST_F(ConditionsApi, SizeLimitsHoldAtTheirEdges) {
  EXPECT_EQ(version(nestedTyped(10)).status, 201);
  auto deep = version(nestedTyped(11));
  EXPECT_EQ(deep.status, 422);
  EXPECT_NE(deep.body.find("depth"), std::string::npos);
  EXPECT_EQ(version(wideOr(99)).status, 201) << "99 leaves + 1 OR = 100 nodes";
  // 1,000 nodes accepted, 1,001 refused: ten ORs of 99 leaves under one AND = 1 + 10 * 100 = 1001.
  auto tree = [](int groups, int last_group_leaves) {
    bj::array ors;
    for (int g = 0; g < groups; ++g) ors.push_back(wideOr(g == groups - 1 ? last_group_leaves : 99));
    return bj::object{{"and", std::move(ors)}};
  };
  EXPECT_EQ(version(tree(10, 98)).status, 201) << "1000 nodes";
  auto big = version(tree(10, 99));
  EXPECT_EQ(big.status, 422) << "1001 nodes";
  EXPECT_NE(big.body.find("node count"), std::string::npos);
}

TEST_F(ConditionsApi, ValidTreesRoundTripUnchanged) {
  std::mt19937 rng(20261128);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::function<bj::value(int)> make = [&](int depth) -> bj::value {
    const int kind = depth >= 3 ? 0 : pick(5);
    if (kind == 0 || kind == 4) {
      switch (pick(6)) {
        case 0:
          return leaf("amount", "BETWEEN", bj::array{pick(100), 100 + pick(100)});
        case 1:
          return bj::object{
              {"type", "CONDITION"}, {"field", "currency"}, {"operator", "IN"}, {"value", {"USD", "EUR"}}};
        case 2:
          return leaf("card_present", "EQ", pick(2) == 1);
        case 3:
          return leaf("timestamp", "GTE", "2026-01-15T10:00:00+02:00");
        case 4:
          return bj::object{{"field", {{"field_key", "merchant_name"}}}, {"op", "CONTAINS"}, {"value", "shop ☕"}};
        default:
          return leaf("amount", "LT", 12.5 + pick(10));
      }
    }
    bj::array children;
    for (int i = 0, n = 1 + pick(3); i < n; ++i) children.push_back(make(depth + 1));
    if (kind == 1) return bj::object{{"and", std::move(children)}};
    if (kind == 2) return bj::object{{"type", "OR"}, {"conditions", std::move(children)}};
    return bj::object{{"logicalOperator", "AND"}, {"conditions", std::move(children)}};
  };
  for (int i = 0; i < 200; ++i) {
    const bj::value tree = make(0);
    auto created = version(tree);
    ASSERT_EQ(created.status, 201) << bj::serialize(tree) << " -> " << created.body;
    EXPECT_EQ(created.json().at("condition_tree"), tree);
    const std::string id(created.json().at("rule_version_id").as_string());
    auto fetched = api.get("/api/v1/rule-versions/" + id, maker);
    ASSERT_EQ(fetched.status, 200);
    EXPECT_EQ(fetched.json().at("condition_tree"), tree) << "tree " << i << " changed on the way through the store";
    EXPECT_EQ(fetched.json().at("normalized_condition_tree"), created.json().at("normalized_condition_tree"));
  }
}

// POST /rules/simulate evaluates for real. Each row: a tree, a transaction, and whether it matches.
TEST_F(ConditionsApi, SimulationMatchesHandCheckedCases) {
  struct Case {
    const char* name;
    bj::object tree;
    bj::object txn;
    bool matches;
  };
  const std::vector<Case> cases = {
      {"EQ string", leaf("currency", "EQ", "USD"), {{"currency", "USD"}}, true},
      {"EQ string case-sensitive", leaf("currency", "EQ", "USD"), {{"currency", "usd"}}, false},
      {"NE string", leaf("currency", "NE", "USD"), {{"currency", "EUR"}}, true},
      {"NE missing field", leaf("currency", "NE", "USD"), {{"amount", 1}}, false},
      {"IN", leaf("currency", "IN", bj::array{"USD", "EUR"}), {{"currency", "EUR"}}, true},
      {"IN miss", leaf("currency", "IN", bj::array{"USD", "EUR"}), {{"currency", "GBP"}}, false},
      {"GT int", leaf("amount", "GT", 1000), {{"amount", 1000.5}}, true},
      {"GT boundary", leaf("amount", "GT", 1000), {{"amount", 1000}}, false},
      {"GTE boundary", leaf("amount", "GTE", 1000), {{"amount", 1000}}, true},
      {"LT double", leaf("amount", "LT", 10.25), {{"amount", 10.2}}, true},
      {"LTE boundary", leaf("amount", "LTE", 10.25), {{"amount", 10.25}}, true},
      {"BETWEEN inclusive low", leaf("amount", "BETWEEN", bj::array{10, 20}), {{"amount", 10}}, true},
      {"BETWEEN inclusive high", leaf("amount", "BETWEEN", bj::array{10, 20}), {{"amount", 20}}, true},
      {"BETWEEN outside", leaf("amount", "BETWEEN", bj::array{10, 20}), {{"amount", 20.01}}, false},
      {"NUMBER given as string", leaf("amount", "GT", 1), {{"amount", "5"}}, false},
      {"NUMBER given as boolean", leaf("amount", "GT", 0), {{"amount", true}}, false},
      {"CONTAINS", leaf("merchant_name", "CONTAINS", "Casino"), {{"merchant_name", "Lucky Casino Ltd"}}, true},
      {"CONTAINS miss", leaf("merchant_name", "CONTAINS", "Casino"), {{"merchant_name", "casino"}}, false},
      {"BOOLEAN EQ", leaf("card_present", "EQ", false), {{"card_present", false}}, true},
      {"BOOLEAN NE", leaf("card_present", "NE", true), {{"card_present", false}}, true},
      {"DATE GT across offsets",
       leaf("timestamp", "GT", "2026-01-15T10:00:00Z"),
       {{"timestamp", "2026-01-15T12:00:01+02:00"}},
       true},
      {"DATE equal instants",
       leaf("timestamp", "EQ", "2026-01-15T10:00:00Z"),
       {{"timestamp", "2026-01-15T12:00:00+02:00"}},
       true},
      {"DATE BETWEEN days",
       leaf("timestamp", "BETWEEN", bj::array{"2026-01-01", "2026-01-31"}),
       {{"timestamp", "2026-01-15T08:00:00Z"}},
       true},
      {"DATE unparseable", leaf("timestamp", "GT", "2026-01-01"), {{"timestamp", "soon"}}, false},
      {"missing field", leaf("amount", "GT", 1), {{"currency", "USD"}}, false},
      {"NOT of missing", bj::object{{"not", leaf("amount", "GT", 1)}}, {{"currency", "USD"}}, true},
      {"AND",
       bj::object{{"and", bj::array{leaf("amount", "GT", 10), leaf("currency", "EQ", "USD")}}},
       {{"amount", 11}, {"currency", "USD"}},
       true},
      {"AND one false",
       bj::object{{"and", bj::array{leaf("amount", "GT", 10), leaf("currency", "EQ", "USD")}}},
       {{"amount", 9}, {"currency", "USD"}},
       false},
      {"OR",
       bj::object{{"or", bj::array{leaf("amount", "GT", 10), leaf("currency", "EQ", "USD")}}},
       {{"amount", 9}, {"currency", "USD"}},
       true},
      {"typed notation",
       bj::object{{"type", "AND"},
                  {"conditions", bj::array{bj::object{
                                     {"type", "CONDITION"}, {"field", "amount"}, {"operator", "GTE"}, {"value", 5}}}}},
       {{"amount", 5}},
       true},
  };
  const std::string reader = api.viewerToken();
  for (const auto& c : cases) {
    auto r = api.post("/api/v1/rules/simulate",
                      {{"rule_type", "MONITORING"},
                       {"condition_tree", c.tree},
                       {"query", bj::object{}},
                       {"transactions", bj::array{c.txn}}},
                      reader);
    ASSERT_EQ(r.status, 200) << c.name << ": " << r.body;
    EXPECT_EQ(r.json().at("match_count").as_int64(), c.matches ? 1 : 0) << c.name;
    EXPECT_EQ(r.json().at("results").as_array()[0].at("matched").as_bool(), c.matches) << c.name;
  }
}

TEST_F(ConditionsApi, SimulationReportsMatchingTransactions) {
  bj::array txns;
  for (int i = 0; i < 50; ++i) txns.push_back({{"transaction_id", "t" + std::to_string(i)}, {"amount", i * 100}});
  auto r = api.post("/api/v1/rules/simulate",
                    {{"rule_type", "AUTH"}, {"condition_tree", leaf("amount", "GTE", 4500)}, {"transactions", txns}},
                    api.viewerToken());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("match_count").as_int64(), 5);
  EXPECT_EQ(bj::serialize(r.json().at("sample_transactions")), R"(["t45","t46","t47","t48","t49"])");
  EXPECT_EQ(api.post("/api/v1/rules/simulate", {{"rule_type", "AUTH"}, {"condition_tree", leaf("amount", "GT", "x")}},
                     api.viewerToken())
                .status,
            422);
  EXPECT_EQ(
      api.post("/api/v1/rules/simulate",
               {{"rule_type", "AUTH"}, {"condition_tree", leaf("amount", "GT", 1)}, {"transactions", bj::array{1, 2}}},
               api.viewerToken())
          .status,
      422);
  EXPECT_EQ(api.post("/api/v1/rules/simulate", {{"rule_type", "AUTH"}, {"condition_tree", leaf("amount", "GT", 1)}}, "")
                .status,
            401);
  auto compat = api.post(
      "/api/v1/rules/simulate",
      {{"rule_type", "AUTH"}, {"condition_tree", leaf("amount", "GT", 1)}, {"query", {{"from_date", "2026-01-01"}}}},
      api.viewerToken());
  EXPECT_EQ(compat.status, 200) << "a predecessor client without transactions still gets an answer";
  EXPECT_EQ(compat.json().at("match_count").as_int64(), 0);
}

}  // namespace fraudgov
