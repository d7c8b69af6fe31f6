// The rule-field catalog over HTTP, against SQLite and PostgreSQL (predecessor-spec §8.2, §15.2).
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

boost::json::object newField(std::string key) {
  return {{"field_key", std::move(key)},
          {"display_name", "Velocity 1h"},
          {"data_type", "NUMBER"},
          {"allowed_operators", {"EQ", "GT", "LT", "GTE", "LTE", "BETWEEN"}}};
}

std::size_t auditCount(ApiHarness& api, const std::string& query) {
  auto r = api.get("/api/v1/audit-log?limit=1000&" + query, api.viewerToken());
  EXPECT_EQ(r.status, 200);
  return r.json().at("items").as_array().size();
}

}  // namespace

class CatalogApi : public ::testing::Test {
 protected:
  ApiHarness api;
};

TEST_F(CatalogApi, ListsTheSeededStandardFieldsAsAPlainArray) {
  auto r = api.get("/api/v1/rule-fields", api.viewerToken());
  ASSERT_EQ(r.status, 200);
  const auto body = r.json();
  const auto& fields = body.as_array();
  ASSERT_EQ(fields.size(), 26u);
  EXPECT_EQ(fields[0].at("field_key").as_string(), "transaction_id");
  EXPECT_EQ(fields[0].at("field_id").as_int64(), 1);
  auto amount = api.get("/api/v1/rule-fields/amount", api.viewerToken());
  ASSERT_EQ(amount.status, 200);
  const auto amount_body = amount.json();
  const auto& a = amount_body.as_object();
  EXPECT_EQ(a.at("display_name").as_string(), "Amount");
  EXPECT_EQ(a.at("data_type").as_string(), "NUMBER");
  for (const char* member :
       {"field_key", "field_id", "display_name", "description", "data_type", "allowed_operators", "multi_value_allowed",
        "is_sensitive", "current_version", "version", "created_by", "created_at", "updated_at"}) {
    EXPECT_TRUE(a.contains(member)) << member;
  }
}

TEST_F(CatalogApi, CreateKeepsOperatorOrderAndIgnoresUnknownMembers) {
  auto body = newField("velocity_1h");
  body["is_active"] = true;
  body["field_id"] = 5;
  auto r = api.post("/api/v1/rule-fields", body, api.makerToken());
  ASSERT_EQ(r.status, 201) << r.body;
  const auto created = r.json();
  const auto& f = created.as_object();
  EXPECT_EQ(f.at("field_id").as_int64(), 27);
  EXPECT_EQ(f.at("created_by").as_string(), "maker-1");
  EXPECT_EQ(boost::json::serialize(f.at("allowed_operators")), R"(["EQ","GT","LT","GTE","LTE","BETWEEN"])");
  EXPECT_EQ(f.at("multi_value_allowed").as_bool(), false);
  auto again = api.get("/api/v1/rule-fields/velocity_1h", api.viewerToken());
  EXPECT_EQ(again.json().at("allowed_operators"), f.at("allowed_operators"));
  EXPECT_EQ(auditCount(api, "entity_type=RULE_FIELD&action=CREATE&performed_by=maker-1"), 1u);
}

TEST_F(CatalogApi, DuplicateIsAConflict) {
  ASSERT_EQ(api.post("/api/v1/rule-fields", newField("velocity_1h"), api.makerToken()).status, 201);
  auto r = api.post("/api/v1/rule-fields", newField("velocity_1h"), api.makerToken());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.json().at("error").as_string(), "ConflictError");
  EXPECT_EQ(r.json().at("details").at("field_key").as_string(), "velocity_1h");
}

TEST_F(CatalogApi, RefusesBadFieldDefinitionsWithPaths) {
  const std::string token = api.makerToken();
  struct Case {
    const char* name;
    boost::json::object body;
    const char* path;
  };
  std::vector<Case> cases;
  auto with = [](const char* key, boost::json::value v) {
    auto b = newField("good_key");
    b[key] = std::move(v);
    return b;
  };
  auto without = [](const char* key) {
    auto b = newField("good_key");
    b.erase(key);
    return b;
  };
  cases.push_back({"empty key", with("field_key", ""), "field_key"});
  cases.push_back({"whitespace key", with("field_key", "   "), "field_key"});
  cases.push_back({"nul key", with("field_key", boost::json::string(std::string("a\0b", 3))), "field_key"});
  cases.push_back({"long key", with("field_key", boost::json::string(std::string(101, 'a'))), "field_key"});
  cases.push_back({"upper key", with("field_key", "Amount"), "field_key"});
  cases.push_back({"sql key", with("field_key", "x'; DROP TABLE rule_fields; --"), "field_key"});
  cases.push_back({"traversal key", with("field_key", "../../etc/passwd"), "field_key"});
  cases.push_back({"double underscore", with("field_key", "a__b"), "field_key"});
  cases.push_back({"numeric key", with("field_key", 7), "field_key"});
  cases.push_back({"empty name", with("display_name", ""), "display_name"});
  cases.push_back({"null name", with("display_name", nullptr), "display_name"});
  cases.push_back({"long name", with("display_name", boost::json::string(std::string(256, 'x'))), "display_name"});
  cases.push_back({"bad type", with("data_type", "MONEY"), "data_type"});
  cases.push_back({"lowercase type", with("data_type", "number"), "data_type"});
  cases.push_back({"no operators", with("allowed_operators", boost::json::array{}), "allowed_operators"});
  cases.push_back({"operators not list", with("allowed_operators", "EQ"), "allowed_operators"});
  cases.push_back({"unknown operator", with("allowed_operators", {"EQ", "NOT_CONTAINS"}), "allowed_operators[1]"});
  cases.push_back({"operator for wrong type", with("allowed_operators", {"REGEX"}), "allowed_operators[0]"});
  cases.push_back({"bool as string", with("is_sensitive", "yes"), "is_sensitive"});
  cases.push_back(
      {"long description", with("description", boost::json::string(std::string(1001, 'd'))), "description"});
  cases.push_back({"missing key", without("field_key"), "field_key"});
  cases.push_back({"missing type", without("data_type"), "data_type"});
  for (const auto& c : cases) {
    auto r = api.post("/api/v1/rule-fields", c.body, token);
    ASSERT_EQ(r.status, 422) << c.name << ": " << r.body;
    bool found = false;
    const auto problem = r.json();
    for (const auto& e : problem.at("details").at("errors").as_array()) {
      found = found || e.at("path").as_string() == c.path;
    }
    EXPECT_TRUE(found) << c.name << ": " << r.body;
  }
  EXPECT_EQ(api.get("/api/v1/rule-fields", token).json().as_array().size(), 26u);
}

TEST_F(CatalogApi, StoresUntrustedTextVerbatim) {
  const std::string token = api.makerToken();
  int n = 0;
  for (const char* raw :
       {"<script>alert(1)</script>", "💳 Card 🚀 ünïcödé", "Robert'); DROP TABLE x;--", "line\nbreak\ttab"}) {
    const std::string name(raw);
    auto body = newField("text_" + std::to_string(++n));
    body["display_name"] = name;
    auto r = api.post("/api/v1/rule-fields", body, token);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json().at("display_name").as_string(), name);
    auto back = api.get("/api/v1/rule-fields/" + std::string(body["field_key"].as_string()), token);
    EXPECT_EQ(back.json().at("display_name").as_string(), name);
  }
}

TEST_F(CatalogApi, PatchUpdatesAndWritesAVersion) {
  const std::string token = api.makerToken();
  ASSERT_EQ(api.post("/api/v1/rule-fields", newField("velocity_1h"), token).status, 201);
  auto r = api.patch("/api/v1/rule-fields/velocity_1h",
                     {{"display_name", "Velocity (1h)"}, {"description", "per card"}, {"field_key", "hijack"}}, token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("field_key").as_string(), "velocity_1h");
  EXPECT_EQ(r.json().at("display_name").as_string(), "Velocity (1h)");
  EXPECT_EQ(r.json().at("version").as_int64(), 2);
  EXPECT_EQ(r.json().at("current_version").as_int64(), 2);
  auto versions = api.get("/api/v1/rule-fields/velocity_1h/versions", token);
  ASSERT_EQ(versions.status, 200);
  EXPECT_EQ(versions.json().as_array().size(), 2u);
  EXPECT_EQ(auditCount(api, "entity_type=RULE_FIELD&action=UPDATE"), 1u);

  // explicit null on a non-nullable member is a 422 (the predecessor answered 500)
  for (const char* member : {"display_name", "data_type", "allowed_operators", "multi_value_allowed", "is_sensitive"}) {
    auto bad = api.patch("/api/v1/rule-fields/velocity_1h", {{member, nullptr}}, token);
    EXPECT_EQ(bad.status, 422) << member;
  }
  auto cleared = api.patch("/api/v1/rule-fields/velocity_1h", {{"description", nullptr}}, token);
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(cleared.json().at("description").is_null());
  EXPECT_EQ(api.patch("/api/v1/rule-fields/nope", {{"display_name", "x"}}, token).status, 404);
  EXPECT_EQ(api.patch("/api/v1/rule-fields/velocity_1h", boost::json::array{}, token).status, 422);
}

TEST_F(CatalogApi, MetadataLifecycle) {
  const std::string maker = api.makerToken();
  const std::string viewer = api.viewerToken();
  auto empty = api.get("/api/v1/rule-fields/amount/metadata", viewer);
  ASSERT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.json().as_array().empty());
  boost::json::object value{
      {"aggregation", "COUNT"}, {"window", {{"value", 10}, {"unit", "MINUTES"}}}, {"group_by", {"CARD"}}};
  auto put = api.put("/api/v1/rule-fields/amount/metadata/velocity", {{"meta_value", value}}, maker);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json().at("meta_value"), value);
  ASSERT_EQ(api.put("/api/v1/rule-fields/amount/metadata/display", {{"meta_value", {{"unit", "EUR"}}}}, maker).status,
            200);
  auto list = api.get("/api/v1/rule-fields/amount/metadata", viewer);
  ASSERT_EQ(list.json().as_array().size(), 2u);
  EXPECT_EQ(list.json().as_array()[0].at("meta_key").as_string(), "display");
  value["aggregation"] = "SUM";
  auto update = api.put("/api/v1/rule-fields/amount/metadata/velocity", {{"meta_value", value}}, maker);
  EXPECT_EQ(update.json().at("meta_value").at("aggregation").as_string(), "SUM");

  EXPECT_EQ(
      api.put("/api/v1/rule-fields/amount/metadata/velocity", {{"meta_value", boost::json::object{}}}, maker).status,
      422);
  EXPECT_EQ(api.put("/api/v1/rule-fields/amount/metadata/velocity", {{"meta_value", "text"}}, maker).status, 422);
  EXPECT_EQ(api.put("/api/v1/rule-fields/amount/metadata/velocity", boost::json::object{}, maker).status, 422);
  EXPECT_EQ(api.put("/api/v1/rule-fields/nope/metadata/velocity", {{"meta_value", value}}, maker).status, 404);
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount/metadata/missing", viewer).status, 404);
  EXPECT_EQ(api.get("/api/v1/rule-fields/nope/metadata", viewer).status, 404);

  auto deleted = api.del("/api/v1/rule-fields/amount/metadata/velocity", maker);
  EXPECT_EQ(deleted.status, 204);
  EXPECT_TRUE(deleted.body.empty());
  EXPECT_EQ(api.get("/api/v1/rule-fields/amount/metadata/velocity", viewer).status, 404);
  EXPECT_EQ(api.del("/api/v1/rule-fields/amount/metadata/velocity", maker).status, 404);
  EXPECT_EQ(auditCount(api, "entity_type=RULE_FIELD_METADATA"), 4u);
  EXPECT_EQ(auditCount(api, "entity_type=RULE_FIELD_METADATA&action=DELETE"), 1u);
}

TEST_F(CatalogApi, PermissionsFollowThePredecessorMatrix) {
  const std::string reader = api.token("reader", {"rule:read"});
  const std::string nobody = api.token("nobody", {});
  EXPECT_EQ(api.post("/api/v1/rule-fields", newField("f_one"), reader).status, 403);
  EXPECT_EQ(api.post("/api/v1/rule-fields", newField("f_one"), nobody).status, 403);
  EXPECT_EQ(api.patch("/api/v1/rule-fields/amount", {{"display_name", "x"}}, reader).status, 403);
  EXPECT_EQ(api.put("/api/v1/rule-fields/amount/metadata/m", {{"meta_value", {{"a", 1}}}}, reader).status, 403);
  EXPECT_EQ(api.del("/api/v1/rule-fields/amount/metadata/m", api.token("u", {"rule_field:update"})).status, 403);
  // any authenticated caller may read
  EXPECT_EQ(api.get("/api/v1/rule-fields", nobody).status, 200);
  // PLATFORM_ADMIN passes every permission check
  EXPECT_EQ(api.post("/api/v1/rule-fields", newField("f_admin"), api.adminToken()).status, 201);
  // permission checks come before body validation: a 403 reveals nothing about the body
  EXPECT_EQ(api.send("POST", "/api/v1/rule-fields", "{broken",
                     {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + reader}})
                .status,
            403);
  // no token at all
  for (const char* path : {"/api/v1/rule-fields", "/api/v1/rule-fields/amount", "/api/v1/rule-fields/amount/metadata",
                           "/api/v1/audit-log", "/api/v1/audit-log/verify"}) {
    auto r = api.get(path, "");
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.header("WWW-Authenticate").value_or(""), "Bearer realm=\"fraudgov\"") << path;
  }
  EXPECT_EQ(api.post("/api/v1/rule-fields", newField("f_two"), "").status, 401);
}

TEST_F(CatalogApi, MalformedPathKeysAreNotFound) {
  const std::string token = api.viewerToken();
  for (const char* path : {"/api/v1/rule-fields/AMOUNT", "/api/v1/rule-fields/a%00b", "/api/v1/rule-fields/..%2f..",
                           "/api/v1/rule-fields/%27%20OR%201%3D1%20--", "/api/v1/rule-fields/amount/metadata/%00",
                           "/api/v1/rule-fields/amount/metadata/..%2Fx"}) {
    auto r = api.get(path, token);
    EXPECT_EQ(r.status, 404) << path;
  }
}

}  // namespace fraudgov
