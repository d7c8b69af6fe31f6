#include "support/test_database.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "common/uuid.h"
#include "store/migrations.h"
#include "support/poll.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {

std::string postgresUrlFor(const std::string& admin, const std::string& name) {
  return admin.substr(0, admin.rfind('/') + 1) + name;
}

std::string uniqueName(const std::string& prefix) {
  std::string name = prefix + uuid::v4();
  for (auto& c : name) {
    if (c == '-') c = '_';
  }
  return name;
}

// CREATE DATABASE <name> [TEMPLATE <from>]; a template still held by a closing connection is
// retried briefly.
bool createPostgresDatabase(const std::string& admin, const std::string& name, const std::string& from = "") {
  std::string sql = "CREATE DATABASE " + name;
  if (!from.empty()) sql += " TEMPLATE " + from + " STRATEGY FILE_COPY";
  PGconn* conn = PQconnectdb(admin.c_str());
  std::string error;
  const bool ok = pollUntil([&] {
    PGresult* res = PQexec(conn, sql.c_str());
    const bool created = PQresultStatus(res) == PGRES_COMMAND_OK;
    error = PQerrorMessage(conn);
    PQclear(res);
    return created;
  });
  PQfinish(conn);
  EXPECT_TRUE(ok) << sql << ": " << error;
  return ok;
}

std::string emptyPostgresDatabase() {
  const std::string admin = postgresAdminUrl();
  if (admin.empty()) {
    ADD_FAILURE() << "FRAUDGOV_TEST_PG_URL is not set: run the suite through `make test`";
    return {};
  }
  const std::string name = uniqueName("fg_");
  createPostgresDatabase(admin, name);
  return postgresUrlFor(admin, name);
}

// A migrated database this process copies for every test: CREATE DATABASE ... TEMPLATE costs a
// file copy, while running the migrations again for every test costs far more.
const std::string& migratedPostgresTemplate() {
  static const std::string name = [] {
    const std::string url = emptyPostgresDatabase();
    if (url.empty()) return std::string();
    {
      auto db = store::openDatabase(url, {});
      EXPECT_TRUE(db) << (db ? "" : db.error().message);
      if (!db) return std::string();
      auto applied = store::applyMigrations(**db);
      EXPECT_TRUE(applied) << (applied ? "" : applied.error().message);
    }  // closed: a template must have no connections when it is copied
    return url.substr(url.rfind('/') + 1);
  }();
  return name;
}

std::string migratedPostgresDatabase() {
  const std::string admin = postgresAdminUrl();
  const std::string& from = migratedPostgresTemplate();
  if (admin.empty() || from.empty()) return emptyPostgresDatabase();
  const std::string name = uniqueName("fg_");
  createPostgresDatabase(admin, name, from);
  return postgresUrlFor(admin, name);
}

}  // namespace

std::string freshSqliteUrl() { return "sqlite:" + makeTempDir("db") + "/fraudgov.db"; }

std::string freshPostgresUrl() { return emptyPostgresDatabase(); }

std::string freshDatabaseUrl() {
  return currentBackend() == Backend::kPostgres ? freshPostgresUrl() : freshSqliteUrl();
}

std::string migratedDatabaseUrl() {
  if (currentBackend() == Backend::kPostgres) return migratedPostgresDatabase();
  return freshDatabaseUrl();
}

std::unique_ptr<store::Database> openFreshDatabase(std::size_t pool_size) {
  return openMigrated(migratedDatabaseUrl(), pool_size);
}

std::unique_ptr<store::Database> openMigrated(const std::string& url, std::size_t pool_size) {
  store::DatabaseOptions options;
  options.pool_size = pool_size;
  auto db = store::openDatabase(url, options);
  EXPECT_TRUE(db) << (db ? "" : db.error().message);
  if (!db) return nullptr;
  auto applied = store::applyMigrations(**db);
  EXPECT_TRUE(applied) << (applied ? "" : applied.error().message);
  return std::move(*db);
}

void runAdminSql(store::Database& db, const std::string& script) {
  auto status = db.withSession([&](store::SqlSession& s) { return s.executeScript(script); });
  ASSERT_TRUE(status) << status.error().message;
}

}  // namespace fraudgov::testing
