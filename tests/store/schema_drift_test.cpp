// The SQLite and PostgreSQL schemas are written twice (src/store/sqlite/schema.cpp and
// src/store/postgres/schema.cpp). Repositories are written once against both, so a column, unique
// rule or index present in one backend only is a bug that surfaces in production only. This test
// migrates one database of each kind and compares what the databases themselves report.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "store/database.h"
#include "support/test_database.h"
#include "support/test_env.h"

namespace fraudgov::store {
namespace {

// One line per fact ("rules: column rule_id text NOT NULL"); two schemas agree when their fact
// sets are equal, and the set differences are the readable diff.
using Facts = std::set<std::string>;

Rows mustQuery(SqlSession& s, const Sql& sql, std::span<const SqlParam> params = {}) {
  auto rows = s.query(sql, params);
  EXPECT_TRUE(rows) << sql.name << ": " << (rows ? "" : rows.error().message);
  return rows ? std::move(*rows) : Rows{};
}

// SQLite declares TEXT or INTEGER; PostgreSQL's richer types map onto those families (SQLite keeps
// ids, timestamps and JSON as TEXT, see sqlite/schema.cpp). Booleans are their own family: in
// SQLite an INTEGER constrained to 0/1 (sqliteBooleans), in PostgreSQL BOOLEAN.
std::string typeFamily(std::string type) {
  std::transform(type.begin(), type.end(), type.begin(), [](unsigned char c) { return std::tolower(c); });
  static const std::map<std::string, std::string> kFamilies = {
      {"text", "text"},      {"uuid", "text"},        {"timestamp with time zone", "text"},
      {"jsonb", "text"},     {"json", "text"},        {"integer", "integer"},
      {"bigint", "integer"}, {"smallint", "integer"}, {"boolean", "boolean"},
  };
  auto it = kFamilies.find(type);
  return it == kFamilies.end() ? "unmapped:" + type : it->second;
}

std::string columnSet(std::vector<std::string> columns) {
  std::sort(columns.begin(), columns.end());
  std::string out = "(";
  for (std::size_t i = 0; i < columns.size(); ++i) out += (i ? "," : "") + columns[i];
  return out + ")";
}

const std::regex kBooleanCheck("CHECK\\s*\\(\\s*(\\w+)\\s+IN\\s*\\(\\s*0\\s*,\\s*1\\s*\\)\\s*\\)", std::regex::icase);

// The columns a CREATE TABLE constrains to 0/1: SQLite's spelling of BOOLEAN.
std::set<std::string> sqliteBooleans(const std::string& create_sql) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(create_sql.begin(), create_sql.end(), kBooleanCheck);
       it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

// Table-level and column-level CHECKs alike; comments are dropped first so prose cannot count.
// "CHECK (flag IN (0, 1))" is how SQLite spells the BOOLEAN type (PostgreSQL's type enforces the
// same without a constraint), so it is part of the column type here, not a CHECK to compare.
int countChecks(const std::string& create_sql) {
  std::string code = std::regex_replace(create_sql, std::regex("--[^\n]*"), "");
  code = std::regex_replace(code, kBooleanCheck, "");
  const std::regex check("\\bCHECK\\s*\\(", std::regex::icase);
  return static_cast<int>(std::distance(std::sregex_iterator(code.begin(), code.end(), check), std::sregex_iterator()));
}

// ---- SQLite ----------------------------------------------------------------------------------

void sqliteColumns(SqlSession& s, const std::string& table, const std::string& create_sql, Facts& facts) {
  const auto booleans = sqliteBooleans(create_sql);
  const SqlParam p[] = {table};
  std::vector<std::pair<int, std::string>> pk;
  for (const auto& r : mustQuery(s, {"t_cols", "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)"}, p)) {
    const bool pk_column = r.text(3) != "0";
    // STRICT tables make PRIMARY KEY columns NOT NULL even where the PRAGMA does not say so.
    const bool not_null = r.text(2) != "0" || pk_column;
    const std::string family = booleans.count(r.text(0)) ? "boolean" : typeFamily(r.text(1));
    facts.insert(table + ": column " + r.text(0) + " " + family + (not_null ? " NOT NULL" : " NULL"));
    if (pk_column) pk.emplace_back(std::stoi(r.text(3)), r.text(0));
  }
  std::vector<std::string> names;
  for (auto& [_, name] : pk) names.push_back(name);
  if (!names.empty()) facts.insert(table + ": primary key " + columnSet(names));
}

void sqliteIndexes(SqlSession& s, const std::string& table, Facts& facts) {
  const SqlParam p[] = {table};
  for (const auto& r :
       mustQuery(s, {"t_idx", "SELECT name, \"unique\", origin, partial FROM pragma_index_list($1)"}, p)) {
    const std::string origin = r.text(2);
    if (origin == "c") facts.insert(table + ": index " + r.text(0));
    if (r.text(1) == "0" || origin == "pk") continue;
    const SqlParam ip[] = {r.text(0)};
    std::vector<std::string> columns;
    for (const auto& c : mustQuery(s, {"t_idx_cols", "SELECT name FROM pragma_index_info($1)"}, ip)) {
      columns.push_back(c.text(0));
    }
    facts.insert(table + ": unique " + columnSet(columns) + (r.text(3) != "0" ? " partial" : ""));
  }
}

void sqliteForeignKeys(SqlSession& s, const std::string& table, Facts& facts) {
  const SqlParam p[] = {table};
  for (const auto& r :
       mustQuery(s, {"t_fk", "SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list($1)"}, p)) {
    facts.insert(table + ": foreign key " + r.text(0) + " -> " + r.text(1) + "." + r.optionalText(2).value_or("?"));
  }
}

Facts sqliteFacts(Database& db) {
  Facts facts;
  auto status = db.withSession([&](SqlSession& s) -> Status {
    const Sql tables{"t_tables",
                     "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"};
    for (const auto& r : mustQuery(s, tables)) {
      const std::string table = r.text(0);
      facts.insert("table " + table);
      facts.insert(table + ": checks " + std::to_string(countChecks(r.text(1))));
      sqliteColumns(s, table, r.text(1), facts);
      sqliteIndexes(s, table, facts);
      sqliteForeignKeys(s, table, facts);
    }
    return {};
  });
  EXPECT_TRUE(status);
  return facts;
}

// ---- PostgreSQL ------------------------------------------------------------------------------

constexpr Sql kPgTables{"t_tables",
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"};
constexpr Sql kPgColumns{"t_cols",
                         "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns "
                         "WHERE table_schema = 'public'"};
constexpr Sql kPgPrimaryKeys{
    "t_pk",
    "SELECT tc.table_name, string_agg(kcu.column_name, ',') FROM information_schema.table_constraints tc "
    "JOIN information_schema.key_column_usage kcu "
    "  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema "
    "WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY' GROUP BY tc.table_name"};
// Unique constraints and unique indexes alike (SQLite reports both as unique indexes).
constexpr Sql kPgUniques{
    "t_unique",
    "SELECT t.relname, array_to_string(ARRAY(SELECT a.attname FROM unnest(x.indkey) k "
    "  JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k), ','), x.indpred IS NOT NULL "
    "FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace "
    "WHERE n.nspname = 'public' AND x.indisunique AND NOT x.indisprimary"};
// Named indexes only: the ones backing a PRIMARY KEY or UNIQUE constraint are implicit.
constexpr Sql kPgIndexes{"t_idx",
                         "SELECT tablename, indexname FROM pg_indexes WHERE schemaname = 'public' "
                         "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))"};
constexpr Sql kPgChecks{"t_checks",
                        "SELECT tc.table_name, count(*) FROM information_schema.table_constraints tc "
                        "JOIN information_schema.check_constraints cc "
                        "  ON cc.constraint_name = tc.constraint_name AND cc.constraint_schema = tc.table_schema "
                        "WHERE tc.table_schema = 'public' AND tc.constraint_type = 'CHECK' "
                        "AND tc.constraint_name NOT LIKE '%_not_null' GROUP BY tc.table_name"};
constexpr Sql kPgForeignKeys{"t_fk",
                             "SELECT kcu.table_name, kcu.column_name, ccu.table_name, ccu.column_name "
                             "FROM information_schema.table_constraints tc "
                             "JOIN information_schema.key_column_usage kcu "
                             "  ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema "
                             "JOIN information_schema.constraint_column_usage ccu "
                             "  ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema "
                             "WHERE tc.table_schema = 'public' AND tc.constraint_type = 'FOREIGN KEY'"};

void postgresColumnsAndKeys(SqlSession& s, Facts& facts) {
  for (const auto& r : mustQuery(s, kPgColumns)) {
    facts.insert(r.text(0) + ": column " + r.text(1) + " " + typeFamily(r.text(2)) +
                 (r.text(3) == "NO" ? " NOT NULL" : " NULL"));
  }
  for (const auto& r : mustQuery(s, kPgPrimaryKeys)) {
    std::vector<std::string> columns;
    std::stringstream in(r.text(1));
    for (std::string c; std::getline(in, c, ',');) columns.push_back(c);
    facts.insert(r.text(0) + ": primary key " + columnSet(columns));
  }
  for (const auto& r : mustQuery(s, kPgForeignKeys)) {
    facts.insert(r.text(0) + ": foreign key " + r.text(1) + " -> " + r.text(2) + "." + r.text(3));
  }
}

void postgresConstraintsAndIndexes(SqlSession& s, Facts& facts) {
  for (const auto& r : mustQuery(s, kPgUniques)) {
    std::vector<std::string> columns;
    std::stringstream in(r.text(1));
    for (std::string c; std::getline(in, c, ',');) columns.push_back(c);
    facts.insert(r.text(0) + ": unique " + columnSet(columns) + (r.boolean(2) ? " partial" : ""));
  }
  for (const auto& r : mustQuery(s, kPgIndexes)) facts.insert(r.text(0) + ": index " + r.text(1));
  std::map<std::string, std::string> checks;
  for (const auto& r : mustQuery(s, kPgChecks)) checks[r.text(0)] = r.text(1);
  for (const auto& r : mustQuery(s, kPgTables)) {
    facts.insert("table " + r.text(0));
    facts.insert(r.text(0) + ": checks " + (checks.count(r.text(0)) ? checks[r.text(0)] : "0"));
  }
}

Facts postgresFacts(Database& db) {
  Facts facts;
  auto status = db.withSession([&](SqlSession& s) -> Status {
    postgresColumnsAndKeys(s, facts);
    postgresConstraintsAndIndexes(s, facts);
    return {};
  });
  EXPECT_TRUE(status);
  return facts;
}

// ---- comparison ------------------------------------------------------------------------------

std::string drift(const Facts& sqlite, const Facts& postgres) {
  std::ostringstream out;
  for (const auto& f : sqlite) {
    if (!postgres.count(f)) out << "  only in SQLite:     " << f << "\n";
  }
  for (const auto& f : postgres) {
    if (!sqlite.count(f)) out << "  only in PostgreSQL: " << f << "\n";
  }
  return out.str();
}

// Drift that is already in a released migration (1-3): fixing it means a new migration, not an
// edit of the old one, so it is listed here and reported instead. Each entry must still be there
// (the test fails once it is fixed, so the list cannot go stale).
struct KnownDrift {
  std::string sqlite;
  std::string postgres;
  std::string why;
};
const std::vector<KnownDrift> kKnownDrift = {
    // Migration 1: SQLite's rule_field_versions has plain INTEGER flags without the 0/1 CHECK that
    // rule_fields has, so it would store 2 where PostgreSQL's BOOLEAN refuses. Only the catalog
    // service writes these rows, copying validated rule_fields values.
    {"rule_field_versions: column multi_value_allowed integer NOT NULL",
     "rule_field_versions: column multi_value_allowed boolean NOT NULL", "migration 1, SQLite lacks CHECK IN (0, 1)"},
    {"rule_field_versions: column is_sensitive integer NOT NULL",
     "rule_field_versions: column is_sensitive boolean NOT NULL", "migration 1, SQLite lacks CHECK IN (0, 1)"},
};

// Removes the known drift from both sides; a missing entry is a failure (fixed: trim the list).
void forgiveKnownDrift(Facts& sqlite, Facts& postgres) {
  for (const auto& known : kKnownDrift) {
    EXPECT_EQ(sqlite.erase(known.sqlite), 1u) << "known drift gone from SQLite (" << known.why << "): " << known.sqlite;
    EXPECT_EQ(postgres.erase(known.postgres), 1u)
        << "known drift gone from PostgreSQL (" << known.why << "): " << known.postgres;
  }
}

std::size_t countPrefixed(const Facts& facts, const std::string& prefix) {
  return std::count_if(facts.begin(), facts.end(), [&](const std::string& f) { return f.rfind(prefix, 0) == 0; });
}

class SchemaDrift : public ::testing::Test {
 protected:
  void SetUp() override {
    if (testing::postgresAdminUrl().empty()) {
      GTEST_SKIP() << "FRAUDGOV_TEST_PG_URL is not set: the drift check needs a PostgreSQL to compare with";
    }
    sqlite_ = testing::openMigrated(testing::freshSqliteUrl());
    postgres_ = testing::openMigrated(testing::freshPostgresUrl());
    ASSERT_TRUE(sqlite_ && postgres_);
  }

  std::unique_ptr<Database> sqlite_;
  std::unique_ptr<Database> postgres_;
};

TEST_F(SchemaDrift, BothBackendsMigrateToTheSameSchema) {
  Facts lite = sqliteFacts(*sqlite_);
  Facts pg = postgresFacts(*postgres_);
  forgiveKnownDrift(lite, pg);
  // Guards against an introspection query that silently finds nothing (and so "agrees").
  EXPECT_GE(countPrefixed(lite, "table "), 15u);
  EXPECT_GE(countPrefixed(pg, "table "), 15u);
  for (const Facts* facts : {&lite, &pg}) {
    EXPECT_TRUE(facts->count("rulesets: unique (country,environment,region,rule_type)"));
    EXPECT_TRUE(facts->count("approvals: unique (entity_id) partial"));
    EXPECT_TRUE(facts->count("rule_field_metadata: primary key (field_key,meta_key)"));
    EXPECT_TRUE(facts->count("rule_versions: foreign key rule_id -> rules.rule_id"));
    EXPECT_TRUE(facts->count("rules: index rules_page"));
    EXPECT_TRUE(facts->count("audit_log: column seq integer NOT NULL"));
    EXPECT_TRUE(facts->count("rule_fields: column is_sensitive boolean NOT NULL"));
  }
  const std::string diff = drift(lite, pg);
  EXPECT_TRUE(diff.empty()) << "schema drift between the backends:\n" << diff;
}

TEST_F(SchemaDrift, TheComparisonSeesADifference) {
  // A column, an index and a check added on one side only must each show up in the diff;
  // otherwise the test above proves nothing.
  testing::runAdminSql(*sqlite_,
                       "ALTER TABLE rules ADD COLUMN drift_probe TEXT CHECK (length(drift_probe) > 0);"
                       "CREATE INDEX rules_drift_probe ON rules (rule_name);");
  const std::string diff = drift(sqliteFacts(*sqlite_), postgresFacts(*postgres_));
  EXPECT_NE(diff.find("only in SQLite:     rules: column drift_probe text NULL"), std::string::npos) << diff;
  EXPECT_NE(diff.find("only in SQLite:     rules: index rules_drift_probe"), std::string::npos) << diff;
  EXPECT_NE(diff.find("only in SQLite:     rules: checks 3"), std::string::npos) << diff;
  EXPECT_NE(diff.find("only in PostgreSQL: rules: checks 2"), std::string::npos) << diff;
}

}  // namespace
}  // namespace fraudgov::store
