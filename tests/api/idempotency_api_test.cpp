// Issue 11 item 8: the Idempotency-Key store holds mutations only, and only bounded responses.
// Counted from outside through the idempotency_keys table itself.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

std::int64_t storedKeys(ApiHarness& api) {
  static constexpr store::Sql kCount{"t_idem_count", "SELECT COUNT(*) FROM idempotency_keys"};
  auto count = store::inRead(api.runtime().database(), [](store::SqlSession& s) -> Result<std::int64_t> {
    FRAUDGOV_ASSIGN_OR_RETURN(auto rows, s.query(kCount));
    return rows.at(0).integer(0);
  });
  EXPECT_TRUE(count);
  return count ? *count : -1;
}

net::HeaderList jsonHeaders(const std::string& token, const std::string& key) {
  return {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}, {"Idempotency-Key", key}};
}

}  // namespace

TEST(IdempotencyApi, SimulateIsAReadAndStoresNoKey) {
  ApiHarness api;
  const std::string body = R"({"rule_type":"AUTH","condition_tree":{"field":"amount","op":"GT","value":5},)"
                           R"("transactions":[{"transaction_id":"t1","amount":9},{"transaction_id":"t2","amount":1}]})";
  const auto before = storedKeys(api);
  const auto headers = jsonHeaders(api.viewerToken(), "simulate-key-0001");
  auto first = api.send("POST", "/api/v1/rules/simulate", body, headers);
  ASSERT_EQ(first.status, 200) << first.body;
  auto second = api.send("POST", "/api/v1/rules/simulate", body, headers);
  EXPECT_EQ(second.status, 200);
  EXPECT_FALSE(second.header("Idempotent-Replayed")) << "a read is executed again, never replayed";
  EXPECT_EQ(storedKeys(api), before);
}

TEST(IdempotencyApi, MutationsStoreTheirKey) {
  ApiHarness api;
  const auto before = storedKeys(api);
  auto r = api.send(
      "POST", "/api/v1/rules",
      R"({"rule_name":"small","rule_type":"BLOCKLIST","condition_tree":{"field":"amount","op":"GT","value":1}})",
      jsonHeaders(api.makerToken(), "small-rule-0001"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(storedKeys(api), before + 1);
}

TEST(IdempotencyApi, ResponsesOver64KiBAreNotStoredAndAReplayReExecutes) {
  ApiHarness api;
  const std::string maker = api.makerToken();
  boost::json::array leaves;
  for (int i = 0; i < 20; ++i) {
    leaves.push_back({{"field", "transaction_id"}, {"op", "EQ"}, {"value", std::string(4000, 'a' + i)}});
  }
  // A new version echoes its tree twice (as written and normalized): well over 64 KiB.
  auto rule = api.send(
      "POST", "/api/v1/rules",
      R"({"rule_name":"large","rule_type":"BLOCKLIST","condition_tree":{"field":"amount","op":"GT","value":1}})",
      {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + maker}});
  ASSERT_EQ(rule.status, 201) << rule.body;
  const std::string path = "/api/v1/rules/" + std::string(rule.json().at("rule_id").as_string()) + "/versions";
  const std::string body = boost::json::serialize(boost::json::object{{"condition_tree", {{"or", leaves}}}});
  const auto before = storedKeys(api);
  const auto headers = jsonHeaders(maker, "large-version-0001");
  auto first = api.send("POST", path, body, headers);
  ASSERT_EQ(first.status, 201) << first.body.substr(0, 500);
  ASSERT_GT(first.body.size(), 64u * 1024);
  EXPECT_EQ(storedKeys(api), before) << "the key was released";
  auto second = api.send("POST", path, body, headers);
  EXPECT_EQ(second.status, 201);
  EXPECT_FALSE(second.header("Idempotent-Replayed"));
  EXPECT_NE(second.json().at("rule_version_id"), first.json().at("rule_version_id")) << "documented: it ran again";
}

TEST(IdempotencyApi, SimulateBoundsEchoedTransactionIds) {
  ApiHarness api;
  const auto simulate = [&](const std::string& id_json) {
    return api.send("POST", "/api/v1/rules/simulate",
                    R"({"rule_type":"AUTH","condition_tree":{"field":"amount","op":"GT","value":5},)"
                    R"("transactions":[{"transaction_id":"ok","amount":9},{"transaction_id":)" +
                        id_json + R"(,"amount":9}]})",
                    {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + api.viewerToken()}});
  };
  EXPECT_EQ(simulate("\"" + std::string(256, 'x') + "\"").status, 200);
  EXPECT_EQ(simulate("17").status, 200);
  for (const std::string& bad : {"\"" + std::string(257, 'x') + "\"", std::string(R"({"nested":[1,2,3]})"),
                                 std::string("[1]"), std::string("true")}) {
    auto r = simulate(bad);
    EXPECT_EQ(r.status, 422) << bad.substr(0, 40);
    EXPECT_NE(r.body.find("transactions[1].transaction_id"), std::string::npos) << r.body;
  }
}

}  // namespace fraudgov
