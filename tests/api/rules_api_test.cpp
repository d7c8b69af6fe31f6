// Rule governance over HTTP (issue 3): lifecycle, separation of duties, approval bound to
// content, optimistic locking, idempotency, supersession and the audit trail — on SQLite and
// PostgreSQL.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <future>
#include <set>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

const std::vector<std::string> kAllRulePermissions = {"rule:create",  "rule:read",   "rule:update",      "rule:submit",
                                                      "rule:approve", "rule:reject", "rule_field:update"};

boost::json::object amountOver(int threshold) {
  return {{"and",
           {{{"field", "amount"}, {"op", "GT"}, {"value", threshold}},
            {{"field", "currency"}, {"op", "IN"}, {"value", {"USD", "EUR"}}}}}};
}

class Governance {
 public:
  explicit Governance(ApiHarness& api) : api_(api) {}

  // Creates a MONITORING rule with a first version; returns {rule_id, rule_version_id}.
  std::pair<std::string, std::string> createRule(const std::string& token, const boost::json::object& tree,
                                                 const std::string& type = "MONITORING") {
    auto r = api_.post("/api/v1/rules", {{"rule_name", "rule " + type}, {"rule_type", type}, {"condition_tree", tree}},
                       token);
    EXPECT_EQ(r.status, 201) << r.body;
    const std::string rule_id(r.json().at("rule_id").as_string());
    auto versions = api_.get("/api/v1/rules/" + rule_id + "/versions", token);
    return {rule_id, std::string(versions.json().as_array()[0].at("rule_version_id").as_string())};
  }

  std::string addVersion(const std::string& rule_id, const std::string& token, const boost::json::object& tree,
                         int priority = 100) {
    auto r =
        api_.post("/api/v1/rules/" + rule_id + "/versions", {{"condition_tree", tree}, {"priority", priority}}, token);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(r.json().at("rule_version_id").as_string());
  }

  testing::HttpResult act(const std::string& version_id, const std::string& action, const std::string& token,
                          const boost::json::object& body = {}) {
    return api_.post("/api/v1/rule-versions/" + version_id + "/" + action, body, token);
  }

  std::string status(const std::string& version_id) {
    auto r = api_.get("/api/v1/rule-versions/" + version_id, api_.viewerToken());
    return std::string(r.json().at("status").as_string());
  }

  std::vector<std::string> auditActions(const std::string& entity_id) {
    auto r = api_.get("/api/v1/audit-log?entity_id=" + entity_id + "&limit=100", api_.viewerToken());
    std::vector<std::string> actions;
    const auto body = r.json();
    for (const auto& item : body.at("items").as_array()) actions.emplace_back(item.at("action").as_string());
    std::reverse(actions.begin(), actions.end());
    return actions;
  }

 private:
  ApiHarness& api_;
};

}  // namespace

class RulesApi : public ::testing::Test {
 protected:
  ApiHarness api;
  Governance gov{api};
  std::string maker = api.token("maker-1", kAllRulePermissions, {"RULE_MAKER"});
  std::string maker2 = api.token("maker-2", kAllRulePermissions, {"RULE_MAKER"});
  std::string checker = api.checkerToken();
  std::string admin = api.adminToken();
};

TEST_F(RulesApi, FullLifecycleWithSeparationOfDutiesAndAudit) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(1000));
  EXPECT_EQ(gov.status(v1), "DRAFT");
  auto submitted = gov.act(v1, "submit", maker, {{"remarks", "please review"}});
  ASSERT_EQ(submitted.status, 200) << submitted.body;
  EXPECT_EQ(submitted.json().at("status").as_string(), "PENDING_APPROVAL");

  auto self = gov.act(v1, "approve", maker);
  EXPECT_EQ(self.status, 409);
  EXPECT_EQ(self.json().at("error").as_string(), "MakerCheckerViolation");
  EXPECT_EQ(gov.act(v1, "reject", maker).status, 409) << "rejecting your own submission is refused too";

  // PLATFORM_ADMIN passes every permission check but never separation of duties.
  auto admin_rule = gov.createRule(admin, amountOver(5));
  ASSERT_EQ(gov.act(admin_rule.second, "submit", admin).status, 200);
  auto admin_self = gov.act(admin_rule.second, "approve", admin);
  EXPECT_EQ(admin_self.status, 409);
  EXPECT_EQ(admin_self.json().at("error").as_string(), "MakerCheckerViolation");

  auto approved = gov.act(v1, "approve", checker, {{"remarks", "looks right"}});
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json().at("status").as_string(), "APPROVED");
  EXPECT_EQ(approved.json().at("approved_by").as_string(), "checker-1");
  EXPECT_EQ(api.get("/api/v1/rules/" + rule_id, maker).json().at("status").as_string(), "APPROVED");

  // A second version supersedes the first once approved.
  const std::string v2 = gov.addVersion(rule_id, maker, amountOver(2000), 250);
  ASSERT_EQ(gov.act(v2, "submit", maker).status, 200);
  ASSERT_EQ(gov.act(v2, "approve", checker).status, 200);
  EXPECT_EQ(gov.status(v1), "SUPERSEDED");
  EXPECT_EQ(gov.status(v2), "APPROVED");
  auto summary = api.get("/api/v1/rules/" + rule_id + "/summary", maker).json();
  EXPECT_EQ(summary.at("latest_version").as_int64(), 2);
  EXPECT_EQ(summary.at("priority").as_int64(), 250);
  EXPECT_EQ(summary.at("action").as_string(), "REVIEW");

  EXPECT_EQ(gov.auditActions(v1), (std::vector<std::string>{"CREATE", "SUBMIT", "APPROVE", "SUPERSEDE"}));
  EXPECT_EQ(gov.auditActions(v2), (std::vector<std::string>{"CREATE", "SUBMIT", "APPROVE"}));
  EXPECT_EQ(gov.auditActions(rule_id), (std::vector<std::string>{"CREATE"}));
  auto verify = api.get("/api/v1/audit-log/verify", maker);
  EXPECT_EQ(verify.json().at("ok").as_bool(), true);

  // Approvals by outcome are exported (SPEC §7).
  auto metrics = api.get("/metrics", "");
  ASSERT_EQ(metrics.status, 200);
  for (const char* outcome : {"submitted", "approved", "maker_checker_denied"}) {
    EXPECT_NE(metrics.body.find(std::string("fraudgov_approvals_total{subject=\"rule_version\",outcome=\"") + outcome),
              std::string::npos)
        << outcome;
  }

  auto approvals = api.get("/api/v1/approvals?entity_type=RULE_VERSION&status=APPROVED", maker).json();
  ASSERT_EQ(approvals.at("items").as_array().size(), 2u);
  const auto& latest = approvals.at("items").as_array()[0];
  EXPECT_EQ(latest.at("maker").as_string(), "maker-1");
  EXPECT_EQ(latest.at("checker").as_string(), "checker-1");
  EXPECT_EQ(latest.at("rule_id").as_string(), rule_id);
  EXPECT_FALSE(latest.at("decided_at").is_null());
}

TEST_F(RulesApi, TheAuthorCannotApproveWhatAColleagueSubmitted) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  ASSERT_EQ(gov.act(v1, "submit", maker2).status, 200);
  auto by_author = gov.act(v1, "approve", maker);
  EXPECT_EQ(by_author.status, 409);
  EXPECT_EQ(by_author.json().at("error").as_string(), "MakerCheckerViolation");
  EXPECT_EQ(gov.act(v1, "approve", maker2).status, 409);
  EXPECT_EQ(gov.act(v1, "approve", checker).status, 200);
}

// The maker-checker check compares (issuer, subject): the same subject from another issuer is
// another person, and a look-alike subject is not the same person.
TEST_F(RulesApi, IdentityIsIssuerAndSubject) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  EXPECT_EQ(gov.act(v1, "approve", api.token("MAKER-1", kAllRulePermissions)).status, 200);
}

TEST_F(RulesApi, RejectThenResubmit) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  auto rejected = gov.act(v1, "reject", checker, {{"remarks", "threshold too low"}});
  ASSERT_EQ(rejected.status, 200);
  EXPECT_EQ(rejected.json().at("status").as_string(), "REJECTED");
  EXPECT_EQ(gov.act(v1, "approve", checker).status, 409) << "a decided submission cannot be approved";
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  EXPECT_EQ(gov.status(v1), "PENDING_APPROVAL");
  EXPECT_EQ(gov.act(v1, "submit", maker).status, 409) << "already pending";
  EXPECT_EQ(gov.act(v1, "approve", checker).status, 200);
  EXPECT_EQ(gov.act(v1, "submit", maker).status, 409) << "approved versions are final";
  EXPECT_EQ(gov.auditActions(v1), (std::vector<std::string>{"CREATE", "SUBMIT", "REJECT", "SUBMIT", "APPROVE"}));
}

TEST_F(RulesApi, DecisionsWithoutAPendingSubmission) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  auto none = gov.act(v1, "approve", checker);
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(none.json().at("message").as_string(), "Pending approval not found");
  EXPECT_EQ(gov.act("01900000-0000-7000-8000-000000000000", "approve", checker).status, 404);
  EXPECT_EQ(gov.act("not-a-uuid", "submit", maker).status, 404);
}

// Approval binds content: redefining a field the rule uses after submission invalidates the
// review; the checker must see a fresh submission.
TEST_F(RulesApi, ApprovalIsRefusedWhenWhatItDependsOnChanged) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  auto patched = api.patch("/api/v1/rule-fields/amount", {{"description", "now in minor units"}}, maker);
  ASSERT_EQ(patched.status, 200) << patched.body;
  auto stale = gov.act(v1, "approve", checker);
  EXPECT_EQ(stale.status, 409);
  EXPECT_NE(std::string(stale.json().at("message").as_string()).find("changed since submission"), std::string::npos);
  EXPECT_EQ(gov.status(v1), "PENDING_APPROVAL");
  ASSERT_EQ(gov.act(v1, "reject", checker).status, 200);
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  EXPECT_EQ(gov.act(v1, "approve", checker).status, 200);
}

TEST_F(RulesApi, SubmitIdempotencyKeyInTheBody) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(10));
  EXPECT_EQ(gov.act(v1, "submit", maker, {{"idempotency_key", "k-1"}}).status, 200);
  auto replay = gov.act(v1, "submit", maker, {{"idempotency_key", "k-1"}});
  EXPECT_EQ(replay.status, 200);
  EXPECT_EQ(replay.json().at("status").as_string(), "PENDING_APPROVAL");
  EXPECT_EQ(gov.act(v1, "submit", maker, {{"idempotency_key", "k-2"}}).status, 409);
  auto pending = api.get("/api/v1/approvals?entity_id=" + v1, maker).json();
  EXPECT_EQ(pending.at("items").as_array().size(), 1u);
  ASSERT_EQ(gov.act(v1, "reject", checker).status, 200);
  EXPECT_EQ(gov.act(v1, "submit", maker, {{"idempotency_key", "k-2"}}).status, 200);
  EXPECT_EQ(api.get("/api/v1/approvals?entity_id=" + v1, maker).json().at("items").as_array().size(), 2u);
}

TEST_F(RulesApi, IdempotencyKeyHeaderReplaysTheFirstResponse) {
  const boost::json::object body{{"rule_name", "idem"}, {"rule_type", "BLOCKLIST"}, {"condition_tree", amountOver(1)}};
  const std::string json = boost::json::serialize(body);
  net::HeaderList headers{{"Content-Type", "application/json"},
                          {"Authorization", "Bearer " + maker},
                          {"Idempotency-Key", "create-rule-0001"}};
  auto first = api.send("POST", "/api/v1/rules", json, headers);
  ASSERT_EQ(first.status, 201) << first.body;
  auto second = api.send("POST", "/api/v1/rules", json, headers);
  EXPECT_EQ(second.status, 201);
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.header("Idempotent-Replayed").value_or(""), "true");
  auto listed = api.get("/api/v1/rules?rule_name=idem", maker).json();
  EXPECT_EQ(listed.at("items").as_array().size(), 1u) << "the replay created nothing";

  auto different = api.send("POST", "/api/v1/rules", json + " ", headers);
  EXPECT_EQ(different.status, 422);
  // Keys are per caller: another user may use the same key for their own request.
  net::HeaderList other = headers;
  other[1].second = "Bearer " + maker2;
  EXPECT_EQ(api.send("POST", "/api/v1/rules", json, other).status, 201);
  headers[2].second = std::string(300, 'k');
  EXPECT_EQ(api.send("POST", "/api/v1/rules", json, headers).status, 400);
  headers[2].second = "bad key";
  EXPECT_EQ(api.send("POST", "/api/v1/rules", json, headers).status, 400);
}

TEST_F(RulesApi, OptimisticLockingOnNewVersions) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(1));
  const auto version = api.get("/api/v1/rules/" + rule_id, maker).json().at("version").as_int64();
  auto ok = api.post("/api/v1/rules/" + rule_id + "/versions",
                     {{"condition_tree", amountOver(2)}, {"expected_rule_version", version}}, maker);
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.json().at("version").as_int64(), 2);
  auto stale = api.post("/api/v1/rules/" + rule_id + "/versions",
                        {{"condition_tree", amountOver(3)}, {"expected_rule_version", version}}, maker);
  EXPECT_EQ(stale.status, 409);
  EXPECT_EQ(stale.json().at("error").as_string(), "ConcurrentModificationError");
  EXPECT_EQ(stale.json().at("details").at("actual_version").as_int64(), version + 1);
}

TEST_F(RulesApi, ActionsMustFitTheRuleType) {
  auto bad = api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "ALLOWLIST"}, {"action", "DECLINE"}}, maker);
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(std::string(bad.json().at("message").as_string()).find("ALLOWLIST rules must have action=APPROVE"),
            std::string::npos);
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "AUTH"}, {"action", "REVIEW"}}, maker).status,
            422);
  auto defaulted =
      api.post("/api/v1/rules", {{"rule_name", "a"}, {"rule_type", "AUTH"}, {"condition_tree", amountOver(1)}}, maker);
  ASSERT_EQ(defaulted.status, 201);
  auto summary =
      api.get("/api/v1/rules/" + std::string(defaulted.json().at("rule_id").as_string()) + "/summary", maker);
  EXPECT_EQ(summary.json().at("action").as_string(), "DECLINE");
  auto no_tree = api.post("/api/v1/rules", {{"rule_name", "empty"}, {"rule_type", "AUTH"}}, maker);
  ASSERT_EQ(no_tree.status, 201);
  // As the predecessor: version 1 exists (an empty DRAFT), so later versions keep its numbering;
  // it cannot be submitted, since an empty tree never validates.
  EXPECT_EQ(no_tree.json().at("current_version").as_int64(), 1);
  auto versions = api.get("/api/v1/rules/" + std::string(no_tree.json().at("rule_id").as_string()) + "/versions", maker);
  const auto listed = versions.json();
  ASSERT_EQ(listed.as_array().size(), 1u);
  const auto& first = listed.as_array()[0].as_object();
  EXPECT_EQ(first.at("version").as_int64(), 1);
  EXPECT_EQ(first.at("status").as_string(), "DRAFT");
  EXPECT_TRUE(first.at("condition_tree").as_object().empty());
  auto submit = api.post("/api/v1/rule-versions/" + std::string(first.at("rule_version_id").as_string()) + "/submit",
                         boost::json::object{}, maker);
  EXPECT_EQ(submit.status, 422) << submit.body;
  for (int priority : {0, 1001, -100, 99999}) {
    EXPECT_EQ(
        api.post("/api/v1/rules",
                 {{"rule_name", "p"}, {"rule_type", "AUTH"}, {"priority", priority}, {"condition_tree", amountOver(1)}},
                 maker)
            .status,
        422)
        << priority;
  }
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "auth"}}, maker).status, 422);
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", 5}, {"rule_type", "AUTH"}}, maker).status, 422);
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "AUTH"}, {"priority", "100"}}, maker).status,
            422);
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "AUTH"}, {"priority", 1.5}}, maker).status,
            422);
}

TEST_F(RulesApi, PermissionMatrix) {
  const std::string viewer = api.viewerToken();
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "AUTH"}}, viewer).status, 403);
  EXPECT_EQ(api.post("/api/v1/rules", {{"rule_name", "x"}, {"rule_type", "AUTH"}}, checker).status, 403);
  auto [rule_id, v1] = gov.createRule(maker, amountOver(1));
  EXPECT_EQ(api.post("/api/v1/rules/" + rule_id + "/versions", {{"condition_tree", amountOver(2)}}, checker).status,
            403);
  EXPECT_EQ(gov.act(v1, "submit", checker).status, 403);
  EXPECT_EQ(gov.act(v1, "submit", viewer).status, 403);
  ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
  EXPECT_EQ(gov.act(v1, "approve", viewer).status, 403);
  EXPECT_EQ(gov.act(v1, "reject", viewer).status, 403);
  EXPECT_EQ(api.get("/api/v1/rules", api.token("nobody", {})).status, 403);
  EXPECT_EQ(api.get("/api/v1/rules", viewer).status, 200);
  EXPECT_EQ(api.get("/api/v1/rules", "").status, 401);
  EXPECT_EQ(api.get("/api/v1/approvals", api.token("nobody", {})).status, 200) << "approvals: authenticated only";
}

TEST_F(RulesApi, ListsPageInBothDirectionsAndFilter) {
  for (int i = 0; i < 12; ++i) gov.createRule(maker, amountOver(i), i % 2 ? "AUTH" : "MONITORING");
  std::vector<std::string> forward;
  std::string cursor;
  std::vector<std::string> prev_cursors;
  for (int page = 0; page < 10; ++page) {
    auto r = api.get("/api/v1/rules?limit=5" + (cursor.empty() ? "" : "&cursor=" + cursor), maker);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    for (const auto& item : body.at("items").as_array()) forward.emplace_back(item.at("rule_id").as_string());
    if (!body.at("prev_cursor").is_null()) prev_cursors.emplace_back(body.at("prev_cursor").as_string());
    if (!body.at("has_next").as_bool()) break;
    cursor = std::string(body.at("next_cursor").as_string());
  }
  ASSERT_EQ(forward.size(), 12u);
  EXPECT_TRUE(std::is_sorted(forward.rbegin(), forward.rend())) << "newest first";
  auto back = api.get("/api/v1/rules?limit=5&direction=prev&cursor=" + prev_cursors.back(), maker).json();
  std::vector<std::string> page2;
  for (const auto& item : back.at("items").as_array()) page2.emplace_back(item.at("rule_id").as_string());
  EXPECT_EQ(page2, std::vector<std::string>(forward.begin() + 5, forward.begin() + 10));
  auto auth = api.get("/api/v1/rules?rule_type=AUTH&limit=100", maker).json();
  EXPECT_EQ(auth.at("items").as_array().size(), 6u);
  EXPECT_EQ(api.get("/api/v1/rules?rule_type=VELOCITY", maker).status, 422);
  EXPECT_EQ(api.get("/api/v1/rules?status=pending", maker).status, 422);
  EXPECT_EQ(api.get("/api/v1/approvals?status=pending", maker).status, 422);
  EXPECT_EQ(api.get("/api/v1/approvals?entity_type=RULE", maker).status, 422);
  EXPECT_EQ(api.get("/api/v1/rules?cursor=forged", maker).status, 400);
}

// Acceptance: two checkers approve the same submission at the same moment — exactly one wins,
// the other gets 409, one approval is decided and the audit chain stays intact.
TEST_F(RulesApi, ConcurrentApprovalsHaveExactlyOneWinner) {
  const std::string checker2 = api.token("checker-2", {"rule:approve", "rule:read"});
  for (int round = 0; round < 5; ++round) {
    auto [rule_id, v1] = gov.createRule(maker, amountOver(round));
    ASSERT_EQ(gov.act(v1, "submit", maker).status, 200);
    auto a = std::async(std::launch::async, [&, v = v1] { return gov.act(v, "approve", checker).status; });
    auto b = std::async(std::launch::async, [&, v = v1] { return gov.act(v, "approve", checker2).status; });
    const std::multiset<long> statuses{a.get(), b.get()};
    EXPECT_EQ(statuses, (std::multiset<long>{200, 409})) << "round " << round;
    auto decided = api.get("/api/v1/approvals?entity_id=" + v1, maker).json();
    ASSERT_EQ(decided.at("items").as_array().size(), 1u);
    EXPECT_EQ(decided.at("items").as_array()[0].at("status").as_string(), "APPROVED");
    const auto actions = gov.auditActions(v1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "APPROVE"), 1);
  }
  EXPECT_EQ(api.get("/api/v1/audit-log/verify", maker).json().at("ok").as_bool(), true);
}

TEST_F(RulesApi, ConcurrentVersionCreationNeverCollides) {
  auto [rule_id, v1] = gov.createRule(maker, amountOver(1));
  std::vector<std::future<testing::HttpResult>> results;
  for (int i = 0; i < 6; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      return api.post("/api/v1/rules/" + rule_id + "/versions", {{"condition_tree", amountOver(i)}}, maker);
    }));
  }
  std::set<std::int64_t> numbers;
  for (auto& f : results) {
    auto r = f.get();
    ASSERT_EQ(r.status, 201) << r.body;
    numbers.insert(r.json().at("version").as_int64());
  }
  EXPECT_EQ(numbers, (std::set<std::int64_t>{2, 3, 4, 5, 6, 7}));

  // With the same expected_rule_version only one of two racing writers wins.
  const auto version = api.get("/api/v1/rules/" + rule_id, maker).json().at("version").as_int64();
  auto race = [&] {
    return api
        .post("/api/v1/rules/" + rule_id + "/versions",
              {{"condition_tree", amountOver(9)}, {"expected_rule_version", version}}, maker)
        .status;
  };
  auto a = std::async(std::launch::async, race);
  auto b = std::async(std::launch::async, race);
  EXPECT_EQ((std::multiset<long>{a.get(), b.get()}), (std::multiset<long>{201, 409}));
}

}  // namespace fraudgov
