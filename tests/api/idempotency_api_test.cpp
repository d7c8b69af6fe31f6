// Issue 11 item 8: the Idempotency-Key store holds mutations only, and only bounded responses.
// Counted from outside through the idempotency_keys table itself.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <future>
#include <thread>

#include "common/crypto.h"
#include "support/api_harness.h"
#include "support/poll.h"
#include "support/test_database.h"
#include "support/test_env.h"

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

// ---- issue 11 item 6: claims left behind by a crash --------------------------------------------

namespace {

constexpr const char* kRulePath = "/api/v1/rules";

std::string ruleBody(const std::string& name) {
  return R"({"rule_name":")" + name +
         R"(","rule_type":"BLOCKLIST","condition_tree":{"field":"amount","op":"GT","value":1}})";
}

// What IdempotencyGate fingerprints: method, target and body.
std::string fingerprint(const std::string& method, const std::string& target, const std::string& body) {
  return crypto::sha256Hex(method + " " + target + "\n" + body);
}

// A claim as a process that died mid-request leaves it: IN_PROGRESS, no response, its lease
// (written with plain SQL, bound parameters).
void plantInProgressClaim(ApiHarness& api, const std::string& key, const std::string& request_hash,
                          Timestamp created_at, Timestamp lease_expires_at) {
  static constexpr store::Sql kPlant{
      "t_idem_plant",
      "INSERT INTO idempotency_keys (issuer, subject, idempotency_key, request_hash, state, created_at, "
      "lease_expires_at, claim_token) VALUES ($1, $2, $3, $4, 'IN_PROGRESS', $5, $6, 'crashed-process')"};
  auto planted = store::inWrite(api.runtime().database(), [&](store::SqlSession& s) -> Result<std::int64_t> {
    const store::SqlParam params[] = {std::string(testing::kTestIssuer), std::string("maker-1"), key, request_hash,
                                      created_at, lease_expires_at};
    return s.execute(kPlant, params);
  });
  ASSERT_TRUE(planted) << planted.error().message << " " << planted.error().internal_detail;
}

std::int64_t rulesNamed(ApiHarness& api, const std::string& name) {
  static constexpr store::Sql kCount{"t_rules_named", "SELECT COUNT(*) FROM rules WHERE rule_name = $1"};
  auto count = store::inRead(api.runtime().database(), [&](store::SqlSession& s) -> Result<std::int64_t> {
    const store::SqlParam params[] = {name};
    FRAUDGOV_ASSIGN_OR_RETURN(auto rows, s.query(kCount, params));
    return rows.at(0).integer(0);
  });
  EXPECT_TRUE(count);
  return count ? *count : -1;
}

std::int64_t keysCalled(ApiHarness& api, const std::string& key) {
  static constexpr store::Sql kCount{"t_idem_named", "SELECT COUNT(*) FROM idempotency_keys WHERE idempotency_key = $1"};
  auto count = store::inRead(api.runtime().database(), [&](store::SqlSession& s) -> Result<std::int64_t> {
    const store::SqlParam params[] = {key};
    FRAUDGOV_ASSIGN_OR_RETURN(auto rows, s.query(kCount, params));
    return rows.at(0).integer(0);
  });
  EXPECT_TRUE(count);
  return count ? *count : -1;
}

ApiHarness::Options manualClock() {
  ApiHarness::Options options;
  options.manual_clock = true;
  options.env["IDEMPOTENCY_LEASE_SECONDS"] = "30";
  return options;
}

}  // namespace

TEST(IdempotencyLease, AStuckClaimAnswers409WithRetryAfterUntilItsLeaseEndsThenTheRetryRuns) {
  ApiHarness api(manualClock());
  const std::string maker = api.makerToken();
  const std::string body = ruleBody("after-a-crash");
  const Timestamp now = api.clock().now();
  plantInProgressClaim(api, "crashed-key-0001", fingerprint("POST", kRulePath, body), now,
                       Timestamp{now.micros + 30'000'000});

  auto early = api.send("POST", kRulePath, body, jsonHeaders(maker, "crashed-key-0001"));
  EXPECT_EQ(early.status, 409) << early.body;
  const long retry_after = std::stol(early.header("Retry-After").value_or("0"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 30) << "at most the lease";
  EXPECT_EQ(rulesNamed(api, "after-a-crash"), 0);

  api.clock().advance(std::chrono::seconds(31));
  auto retried = api.send("POST", kRulePath, body, jsonHeaders(maker, "crashed-key-0001"));
  EXPECT_EQ(retried.status, 201) << retried.body;
  EXPECT_FALSE(retried.header("Idempotent-Replayed")) << "the stale claim was taken over and the request ran";
  EXPECT_EQ(rulesNamed(api, "after-a-crash"), 1);

  auto replay = api.send("POST", kRulePath, body, jsonHeaders(maker, "crashed-key-0001"));
  EXPECT_EQ(replay.status, 201);
  EXPECT_EQ(replay.header("Idempotent-Replayed").value_or(""), "true") << "and its answer was recorded";
  EXPECT_EQ(replay.body, retried.body);
  EXPECT_EQ(rulesNamed(api, "after-a-crash"), 1);

  // A different request under the stuck key is still refused, lease or not.
  const Timestamp later = api.clock().now();
  plantInProgressClaim(api, "crashed-key-0002", fingerprint("POST", kRulePath, body), later, later);
  api.clock().advance(std::chrono::seconds(1));
  auto other = api.send("POST", kRulePath, ruleBody("something-else"), jsonHeaders(maker, "crashed-key-0002"));
  EXPECT_EQ(other.status, 422) << other.body;
}

TEST(IdempotencyLease, ConcurrentRetriesOfAStaleClaimExecuteExactlyOnce) {
  ApiHarness api(manualClock());
  const std::string maker = api.makerToken();
  const std::string body = ruleBody("taken-over-once");
  const Timestamp now = api.clock().now();
  plantInProgressClaim(api, "crashed-key-race", fingerprint("POST", kRulePath, body), now,
                       Timestamp{now.micros + 30'000'000});
  api.clock().advance(std::chrono::seconds(31));

  constexpr int kRetries = 6;
  std::vector<std::future<testing::HttpResult>> retries;
  for (int i = 0; i < kRetries; ++i) {
    retries.push_back(std::async(std::launch::async, [&] {
      testing::HttpResult r;
      net::CurlHttpClient client;
      net::OutboundRequest request;
      request.method = "POST";
      request.url = api.url(kRulePath);
      request.body = body;
      request.headers = jsonHeaders(maker, "crashed-key-race");
      auto response = client.send(request);
      if (response) {
        r.status = response->status;
        r.body = response->body;
        r.headers = response->headers;
      }
      return r;
    }));
  }
  int executed = 0;
  for (auto& f : retries) {
    auto r = f.get();
    if (r.status == 201 && !r.header("Idempotent-Replayed")) {
      ++executed;
    } else if (r.status == 201) {
      // a replay of the winner's answer
    } else {
      EXPECT_EQ(r.status, 409) << r.body;  // the winner's fresh lease is still running
    }
  }
  EXPECT_EQ(executed, 1);
  EXPECT_EQ(rulesNamed(api, "taken-over-once"), 1) << "two takeovers must not both run";
}

TEST(IdempotencyLease, OldKeysArePurgedInTheBackgroundNeverInARequest) {
  ApiHarness api(manualClock());
  const std::string maker = api.makerToken();
  const Timestamp now = api.clock().now();
  const Timestamp two_days_ago{now.micros - 48LL * 3600 * 1'000'000};
  plantInProgressClaim(api, "ancient-key-0001", fingerprint("POST", kRulePath, "{}"), two_days_ago, two_days_ago);
  ASSERT_EQ(keysCalled(api, "ancient-key-0001"), 1);

  // Requests with other keys do not purge (no DELETE inside the request path)...
  for (int i = 0; i < 3; ++i) {
    auto r = api.send("POST", kRulePath, ruleBody("purge-probe-" + std::to_string(i)),
                      jsonHeaders(maker, "purge-probe-" + std::to_string(i)));
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(keysCalled(api, "ancient-key-0001"), 1) << "a request purged old keys";

  // ...the runtime's maintenance task does, on the runtime's clock.
  api.clock().advance(std::chrono::minutes(10));
  EXPECT_TRUE(testing::pollUntil([&] { return keysCalled(api, "ancient-key-0001") == 0; }, std::chrono::seconds(10)))
      << "the background purge removed keys older than 24 h";
  EXPECT_EQ(keysCalled(api, "purge-probe-0"), 1) << "recent keys stay";
}

TEST(IdempotencyLease, AFailedCompletionWriteIsLoggedAndCounted) {
  ApiHarness api(manualClock());
  const std::string maker = api.makerToken();
  // Every UPDATE of the table fails from now on (as a full disk or a lost connection would).
  if (testing::currentBackend() == testing::Backend::kPostgres) {
    testing::runAdminSql(api.runtime().database(),
                         "CREATE FUNCTION t_idem_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                         "RAISE EXCEPTION 'refused by test'; END; $$; "
                         "CREATE TRIGGER t_idem_refuse BEFORE UPDATE ON idempotency_keys FOR EACH ROW "
                         "EXECUTE FUNCTION t_idem_refuse();");
  } else {
    testing::runAdminSql(api.runtime().database(),
                         "CREATE TRIGGER t_idem_refuse BEFORE UPDATE ON idempotency_keys "
                         "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
  }
  auto r = api.send("POST", kRulePath, ruleBody("unrecorded"), jsonHeaders(maker, "unrecorded-key-0001"));
  EXPECT_EQ(r.status, 201) << "the change happened; the client learns its real outcome";
  const std::string metrics = api.runtime().telemetry().metrics().render();
  EXPECT_NE(metrics.find("fraudgov_idempotency_completion_failures_total 1"), std::string::npos)
      << "the failed completion is surfaced, not ignored";
}

}  // namespace fraudgov
