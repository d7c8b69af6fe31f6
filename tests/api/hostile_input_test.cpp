// Issue 4 item 7: every route the server has, fed a table of hostile inputs — SQL
// metacharacters, NUL bytes, overlong UTF-8, 10 MB strings, 1,000-deep JSON, duplicate keys,
// wrong content types, path traversal in keys. Every answer is a 4xx problem (the harness also
// checks the security headers on each), the database is unchanged, and the server stays up.
// The routes come from the router itself, so a new route is covered the day it is added.
#include <gtest/gtest.h>

#include <regex>

#include "support/api_harness.h"

namespace fraudgov {

using testing::ApiHarness;

namespace {

const std::vector<std::string> kHostilePathValues = {
    "%27%20OR%201%3D1%20--",                   // ' OR 1=1 --
    "x%27%3B%20DROP%20TABLE%20rules%3B%20--",  // x'; DROP TABLE rules; --
    "..%2F..%2Fetc%2Fpasswd",                  // ../../etc/passwd
    "%2E%2E",                                  // ..
    "a%00b",                                   // NUL
    "%C0%AF",                                  // overlong UTF-8 for '/'
    "%E2%80%AE%F0%9F%92%B3",                   // RTL override + emoji
    std::string(4000, 'a'),                    // long
};

std::string withParams(const std::string& path_template, const std::string& value) {
  return std::regex_replace(path_template, std::regex("\\{[a-z_]+\\}"), value);
}

struct HostileBody {
  const char* name;
  std::string body;
  std::string content_type;
};

std::vector<HostileBody> hostileBodies() {
  return {
      {"sql in every member",
       R"({"field_key":"' OR 1=1 --","rule_name":"'; DROP TABLE rules; --","rule_type":"' OR 1=1",
        "display_name":"x","data_type":"STRING' OR '1'='1","allowed_operators":["EQ' OR 1=1"],
        "condition_tree":{"field":"' OR 1=1 --","op":"EQ","value":"x"},"meta_value":"' OR 1=1"})",
       "application/json"},
      {"nul bytes",
       R"({"field_key":"a\u0000b","rule_name":"\u0000","rule_type":"AUTH\u0000","meta_value":{"k":"\u0000"}})",
       "application/json"},
      {"overlong utf-8", "{\"field_key\":\"\xc0\xaf\"}", "application/json"},
      {"lone surrogate", R"({"field_key":"\ud800"})", "application/json"},
      {"10 MB string", "{\"field_key\":\"" + std::string(10 * 1024 * 1024, 'a') + "\"}", "application/json"},
      {"1,000-deep JSON", std::string(1000, '[') + std::string(1000, ']'), "application/json"},
      {"duplicate keys", R"({"rule_type":"AUTH","rule_type":"BLOCKLIST","field_key":"a","field_key":"b"})",
       "application/json"},
      {"wrong content type", R"({"field_key":"x"})", "text/plain"},
      {"form post", "field_key=x&display_name=y", "application/x-www-form-urlencoded"},
      {"not json", "<xml/>", "application/json"},
      {"json array", "[1,2,3]", "application/json"},
  };
}

struct Snapshot {
  std::int64_t audit_rows = 0;
  std::size_t fields = 0;
  std::size_t rules = 0;
};

Snapshot snapshot(ApiHarness& api, const std::string& token) {
  Snapshot s;
  s.audit_rows = api.get("/api/v1/audit-log/verify", token).json().at("checked").as_int64();
  s.fields = api.get("/api/v1/rule-fields", token).json().as_array().size();
  s.rules = api.get("/api/v1/rules?limit=100", token).json().at("items").as_array().size();
  return s;
}

bool takesBody(http::Method m) {
  return m == http::Method::kPost || m == http::Method::kPut || m == http::Method::kPatch;
}

}  // namespace

TEST(HostileInput, EveryRouteAnswersEveryHostileInputWithA4xxProblem) {
  ApiHarness api;
  const std::string admin = api.adminToken();  // passes every permission check: input validation is what answers
  const Snapshot before = snapshot(api, admin);
  const auto routes = api.runtime().routes();
  ASSERT_GT(routes.size(), 20u);
  std::size_t requests = 0;

  for (const auto& route : routes) {
    const std::string method(http::methodName(route.method));
    const bool templated = route.path_template.find('{') != std::string::npos;
    if (templated) {
      for (const auto& value : kHostilePathValues) {
        const std::string path = withParams(route.path_template, value);
        auto r = api.send(method, path, takesBody(route.method) ? "{}" : "",
                          {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}});
        ++requests;
        EXPECT_GE(r.status, 400) << method << " " << path;
        EXPECT_LT(r.status, 500) << method << " " << path;
      }
    }
    if (takesBody(route.method)) {
      // Real-looking ids so the body, not the path, is what gets judged.
      const std::string path = withParams(route.path_template, "01900000-0000-7000-8000-000000000000");
      for (const auto& hostile : hostileBodies()) {
        auto r = api.send(method, path, hostile.body,
                          {{"Authorization", "Bearer " + admin}, {"Content-Type", hostile.content_type}});
        ++requests;
        EXPECT_GE(r.status, 400) << method << " " << path << " with " << hostile.name;
        EXPECT_LT(r.status, 500) << method << " " << path << " with " << hostile.name;
      }
    }
  }
  // Strictly typed query parameters on the lists.
  for (const char* query : {"limit=%27%20OR%201%3D1", "cursor=%27%20OR%201%3D1%20--", "direction=%00", "limit=1e9",
                            "entity_type=RULE%27%20OR%201%3D1", "entity_id=..%2F..%2Fetc", "since=%C0%AF",
                            "status=PENDING%00", "rule_type=AUTH%27--", "limit=1&limit=2"}) {
    for (const char* list : {"/api/v1/audit-log", "/api/v1/rules", "/api/v1/approvals"}) {
      const std::string path = std::string(list) + "?" + query;
      auto r = api.get(path, admin);
      ++requests;
      if (std::string(list) == "/api/v1/rules" && std::string(query).starts_with("entity_"))
        continue;  // not its filter
      if (std::string(list) == "/api/v1/audit-log" && std::string(query).starts_with("status")) continue;
      if (std::string(list) != "/api/v1/rules" && std::string(query).starts_with("rule_type")) continue;
      if (std::string(list) == "/api/v1/rules" && std::string(query).starts_with("since")) continue;
      if (std::string(list) == "/api/v1/approvals" && std::string(query).starts_with("since")) continue;
      EXPECT_GE(r.status, 400) << path;
      EXPECT_LT(r.status, 500) << path;
    }
  }
  // Free-text filters take anything and find nothing; the text is a bound value, not SQL.
  for (const char* query : {"performed_by=%27%20OR%201%3D1%20--", "action=%27%3B%20DROP%20TABLE%20audit_log%3B--"}) {
    auto r = api.get(std::string("/api/v1/audit-log?") + query, admin);
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.json().at("items").as_array().empty()) << query;
  }
  auto by_name = api.get("/api/v1/rules?rule_name=%27%20OR%201%3D1%20--", admin);
  EXPECT_EQ(by_name.status, 200);
  EXPECT_TRUE(by_name.json().at("items").as_array().empty());

  EXPECT_GT(requests, 200u) << "the table shrank: did routes disappear?";
  const Snapshot after = snapshot(api, admin);
  EXPECT_EQ(after.audit_rows, before.audit_rows) << "no hostile request changed anything";
  EXPECT_EQ(after.fields, before.fields);
  EXPECT_EQ(after.rules, before.rules);
  EXPECT_TRUE(api.get("/api/v1/audit-log/verify", admin).json().at("ok").as_bool());
  EXPECT_EQ(api.get("/api/v1/health", "").status, 200) << "the server stays up";
}

}  // namespace fraudgov
