#include "store/migrations.h"

#include <spdlog/spdlog.h>

namespace fraudgov::store {

namespace {

constexpr Sql kCreateTable{"create_schema_migrations",
                           "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                           "name TEXT NOT NULL, applied_at TEXT NOT NULL)"};
constexpr Sql kCurrentVersion{"schema_version", "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"};
constexpr Sql kRecord{"record_migration",
                      "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)"};

const std::vector<Migration>& migrationsFor(Dialect d) {
  return d == Dialect::kPostgres ? postgresMigrations() : sqliteMigrations();
}

Result<int> currentVersion(SqlSession& s) {
  FRAUDGOV_ASSIGN_OR_RETURN(Rows rows, s.query(kCurrentVersion));
  return static_cast<int>(rows.at(0).integer(0));
}

}  // namespace

Result<MigrationState> migrationState(Database& db) {
  MigrationState state;
  state.latest = migrationsFor(db.dialect()).back().version;
  FRAUDGOV_RETURN_IF_ERROR(db.withSession([&](SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kCreateTable));
    FRAUDGOV_ASSIGN_OR_RETURN(state.current, currentVersion(s));
    return {};
  }));
  return state;
}

Result<int> applyMigrations(Database& db) {
  FRAUDGOV_RETURN_IF_ERROR(db.withSession([](SqlSession& s) -> Status {
    FRAUDGOV_RETURN_IF_ERROR(s.execute(kCreateTable));
    return {};
  }));
  int applied = 0;
  for (const Migration& m : migrationsFor(db.dialect())) {
    FRAUDGOV_RETURN_IF_ERROR(db.write([&](SqlSession& s) -> Status {
      FRAUDGOV_ASSIGN_OR_RETURN(int current, currentVersion(s));
      if (current >= m.version) return {};
      FRAUDGOV_RETURN_IF_ERROR(s.executeScript(m.script));
      const SqlParam params[] = {std::int64_t{m.version}, std::string(m.name), formatIso(nowUtc())};
      FRAUDGOV_RETURN_IF_ERROR(s.execute(kRecord, params));
      spdlog::info("applied migration {} ({})", m.version, m.name);
      ++applied;
      return {};
    }));
  }
  return applied;
}

}  // namespace fraudgov::store
