#pragma once
// Versioned schema migrations. Each backend lists its own DDL (sqlite/schema.cpp,
// postgres/schema.cpp) under the same version numbers; the migrator applies the missing ones,
// each in its own write transaction, and records them in schema_migrations.

#include <string_view>
#include <vector>

#include "store/database.h"

namespace fraudgov::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view script;
};

const std::vector<Migration>& sqliteMigrations();
const std::vector<Migration>& postgresMigrations();

struct MigrationState {
  int current = 0;
  int latest = 0;
  bool upToDate() const { return current == latest; }
};

Result<MigrationState> migrationState(Database& db);
// Applies pending migrations; returns how many were applied. Safe to run concurrently from
// several processes (the write lock serializes them and each re-checks the version).
Result<int> applyMigrations(Database& db);

}  // namespace fraudgov::store
