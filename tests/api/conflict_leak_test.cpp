// A unique-constraint conflict must reach the client as a 409 (or 422) problem in API terms, never
// with the database's vocabulary: table, constraint or column names and SQL text tell an attacker
// the schema and are meaningless to a legitimate client. Covered twice per create: the service's
// own duplicate check, and the store-level violation the service cannot foresee (a unique index or
// a row the service's pre-check does not look for, added behind its back with SQL).
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "common/uuid.h"
#include "support/api_harness.h"
#include "support/test_database.h"

namespace fraudgov {
namespace {

using testing::ApiHarness;
using testing::HttpResult;

// Every table of src/store/sqlite/schema.cpp and src/store/postgres/schema.cpp, plus the
// migration bookkeeping table.
const std::vector<std::string> kTables = {"store_metadata",      "rule_fields",
                                          "rule_field_versions", "rule_field_metadata",
                                          "audit_log",           "rules",
                                          "rule_versions",       "approvals",
                                          "idempotency_keys",    "rulesets",
                                          "ruleset_versions",    "ruleset_version_rules",
                                          "ruleset_manifests",   "ruleset_activations",
                                          "artifact_keys",       "field_registry_manifests",
                                          "schema_migrations"};

// Named constraints and indexes of the two schema files, the probes this test adds, and the words
// drivers put around them.
const std::vector<std::string> kForbiddenText = {"rulesets_identity",
                                                 "approvals_one_pending",
                                                 "ruleset_versions_one_active",
                                                 "artifact_keys_one_active",
                                                 "approvals_checker_not_maker",
                                                 "approvals_checker_not_author",
                                                 "leak_probe",
                                                 "sqlite_autoindex",
                                                 "UNIQUE",
                                                 "constraint",
                                                 "violates",
                                                 "duplicate key",
                                                 "Key (",
                                                 "DETAIL",
                                                 "SQLSTATE",
                                                 "SQLITE",
                                                 "INSERT",
                                                 "SELECT",
                                                 "VALUES",
                                                 "failed:",
                                                 "(environment, region",
                                                 "environment, region, country"};

// API members that end like PostgreSQL's implicit constraint names (<table>_<column>_key).
const std::set<std::string> kApiMembers = {"field_key", "meta_key", "ruleset_key", "idempotency_key"};

std::vector<std::string> leaksIn(const std::string& body) {
  std::vector<std::string> leaks;
  for (const auto& table : kTables) {
    if (std::regex_search(body, std::regex("\\b" + table + "\\b"))) leaks.push_back("table " + table);
  }
  for (const auto& text : kForbiddenText) {
    if (body.find(text) != std::string::npos) leaks.push_back("'" + text + "'");
  }
  // PostgreSQL's generated names: rule_fields_pkey, rule_fields_field_id_key, ..._fkey, ..._check.
  const std::regex generated("\\b[a-z0-9_]+_(pkey|fkey|key|check)\\b");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), generated); it != std::sregex_iterator(); ++it) {
    if (!kApiMembers.count(it->str())) leaks.push_back("constraint-like name " + it->str());
  }
  return leaks;
}

void expectCleanConflict(const HttpResult& r, const std::string& context) {
  EXPECT_TRUE(r.status == 409 || r.status == 422) << context << ": status " << r.status << " " << r.body;
  const auto leaks = leaksIn(r.body);
  std::string listed;
  for (const auto& l : leaks) listed += "\n  " + l;
  EXPECT_TRUE(leaks.empty()) << context << " leaks the schema:" << listed << "\nbody: " << r.body;
}

class ConflictLeak : public ::testing::Test {
 protected:
  ConflictLeak() : maker(api.makerToken()), checker(api.checkerToken()) {}

  void adminSql(const std::string& sql) { testing::runAdminSql(api.runtime().database(), sql); }

  boost::json::object field(const std::string& key, const std::string& display_name) {
    return {{"field_key", key},
            {"display_name", display_name},
            {"data_type", "NUMBER"},
            {"allowed_operators", boost::json::array{"GT", "LT"}}};
  }
  boost::json::object ruleset(const std::string& country, const std::string& name) {
    return {{"environment", "test"}, {"region", "APAC"}, {"country", country}, {"rule_type", "AUTH"}, {"name", name}};
  }
  // A DRAFT version of a new rule.
  std::string draftRuleVersion(const std::string& name) {
    boost::json::object tree{{"field", "amount"}, {"op", "GT"}, {"value", 10}};
    auto rule =
        api.post("/api/v1/rules", {{"rule_name", name}, {"rule_type", "AUTH"}, {"condition_tree", tree}}, maker);
    EXPECT_EQ(rule.status, 201) << rule.body;
    const std::string rule_id(rule.json().at("rule_id").as_string());
    const auto versions = api.get("/api/v1/rules/" + rule_id + "/versions", maker).json();
    return std::string(versions.as_array()[0].at("rule_version_id").as_string());
  }

  ApiHarness api;
  std::string maker;
  std::string checker;
};

TEST(ConflictLeakCheck, RecognizesWhatADriverWouldSay) {
  // The detector itself: these are the messages SQLite and PostgreSQL produce.
  EXPECT_FALSE(leaksIn("UNIQUE constraint failed: rule_fields.display_name").empty());
  EXPECT_FALSE(leaksIn("duplicate key value violates unique constraint \"rulesets_identity\"").empty());
  EXPECT_FALSE(leaksIn("Key (field_id)=(27) already exists: rule_fields_field_id_key").empty());
  EXPECT_FALSE(leaksIn("{\"detail\":\"rule_field_versions_pkey\"}").empty());
  EXPECT_TRUE(leaksIn(R"({"error":"CONFLICT","details":{"field_key":"x","ruleset_key":"y"}})").empty());
}

TEST_F(ConflictLeak, DuplicateRuleFieldFromTheServiceCheck) {
  ASSERT_EQ(api.post("/api/v1/rule-fields", field("leak_velocity", "Velocity"), maker).status, 201);
  expectCleanConflict(api.post("/api/v1/rule-fields", field("leak_velocity", "Velocity"), maker),
                      "second POST /rule-fields");
  expectCleanConflict(api.post("/api/v1/rule-fields", field("amount", "Amount"), maker),
                      "POST /rule-fields for a standard field");
}

TEST_F(ConflictLeak, RuleFieldViolationTheServiceCannotSee) {
  // A unique index the service knows nothing about: its pre-check passes, the INSERT fails.
  adminSql("CREATE UNIQUE INDEX rule_fields_leak_probe ON rule_fields (display_name);");
  ASSERT_EQ(api.post("/api/v1/rule-fields", field("leak_one", "Same Name"), maker).status, 201);
  expectCleanConflict(api.post("/api/v1/rule-fields", field("leak_two", "Same Name"), maker),
                      "POST /rule-fields against a store-level unique index");
  EXPECT_EQ(api.get("/api/v1/rule-fields/leak_two", maker).status, 404) << "the failed create left nothing behind";
}

TEST_F(ConflictLeak, DuplicateRulesetIdentityFromTheServiceCheck) {
  ASSERT_EQ(api.post("/api/v1/rulesets", ruleset("IN", "first"), maker).status, 201);
  expectCleanConflict(api.post("/api/v1/rulesets", ruleset("IN", "second"), maker), "second POST /rulesets");
}

TEST_F(ConflictLeak, RulesetViolationTheServiceCannotSee) {
  adminSql("CREATE UNIQUE INDEX rulesets_leak_probe ON rulesets (name);");
  ASSERT_EQ(api.post("/api/v1/rulesets", ruleset("SG", "shared"), maker).status, 201);
  expectCleanConflict(api.post("/api/v1/rulesets", ruleset("HK", "shared"), maker),
                      "POST /rulesets against a store-level unique index");
}

TEST_F(ConflictLeak, RuleViolationTheServiceCannotSee) {
  // Rules have no natural key, so only a store-level index can make their create conflict.
  adminSql("CREATE UNIQUE INDEX rules_leak_probe ON rules (rule_name);");
  draftRuleVersion("unique name");
  boost::json::object tree{{"field", "amount"}, {"op", "GT"}, {"value", 10}};
  expectCleanConflict(
      api.post("/api/v1/rules", {{"rule_name", "unique name"}, {"rule_type", "AUTH"}, {"condition_tree", tree}}, maker),
      "POST /rules against a store-level unique index");
}

TEST_F(ConflictLeak, SecondSubmissionOfAPendingVersion) {
  const std::string rv = draftRuleVersion("submitted twice");
  ASSERT_EQ(api.post("/api/v1/rule-versions/" + rv + "/submit", boost::json::object{}, maker).status, 200);
  expectCleanConflict(api.post("/api/v1/rule-versions/" + rv + "/submit", boost::json::object{}, maker),
                      "second submit");
}

TEST_F(ConflictLeak, PendingApprovalInsertedBehindTheServicesBack) {
  // A PENDING approval row the workflow did not write: the version is still DRAFT, so the service
  // goes ahead and its INSERT meets approvals_one_pending.
  const std::string rv = draftRuleVersion("ghost approval");
  adminSql(
      "INSERT INTO approvals (approval_id, entity_type, entity_id, action, status, maker, maker_issuer, author, "
      "author_issuer, content_digest, created_at) VALUES ('" +
      uuid::v4() + "', 'RULE_VERSION', '" + rv +
      "', 'SUBMIT', 'PENDING', 'ghost', 'https://ghost/', 'ghost', 'https://ghost/', '" + std::string(64, 'a') +
      "', '2026-01-01T00:00:00.000000Z');");
  expectCleanConflict(api.post("/api/v1/rule-versions/" + rv + "/submit", boost::json::object{}, maker),
                      "submit with a pending approval already in the table");
}

}  // namespace
}  // namespace fraudgov
