// GET /api/v1/audit-log and /audit-log/verify over HTTP.
#include <gtest/gtest.h>

#include <set>

#include "common/time.h"
#include "support/api_harness.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {
void createFields(ApiHarness& api, int n) {
  for (int i = 0; i < n; ++i) {
    auto r = api.post("/api/v1/rule-fields",
                      {{"field_key", "audit_f" + std::to_string(i)},
                       {"display_name", "F"},
                       {"data_type", "STRING"},
                       {"allowed_operators", {"EQ"}}},
                      api.makerToken());
    ASSERT_EQ(r.status, 201) << r.body;
  }
}
}  // namespace

TEST(AuditApi, PagesForwardAndBackWithOpaqueCursors) {
  ApiHarness api;
  createFields(api, 10);  // 20 rows (field + version each) after the 52 seed rows
  const std::string token = api.viewerToken();
  std::vector<std::string> ids;
  std::vector<std::string> prev_cursors;
  std::string next;
  for (int guard = 0; guard < 50; ++guard) {
    auto r =
        api.get("/api/v1/audit-log?entity_type=RULE_FIELD&limit=3" + (next.empty() ? "" : "&cursor=" + next), token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto body = r.json();
    const auto& page = body.as_object();
    EXPECT_EQ(page.at("limit").as_int64(), 3);
    for (const auto& item : page.at("items").as_array()) ids.emplace_back(item.at("audit_id").as_string());
    if (!page.at("has_next").as_bool()) {
      EXPECT_TRUE(page.at("next_cursor").is_null());
      break;
    }
    next = std::string(page.at("next_cursor").as_string());
  }
  EXPECT_EQ(ids.size(), 36u);  // 26 seeded + 10 created RULE_FIELD rows
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  EXPECT_EQ(std::string(ids.front()) > std::string(ids.back()), true) << "newest first";
}

TEST(AuditApi, ForgedGarbledAndForeignCursorsAre400) {
  ApiHarness api;
  const std::string token = api.viewerToken();
  auto first = api.get("/api/v1/audit-log?limit=2", token);
  const std::string cursor(first.json().at("next_cursor").as_string());
  for (const std::string& bad : {std::string("garbage"), std::string("eyJpZCI6IDF9"), cursor + "x",
                                 std::string("W10.AAAA"), std::string(3000, 'A')}) {
    auto r = api.get("/api/v1/audit-log?cursor=" + bad, token);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.json().at("message").as_string(), "Invalid cursor");
  }
  // A cursor taken with other filters does not silently apply to this query.
  EXPECT_EQ(api.get("/api/v1/audit-log?action=CREATE&cursor=" + cursor, token).status, 400);
  // And the real one works.
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=2&cursor=" + cursor, token).status, 200);
  EXPECT_EQ(api.get("/api/v1/audit-log?limit=2&direction=prev&cursor=" + cursor, token).status, 200);
  // An empty cursor means the first page.
  auto empty = api.get("/api/v1/audit-log?limit=2&cursor=", token);
  EXPECT_EQ(empty.json().at("has_prev").as_bool(), false);
}

TEST(AuditApi, FiltersByTimeEntityAndPerformer) {
  ApiHarness api;
  const std::string since = formatIso(nowUtc());
  createFields(api, 2);
  const std::string token = api.viewerToken();
  auto recent = api.get("/api/v1/audit-log?since=" + since, token);
  ASSERT_EQ(recent.status, 200);
  EXPECT_EQ(recent.json().at("items").as_array().size(), 4u);
  // An unencoded '+' offset arrives as a space and is still understood.
  auto offset = api.get("/api/v1/audit-log?since=" + since.substr(0, 19) + "+00:00", token);
  EXPECT_EQ(offset.status, 200);
  auto before = api.get("/api/v1/audit-log?until=2000-01-01", token);
  EXPECT_TRUE(before.json().at("items").as_array().empty());
  auto by = api.get("/api/v1/audit-log?performed_by=maker-1&entity_type=FIELD_VERSION", token);
  EXPECT_EQ(by.json().at("items").as_array().size(), 2u);
  const std::string entity(by.json().at("items").as_array()[0].at("entity_id").as_string());
  auto one = api.get("/api/v1/audit-log?entity_id=" + entity, token);
  EXPECT_EQ(one.json().at("items").as_array().size(), 1u);
  auto unknown = api.get("/api/v1/audit-log?entity_id=01900000-0000-7000-8000-000000000000", token);
  EXPECT_EQ(unknown.status, 200);
  EXPECT_TRUE(unknown.json().at("items").as_array().empty());
}

TEST(AuditApi, VerifyReportsIntactAndTamperedChains) {
  ApiHarness api;
  createFields(api, 3);
  const std::string token = api.viewerToken();
  auto ok = api.get("/api/v1/audit-log/verify", token);
  ASSERT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json().at("ok").as_bool(), true);
  EXPECT_EQ(ok.json().at("checked").as_int64(), 58);

  if (testing::currentBackend() == testing::Backend::kPostgres) {
    testing::runAdminSql(api.runtime().database(),
                         "SET session_replication_role = replica; "
                         "UPDATE audit_log SET performed_by = 'someone-else' WHERE seq = 55; "
                         "SET session_replication_role = origin;");
  } else {
    testing::runAdminSql(api.runtime().database(),
                         "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET performed_by = 'someone-else' "
                         "WHERE seq = 55;");
  }
  auto broken = api.get("/api/v1/audit-log/verify", token);
  ASSERT_EQ(broken.status, 200);
  EXPECT_EQ(broken.json().at("ok").as_bool(), false);
  EXPECT_EQ(broken.json().at("first_broken").at("seq").as_int64(), 55);
  EXPECT_EQ(broken.json().at("first_broken").at("reason").as_string(), "hash_mismatch");
}

}  // namespace fraudgov

namespace fraudgov {

// Issue 11 item 10: the audit log is open to any valid token, but what it says about an entity is
// only for callers who may read that entity. Rule rows (condition trees, scopes) need rule:read;
// a caller without it sees that something happened (ids, action, actor, time, chain hashes) and
// not what.
TEST(AuditApi, EntriesAboutRulesAreRedactedWithoutRuleRead) {
  ApiHarness api;
  const std::string maker = api.makerToken();
  // A distinctive field name and value that must never reach a caller without rule:read.
  auto rule = api.post("/api/v1/rules",
                       {{"rule_name", "Secret threshold rule"},
                        {"rule_type", "AUTH"},
                        {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 987654321}}}},
                       maker);
  ASSERT_EQ(rule.status, 201) << rule.body;
  const std::string rule_id(rule.json().at("rule_id").as_string());

  const std::string auditor = api.token("auditor-1", {}, {"AUDITOR"});  // a valid token, no permissions
  auto redacted = api.get("/api/v1/audit-log?limit=1000", auditor);
  ASSERT_EQ(redacted.status, 200) << redacted.body;
  EXPECT_EQ(redacted.body.find("987654321"), std::string::npos) << "condition value leaked";
  EXPECT_EQ(redacted.body.find("Secret threshold rule"), std::string::npos) << "rule name leaked";
  EXPECT_EQ(redacted.body.find("condition_tree"), std::string::npos) << "condition tree leaked";
  int rule_rows = 0;
  int field_rows = 0;
  const boost::json::value page = redacted.json();
  for (const auto& item : page.at("items").as_array()) {
    const auto& o = item.as_object();
    const std::string type(o.at("entity_type").as_string());
    for (const char* kept : {"audit_id", "entity_type", "entity_id", "action", "performed_by", "performed_at", "seq",
                             "prev_hash", "row_hash"}) {
      EXPECT_TRUE(o.contains(kept)) << kept << " kept on " << type;
    }
    if (type == "RULE" || type == "RULE_VERSION") {
      ++rule_rows;
      EXPECT_EQ(o.at("redacted"), boost::json::value(true)) << type;
      EXPECT_TRUE(o.at("old_value").is_null());
      EXPECT_TRUE(o.at("new_value").is_null());
      EXPECT_EQ(o.at("performed_by").as_string(), "maker-1") << "who and when stay";
    } else if (type == "RULE_FIELD") {
      ++field_rows;
      EXPECT_FALSE(o.at("new_value").is_null()) << "fields are readable with any token, so their rows are whole";
    }
  }
  EXPECT_EQ(rule_rows, 2) << "the rule and its first version are listed, redacted";
  EXPECT_GT(field_rows, 0);
  auto filtered = api.get("/api/v1/audit-log?entity_id=" + rule_id, auditor);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.body.find("Secret threshold rule"), std::string::npos) << "filters do not bypass redaction";

  auto full = api.get("/api/v1/audit-log?limit=1000", api.viewerToken());  // holds rule:read
  ASSERT_EQ(full.status, 200);
  EXPECT_NE(full.body.find("987654321"), std::string::npos) << "rule:read sees the content";
  EXPECT_NE(full.body.find("Secret threshold rule"), std::string::npos);
  EXPECT_EQ(full.body.find("\"redacted\":true"), std::string::npos);

  // Redaction is a view: the stored chain is untouched and verifies for every caller.
  for (const std::string& token : {auditor, api.viewerToken()}) {
    auto verify = api.get("/api/v1/audit-log/verify", token);
    ASSERT_EQ(verify.status, 200) << verify.body;
    EXPECT_EQ(verify.json().at("ok").as_bool(), true);
  }
}

}  // namespace fraudgov

#include "api/audit_redaction.h"

namespace fraudgov {

// The redaction rule is the entity's own read access: for every audit entity type, the access the
// audit view requires equals what the GET route of that entity declares.
TEST(AuditApi, RedactionFollowsTheDeclaredReadAccessOfEachEntity) {
  ApiHarness api;
  const std::map<std::string, std::string> read_route = {
      {"RULE", "/api/v1/rules/{rule_id}"},
      {"RULE_VERSION", "/api/v1/rule-versions/{rule_version_id}"},
      {"RULE_FIELD", "/api/v1/rule-fields/{field_key}"},
      {"RULE_FIELD_METADATA", "/api/v1/rule-fields/{field_key}/metadata/{meta_key}"},
      {"FIELD_VERSION", "/api/v1/rule-fields/{field_key}/versions"},
      {"RULESET", "/api/v1/rulesets/{ruleset_id}"},
      {"RULESET_VERSION", "/api/v1/ruleset-versions/{ruleset_version_id}"},
      {"APPROVAL", "/api/v1/approvals"},
      {"FIELD_REGISTRY_MANIFEST", "/api/v1/field-registry/versions/{registry_version}"}};
  for (const auto& [entity, path] : read_route) {
    ASSERT_TRUE(domain::isAuditEntityType(entity)) << entity;
    const auto access = api::auditEntityReadAccess(entity);
    ASSERT_TRUE(access) << entity;
    bool found = false;
    for (const auto& route : api.runtime().routes()) {
      if (route.method != http::Method::kGet || route.path_template != path) continue;
      found = true;
      EXPECT_EQ(access->describe(), route.access) << entity << " vs GET " << path;
    }
    EXPECT_TRUE(found) << path;
  }
  EXPECT_FALSE(api::auditEntityReadAccess("SOMETHING_NEW")) << "unknown types are redacted for everyone";
}

}  // namespace fraudgov
