// Issue 11 item 4: a stored value the code does not know is an error, never a default. A row
// corrupted with plain SQL (its CHECK constraint dropped first, as an attacker with SQL access
// could) answers a 500-class problem that names nothing internal, and changes nothing.
#include <gtest/gtest.h>

#include "support/api_harness.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov {
namespace {

// The value of one series in the runtime's /metrics exposition (scraped over HTTP from loopback,
// which needs no token outside prod); -1 when the series is absent.
double seriesValue(testing::ApiHarness& api, const std::string& series) {
  auto r = api.send("GET", "/metrics");
  EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
  const std::string prefix = series + " ";
  for (std::size_t at = 0; at < r.body.size();) {
    const std::size_t end = std::min(r.body.find('\n', at), r.body.size());
    const std::string_view line(r.body.data() + at, end - at);
    if (line.starts_with(prefix)) return std::stod(std::string(line.substr(prefix.size())));
    at = end + 1;
  }
  return -1;
}

constexpr const char* kCorruptRules = "fraudgov_store_corrupt_rows_total{table=\"rules\"}";

TEST(CorruptRows, AnUnknownRuleTypeIsAnErrorNotADefault) {
  testing::ApiHarness api;
  const std::string maker = api.makerToken();
  auto rule = api.post("/api/v1/rules",
                       {{"rule_name", "r"},
                        {"rule_type", "AUTH"},
                        {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 1}}}},
                       maker);
  ASSERT_EQ(rule.status, 201);
  const std::string id(rule.json().at("rule_id").as_string());
  EXPECT_LE(seriesValue(api, kCorruptRules), 0) << "nothing corrupt yet";
  const bool postgres = testing::currentBackend() == testing::Backend::kPostgres;
  testing::runAdminSql(api.runtime().database(),
                       postgres ? "ALTER TABLE rules DROP CONSTRAINT rules_rule_type_check; "
                                  "UPDATE rules SET rule_type = 'BOGUS' WHERE rule_id = '" + id + "';"
                                : "PRAGMA ignore_check_constraints = ON; "
                                  "UPDATE rules SET rule_type = 'BOGUS' WHERE rule_id = '" + id + "';");
  for (const std::string& path : std::vector<std::string>{"/api/v1/rules/" + id, "/api/v1/rules?limit=10"}) {
    auto r = api.get(path, maker);
    EXPECT_EQ(r.status, 500) << path << " " << r.body;
    for (const char* internal : {"BOGUS", "rule_type", "rules", "column", "table"}) {
      EXPECT_EQ(r.body.find(internal), std::string::npos) << internal << " in " << r.body;
    }
    EXPECT_EQ(std::string(r.json().at("error").as_string()), "InternalServerError");
  }
  // ...and a metric counts it, by table, in this runtime's registry.
  EXPECT_GE(seriesValue(api, kCorruptRules), 2) << "one per failed read at least";
  // Nothing is derived from the coerced value: a new version on the corrupted rule is refused too.
  auto version = api.post("/api/v1/rules/" + id + "/versions",
                          {{"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 2}}}}, maker);
  EXPECT_EQ(version.status, 500) << version.body;
}

}  // namespace
}  // namespace fraudgov
