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

// Every other value a decoder must know, corrupted the way an owner with SQL access could
// (CHECK constraints and immutability triggers out of the way), on a row nobody has read yet.
struct Corruption {
  const char* name;
  const char* pg_sql;      // %ID% is the row's id
  const char* sqlite_sql;
  const char* path;        // %ID% as above
};

class CorruptValues : public ::testing::TestWithParam<Corruption> {};

TEST_P(CorruptValues, AnswerA500ClassProblemNamingNothingInternal) {
  const Corruption& c = GetParam();
  testing::ApiHarness api;
  const std::string maker = api.makerToken();
  std::string id;
  if (std::string_view(c.path).starts_with("/api/v1/rule-fields")) {
    auto field = api.post("/api/v1/rule-fields",
                          {{"field_key", "corrupt_probe"}, {"display_name", "Probe"}, {"data_type", "NUMBER"},
                           {"allowed_operators", boost::json::array{"GT"}}},
                          maker);
    ASSERT_EQ(field.status, 201) << field.body;
    id = "corrupt_probe";
  } else {
    auto rule = api.post("/api/v1/rules",
                         {{"rule_name", "r"},
                          {"rule_type", "AUTH"},
                          {"condition_tree", {{"field", "amount"}, {"op", "GT"}, {"value", 1}}}},
                         maker);
    ASSERT_EQ(rule.status, 201) << rule.body;
    auto versions = api.get("/api/v1/rules/" + std::string(rule.json().at("rule_id").as_string()) + "/versions", maker);
    ASSERT_EQ(versions.status, 200) << versions.body;
    id = std::string(versions.json().as_array().at(0).at("rule_version_id").as_string());
  }
  auto withId = [&](std::string text) {
    for (std::size_t at; (at = text.find("%ID%")) != std::string::npos;) text.replace(at, 4, id);
    return text;
  };
  const bool postgres = testing::currentBackend() == testing::Backend::kPostgres;
  testing::runAdminSql(api.runtime().database(), withId(postgres ? c.pg_sql : c.sqlite_sql));
  auto r = api.get(withId(c.path), maker);
  EXPECT_EQ(r.status, 500) << c.name << ": " << r.body;
  EXPECT_EQ(std::string(r.json().at("error").as_string()), "InternalServerError") << r.body;
  for (const char* internal : {"BOGUS", "table", "column", "rule_versions", "rule_fields", "condition_tree"}) {
    EXPECT_EQ(r.body.find(internal), std::string::npos) << internal << " in " << r.body;
  }
}

constexpr const char* kPgVersionOwner =
    "SET session_replication_role = replica; "
    "ALTER TABLE rule_versions DROP CONSTRAINT IF EXISTS rule_versions_action_check; "
    "ALTER TABLE rule_versions DROP CONSTRAINT IF EXISTS rule_versions_status_check; ";
constexpr const char* kSqliteVersionOwner =
    "PRAGMA ignore_check_constraints = ON; DROP TRIGGER IF EXISTS rule_versions_content_immutable; "
    "DROP TRIGGER IF EXISTS rule_versions_status_flow; ";

std::string pgVersion(const char* set) {
  return std::string(kPgVersionOwner) + "UPDATE rule_versions SET " + set + " WHERE rule_version_id = '%ID%';";
}
std::string sqliteVersion(const char* set) {
  return std::string(kSqliteVersionOwner) + "UPDATE rule_versions SET " + set + " WHERE rule_version_id = '%ID%';";
}

const std::string kPgAction = pgVersion("action = 'BOGUS'");
const std::string kSqliteAction = sqliteVersion("action = 'BOGUS'");
const std::string kPgStatus = pgVersion("status = 'BOGUS'");
const std::string kSqliteStatus = sqliteVersion("status = 'BOGUS'");
const std::string kPgTree = pgVersion("condition_tree = '[1]'::jsonb");
const std::string kSqliteTree = sqliteVersion("condition_tree = '{\"op\": '");
const std::string kSqliteCreatedAt = sqliteVersion("created_at = 'BOGUS'");

INSTANTIATE_TEST_SUITE_P(
    EveryDecodedValue, CorruptValues,
    ::testing::Values(
        Corruption{"action", kPgAction.c_str(), kSqliteAction.c_str(), "/api/v1/rule-versions/%ID%"},
        Corruption{"status", kPgStatus.c_str(), kSqliteStatus.c_str(), "/api/v1/rule-versions/%ID%"},
        Corruption{"condition_tree", kPgTree.c_str(), kSqliteTree.c_str(), "/api/v1/rule-versions/%ID%"},
        // A timestamp no parser reads (PostgreSQL's column type cannot hold one: same case as status there).
        Corruption{"created_at", kPgStatus.c_str(), kSqliteCreatedAt.c_str(), "/api/v1/rule-versions/%ID%"},
        Corruption{"data_type",
                   "SET session_replication_role = replica; "
                   "ALTER TABLE rule_fields DROP CONSTRAINT IF EXISTS rule_fields_data_type_check; "
                   "UPDATE rule_fields SET data_type = 'BOGUS' WHERE field_key = '%ID%';",
                   "PRAGMA ignore_check_constraints = ON; "
                   "UPDATE rule_fields SET data_type = 'BOGUS' WHERE field_key = '%ID%';",
                   "/api/v1/rule-fields/%ID%"}),
    [](const ::testing::TestParamInfo<Corruption>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace fraudgov
