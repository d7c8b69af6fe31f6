#pragma once
// A fresh, empty database for the backend the runner selected: a new SQLite file, or a new
// database in the throwaway PostgreSQL cluster.

#include <memory>
#include <string>

#include "store/database.h"

namespace fraudgov::testing {

// An empty database (no schema).
std::string freshDatabaseUrl();
// One backend regardless of the runner's choice (tests comparing the two backends). The
// PostgreSQL one needs FRAUDGOV_TEST_PG_URL (postgresAdminUrl() not empty).
std::string freshSqliteUrl();
std::string freshPostgresUrl();
// Opens url and applies every migration; nullptr (with a test failure) when either step fails.
std::unique_ptr<store::Database> openMigrated(const std::string& url, std::size_t pool_size = 8);
// A database whose schema is current (on PostgreSQL a copy of a per-process migrated template).
std::string migratedDatabaseUrl();
// Opened and migrated (schema current, standard fields not seeded).
std::unique_ptr<store::Database> openFreshDatabase(std::size_t pool_size = 8);
// Runs raw SQL as the database owner (tamper tests); bypasses fraudgov entirely.
void runAdminSql(store::Database& db, const std::string& script);

}  // namespace fraudgov::testing
