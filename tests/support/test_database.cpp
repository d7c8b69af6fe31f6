#include "support/test_database.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "common/uuid.h"
#include "store/migrations.h"
#include "support/test_env.h"

namespace fraudgov::testing {

namespace {
std::string createPostgresDatabase() {
  const std::string admin = postgresAdminUrl();
  if (admin.empty()) {
    ADD_FAILURE() << "FRAUDGOV_TEST_PG_URL is not set: run the suite through `make test`";
    return {};
  }
  std::string name = "fg_" + uuid::v4();
  for (auto& c : name) {
    if (c == '-') c = '_';
  }
  PGconn* conn = PQconnectdb(admin.c_str());
  PGresult* res = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  const auto slash = admin.rfind('/');
  return admin.substr(0, slash + 1) + name;
}
}  // namespace

std::string freshSqliteUrl() { return "sqlite:" + makeTempDir("db") + "/fraudgov.db"; }

std::string freshPostgresUrl() { return createPostgresDatabase(); }

std::string freshDatabaseUrl() {
  return currentBackend() == Backend::kPostgres ? freshPostgresUrl() : freshSqliteUrl();
}

std::unique_ptr<store::Database> openFreshDatabase(std::size_t pool_size) {
  return openMigrated(freshDatabaseUrl(), pool_size);
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
